// minyi: progressive enhancement only. Every page works without this file;
// it draws charts and adds small conveniences.
"use strict";

// Charts: an element with class "chart" and a data-chart attribute holding an
// ECharts option object (JSON, written by the server) is drawn with ECharts,
// loaded from /static/vendor/echarts.min.js by the page that has charts.
function drawCharts() {
  if (typeof echarts === "undefined") return;
  document.querySelectorAll(".chart[data-chart]").forEach(function (el) {
    var option;
    try { option = JSON.parse(el.dataset.chart); } catch (e) { return; }
    var chart = echarts.init(el, null, { renderer: "canvas" });
    chart.setOption(option);
    el.dataset.rendered = "true";
    window.addEventListener("resize", function () { chart.resize(); });
  });
}

// Forms, and submit buttons, with data-confirm ask before they submit.
function confirmForms() {
  document.querySelectorAll("form").forEach(function (f) {
    f.addEventListener("submit", function (ev) {
      var ask = (ev.submitter && ev.submitter.dataset.confirm) || f.dataset.confirm;
      if (ask && !window.confirm(ask)) ev.preventDefault();
    });
  });
}

// The make-a-report form shows a special report's fields only for one.
function reportKindFields() {
  var kind = document.getElementById("m-kind");
  if (!kind) return;
  var show = function () {
    document.querySelectorAll("#make-report .special-only").forEach(function (el) {
      el.hidden = kind.value !== "special";
    });
  };
  kind.addEventListener("change", show);
  show();
}

document.addEventListener("DOMContentLoaded", function () {
  reportKindFields();
  drawCharts();
  confirmForms();
});
