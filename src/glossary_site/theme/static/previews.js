// Term previews: hover, keyboard focus or a first tap on a term link shows the term's title,
// depth, category and summary; a second tap follows the link; Escape or the close button
// dismisses it. Each link's aria-describedby names the page's own entry for the term (in
// "Terms in this article": its title, depth and category); the summaries are kept once for
// the whole site, in the file the script tag's data-previews names (_glossary/previews.json),
// fetched on the first preview and then cached by the browser. While a preview is open its
// link is described by the preview, summary included. Without this script the links are
// plain links, and screen readers still get the entry as their description. The close button's
// label comes from the page (the script tag's data-strings: {close, fallback}), in the site's language;
// the preview opens under the link's start: its left edge, or its right edge on a page written
// right to left.
(function () {
  "use strict";
  var script = document.currentScript, words = {};
  try { words = JSON.parse((script && script.getAttribute("data-strings")) || "{}"); } catch (e) { words = {}; }
  var source = script && (script.getAttribute("data-previews") ||
                          script.src.replace(/previews\.js(\?.*)?$/, "previews.json"));
  var box = document.createElement("div");
  box.className = "term-preview";
  box.id = "term-preview";
  box.hidden = true;
  var text = document.createElement("div");
  text.id = "term-preview-text";
  var close = document.createElement("button");
  close.type = "button";
  close.className = "preview-close";
  if (words.close) close.setAttribute("aria-label", words.close);
  close.textContent = "×";
  close.addEventListener("click", function () {
    var link = current;
    hide();
    if (link) link.focus();
  });
  box.appendChild(text);
  box.appendChild(close);
  document.body.appendChild(box);
  var current = null, description = "", hideTimer = 0, showTimer = 0, lastPointer = "mouse";
  var summaries = null, loading = null;

  // Every term's summary (slug -> text), fetched once; a failed fetch is tried again next time.
  function load() {
    if (summaries) return Promise.resolve(summaries);
    if (!source) return Promise.resolve({});
    if (!loading) {
      loading = fetch(source).then(function (response) {
        if (!response.ok) throw new Error("HTTP " + response.status);
        return response.json();
      }).then(function (data) {
        summaries = data && typeof data === "object" ? data : {};
        return summaries;
      }, function () {
        loading = null;
        return {};
      });
    }
    return loading;
  }

  function entryOf(link) {
    return document.getElementById("term-tip-" + link.getAttribute("data-term"));
  }

  function linkOf(node) {
    var link = node && node.closest ? node.closest("a.term-link[data-term][aria-describedby]") : null;
    return link && entryOf(link) ? link : null;
  }

  function show(link) {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    if (current === link && !box.hidden) return;
    release();
    var slug = link.getAttribute("data-term"), entry = entryOf(link);
    var anchor = entry.querySelector("a"), title = anchor ? anchor.cloneNode(true) : document.createElement("span");
    if (!anchor) title.textContent = entry.textContent; // a site's own entry without a link
    title.className = "tip-title";
    var meta = document.createElement("span");
    meta.className = "tip-meta";
    Array.prototype.forEach.call(entry.querySelectorAll(".depth, .category"), function (part, i) {
      if (i) meta.appendChild(document.createTextNode(" "));
      meta.appendChild(part.cloneNode(true));
    });
    var summary = document.createElement("span");
    summary.className = "tip-summary";
    text.textContent = "";
    [title, " ", meta, " ", summary].forEach(function (part) {
      text.appendChild(typeof part === "string" ? document.createTextNode(part) : part);
    });
    current = link;
    description = link.getAttribute("aria-describedby");
    link.setAttribute("aria-describedby", text.id);
    link.setAttribute("aria-expanded", "true");
    box.hidden = false;
    place(link);
    load().then(function (data) {
      if (current !== link) return;
      var value = Object.prototype.hasOwnProperty.call(data, slug) ? data[slug] : "";
      // A term not translated yet is {summary, fallback: its language}: the summary is in that
      // language, so it says so, and is marked for screen readers to read it as such.
      if (value && typeof value === "object") {
        summary.textContent = String(value.summary || "");
        summary.setAttribute("lang", String(value.fallback || ""));
        var note = document.createElement("span");
        note.className = "tip-fallback";
        note.setAttribute("lang", document.documentElement.lang);
        note.textContent = words.fallback ? " (" + words.fallback + ")" : "";
        summary.appendChild(note);
      } else {
        summary.textContent = String(value);
      }
      place(link);
    });
  }

  // Below the link when it fits, else above: never over the link itself. Lined up with the
  // link's start (its right edge in a right-to-left page), kept inside the viewport.
  function place(link) {
    var r = link.getBoundingClientRect(), w = box.offsetWidth, h = box.offsetHeight;
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    var top = r.bottom + 8 + h <= vh || r.top - 8 - h < 0 ? r.bottom + 8 : r.top - 8 - h;
    var rtl = getComputedStyle(link).direction === "rtl";
    var left = Math.max(8, Math.min(rtl ? r.right - w : r.left, vw - w - 8));
    box.style.top = top + window.scrollY + "px";
    box.style.left = left + window.scrollX + "px";
  }

  // The link the preview was open for gets its own description back.
  function release() {
    if (!current) return;
    current.removeAttribute("aria-expanded");
    current.setAttribute("aria-describedby", description);
    current = null;
  }

  function hide() {
    clearTimeout(showTimer);
    release();
    box.hidden = true;
  }

  function hideSoon() {
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, 250);
  }

  document.addEventListener("pointerdown", function (e) {
    lastPointer = e.pointerType || "mouse";
    if (!box.hidden && !box.contains(e.target) && !linkOf(e.target)) hide();
  }, true);
  document.addEventListener("mouseover", function (e) {
    if (lastPointer === "touch") return;
    var link = linkOf(e.target);
    if (link) {
      clearTimeout(hideTimer);
      clearTimeout(showTimer);
      load(); // while the pointer rests: the summaries are usually there when the preview opens
      showTimer = setTimeout(function () { show(link); }, 120);
    } else if (box.contains(e.target)) {
      clearTimeout(hideTimer);
    }
  });
  document.addEventListener("mouseout", function (e) {
    if (lastPointer === "touch") return;
    if (linkOf(e.target) || box.contains(e.target)) {
      clearTimeout(showTimer);
      if (!current || document.activeElement !== current) hideSoon();
    }
  });
  document.addEventListener("keydown", function () { lastPointer = "keyboard"; }, true);
  document.addEventListener("focusin", function (e) {
    var link = linkOf(e.target);
    if (link && lastPointer === "touch") return; // a tap focuses the link too: the click decides
    if (link) show(link);
    else if (!box.contains(e.target) && !box.hidden) hide();
  });
  document.addEventListener("click", function (e) {
    var link = linkOf(e.target);
    // First tap previews, second tap (on the previewed link) follows it.
    if (link && lastPointer === "touch" && (current !== link || box.hidden)) {
      e.preventDefault();
      show(link);
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && !box.hidden) {
      var link = current;
      hide();
      if (link && box.contains(document.activeElement)) link.focus();
    }
  });
  window.addEventListener("resize", function () { if (current) place(current); });
})();
