/* Cổng first-party analytics: no cookie, no storage, honours Do Not Track. */
(function () {
  var d = document, w = window, n = navigator, E = "/-/a/e";
  var c = d.querySelector("[data-cong-counter]");
  if (c && w.fetch) {
    fetch("/-/a/dem.json", { credentials: "omit" }).then(function (r) { return r.json(); }).then(function (j) {
      ["online", "today", "total"].forEach(function (k) {
        var e = c.querySelector('[data-k="' + k + '"]');
        if (e && j[k + "_text"] != null) e.textContent = j[k + "_text"];
      });
    }).catch(function () {});
  }
  if (n.doNotTrack == "1" || w.doNotTrack == "1" || n.webdriver || !w.crypto) return;
  var a = new Uint8Array(8);
  w.crypto.getRandomValues(a);
  var id = Array.prototype.map.call(a, function (b) { return (b + 256).toString(16).slice(1); }).join("");
  function send(o) {
    o.id = id;
    var s = JSON.stringify(o);
    if (!(n.sendBeacon && n.sendBeacon(E, s)) && w.fetch) {
      fetch(E, { method: "POST", body: s, keepalive: true }).catch(function () {});
    }
  }
  send({ t: "p", u: location.href, r: d.referrer });
  var ms = 0, since = d.visibilityState == "visible" ? Date.now() : 0, sent = 0;
  function beat() {
    if (since) { var now = Date.now(); ms += now - since; since = now; }
    var e = Math.round(ms / 1000);
    if (e > sent) { sent = e; send({ t: "h", e: e }); }
  }
  d.addEventListener("visibilitychange", function () {
    if (d.visibilityState == "visible") { since = Date.now(); } else { beat(); since = 0; }
  });
  w.addEventListener("pagehide", beat);
  setInterval(function () { if (since) beat(); }, 15000);
})();
