// web/static/trellis.js — progressive enhancement only: every page works without it.
// Moves keyboard and screen-reader focus to a form's error summary when the page shows one,
// so the user hears what went wrong first (GOV.UK pattern).
// On the rater questionnaire (a form marked data-autosave), saves a draft in the background:
// every 20 s when something changed, and when the page is hidden or left; the result is
// announced in the form's status region ("Draft saved at 14:05").
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
  enableAutosave(document.querySelector("form[data-autosave]"));
});

function enableAutosave(form) {
  if (!form || !window.fetch || !window.URLSearchParams || !window.FormData) return;
  var status = document.getElementById("autosave-status");
  var changed = false;
  var submitting = false;
  var inFlight = false;

  function twoDigits(n) {
    return (n < 10 ? "0" : "") + n;
  }
  function say(text) {
    if (status) status.textContent = text;
  }
  // `leaving`: the page is being hidden or left, so the request must outlive it (keepalive,
  // which browsers limit to 64 KiB; a larger draft then waits for the buttons).
  function save(leaving) {
    if (!changed || submitting || inFlight) return;
    var body = new URLSearchParams(new FormData(form));
    body.set("action", "save");
    body.set("autosave", "1");
    changed = false;
    inFlight = true;
    fetch(form.getAttribute("action"), {
      method: "POST",
      body: body,
      credentials: "same-origin",
      keepalive: leaving === true,
      redirect: "error",
    })
      .then(function (response) {
        inFlight = false;
        if (response.status === 204) {
          var now = new Date();
          say("Draft saved at " + twoDigits(now.getHours()) + ":" + twoDigits(now.getMinutes()));
        } else {
          changed = true;
          say("Your draft could not be saved just now. Use Save draft or Submit before you leave.");
        }
      })
      .catch(function () {
        inFlight = false;
        changed = true;
        say("Your draft could not be saved just now. Use Save draft or Submit before you leave.");
      });
  }

  form.addEventListener("change", function () {
    changed = true;
  });
  form.addEventListener("input", function () {
    changed = true;
  });
  // The buttons post the form themselves; a background save then would only race them.
  form.addEventListener("submit", function () {
    submitting = true;
  });
  window.setInterval(function () {
    save(false);
  }, 20000);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "hidden") save(true);
  });
  window.addEventListener("pagehide", function () {
    save(true);
  });
}
