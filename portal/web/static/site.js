// Enhancements only: every feature works without this file.
(function () {
  "use strict";
  // Move focus to an error summary, as the GOV.UK pattern does.
  var summary = document.querySelector("[data-focus]");
  if (summary) { summary.focus(); }
  // Apply the accessibility options at once, and keep them in localStorage too.
  var form = document.querySelector(".a11y-form");
  if (!form) { return; }
  var root = document.documentElement;
  form.addEventListener("change", function (event) {
    var box = event.target;
    if (box.type !== "checkbox") { return; }
    root.classList.toggle("a11y-" + box.name, box.checked);
    var chosen = [];
    form.querySelectorAll("input[type=checkbox]").forEach(function (b) {
      if (b.checked) { chosen.push(b.name); }
    });
    try { localStorage.setItem("a11y", chosen.join(".")); } catch (e) { /* private mode */ }
    document.cookie = "a11y=" + chosen.join(".") + ";path=/;max-age=31536000;samesite=lax";
  });
}());
