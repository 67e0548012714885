// Mermaid is large, and most readers never scroll to a diagram. Material's
// bundle uses a global `mermaid` when one exists, so this stand-in takes its
// calls and imports the real library (the script's data-src, Mermaid's ES
// module build, which fetches only the chunks a diagram type needs) once a
// diagram comes near the viewport; then it hands the calls over.
(function () {
  // import() resolves a relative path against this script, not the page.
  var src = new URL(document.currentScript.dataset.src, document.baseURI).href;
  var config = {};
  var library;

  function load() {
    library = library || import(src).then(function (module) {
      module.default.initialize(config);
      return module.default;
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
