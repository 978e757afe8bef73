// Depth filter on the glossary: the links go to the depth pages (which work without
// JavaScript); with it, a click filters this page in place instead. What it announces comes
// from the page, in the site's language: the nav's data-strings holds {all, depth} ("{depth}"
// is filled with the link's text).
(function () {
  "use strict";
  var nav = document.querySelector(".depth-filter");
  if (!nav) return;
  var words = {};
  try { words = JSON.parse(nav.getAttribute("data-strings") || "{}"); } catch (e) { words = {}; }
  nav.addEventListener("click", function (e) {
    var link = e.target.closest("a[data-depth]");
    if (!link) return;
    e.preventDefault();
    var depth = link.getAttribute("data-depth");
    nav.querySelectorAll("a[data-depth]").forEach(function (a) {
      if (a === link) a.setAttribute("aria-current", "true"); else a.removeAttribute("aria-current");
    });
    document.querySelectorAll(".term-entry[data-depth]").forEach(function (li) {
      li.hidden = depth !== "" && li.getAttribute("data-depth") !== depth;
    });
    document.querySelectorAll("section.term-group").forEach(function (section) {
      section.hidden = !section.querySelector(".term-entry:not([hidden])");
    });
    var status = document.getElementById("filter-status");
    var name = link.textContent.trim();
    if (status) status.textContent = depth ? (words.depth || "{depth}").replace("{depth}", function () { return name; }) : (words.all || "");
  });
})();
