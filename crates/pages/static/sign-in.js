// The sign-in page: sends the form to the session API as JSON (the sign-in
// itself needs no CSRF token; the next steps send the session's token in
// X-CSRF-Token), then asks for the code of the second factor — or, for an
// account without one, enrols an authenticator app (QR code and key, a first
// code, then the recovery codes shown once) — then goes to the start page.
// The texts come from the page.
"use strict";
(function () {
  var form = document.getElementById("sign-in-form");
  var totp = document.getElementById("totp-form");
  var error = document.getElementById("sign-in-error");
  var enrolStep = document.getElementById("enrol-step");
  var enrolForm = document.getElementById("enrol-form");
  var recoveryStep = document.getElementById("recovery-step");
  if (!form || !totp || !error || !enrolStep || !enrolForm || !recoveryStep) return;
  var csrf = null;

  function show(text) {
    error.querySelector(".alert-text").textContent = text;
    error.hidden = false;
  }

  function post(url, body, headers) {
    headers = headers || {};
    headers["content-type"] = "application/json";
    return fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: headers,
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (json) {
        return { status: response.status, body: json };
      });
    });
  }

  function answered(answer, failed) {
    if (answer.status === 429) return show(form.dataset.tooMany);
    if (answer.status !== 200) return show(failed);
    if (answer.body.csrf_token) csrf = answer.body.csrf_token;
    if (answer.body.signed_in) {
      window.location.assign("/");
    } else if (answer.body.second_factor === "totp_required") {
      error.hidden = true;
      form.hidden = true;
      totp.hidden = false;
      document.getElementById("code").focus();
    } else if (answer.body.second_factor === "enrolment_required") {
      enrol();
    } else {
      show(form.dataset.enrol);
    }
  }

  // The account has no app yet: a new secret, shown as a QR code and as text.
  function enrol() {
    post("/api/v1/session/totp/enrol", {}, { "x-csrf-token": csrf || "" }).then(function (answer) {
      if (answer.status !== 200) return show(form.dataset.enrol);
      var svg = new DOMParser().parseFromString(answer.body.qr_svg || "", "image/svg+xml").documentElement;
      var qr = document.getElementById("enrol-qr");
      if (svg && svg.nodeName === "svg") qr.replaceChildren(document.importNode(svg, true));
      document.getElementById("enrol-secret").textContent = answer.body.secret.replace(/(.{4})/g, "$1 ").trim();
      error.hidden = true;
      form.hidden = true;
      enrolStep.hidden = false;
      document.getElementById("enrol-heading").focus();
    }, function () { show(form.dataset.enrol); });
  }

  enrolForm.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = enrolForm.elements.code.value.replace(/\s+/g, "");
    post("/api/v1/session/totp/confirm", { code: code }, { "x-csrf-token": csrf || "" }).then(function (answer) {
      if (answer.status !== 200) return show(form.dataset.totpFailed);
      var list = document.getElementById("recovery-codes");
      list.replaceChildren();
      (answer.body.recovery_codes || []).forEach(function (c) {
        var item = document.createElement("li");
        item.textContent = c;
        list.appendChild(item);
      });
      error.hidden = true;
      enrolStep.hidden = true;
      recoveryStep.hidden = false;
      document.getElementById("recovery-heading").focus();
    }, function () { show(form.dataset.totpFailed); });
  });

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    post("/api/v1/session", {
      username: form.elements.username.value,
      password: form.elements.password.value
    }).then(function (answer) { answered(answer, form.dataset.failed); },
            function () { show(form.dataset.failed); });
  });

  totp.addEventListener("submit", function (event) {
    event.preventDefault();
    var code = totp.elements.code.value.replace(/\s+/g, "");
    var body = /^[0-9]{6}$/.test(code) ? { code: code } : { recovery_code: code };
    post("/api/v1/session/totp", body, { "x-csrf-token": csrf || "" })
      .then(function (answer) { answered(answer, form.dataset.totpFailed); },
            function () { show(form.dataset.totpFailed); });
  });
})();
