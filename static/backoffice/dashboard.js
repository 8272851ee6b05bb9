// The Sendcloud dashboard's charts, drawn by the vendored Chart.js from the page's json_script
// data. Labels arrive translated; numbers and money are formatted in the page's language.
(function () {
  "use strict";
  function draw() {
    var source = document.getElementById("dashboard-data");
    if (!source || typeof Chart === "undefined") return;
    var data = JSON.parse(source.textContent);
    var root = document.querySelector(".sendcloud-dashboard");
    var locale = (root && root.dataset.locale) || document.documentElement.lang || "de";
    Chart.defaults.locale = locale;
    Chart.defaults.animation = false;
    Chart.defaults.maintainAspectRatio = false;
    var money = function (value, currency) {
      return new Intl.NumberFormat(locale, { style: "currency", currency: currency || "EUR" }).format(value);
    };
    var configs = {
      "bar-horizontal": function (d) {
        return { type: "bar", data: d, options: { indexAxis: "y", plugins: { legend: { display: false } } } };
      },
      "bar-stacked": function (d) {
        return { type: "bar", data: d, options: { scales: { x: { stacked: true }, y: { stacked: true, ticks: { precision: 0 } } } } };
      },
      "bar-money": function (d) {
        return {
          type: "bar", data: d,
          options: {
            scales: { x: { stacked: true }, y: { stacked: true, ticks: { callback: function (v) { return money(v, (d.datasets[0] || {}).currency); } } } },
            plugins: { tooltip: { callbacks: { label: function (ctx) { return ctx.dataset.label + ": " + money(ctx.parsed.y, ctx.dataset.currency); } } } },
          },
        };
      },
      line: function (d) {
        return { type: "line", data: d, options: { spanGaps: true, scales: { y: { beginAtZero: true } } } };
      },
    };
    document.querySelectorAll(".sendcloud-dashboard canvas[data-kind]").forEach(function (canvas) {
      var name = canvas.id.replace(/^chart-/, "");
      if (!data[name]) return;
      new Chart(canvas, configs[canvas.dataset.kind](data[name]));
      canvas.dataset.rendered = "1";
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", draw);
  else draw();
})();
