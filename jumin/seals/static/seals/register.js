/* The seal registration form (seals/register.html): only the fieldsets of the chosen route are shown, and the
   button says what it does. A static file so the Content-Security-Policy can forbid inline scripts. */
(function () {
  var form = document.getElementById("register-form");
  var button = document.getElementById("register-submit");
  function sync() {
    var checked = form.querySelector("input[name=route]:checked");
    var route = checked ? checked.value : "";
    form.querySelectorAll("fieldset[data-route]").forEach(function (fs) { fs.hidden = route && fs.dataset.route !== route; });
    button.firstChild.textContent = route === "inquiry" ? "照会書を発送 " : "登録 ";
  }
  form.querySelectorAll("input[name=route]").forEach(function (r) { r.addEventListener("change", sync); });
  sync();
})();
