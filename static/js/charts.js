/*
 * Draw every chart card from the JSON embedded beside it (Django's json_script).
 * Plotly.js is loaded from our own static files only when the first chart scrolls
 * into view: evaluating it is the page's largest cost on a phone, and the summary
 * and table above each chart already carry its content.
 */
(function () {
  "use strict";

  var plotlySrc = document.currentScript && document.currentScript.getAttribute("data-plotly");
  var loading = null;

  function loadPlotly() {
    if (window.Plotly) return Promise.resolve();
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        var script = document.createElement("script");
        script.src = plotlySrc;
        script.onload = resolve;
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  // Year ticks: one per period, labelled as published. Where the labels would not fit
  // side by side, keep every second (or third...) one, always including the latest.
  function fitTicks(xaxis, width) {
    if (!xaxis || xaxis.tickmode !== "array") return;
    var labels = xaxis.ticktext, count = labels.length;
    var longest = labels.reduce(function (most, label) { return Math.max(most, label.length); }, 0);
    var room = Math.max(1, Math.floor((width - 70) / (longest * 8.5 + 14)));
    var step = Math.ceil(count / room);
    if (step <= 1) return;
    var keep = function (value, index) { return (count - 1 - index) % step === 0; };
    xaxis.tickvals = xaxis.tickvals.filter(keep);
    xaxis.ticktext = labels.filter(keep);
  }

  // A tile map on a phone: bigger tiles, and empty tiles show just their label.
  // (The colour key is written under the map, so nothing is lost.)
  function fitTileMap(spec, width) {
    spec.data.forEach(function (trace) {
      if (trace.mode === "text") {
        trace.text = trace.text.map(function (text) { return text.replace("<br>no data", ""); });
        trace.textfont.size = 10;
      }
    });
    spec.layout.height = Math.round(width * 1.2);
  }

  function fitToWidth(spec, width) {
    fitTicks(spec.layout.xaxis, width);
    if (spec.linksOnClick && width < 560) fitTileMap(spec, width);
  }

  function overlaps(a, b) {
    return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
  }

  // Value labels that would sit on another label or on a key-date badge are hidden
  // (the hover and the table below still give every value). The latest point of each
  // line is labelled first, then the first, then the rest from the latest back.
  function clearCollidingLabels(container) {
    var kept = Array.prototype.map.call(container.querySelectorAll(".annotation"), function (badge) {
      return badge.getBoundingClientRect();
    });
    container.querySelectorAll(".scatterlayer .trace").forEach(function (trace) {
      var labels = Array.prototype.slice.call(trace.querySelectorAll(".textpoint text"));
      var order = labels.length > 1 ? [labels.length - 1, 0] : [0];
      for (var i = labels.length - 2; i > 0; i--) order.push(i);
      if (!labels.length) order = [];
      order.forEach(function (index) {
        var label = labels[index];
        if (!label.textContent) return;
        var box = label.getBoundingClientRect();
        if (kept.some(function (other) { return overlaps(box, other); })) {
          label.setAttribute("visibility", "hidden");
        } else {
          kept.push(box);
        }
      });
    });
  }

  function draw(container) {
    var spec = JSON.parse(document.getElementById(container.getAttribute("data-chart")).textContent);
    fitToWidth(spec, container.clientWidth);
    loadPlotly().then(function () {
      container.textContent = "";
      if (spec.layout.height) container.style.height = spec.layout.height + "px";
      container.classList.add("chart--drawn");
      return window.Plotly.newPlot(container, spec.data, spec.layout, spec.config);
    }).then(function () {
      clearCollidingLabels(container);
      container.setAttribute("data-drawn", "true");
      // Tile maps: a click on a tile opens its area page (the table below has the same links).
      if (spec.linksOnClick) {
        container.on("plotly_click", function (event) {
          var url = event.points[0] && event.points[0].customdata;
          if (typeof url === "string" && url.charAt(0) === "/" && url.charAt(1) !== "/") window.location.href = url;
        });
      }
    });
  }

  function start() {
    var charts = Array.prototype.slice.call(document.querySelectorAll("[data-chart]"));
    if (!("IntersectionObserver" in window)) {
      charts.forEach(draw);
      return;
    }
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          draw(entry.target);
        }
      });
    });
    charts.forEach(function (chart) { observer.observe(chart); });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
