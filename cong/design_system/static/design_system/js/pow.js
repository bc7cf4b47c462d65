/* Proof of work for public forms (ALTCHA protocol, SHA-256), self-hosted.
   A form opts in with data-pow-url="/-/pow/"; the script fetches a signed
   challenge, finds the number whose hash matches, and puts the solution in
   the hidden input named "pow". The status is announced to screen readers. */
(function () {
  "use strict";
  if (!window.crypto || !window.crypto.subtle || !window.TextEncoder) { return; }
  var enc = new TextEncoder();
  function hex(buf) {
    var b = new Uint8Array(buf), s = "";
    for (var i = 0; i < b.length; i++) { s += ("0" + b[i].toString(16)).slice(-2); }
    return s;
  }
  function solve(ch) {
    var n = 0, batch = 500;
    return new Promise(function (resolve, reject) {
      function step() {
        var jobs = [];
        for (var i = 0; i < batch && n + i <= ch.maxNumber; i++) {
          jobs.push(crypto.subtle.digest("SHA-256", enc.encode(ch.salt + (n + i))));
        }
        Promise.all(jobs).then(function (hashes) {
          for (var j = 0; j < hashes.length; j++) {
            if (hex(hashes[j]) === ch.challenge) { resolve(n + j); return; }
          }
          n += hashes.length;
          if (n > ch.maxNumber) { reject(new Error("unsolved")); } else { setTimeout(step, 0); }
        }, reject);
      }
      step();
    });
  }
  function protect(form) {
    var input = form.querySelector('input[name="pow"]');
    var status = form.querySelector("[data-pow-status]");
    var submit = form.querySelector('[type="submit"]');
    if (!input) { return; }
    if (submit) { submit.disabled = true; }
    if (status) { status.textContent = status.getAttribute("data-pow-working") || ""; }
    fetch(form.getAttribute("data-pow-url"), { credentials: "same-origin" })
      .then(function (r) { return r.json(); })
      .then(function (ch) {
        return solve(ch).then(function (number) {
          input.value = btoa(JSON.stringify({
            algorithm: ch.algorithm, challenge: ch.challenge, number: number,
            salt: ch.salt, signature: ch.signature
          }));
          if (submit) { submit.disabled = false; }
          if (status) { status.textContent = status.getAttribute("data-pow-done") || ""; }
        });
      })
      .catch(function () {
        if (submit) { submit.disabled = false; }
        if (status) { status.textContent = status.getAttribute("data-pow-failed") || ""; }
      });
  }
  Array.prototype.forEach.call(document.querySelectorAll("form[data-pow-url]"), protect);
})();
