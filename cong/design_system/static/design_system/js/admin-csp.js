/* Wagtail's admin initialises a few widgets with inline scripts, which the
   Content-Security-Policy of Cổng refuses. Our template overrides leave data
   markers instead; this script (loaded on every admin page) does the same
   initialisation, for the page and for whatever is added to it later. */
(function () {
  "use strict";
  function initWidget(el) {
    var fn = window[el.getAttribute("data-cong-init")];
    if (typeof fn !== "function") { return false; }
    el.removeAttribute("data-cong-init");
    var config = {};
    try { config = JSON.parse(el.getAttribute("data-cong-config") || "{}"); } catch (e) { config = {}; }
    fn(el.getAttribute("data-cong-target"), config);
    return true;
  }
  function initPanel(el) {
    var Cls = window[el.getAttribute("data-cong-panel")];
    if (typeof Cls !== "function") { return false; }
    el.removeAttribute("data-cong-panel");
    /* eslint-disable-next-line no-new */
    new Cls(JSON.parse(el.getAttribute("data-cong-options") || "{}"));
    return true;
  }
  function resolve(path) {
    return path.split(".").reduce(function (obj, key) { return obj ? obj[key] : undefined; }, window);
  }
  function initChooser(el) {
    var Cls = resolve(el.getAttribute("data-cong-chooser"));
    if (typeof Cls !== "function") { return false; }
    el.removeAttribute("data-cong-chooser");
    /* eslint-disable-next-line no-new */
    new Cls(el.getAttribute("data-cong-target"), JSON.parse(el.getAttribute("data-cong-options") || "{}"));
    return true;
  }
  function scan(root) {
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-cong-chooser]"), initChooser);
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-cong-init]"), initWidget);
    Array.prototype.forEach.call((root || document).querySelectorAll("[data-cong-panel]"), initPanel);
  }
  function start() {
    scan(document);
    new MutationObserver(function (records) {
      records.forEach(function (r) {
        Array.prototype.forEach.call(r.addedNodes, function (n) {
          if (n.nodeType === 1) { scan(n.parentNode || n); }
        });
      });
    }).observe(document.body, { childList: true, subtree: true });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
