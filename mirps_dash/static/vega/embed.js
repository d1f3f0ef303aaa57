// Draws the page's Vega-Lite spec (the JSON in #spec) with the bundled vega-embed; nothing is fetched.
// `document.body.dataset.drawn` says when the chart is painted, or why not, for tests and benchmarks.
(function () {
  var source = document.getElementById("spec");
  if (!source) {
    document.body.dataset.drawn = "empty"; // nothing to draw for this selection; the page says so
    return;
  }
  var spec = JSON.parse(source.textContent);
  window
    .vegaEmbed("#chart", spec, { actions: false, renderer: "svg" })
    .then(function () {
      document.body.dataset.drawn = "1";
    })
    .catch(function (error) {
      document.body.dataset.drawn = "error";
      var note = document.createElement("p");
      note.textContent = String(error);
      document.getElementById("chart").appendChild(note);
    });
})();
