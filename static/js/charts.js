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

  // On a narrow screen value labels collide; markers and dashes still tell lines apart
  // and the table below gives every value.
  // Year labels need about 60px each, so a phone gets fewer (still on whole years).
  function fitToWidth(spec, width) {
    var xaxis = spec.layout.xaxis;
    if (xaxis && xaxis.type === "date") xaxis.nticks = Math.min(xaxis.nticks || 10, Math.floor(width / 60));
    if (spec.linksOnClick && width < 560) fitTileMap(spec, width);
    if (width >= 480) return;
    spec.data.forEach(function (trace) {
      if (trace.mode) trace.mode = trace.mode.replace("+text", "");
    });
  }

  // A tile map on a phone: the colour scale's words are in the notes below, so its bar
  // gives way to bigger tiles, and empty tiles show just their label.
  function fitTileMap(spec, width) {
    spec.data.forEach(function (trace) {
      if (trace.marker && trace.marker.showscale) trace.marker.showscale = false;
      if (trace.mode === "text") {
        trace.text = trace.text.map(function (text) { return text.replace("<br>no data", ""); });
        trace.textfont.size = 10;
      }
    });
    spec.layout.height = Math.round(width * 1.2);
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
