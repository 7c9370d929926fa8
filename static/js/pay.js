// The payment page: Stripe.js card element, confirmCardPayment, then the status page.
(function () {
  "use strict";
  var form = document.getElementById("payment-form");
  if (!form || typeof Stripe === "undefined") { return; }
  var button = document.getElementById("pay-button");
  var message = document.getElementById("payment-message");
  var stripe = Stripe(form.dataset.publishableKey);
  var card = stripe.elements().create("card");
  card.mount("#card-element");
  button.disabled = false;

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    button.disabled = true;
    message.textContent = "";
    stripe.confirmCardPayment(form.dataset.clientSecret, {
      payment_method: { card: card, billing_details: { name: form.dataset.attendeeName } }
    }).then(function (result) {
      if (result.error) {
        message.textContent = result.error.message || String(result.error);
        button.disabled = false;
        return;
      }
      window.location.assign(form.dataset.returnUrl);
    });
  });
})();
