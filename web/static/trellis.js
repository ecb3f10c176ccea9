// web/static/trellis.js — progressive enhancement only: every page works without it.
// Moves keyboard and screen-reader focus to a form's error summary when the page shows one,
// so the user hears what went wrong first (GOV.UK pattern).
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  var summary = document.querySelector("[data-error-summary]");
  if (summary) summary.focus();
});
