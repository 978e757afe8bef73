// Search page: Pagefind's static index, loaded only here and only when a query is typed.
// The index comes in shards (pagefind/shards.json lists them): the first one's pagefind.js
// loads, the others merge into it and share its WebAssembly, and results rank across all.
// Results show each term's depth and category, each article's date. The form is a plain GET
// form (?q=), so a search can be linked to; without JavaScript the page points to the A-Z
// and the articles. Its words come from the page, in the site's language: the script tag's
// data-strings holds {results: plural forms, none, unavailable, depths: name -> what readers
// see}; "{count}" and "{query}" are filled in here, the plural form chosen by the language's
// rules (Intl.PluralRules).
(function () {
  "use strict";
  var script = document.currentScript, bundle = script.getAttribute("data-bundle"), words = {};
  try { words = JSON.parse(script.getAttribute("data-strings") || "{}"); } catch (e) { words = {}; }
  var input = document.getElementById("search-input"), list = document.getElementById("search-results");
  var status = document.getElementById("search-status"), stale = document.getElementById("search-stale"), form = input.form, engine = null, latest = 0;
  status.textContent = "";

  function load() {
    engine = engine || fetch(bundle + "shards.json", { cache: "no-cache" }).then(function (r) {
      if (!r.ok) throw new Error("no search index");
      return r.json();
    }).then(function (listing) {
      if (listing.stale) stale.hidden = false;
      var shards = listing.shards.map(function (dir) { return new URL(bundle + dir, location.href).pathname; });
      if (!shards.length) return { pf: null, shards: 0 }; // nothing had text to index
      return import(shards[0] + "pagefind.js").then(function (pf) {
        // Each shard tags its results with its number (a filter), so that find() can tell them apart.
        // The indexed URLs hold the site's base path already ('/ja/...', '/my-repo/...'): baseUrl
        // "/" keeps Pagefind from putting the bundle's folder in front of them a second time.
        return pf.init().then(function () { return pf.options({ baseUrl: "/", mergeFilter: { shard: "0" } }); }).then(function () {
          return Promise.all(shards.slice(1).map(function (dir, i) {
            return pf.mergeIndex(dir, { baseUrl: "/", mergeFilter: { shard: String(i + 1) } });
          }));
        }).then(function () { return { pf: pf, shards: shards.length }; });
      });
    });
    return engine;
  }

  // Every result for `query`, as one index would find them: the pages that have all its words
  // (the last one, or each, also as the start of a longer word: "quant" finds "quantization").
  // A shard with no word starting so answers without it: it drops the word from a query of
  // several ("wake word" would bring every page with "word") and matches a shorter start of a
  // lone one ("758" would bring "75"). So only the shards that have every word are asked.
  function find(query) {
    return load().then(function (index) {
      var pf = index.pf;
      var words = query.split(/\s+/).filter(function (word) { return plain(word); }); // Pagefind drops "&", "—"
      if (index.shards <= 1 || !words.length) return index.shards ? pf.search(query) : { results: [] };
      return Promise.all(words.map(function (word) { return shardsWith(pf, word, index.shards); })).then(function (each) {
        var known = [];
        for (var shard = 0; shard < index.shards; shard++) {
          if (each.every(function (shards) { return shards.indexOf(String(shard)) >= 0; })) known.push(String(shard));
        }
        return known.length ? pf.search(query, { filters: { shard: { any: known } } }) : { results: [] };
      });
    });
  }

  function plain(text) { return text.toLowerCase().replace(/[^\p{L}\p{N}]+/gu, ""); }

  function counts(found) { return (found.filters || {}).shard || {}; }

  // The shards that have `word`, or a word that starts with it. A shard whose answer has
  // neither (Pagefind's shorter-start fallback) is told apart by one of its pages' text.
  function shardsWith(pf, word, total) {
    var start = plain(word);
    return Promise.all([pf.search('"' + word + '"'), pf.search(word)]).then(function (both) {
      var exact = counts(both[0]), loose = counts(both[1]), checks = [];
      for (var shard = 0; shard < total; shard++) {
        var key = String(shard);
        if (exact[key] > 0) checks.push(Promise.resolve(key));
        else if (loose[key] > 0) checks.push(pf.search(word, { filters: { shard: key } }).then(function (key, found) {
          return found.results.length ? found.results[0].data().then(function (data) {
            return data.content.split(/\s+/).some(function (w) { return plain(w).indexOf(start) === 0; }) ? key : null;
          }) : null;
        }.bind(null, key)));
      }
      return Promise.all(checks).then(function (keys) { return keys.filter(Boolean); });
    });
  }
  window.glossarySearch = find; // for the browser tests, which compare every result with one index's

  function fill(text, values) {
    return String(text || "").replace(/\{(\w+)\}/g, function (all, name) {
      return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : all;
    });
  }

  // The form of a plural string for `count`, by the page's language (as the build picks them).
  function plural(forms, count) {
    forms = forms || {};
    var form = "other";
    try { form = new Intl.PluralRules(document.documentElement.lang || "en").select(count); } catch (e) { form = "other"; }
    return forms[form] !== undefined ? forms[form] : forms.other;
  }

  function badge(cls, text) {
    var span = document.createElement("span");
    span.className = cls;
    span.textContent = text;
    return span;
  }

  function show(items, query) {
    list.textContent = "";
    items.forEach(function (data) {
      var li = document.createElement("li"), link = document.createElement("a"), meta = data.meta || {};
      link.href = data.url;
      link.className = "result-title";
      link.textContent = meta.title || data.url;
      li.appendChild(link);
      if (meta.kind === "term") {
        li.appendChild(document.createTextNode(" "));
        var depth = meta.depth || "", names = words.depths || {};
        li.appendChild(badge("depth depth-" + depth.toLowerCase(), Object.prototype.hasOwnProperty.call(names, depth) ? names[depth] : depth));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(badge("category", meta.category || ""));
      } else if (meta.date) {
        li.appendChild(document.createTextNode(" "));
        li.appendChild(badge("date", meta.date));
      }
      var excerpt = document.createElement("p");
      excerpt.className = "summary";
      excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds only <mark>
      li.appendChild(excerpt);
      list.appendChild(li);
    });
    var values = { count: items.length, query: query };
    status.textContent = fill(items.length ? plural(words.results, items.length) : words.none, values);
  }

  function run(query) {
    var ticket = ++latest;
    query = query.trim();
    if (!query) { list.textContent = ""; status.textContent = ""; return; }
    find(query).then(function (found) {
      return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (items) {
      if (ticket === latest) show(items, query);
    }).catch(function () {
      status.textContent = words.unavailable || "";
    });
  }

  form.addEventListener("submit", function (e) {
    e.preventDefault();
    history.replaceState(null, "", "?q=" + encodeURIComponent(input.value));
    run(input.value);
  });
  input.addEventListener("input", function () { run(input.value); });
  var initial = new URLSearchParams(location.search).get("q");
  if (initial) { input.value = initial; run(initial); }
})();
