/* The site's search: client-side and offline, over the documents that search.html carries in its
   <script type="application/json" id="search-data"> block (a page opened from file:// cannot fetch a
   JSON file, and a strict Content-Security-Policy forbids inline script, so the data sit in a JSON
   block and the code here). The index is MiniSearch (assets/vendor/minisearch-*.js), built in the
   browser from the documents; this file only sets it up:
   - Swedish folding: every term is lower-cased and stripped of diacritics, in the index and in the
     query, so "kontaktforbud" finds "kontaktförbud" and "ÅKLAGARE" finds "åklagare";
   - prefix matching ("kontaktf" finds "kontaktförbud"), a small typo tolerance (one edit from four
     letters on, so "bans" also finds "contact-ban"), and
     every query word must match (AND), so "contact ban" finds the contact-ban items only.
   In Node (tests/test_search.py) the same functions are exported, so the tests run this very
   configuration over the real MiniSearch. */
(function (root, factory) {
  "use strict";
  var api = factory();
  if (typeof module === "object" && module.exports) {
    module.exports = api;
    return;
  }
  root.MvkSearch = api;
  if (typeof document !== "undefined") {
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", function () { api.start(document, root.MiniSearch); });
    } else {
      api.start(document, root.MiniSearch);
    }
  }
})(typeof self !== "undefined" ? self : this, function () {
  "use strict";

  // Words that say nothing on their own; with AND they would make "våld i nära relationer" fail.
  var STOP_WORDS = {
    sv: ["och", "i", "av", "på", "för", "som", "med", "till", "om", "att", "den", "det", "de", "ett", "en"],
    en: ["the", "of", "and", "a", "an", "in", "on", "for", "to", "by", "with", "or"]
  };
  var STOP = {};
  STOP_WORDS.sv.concat(STOP_WORDS.en).forEach(function (word) { STOP[fold(word)] = true; });

  var MAX_RESULTS = 50;

  /** Lower case without diacritics: å ä → a, ö → o, é → e (the same on both sides of the index). */
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function processTerm(term) {
    var folded = fold(term);
    return folded && !STOP[folded] ? folded : null;
  }

  function options() {
    return {
      idField: "id",
      fields: ["title", "keywords", "summary"],
      storeFields: ["title", "summary", "url", "kind", "lang", "illustrative"],
      processTerm: processTerm,
      searchOptions: {
        prefix: true,
        // one typo (or a plural: "bans" finds "ban") from four letters on, two from ten
        fuzzy: function (term) { return term.length >= 10 ? 2 : term.length >= 4 ? 1 : false; },
        combineWith: "AND",
        boost: { title: 3, keywords: 2, summary: 1 }
      }
    };
  }

  function createIndex(MiniSearch, docs) {
    var index = new MiniSearch(options());
    index.addAll(docs);
    return index;
  }

  /** Every result for a query, best first; [] for an empty query (the page shows MAX_RESULTS). */
  function search(index, query) {
    if (!query || !String(query).trim()) { return []; }
    return index.search(String(query));
  }

  function format(template, n) {
    return String(template).replace("{n}", String(n));
  }

  function renderResults(doc, list, status, results, query, payload) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    var messages = payload.messages;
    if (!query.trim()) {
      status.textContent = messages.prompt;
      return;
    }
    if (!results.length) {
      status.textContent = String(messages.none).replace("{q}", function () { return query; });
      return;
    }
    status.textContent = results.length > MAX_RESULTS
      ? format(messages.capped, results.length).replace("{max}", String(MAX_RESULTS))
      : format(results.length === 1 ? messages.one : messages.many, results.length);
    results.slice(0, MAX_RESULTS).forEach(function (hit) {
      var item = doc.createElement("li");
      var heading = doc.createElement("p");
      heading.className = "search-hit";
      var link = doc.createElement("a");
      link.href = hit.url;
      link.textContent = hit.title;
      heading.appendChild(link);
      if (hit.illustrative) {
        var mark = doc.createElement("abbr");
        mark.title = messages.illustrative;
        mark.textContent = "[ill.]";
        heading.appendChild(doc.createTextNode(" "));
        heading.appendChild(mark);
      }
      var kind = doc.createElement("span");
      kind.className = "search-kind";
      kind.textContent = payload.kinds[hit.kind] || hit.kind;
      heading.appendChild(doc.createTextNode(" "));
      heading.appendChild(kind);
      item.appendChild(heading);
      if (hit.summary) {
        var summary = doc.createElement("p");
        summary.className = "search-summary";
        summary.textContent = hit.summary;
        item.appendChild(summary);
      }
      list.appendChild(item);
    });
  }

  function start(doc, MiniSearch) {
    var data = doc.getElementById("search-data");
    var form = doc.getElementById("search-form");
    var input = doc.getElementById("search-q");
    var list = doc.getElementById("search-results");
    var status = doc.getElementById("search-status");
    if (!data || !form || !input || !list || !status || !MiniSearch) { return; }
    var payload = JSON.parse(data.textContent);
    var index = createIndex(MiniSearch, payload.docs);
    var timer = null;
    function show() {
      renderResults(doc, list, status, search(index, input.value), input.value, payload);
    }
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      show();
    });
    input.addEventListener("input", function () {
      if (timer) { clearTimeout(timer); }
      timer = setTimeout(show, 150);
    });
    doc.documentElement.classList.add("search-ready");
    var query = "";
    try {
      query = new URLSearchParams(querystring(doc)).get("q") || "";
    } catch (e) {
      query = "";
    }
    input.value = query;
    show();
  }

  function querystring(doc) {
    return doc.defaultView && doc.defaultView.location ? doc.defaultView.location.search : "";
  }

  return { fold: fold, processTerm: processTerm, options: options, createIndex: createIndex, search: search,
           start: start, MAX_RESULTS: MAX_RESULTS };
});
