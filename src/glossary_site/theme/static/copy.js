// Adds a "Copy" button to each code block, in the strip style.css keeps free above its first line
// (at the end of the line: the right in a left-to-right page, the left in a right-to-left one);
// the page reads fine without it. Its words come from the page, in the site's language: the
// script tag's data-strings holds {copy, copied, label}; a page that gives none gets no buttons.
(function () {
  "use strict";
  var script = document.currentScript, words = {};
  try { words = JSON.parse((script && script.getAttribute("data-strings")) || "{}"); } catch (e) { words = {}; }
  if (!words.copy) return;
  document.querySelectorAll(".has-copy pre").forEach(function (pre) {
    var button = document.createElement("button");
    button.type = "button";
    button.className = "copy-button";
    button.textContent = words.copy;
    button.setAttribute("aria-label", words.label || words.copy);
    button.addEventListener("click", function () {
      navigator.clipboard.writeText((pre.querySelector("code") || pre).innerText).then(function () {
        button.textContent = words.copied || words.copy;
        setTimeout(function () { button.textContent = words.copy; }, 1500);
      });
    });
    pre.classList.add("with-copy"); // the strip is made only where there is a button (not without JavaScript)
    pre.appendChild(button);
  });
})();
