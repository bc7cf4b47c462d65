/* Progressive enhancement only: every page works without this file. */
(function () {
  "use strict";
  document.documentElement.classList.add("js");
  var toggle = document.querySelector(".main-nav__toggle");
  var list = document.getElementById("main-nav-list");
  if (toggle && list && window.matchMedia("(max-width: 48rem)").matches) {
    toggle.hidden = false;
    list.setAttribute("data-collapsed", "true");
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") === "true";
      toggle.setAttribute("aria-expanded", String(!open));
      list.setAttribute("data-collapsed", String(open));
    });
  }
  // External videos load only when the reader asks (privacy, data cost).
  Array.prototype.forEach.call(document.querySelectorAll(".js-embed"), function (b) {
    var box = b.closest(".video-embed");
    var src = box && box.getAttribute("data-embed-src");
    if (!src) { return; }
    b.hidden = false;
    b.addEventListener("click", function () {
      var frame = document.createElement("iframe");
      frame.src = src;
      frame.title = box.getAttribute("data-embed-title") || "Video";
      frame.allow = "autoplay; encrypted-media; picture-in-picture";
      frame.setAttribute("allowfullscreen", "");
      box.innerHTML = "";
      box.appendChild(frame);
      frame.focus();
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".js-print"), function (b) {
    b.hidden = false;
    b.addEventListener("click", function () { window.print(); });
  });
})();
