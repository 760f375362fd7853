// minyi: the history import's progress bar. The import runs on the server;
// this polls its status and reloads the page when it has finished, so the
// page shows the report. Without JavaScript the page still works: reload it.
"use strict";

(function () {
  function poll(box) {
    var url = box.dataset.statusUrl;
    var bar = document.getElementById("import-bar");
    var count = document.getElementById("import-count");
    var percent = document.getElementById("import-percent");
    function tick() {
      fetch(url, { headers: { Accept: "application/json" }, credentials: "same-origin" })
        .then(function (r) { if (!r.ok) throw new Error(r.status); return r.json(); })
        .then(function (s) {
          if (bar) { bar.max = Math.max(s.total, 1); bar.value = s.done; bar.textContent = s.percent + "%"; }
          if (count) count.textContent = s.done + " / " + s.total;
          if (percent) percent.textContent = s.percent;
          if (s.state !== "running") { window.location.reload(); return; }
          setTimeout(tick, 700);
        })
        .catch(function () { setTimeout(tick, 3000); });
    }
    tick();
  }
  document.addEventListener("DOMContentLoaded", function () {
    var box = document.getElementById("import-progress");
    if (box) poll(box);
  });
})();
