// Enhancements of the console pages only: every feature works without this file.
(function () {
  "use strict";
  // Copy buttons: shown only when the clipboard can be written.
  document.querySelectorAll("button.copy[data-copy]").forEach(function (button) {
    if (!navigator.clipboard) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var source = document.getElementById(button.getAttribute("data-copy"));
      var live = document.querySelector(".status-area");
      navigator.clipboard.writeText(source.textContent).then(function () {
        if (live) { live.innerHTML = ""; var p = document.createElement("p");
          p.className = "status-message"; p.textContent = button.getAttribute("data-done") || "✓";
          live.appendChild(p); }
      });
    });
  });
  // Drop a file on a file field's area.
  document.querySelectorAll(".drop").forEach(function (area) {
    var input = area.querySelector("input[type=file]");
    if (!input) { return; }
    area.addEventListener("dragover", function (e) { e.preventDefault(); area.classList.add("over"); });
    area.addEventListener("dragleave", function () { area.classList.remove("over"); });
    area.addEventListener("drop", function (e) {
      e.preventDefault(); area.classList.remove("over");
      if (e.dataTransfer && e.dataTransfer.files.length) { input.files = e.dataTransfer.files; }
    });
  });
  // A job's status page refreshes itself without a reload when scripts run.
  var job = document.querySelector("[data-job-poll]");
  if (job && window.fetch) {
    var poll = function () {
      fetch(job.getAttribute("data-job-poll"), {headers: {"Accept": "application/json"}, credentials: "same-origin"})
        .then(function (r) { return r.json(); })
        .then(function (doc) {
          var bar = document.querySelector("progress[data-job-bar]");
          var read = (doc.progress && doc.progress.read) || 0;
          if (bar && doc.progress && doc.progress.total) { bar.max = doc.progress.total; bar.value = read; }
          if (doc.status === "done" || doc.status === "failed") { window.location.reload(); return; }
          window.setTimeout(poll, 1000);
        }).catch(function () { window.setTimeout(poll, 3000); });
    };
    window.setTimeout(poll, 1000);
  }
}());
