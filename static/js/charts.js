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
  // side by side, keep every second (or third...) one, always including the latest and the
  // first (a line's first point is often its only early one: 2017/18 alone, then 2023/24),
  // dropping a tick that would crowd the first.
  function fitTicks(xaxis, width) {
    if (!xaxis || xaxis.tickmode !== "array") return;
    var labels = xaxis.ticktext, count = labels.length;
    var longest = labels.reduce(function (most, label) { return Math.max(most, label.length); }, 0);
    var room = Math.max(1, Math.floor((width - 70) / (longest * 8.5 + 14)));
    var step = Math.ceil(count / room);
    if (step <= 1) return;
    var keep = function (value, index) {
      if (index === 0) return room >= 2;
      var fromLatest = count - 1 - index;
      return fromLatest % step === 0 && (room < 2 || index >= step);
    };
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
      addImageButtons(container);
      // Tile maps: a click on a tile opens its area page (the table below has the same links).
      if (spec.linksOnClick) {
        container.on("plotly_click", function (event) {
          var url = event.points[0] && event.points[0].customdata;
          if (typeof url !== "string" || url.charAt(0) !== "/" || url.charAt(1) === "/") return;
          // Framed on another site (an embed), our pages refuse to be framed: open a new tab.
          if (window.self !== window.top) window.open(url, "_blank", "noopener");
          else window.location.href = url;
        });
      }
    });
  }

  // Chart images: PNG and SVG downloads of a drawn chart, with its title, key, sources and
  // date drawn on it, so a copy pasted elsewhere still says what it shows and where it is
  // from. The words come from the server (data-image-* on the card), never from here.
  var IMAGE_WIDTH = 1000, PNG_SCALE = 2, TEXT_WIDTH = 880;
  var TITLE = { size: 20, chars: 68, line: 27 }, FOOTER = { size: 13, chars: 112, line: 18 };

  function escapeText(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  // Plotly does not wrap text: break each paragraph at spaces into lines of at most `chars`.
  function wrap(text, chars) {
    var lines = [];
    text.split("\n").forEach(function (paragraph) {
      var line = "";
      paragraph.split(" ").forEach(function (word) {
        if (line && (line + " " + word).length > chars) {
          lines.push(line);
          line = word;
        } else {
          line = line ? line + " " + word : word;
        }
      });
      if (line) lines.push(line);
    });
    return lines.map(escapeText);
  }

  // The colour key as coloured squares with their words, in one or two lines.
  function legendLines(legend) {
    var items = legend.map(function (item) {
      var square = item[0] ? '<span style="color:' + item[0] + '">\u25A0</span> ' : "\u25A1 ";
      return { html: square + escapeText(item[1]), length: item[1].length + 4 };
    });
    var lines = [], line = [], length = 0;
    items.forEach(function (item) {
      if (line.length && length + item.length > FOOTER.chars) {
        lines.push(line.join("   "));
        line = [];
        length = 0;
      }
      line.push(item.html);
      length += item.length + 3;
    });
    if (line.length) lines.push(line.join("   "));
    return lines;
  }

  // Under the chart: the card's summary as the page shows it (it carries the figures' caveats:
  // a part-year, the forces counted, a restated figure, the source's "about"), so a copy pasted
  // elsewhere keeps them; then its key, then the credit line. The link at the end of the credit
  // gets a line of its own, in smaller type if that is what it takes to fit.
  function footerLines(card) {
    var credit = card.getAttribute("data-image-credit"), link = card.getAttribute("data-image-link");
    var words = credit.slice(0, credit.length - link.length).replace(/\s+$/, "");
    var size = Math.max(8, Math.min(FOOTER.size, Math.floor(TEXT_WIDTH / (link.length * 0.56))));
    var summary = card.querySelector(".card__summary");
    return wrap(summary ? summary.textContent.trim() : "", FOOTER.chars)
      .concat(wrap(card.getAttribute("data-image-key") || "", FOOTER.chars))
      .concat(legendLines(JSON.parse(card.getAttribute("data-image-legend") || "[]")))
      .concat(wrap(words, FOOTER.chars))
      .concat(['<span style="font-size:' + size + 'px">' + escapeText(link) + "</span>"]);
  }

  // The chart as built by the server (not as fitted to this screen), with room above for the
  // title and below for the key and credit; the plot itself keeps its size. Title and footer
  // are annotations, which Plotly places by their whole height, however many lines they take.
  function imageFigure(container, card) {
    var spec = JSON.parse(document.getElementById(container.getAttribute("data-chart")).textContent);
    var layout = spec.layout;
    var margin = layout.margin || {};
    var title = wrap(card.getAttribute("data-image-title"), TITLE.chars);
    var footer = footerLines(card);
    var axisRoom = (layout.xaxis || {}).visible === false ? 8 : 40;
    var top = 20 + TITLE.line * title.length, bottom = 20 + axisRoom + FOOTER.line * footer.length;
    var height = (layout.height || 450) + top + bottom;
    var marginTop = margin.t || 0;
    layout.width = IMAGE_WIDTH;
    layout.height = height;
    layout.margin = {
      l: Math.max(margin.l || 0, 16), r: Math.max(margin.r || 0, 16),
      t: marginTop + top, b: (margin.b || 0) + bottom, pad: margin.pad || 0,
    };
    layout.annotations = (layout.annotations || []).concat([
      {
        text: "<b>" + title.join("<br>") + "</b>", font: { size: TITLE.size }, showarrow: false, align: "left",
        xref: "paper", x: 0, xanchor: "left", yref: "paper", y: 1, yanchor: "bottom", yshift: marginTop + 8,
      },
      {
        text: footer.join("<br>"), font: { size: FOOTER.size, color: "#484949" }, showarrow: false, align: "left",
        xref: "paper", x: 0, xanchor: "left", yref: "paper", y: 0, yanchor: "top", yshift: -axisRoom,
      },
    ]);
    return { data: spec.data, layout: layout, config: { staticPlot: true }, width: IMAGE_WIDTH, height: height };
  }

  function save(blob, filename) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = filename;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  // Plotly.toImage makes the SVG. The PNG is drawn from it here rather than by Plotly's own
  // PNG path, which loads the SVG from a blob: address our Content-Security-Policy does not
  // allow images from (img-src 'self' data:); a data: address it does.
  function svgToPng(svgUrl, width, height) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () {
        var canvas = document.createElement("canvas");
        canvas.width = width * PNG_SCALE;
        canvas.height = height * PNG_SCALE;
        canvas.getContext("2d").drawImage(image, 0, 0, canvas.width, canvas.height);
        canvas.toBlob(function (blob) { return blob ? resolve(blob) : reject(new Error("no PNG")); }, "image/png");
      };
      image.onerror = reject;
      image.src = svgUrl;
    });
  }

  function downloadImage(container, card, format, button) {
    var figure = imageFigure(container, card);
    var filename = card.getAttribute("data-image-filename") + "." + format;
    button.disabled = true;
    window.Plotly.toImage(figure, { format: "svg", width: figure.width, height: figure.height })
      .then(function (svgUrl) {
        if (format === "svg") {
          var svg = decodeURIComponent(svgUrl.slice(svgUrl.indexOf(",") + 1));
          return new Blob([svg], { type: "image/svg+xml;charset=utf-8" });
        }
        return svgToPng(svgUrl, figure.width, figure.height);
      })
      .then(function (blob) { save(blob, filename); })
      .finally(function () { button.disabled = false; });
  }

  // Shown only once the chart is drawn: without JavaScript there is no image to download,
  // and the table and CSV carry the same figures.
  function addImageButtons(container) {
    var card = container.closest("[data-image-filename]");
    var actions = card && card.querySelector("[data-image-downloads]");
    if (!actions || actions.querySelector(".link-button")) return;
    var downloads = actions.querySelectorAll("a[download]");
    var after = downloads.length ? downloads[downloads.length - 1].parentNode : null;
    ["PNG", "SVG"].forEach(function (format) {
      var item = document.createElement("li");
      var button = document.createElement("button");
      var hidden = document.createElement("span");
      button.type = "button";
      button.className = "link-button";
      button.textContent = "Download chart as " + format;
      hidden.className = "visually-hidden";
      hidden.textContent = " of " + card.getAttribute("data-image-title");
      button.appendChild(hidden);
      button.addEventListener("click", function () { downloadImage(container, card, format.toLowerCase(), button); });
      item.appendChild(button);
      actions.insertBefore(item, after ? after.nextSibling : actions.firstChild);
      after = item;
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
