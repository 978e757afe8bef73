// Term previews: hover, keyboard focus or a first tap on a term link shows the term's title,
// depth, category and summary; a second tap follows the link; Escape or the close button
// dismisses it. Nothing is fetched: each link's aria-describedby names the page's own
// "Terms in this article" entry, and the preview shows a copy of it. Without this script
// the links are plain links and screen readers still get the description.
(function () {
  "use strict";
  var box = document.createElement("div");
  box.className = "term-preview";
  box.id = "term-preview";
  box.hidden = true;
  document.body.appendChild(box);
  var current = null, hideTimer = 0, showTimer = 0, lastPointer = "mouse";

  function linkOf(node) {
    var link = node && node.closest ? node.closest("a.term-link[aria-describedby]") : null;
    return link && document.getElementById(link.getAttribute("aria-describedby")) ? link : null;
  }

  function show(link) {
    clearTimeout(hideTimer);
    clearTimeout(showTimer);
    if (current === link && !box.hidden) return;
    var source = document.getElementById(link.getAttribute("aria-describedby"));
    box.innerHTML = source.innerHTML;
    var close = document.createElement("button");
    close.type = "button";
    close.className = "preview-close";
    close.setAttribute("aria-label", "Close preview");
    close.textContent = "×";
    close.addEventListener("click", function () { hide(); link.focus(); });
    box.appendChild(close);
    current = link;
    link.setAttribute("aria-expanded", "true");
    box.hidden = false;
    place(link);
  }

  // Below the link when it fits, else above: never over the link itself.
  function place(link) {
    var r = link.getBoundingClientRect(), w = box.offsetWidth, h = box.offsetHeight;
    var vw = document.documentElement.clientWidth, vh = window.innerHeight;
    var top = r.bottom + 8 + h <= vh || r.top - 8 - h < 0 ? r.bottom + 8 : r.top - 8 - h;
    var left = Math.max(8, Math.min(r.left, vw - w - 8));
    box.style.top = top + window.scrollY + "px";
    box.style.left = left + window.scrollX + "px";
  }

  function hide() {
    clearTimeout(showTimer);
    if (current) current.removeAttribute("aria-expanded");
    box.hidden = true;
    current = null;
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
