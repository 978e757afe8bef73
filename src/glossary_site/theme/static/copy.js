// Adds a "Copy" button to each code block, in the strip style.css keeps free above its first line;
// the page reads fine without it.
document.querySelectorAll(".has-copy pre").forEach(function (pre) {
  var button = document.createElement("button");
  button.type = "button";
  button.className = "copy-button";
  button.textContent = "Copy";
  button.setAttribute("aria-label", "Copy code to clipboard");
  button.addEventListener("click", function () {
    navigator.clipboard.writeText((pre.querySelector("code") || pre).innerText).then(function () {
      button.textContent = "Copied";
      setTimeout(function () { button.textContent = "Copy"; }, 1500);
    });
  });
  pre.classList.add("with-copy"); // the strip is made only where there is a button (not without JavaScript)
  pre.appendChild(button);
});
