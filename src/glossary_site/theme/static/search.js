// Search page: Pagefind's static index, loaded only here and only when a query is typed.
// Results show each term's depth and category. The form is a plain GET form (?q=), so a
// search can be linked to; without JavaScript the page points to the A-Z and the articles.
(function () {
  "use strict";
  var script = document.currentScript, bundle = script.getAttribute("data-bundle");
  var input = document.getElementById("search-input"), list = document.getElementById("search-results");
  var status = document.getElementById("search-status"), form = input.form, engine = null, latest = 0;
  status.textContent = "";

  function load() {
    engine = engine || import(bundle + "pagefind.js").then(function (pf) { return pf.init().then(function () { return pf; }); });
    return engine;
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
        li.appendChild(badge("depth depth-" + (meta.depth || "").toLowerCase(), meta.depth || ""));
        li.appendChild(document.createTextNode(" "));
        li.appendChild(badge("category", meta.category || ""));
      }
      var excerpt = document.createElement("p");
      excerpt.className = "summary";
      excerpt.innerHTML = data.excerpt; // Pagefind escapes the text and adds only <mark>
      li.appendChild(excerpt);
      list.appendChild(li);
    });
    status.textContent = items.length ? items.length + " results for “" + query + "”" : "No results for “" + query + "”";
  }

  function run(query) {
    var ticket = ++latest;
    query = query.trim();
    if (!query) { list.textContent = ""; status.textContent = ""; return; }
    load().then(function (pf) { return pf.search(query); }).then(function (found) {
      return Promise.all(found.results.slice(0, 20).map(function (r) { return r.data(); }));
    }).then(function (items) {
      if (ticket === latest) show(items, query);
    }).catch(function () {
      status.textContent = "Search is not available here: the search index was not built.";
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
