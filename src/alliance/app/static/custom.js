/* alliance app (served as Solara's /static/assets/custom.js, which its page runs right after its
   own bundle): start loading plotly.js now, while the page connects to the server and renders, so
   it is ready when the first chart arrives. The cartesian partial bundle (every trace type the app
   draws) is tried first, the full bundle shipped with plotly.py if it is not cached
   (python -m alliance.app.assets caches it). plotly_chart.vue waits on window.alliancePlotly. */
(function () {
  if (window.alliancePlotly) { return; }
  var root = (window.solara && window.solara.rootPath) || "";
  function load(file) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = root + "/static/assets/" + file;
      s.async = true;
      s.onload = function () {
        if (window.Plotly) { resolve(window.Plotly); } else { reject(new Error(file + " defined no Plotly")); }
      };
      s.onerror = function () { reject(new Error("cannot load " + s.src)); };
      document.head.appendChild(s);
    });
  }
  window.alliancePlotly = load("plotly-cartesian.min.js")
    .catch(function () { return load("plotly.min.js"); })
    .then(function (P) { window.alliancePlotlyLib = P; return P; });
})();
