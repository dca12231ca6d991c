// Warns staff before the idle sign-out and offers "Stay signed in" (a request that restarts the
// idle time). The server decides when a session ends; this only counts down from page load.
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  if (!box || !window.fetch) {
    return;
  }
  var idle = Number(box.dataset.idleSeconds) * 1000;
  var warning = Number(box.dataset.warningSeconds) * 1000;
  var text = box.querySelector("[data-session-text]");
  var left = box.querySelector("[data-seconds-left]");
  var stay = box.querySelector("[data-stay]");
  var deadline = Date.now() + idle;
  var ended = false;

  function words(ms) {
    var seconds = Math.max(0, Math.ceil(ms / 1000));
    var minutes = Math.floor(seconds / 60);
    var rest = seconds % 60;
    return minutes ? minutes + " min " + (rest < 10 ? "0" : "") + rest + " s" : rest + " s";
  }

  function signedOut() {
    ended = true;
    box.hidden = false;
    stay.hidden = true;
    text.textContent =
      "You have been signed out after a time without activity. Save or reload the page to sign " +
      "in again: what you typed on a review page is kept for an hour and filled in again.";
  }

  function tick() {
    if (ended) {
      return;
    }
    var remaining = deadline - Date.now();
    if (remaining <= 0) {
      signedOut();
      return;
    }
    if (remaining <= warning) {
      box.hidden = false;
      left.textContent = words(remaining);
    }
    window.setTimeout(tick, 1000);
  }

  stay.addEventListener("click", function () {
    fetch(box.dataset.keepaliveUrl, {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
    })
      .then(function (response) {
        var json = (response.headers.get("Content-Type") || "").indexOf("json") !== -1;
        if (!response.ok || !json) {
          throw new Error("signed out");
        }
        return response.json();
      })
      .then(function (body) {
        deadline = Date.now() + body.idle_seconds * 1000;
        box.hidden = true;
      })
      .catch(signedOut);
  });

  tick();
})();
