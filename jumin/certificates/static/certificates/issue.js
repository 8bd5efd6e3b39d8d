/* The certificate request form (certificates/issue.html): layouts and subjects follow the kind, the fee follows
   kind, copies and requester, and a second press does not send a second request. A static file, not an inline
   script, so the Content-Security-Policy can forbid inline scripts (script-src 'self'). */
(function () {
  var form = document.getElementById("issue-form");
  var kinds = JSON.parse(document.getElementById("kinds-data").textContent);
  var fees = JSON.parse(document.getElementById("fees-data").textContent);
  var kind = document.getElementById("f-kind");
  var copies = document.getElementById("f-copies");
  var requester = document.getElementById("f-requester-kind");
  var requesterName = document.getElementById("f-requester-name");
  var exempt = document.getElementById("f-fee_exempt_reason");
  var personName = JSON.parse(document.getElementById("person-name").textContent);
  var noThirdParty = JSON.parse(document.getElementById("never-for-third-party").textContent);
  function info() { return kinds.filter(function (k) { return k.code === kind.value; })[0]; }
  function checkedLayout() { var r = form.querySelector("input[name=layout]:checked"); return r ? r.value : ""; }
  function syncSubjects() {
    var household = checkedLayout() === "household";
    form.querySelectorAll("input[name=subjects]").forEach(function (box) {
      box.checked = household || box.dataset.person === "1";
    });
  }
  function syncKind() {
    var k = info(), allowed = k ? k.layouts : ["household", "individual"], current = checkedLayout();
    form.querySelectorAll("input[name=layout]").forEach(function (radio) {
      var ok = allowed.indexOf(radio.value) >= 0;
      radio.disabled = !ok;
      radio.closest("label").hidden = !ok;
      if (!ok) radio.checked = false;
    });
    if (allowed.indexOf(current) < 0) {
      var first = form.querySelector("input[name=layout]:not([disabled])");
      if (first) { first.checked = true; syncSubjects(); }
    }
    document.getElementById("reissue-field").hidden = !(k && k.reissue);
    syncFee();
  }
  function syncFee() {
    var k = info(), n = parseInt(copies.value || "1", 10), out = document.getElementById("fee");
    if (!k || !(n >= 1)) { out.textContent = "—"; return; }
    var free = requester.value === form.dataset.official || exempt.value.trim() !== "";
    out.textContent = (free ? 0 : (fees[k.code] || 0) * n) + "円";
  }
  kind.addEventListener("change", syncKind);
  form.querySelectorAll("input[name=layout]").forEach(function (r) { r.addEventListener("change", syncSubjects); });
  [copies, exempt].forEach(function (el) { el.addEventListener("input", syncFee); });
  requester.addEventListener("change", function () {
    if (requester.value === "self" && !requesterName.value.trim()) requesterName.value = personName;
    else if (requester.value !== "self" && requesterName.value === personName) requesterName.value = "";
    if (requester.value === form.dataset.thirdParty) {   // never for a third party: untick rather than be refused
      noThirdParty.forEach(function (id) { var box = document.getElementById(id); if (box) box.checked = false; });
    }
    syncFee();
  });
  // One request, one issue: a second press while the first is on its way does nothing.
  form.addEventListener("submit", function (e) {
    if (form.dataset.sent) { e.preventDefault(); return; }
    form.dataset.sent = "1";
  });
  window.addEventListener("pageshow", function () { delete form.dataset.sent; });
  var invalid = !document.getElementById("alerts") && form.querySelector("[aria-invalid=true], .has-error input");
  if (invalid && invalid.focus) invalid.focus();
})();
