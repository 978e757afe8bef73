// Depth filter on the glossary: the links go to the depth pages (which work without
// JavaScript); with it, a click filters this page in place instead.
(function () {
  "use strict";
  var nav = document.querySelector(".depth-filter");
  if (!nav) return;
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
    if (status) status.textContent = depth ? "Showing " + depth + " terms" : "Showing all terms";
  });
})();
