import "server-only";

/** Where the device grant's passkey page loads its script from (served by lib/oidc/mount.ts). */
export const PASSKEY_SCRIPT_PATH = "/oidc/passkey.js";

/**
 * The device grant's passkey step in the browser (the interaction's only
 * script, same-origin under the page's CSP): asks the interaction for
 * options bound to it, has the browser ask for the passkey
 * (navigator.credentials.get), sends the assertion back and follows the
 * answer to the provider; a refusal is said in the page's status line.
 */
export const PASSKEY_SCRIPT = `"use strict";
(function () {
  var form = document.getElementById("passkey-form");
  var button = document.getElementById("passkey-approve");
  var status = document.getElementById("passkey-status");
  if (!form || !button || !status) return;
  var words = JSON.parse(form.getAttribute("data-words") || "{}");
  var url = form.getAttribute("action");
  function dec(s) {
    s = s.replace(/-/g, "+").replace(/_/g, "/");
    var bin = atob(s + "===".slice((s.length + 3) % 4));
    var out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out.buffer;
  }
  function enc(buf) {
    var bytes = new Uint8Array(buf), bin = "";
    for (var i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i]);
    return btoa(bin).replace(/\\+/g, "-").replace(/\\//g, "_").replace(/=+$/, "");
  }
  function send(body) {
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify(body),
    }).then(function (res) {
      return res.json().then(function (data) {
        if (!res.ok) throw new Error((data && data.error && data.error.message) || res.statusText);
        return data;
      });
    });
  }
  button.addEventListener("click", function () {
    button.disabled = true;
    status.textContent = words.working || "";
    send({})
      .then(function (o) {
        return navigator.credentials
          .get({
            publicKey: {
              challenge: dec(o.challenge),
              rpId: o.rpId,
              timeout: o.timeout,
              userVerification: o.userVerification,
              allowCredentials: (o.allowCredentials || []).map(function (c) {
                return { type: "public-key", id: dec(c.id), transports: c.transports };
              }),
            },
          })
          .catch(function () {
            throw new Error(words.cancelled || "");
          });
      })
      .then(function (cred) {
        var r = cred.response;
        return send({
          response: {
            id: cred.id,
            rawId: enc(cred.rawId),
            type: cred.type,
            clientExtensionResults: cred.getClientExtensionResults(),
            authenticatorAttachment: cred.authenticatorAttachment || undefined,
            response: {
              clientDataJSON: enc(r.clientDataJSON),
              authenticatorData: enc(r.authenticatorData),
              signature: enc(r.signature),
              userHandle: r.userHandle ? enc(r.userHandle) : undefined,
            },
          },
        });
      })
      .then(function (done) {
        window.location.assign(done.redirectTo);
      })
      .catch(function (error) {
        status.textContent = error.message;
        button.disabled = false;
      });
  });
})();
`;
