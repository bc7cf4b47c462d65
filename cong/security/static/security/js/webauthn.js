/* WebAuthn security keys in the admin (no inline script: the admin's CSP
   refuses it). A form marked data-cong-webauthn="register" or "authenticate"
   asks the server for options, lets the browser talk to the key, and sends
   the answer back as JSON (base64url fields, as py_webauthn reads them). */
(function () {
  "use strict";
  function b64urlToBytes(value) {
    var s = value.replace(/-/g, "+").replace(/_/g, "/");
    while (s.length % 4) { s += "="; }
    var bin = atob(s), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }
  function bytesToB64url(buffer) {
    var bytes = new Uint8Array(buffer), bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function csrf(form) {
    var el = form.querySelector("input[name=csrfmiddlewaretoken]");
    return el ? el.value : "";
  }
  function showError(form, text) {
    var el = form.querySelector("[data-cong-webauthn-error]");
    if (el) { el.textContent = text; el.hidden = false; }
  }
  function post(form, url, body, json) {
    var headers = { "X-CSRFToken": csrf(form) };
    if (json) { headers["Content-Type"] = "application/json"; }
    return fetch(url, { method: "POST", credentials: "same-origin", headers: headers, body: body })
      .then(function (r) {
        return r.json().then(function (data) {
          if (!r.ok) { throw new Error(data.error || r.statusText); }
          return data;
        });
      });
  }
  function creationOptions(o) {
    o.challenge = b64urlToBytes(o.challenge);
    o.user.id = b64urlToBytes(o.user.id);
    (o.excludeCredentials || []).forEach(function (c) { c.id = b64urlToBytes(c.id); });
    return o;
  }
  function requestOptions(o) {
    o.challenge = b64urlToBytes(o.challenge);
    (o.allowCredentials || []).forEach(function (c) { c.id = b64urlToBytes(c.id); });
    return o;
  }
  function registrationJSON(cred) {
    var r = cred.response;
    return {
      id: cred.id, rawId: bytesToB64url(cred.rawId), type: cred.type,
      response: {
        clientDataJSON: bytesToB64url(r.clientDataJSON),
        attestationObject: bytesToB64url(r.attestationObject),
        transports: r.getTransports ? r.getTransports() : []
      },
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}
    };
  }
  function authenticationJSON(cred) {
    var r = cred.response;
    return {
      id: cred.id, rawId: bytesToB64url(cred.rawId), type: cred.type,
      response: {
        clientDataJSON: bytesToB64url(r.clientDataJSON),
        authenticatorData: bytesToB64url(r.authenticatorData),
        signature: bytesToB64url(r.signature),
        userHandle: r.userHandle ? bytesToB64url(r.userHandle) : null
      },
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {}
    };
  }
  function run(form, event) {
    event.preventDefault();
    if (!window.PublicKeyCredential) {
      showError(form, form.getAttribute("data-unsupported") || "WebAuthn?");
      return;
    }
    var mode = form.getAttribute("data-cong-webauthn");
    var data = new FormData(form);
    post(form, form.getAttribute("data-options-url"), data, false)
      .then(function (options) {
        if (mode === "register") {
          return navigator.credentials.create({ publicKey: creationOptions(options) })
            .then(function (cred) { return registrationJSON(cred); });
        }
        return navigator.credentials.get({ publicKey: requestOptions(options) })
          .then(function (cred) { return authenticationJSON(cred); });
      })
      .then(function (answer) {
        return post(form, form.getAttribute("data-finish-url"), JSON.stringify(answer), true);
      })
      .then(function (result) { window.location.assign(result.redirect); })
      .catch(function (err) { showError(form, err.message || String(err)); });
  }
  function init() {
    document.querySelectorAll("form[data-cong-webauthn]").forEach(function (form) {
      form.addEventListener("submit", function (event) { run(form, event); });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
