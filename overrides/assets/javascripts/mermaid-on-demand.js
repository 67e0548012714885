// Mermaid is megabytes of JavaScript, and most readers never scroll to a
// diagram. Material's bundle uses a global `mermaid` when one exists, so this
// stand-in takes its calls and loads the real library (the script's data-src)
// only when a diagram comes near the viewport; then it hands the calls over.
(function () {
  var src = document.currentScript.dataset.src;
  var config = {};
  var library;

  function load() {
    library = library || new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.onload = function () {
        window.mermaid.initialize(config);  // the real one has replaced this stand-in
        resolve(window.mermaid);
      };
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
    return library;
  }

  // The diagram's code block: Material renders it in place of that block.
  function codeBlock(text) {
    var blocks = document.querySelectorAll("pre.mermaid:not([data-mermaid-waiting])");
    for (var i = 0; i < blocks.length; i++) {
      if (blocks[i].textContent === text) {
        blocks[i].setAttribute("data-mermaid-waiting", "");
        return blocks[i];
      }
    }
    return null;
  }

  function nearViewport(element) {
    if (!element || !("IntersectionObserver" in window)) return Promise.resolve();
    return new Promise(function (resolve) {
      var observer = new IntersectionObserver(function (entries) {
        if (entries.some(function (entry) { return entry.isIntersecting; })) {
          observer.disconnect();
          resolve();
        }
      }, { rootMargin: "100% 0px" });
      observer.observe(element);
    });
  }

  window.mermaid = {
    initialize: function (options) { config = options; },
    render: function (id, text) {
      return nearViewport(codeBlock(text)).then(load).then(function (real) {
        return real.render(id, text);
      });
    },
  };
})();
