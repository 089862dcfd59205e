// qms shell behaviour: the small-screen navigation toggle and closing open menus.
// Pages work without it; it only adds convenience.
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var toggle = event.target.closest("[data-nav-toggle]");
    if (toggle) {
      var open = document.body.classList.toggle("nav-open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      return;
    }
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      if (!menu.contains(event.target)) menu.removeAttribute("open");
    });
    // A tap beside the open small-screen menu closes it.
    var nav = document.getElementById("app-nav");
    if (document.body.classList.contains("nav-open") && nav && !nav.contains(event.target)) {
      document.body.classList.remove("nav-open");
      var button = document.querySelector("[data-nav-toggle]");
      if (button) button.setAttribute("aria-expanded", "false");
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details[data-menu][open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
    if (document.body.classList.contains("nav-open")) {
      document.body.classList.remove("nav-open");
      var toggle = document.querySelector("[data-nav-toggle]");
      if (toggle) { toggle.setAttribute("aria-expanded", "false"); toggle.focus(); }
    }
  });

  // Table cells holding only a date or a date and time ("2026-11-25", "2026-11-25 14:30")
  // never wrap at the hyphens. Runs on load and after every htmx swap.
  var DATE = /^\s*\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2})?)?\s*$/;
  function keepDatesWhole(root) {
    (root || document).querySelectorAll(".table td:not(.nowrap)").forEach(function (cell) {
      if (cell.children.length === 0 && DATE.test(cell.textContent)) cell.classList.add("nowrap");
    });
  }
  document.addEventListener("DOMContentLoaded", function () { keepDatesWhole(document); });
  document.addEventListener("htmx:afterSwap", function (event) { keepDatesWhole(event.target); });
})();
