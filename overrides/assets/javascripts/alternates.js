/*
 * Each page names its other-language versions with <link rel="alternate"
 * hreflang>, as search engines expect. Material reads such links as language
 * roots and requests sitemap.xml next to each one; next to a page that request
 * can only end in a 404. Decline it before it leaves the browser: Material then
 * leaves the language switcher alone, and its links already lead to the same
 * page in the other language.
 *
 * Loaded in <head>, before Material's bundle. The language roots come from
 * <meta name="language-roots">, written by hooks/languages.py.
 */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="language-roots"]');
  var roots = meta ? meta.content.split(" ") : [];
  var open = XMLHttpRequest.prototype.open;
  XMLHttpRequest.prototype.open = function (method, url) {
    var target = new URL(url, location.href);
    if (/\/sitemap\.xml$/.test(target.pathname)) {
      var folder = new URL(".", target).href;
      if (roots.indexOf(folder) < 0) {
        throw new Error("no sitemap below a language root: " + target.href);
      }
    }
    return open.apply(this, arguments);
  };
})();
