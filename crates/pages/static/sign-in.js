// The sign-in page: sends the form to the session API as JSON (the sign-in
// itself needs no CSRF token; the second step sends the session's token in
// X-CSRF-Token), then asks for the code of the second factor, then goes to
// the start page. The texts come from the form's data attributes.
"use strict";
(function () {
  var form = document.getElementById("sign-in-form");
  var totp = document.getElementById("totp-form");
  var error = document.getElementById("sign-in-error");
  if (!form || !totp || !error) return;
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
    } else {
      show(form.dataset.enrol);
    }
  }

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
