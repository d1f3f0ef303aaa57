// Draws the page's Vega-Lite spec (the JSON in #spec) with the bundled vega-embed; nothing is fetched.
// `document.body.dataset.drawn` says when the chart is painted, or why not, for tests and benchmarks.
(function () {
  var source = document.getElementById("spec");
  if (!source) {
    document.body.dataset.drawn = "empty"; // nothing to draw for this selection; the page says so
    return;
  }
  var spec = JSON.parse(source.textContent);
  var chart = document.getElementById("chart");
  var picture = chart.querySelector("svg.first-paint"); // the server's drawing, shown until this one is done
  var drawing = document.createElement("div");
  if (picture) {
    chart.style.position = "relative";
    drawing.style.cssText = "position:absolute;left:0;right:0;top:0;visibility:hidden";
  }
  chart.appendChild(drawing);
  window
    .vegaEmbed(drawing, spec, { actions: false, renderer: "svg" })
    .then(function () {
      if (picture) {
        picture.remove();
        drawing.style.cssText = "";
        chart.style.position = "";
      }
      document.body.dataset.drawnAt = String(Math.round(performance.now())); // ms since the page's start
      document.body.dataset.drawn = "1";
    })
    .catch(function (error) {
      document.body.dataset.drawn = "error";
      var note = document.createElement("p");
      note.textContent = String(error);
      document.getElementById("chart").appendChild(note);
    });
})();
