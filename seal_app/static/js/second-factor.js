/* Passkeys (WebAuthn) for forms marked data-passkey="register" or "authenticate", and the
   print button of the recovery codes. Without JavaScript these stay hidden: the app's codes
   work without it. The server gives the ceremony's options in data-passkey-options and reads
   the browser's answer from the form's hidden "credential" field. */
(function () {
  "use strict";

  function toBytes(text) {
    var base64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (base64.length % 4) base64 += "=";
    var binary = atob(base64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes.buffer;
  }

  function toText(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function withBytes(options) {
    options.challenge = toBytes(options.challenge);
    if (options.user) options.user.id = toBytes(options.user.id);
    ["excludeCredentials", "allowCredentials"].forEach(function (key) {
      (options[key] || []).forEach(function (item) { item.id = toBytes(item.id); });
    });
    return options;
  }

  function asJSON(credential) {
    var response = credential.response;
    var answer = {
      id: credential.id,
      rawId: toText(credential.rawId),
      type: credential.type,
      authenticatorAttachment: credential.authenticatorAttachment || null,
      clientExtensionResults: credential.getClientExtensionResults(),
      response: { clientDataJSON: toText(response.clientDataJSON) }
    };
    if (response.attestationObject) {
      answer.response.attestationObject = toText(response.attestationObject);
      answer.response.transports = response.getTransports ? response.getTransports() : [];
    } else {
      answer.response.authenticatorData = toText(response.authenticatorData);
      answer.response.signature = toText(response.signature);
      answer.response.userHandle = response.userHandle ? toText(response.userHandle) : null;
    }
    return answer;
  }

  function ceremony(form) {
    var options = withBytes(JSON.parse(form.dataset.passkeyOptions));
    if (form.dataset.passkey === "register") {
      return navigator.credentials.create({ publicKey: options });
    }
    return navigator.credentials.get({ publicKey: options });
  }

  function setUpPasskeys() {
    if (!window.PublicKeyCredential || !navigator.credentials) return;
    document.querySelectorAll("[data-passkey-section]").forEach(function (element) {
      element.hidden = false;
    });
    document.querySelectorAll("form[data-passkey]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        var name = form.querySelector("input[name='name']");
        if (name && !name.value.trim()) return; // the server says what is missing
        event.preventDefault();
        var error = form.querySelector("[data-passkey-error]");
        if (error) error.hidden = true;
        ceremony(form).then(function (credential) {
          form.querySelector("input[name='credential']").value = JSON.stringify(asJSON(credential));
          form.submit();
        }).catch(function () {
          if (error) error.hidden = false;
        });
      });
    });
  }

  function setUpPrinting() {
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () { window.print(); });
    });
  }

  setUpPasskeys();
  setUpPrinting();
})();
