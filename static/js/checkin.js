// Check-in at the door: post typed or scanned ticket codes, show the answer, keep the counts live.
// Camera scanning uses the browser's BarcodeDetector where it exists; typing the code always works.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var root = document.querySelector(".checkin[data-scan-url]");
    if (!root) { return; }
    var form = document.getElementById("checkin-form");
    var input = form.querySelector("input[name=code]");
    var token = form.querySelector("input[name=csrf_token]").value;
    var result = document.getElementById("checkin-result");
    var busy = false;

    function label(id) {
      var template = document.getElementById(id);
      return template ? template.content.textContent.trim() : "";
    }

    function setCounts(counts) {
      if (!counts) { return; }
      document.getElementById("count-registered").textContent = counts.registered;
      document.getElementById("count-checked-in").textContent = counts.checked_in;
      document.getElementById("count-waitlisted").textContent = counts.waitlisted;
    }

    function show(data) {
      result.textContent = "";
      var message = document.createElement("p");
      message.className = "flash checkin-message " + (data.ok ? "flash-success" : "flash-error");
      message.textContent = data.message;
      result.appendChild(message);
      if (data.attendee) {
        var person = document.createElement("p");
        person.className = "checkin-person";
        person.textContent = data.attendee + " · " + data.ticket_type;
        result.appendChild(person);
      }
      if (data.group_remaining && data.code) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "button";
        button.textContent = label("group-button-label").replace("{count}", data.group_remaining);
        button.addEventListener("click", function () { send(data.code, true); });
        result.appendChild(button);
      }
      setCounts(data.counts);
    }

    function send(code, group) {
      if (busy) { return; }
      busy = true;
      fetch(root.dataset.scanUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": token, "Accept": "application/json" },
        body: JSON.stringify({ code: code, group: group })
      }).then(function (response) {
        return response.json();
      }).then(function (data) {
        show(data);
        input.value = "";
        input.focus();
      }).catch(function () {
        show({ ok: false, message: label("network-error-label") });
      }).then(function () {
        busy = false;
      });
    }

    form.addEventListener("submit", function (event) {
      event.preventDefault();
      send(input.value, false);
    });

    setInterval(function () {
      if (document.hidden) { return; }
      fetch(root.dataset.countsUrl, { credentials: "same-origin", headers: { "Accept": "application/json" } })
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(setCounts)
        .catch(function () { /* the next poll tries again */ });
    }, 15000);

    // --- Camera -----------------------------------------------------------------------------
    if (!("BarcodeDetector" in window) || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) { return; }
    var camera = root.querySelector(".checkin-camera");
    var toggle = document.getElementById("camera-toggle");
    var video = document.getElementById("camera-view");
    var startLabel = toggle.textContent;
    var stream = null;
    var lastCode = "";
    var lastAt = 0;
    var detector;
    try {
      detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    } catch (error) {
      return;
    }
    camera.hidden = false;

    function stop() {
      if (stream) { stream.getTracks().forEach(function (track) { track.stop(); }); }
      stream = null;
      video.hidden = true;
      toggle.textContent = startLabel;
    }

    function scan() {
      if (!stream) { return; }
      detector.detect(video).then(function (codes) {
        var now = Date.now();
        if (codes.length && !busy) {
          var value = codes[0].rawValue;
          // The same ticket held in front of the camera is sent once, not every frame.
          if (value !== lastCode || now - lastAt > 5000) {
            lastCode = value;
            lastAt = now;
            send(value, false);
          }
        }
      }).catch(function () { /* frame not ready yet */ }).then(function () {
        if (stream) { window.setTimeout(scan, 250); }
      });
    }

    toggle.addEventListener("click", function () {
      if (stream) { stop(); return; }
      navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" }, audio: false })
        .then(function (media) {
          stream = media;
          video.srcObject = media;
          video.hidden = false;
          toggle.textContent = label("camera-stop-label");
          return video.play();
        })
        .then(scan)
        .catch(function () {
          stop();
          show({ ok: false, message: label("camera-error-label") });
        });
    });
  });
}());
