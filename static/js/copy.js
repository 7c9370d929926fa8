// Copy buttons next to the transfer details (account number, amount, reference). Without JavaScript the
// values stay plain selectable text; with it, each gets a button that copies it and says so.
(function () {
  "use strict";

  function label(id) {
    var template = document.getElementById(id);
    return template ? template.content.textContent.trim() : "";
  }

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var done = false;
      try { done = document.execCommand("copy"); } catch (error) { done = false; }
      document.body.removeChild(area);
      if (done) { resolve(); } else { reject(new Error("copy refused")); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var copyLabel = label("copy-label");
    var copiedLabel = label("copied-label");
    if (!copyLabel) { return; }
    document.querySelectorAll(".copy-value").forEach(function (value) {
      var cell = value.closest("dd");
      var term = cell && cell.previousElementSibling ? cell.previousElementSibling.textContent.trim() : "";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button-small button-ghost copy-button";
      button.textContent = copyLabel;
      var context = document.createElement("span");
      context.className = "visually-hidden";
      context.textContent = " " + term;
      button.appendChild(context);
      var status = document.createElement("span");
      status.className = "copy-status";
      status.setAttribute("role", "status");
      button.addEventListener("click", function () {
        var text = value.dataset.copy || value.textContent.trim();
        copyText(text).then(function () {
          status.textContent = copiedLabel;
          window.setTimeout(function () { status.textContent = ""; }, 3000);
        }).catch(function () {
          var range = document.createRange();
          range.selectNodeContents(value);
          var selection = window.getSelection();
          selection.removeAllRanges();
          selection.addRange(range);
        });
      });
      cell.appendChild(document.createTextNode(" "));
      cell.appendChild(button);
      cell.appendChild(status);
    });
  });
}());
