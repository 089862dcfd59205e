// Keyboard shortcuts of the listing decision page. Buttons carry data-key="c" (claim),
// "a" (approve), "r" (reject), "l" (release); "j"/"k" move between highlighted hits.
// Nothing happens while typing in a field. Pages work without this script.
(function () {
  "use strict";
  document.addEventListener("keydown", function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var t = event.target;
    if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName))) return;
    var key = event.key.toLowerCase();
    if (key === "j" || key === "k") {
      var marks = Array.prototype.slice.call(document.querySelectorAll("mark[data-hit]"));
      if (!marks.length) return;
      var at = marks.indexOf(document.activeElement);
      var next = key === "j" ? Math.min(at + 1, marks.length - 1) : Math.max(at - 1, 0);
      marks[next].focus();
      event.preventDefault();
      return;
    }
    var button = document.querySelector('[data-key="' + key + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      button.click();
    }
  });
})();
