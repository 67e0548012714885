/*
 * Swedish search: let inflected forms find each other.
 *
 * Material's search appends `*` to every query term, and lunr does not stem
 * wildcard terms, so a stemmer in the index pipeline breaks searching. The
 * index stays unstemmed instead, and each query term is sent along with its
 * Snowball stem: "kretsbrytarna" becomes "kretsbrytarna kretsbryt", and
 * Material's `kretsbryt*` then matches kretsbrytare, kretsbrytaren, ...
 *
 * Loaded in <head> on Swedish pages, before Material starts its worker.
 */
(function () {
  "use strict";

  var VOWELS = "aeiouyäåö";
  var S_ENDING = "bcdfghjklmnoprtvy";
  // Snowball Swedish step 1, longest first.
  var STEP1 = ["heterna", "hetens", "anden", "andes", "andet", "arens", "arnas", "ernas", "heten",
    "heter", "ornas", "ande", "ades", "aren", "arna", "arne", "aste", "erna", "erns", "orna",
    "ade", "are", "ast", "ens", "ern", "het", "ad", "ar", "as", "at", "en", "er", "es", "or",
    "a", "e"];
  var STEP2 = ["dd", "gd", "nn", "dt", "gt", "kt", "tt"];

  function r1(word) {
    for (var i = 1; i < word.length; i++) {
      if (VOWELS.indexOf(word[i]) < 0 && VOWELS.indexOf(word[i - 1]) >= 0) {
        return Math.max(i + 1, 3);
      }
    }
    return word.length;
  }

  function stem(word) {
    word = word.toLowerCase();
    var start = r1(word);
    var region = function () { return word.slice(start); };
    for (var i = 0; i < STEP1.length; i++) {
      if (region().endsWith(STEP1[i])) { word = word.slice(0, -STEP1[i].length); break; }
    }
    if (i === STEP1.length && region().endsWith("s") && word.length > 1 &&
        S_ENDING.indexOf(word[word.length - 2]) >= 0) {
      word = word.slice(0, -1);
    }
    for (var j = 0; j < STEP2.length; j++) {
      if (region().endsWith(STEP2[j])) { word = word.slice(0, -1); break; }
    }
    if (region().endsWith("fullt")) word = word.slice(0, -1);
    else if (region().endsWith("löst")) word = word.slice(0, -1);
    else if (region().endsWith("lig")) word = word.slice(0, -3);
    else if (region().endsWith("els")) word = word.slice(0, -3);
    else if (region().endsWith("ig")) word = word.slice(0, -2);
    return word;
  }

  function expand(query) {
    if (/["+\-:^~*]/.test(query)) return query; // the reader wrote lunr syntax: leave it
    var terms = query.split(/\s+/).filter(Boolean);
    var out = [];
    terms.forEach(function (term) {
      out.push(term);
      var stemmed = stem(term);
      if (stemmed.length >= 3 && stemmed !== term.toLowerCase()) out.push(stemmed);
    });
    return out.join(" ");
  }

  if (typeof module !== "undefined") {
    module.exports = { stem: stem, expand: expand };
    return;
  }
  var QUERY = 2; // Material's search worker message type for a query
  var post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (message) {
    if (message && message.type === QUERY && typeof message.data === "string") {
      arguments[0] = { type: message.type, data: expand(message.data) };
    }
    return post.apply(this, arguments);
  };
})();
