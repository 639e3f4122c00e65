// Download buttons for server-rendered SVG charts (figure.chart): the SVG as it is, or a PNG
// drawn from it on a canvas. Loaded only on pages that show a chart; the chart needs no script.
(function () {
  "use strict";
  function save(href, name) {
    var link = document.createElement("a");
    link.href = href;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
  }
  function svgText(svg) {
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + new XMLSerializer().serializeToString(svg);
  }
  function asPng(svg, name) {
    var box = svg.viewBox.baseVal;
    var scale = 2;
    var image = new Image();
    image.onload = function () {
      var canvas = document.createElement("canvas");
      canvas.width = box.width * scale;
      canvas.height = box.height * scale;
      var context = canvas.getContext("2d");
      context.fillStyle = "#ffffff";
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      canvas.toBlob(function (blob) {
        var url = URL.createObjectURL(blob);
        save(url, name + ".png");
        window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
      }, "image/png");
    };
    image.src = "data:image/svg+xml;charset=utf-8," + encodeURIComponent(svgText(svg));
  }
  function button(label, onClick) {
    var b = document.createElement("button");
    b.type = "button";
    b.className = "button button--secondary button--small";
    b.textContent = label;
    b.addEventListener("click", onClick);
    return b;
  }
  document.querySelectorAll("figure.chart[data-chart-file]").forEach(function (figure) {
    var svg = figure.querySelector("svg");
    if (!svg) return;
    var name = figure.dataset.chartFile;
    var tools = document.createElement("div");
    tools.className = "chart__tools";
    tools.appendChild(button(figure.dataset.labelSvg, function () {
      var blob = new Blob([svgText(svg)], {type: "image/svg+xml"});
      var url = URL.createObjectURL(blob);
      save(url, name + ".svg");
      window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
    }));
    tools.appendChild(button(figure.dataset.labelPng, function () { asPng(svg, name); }));
    figure.appendChild(tools);
  });
})();
