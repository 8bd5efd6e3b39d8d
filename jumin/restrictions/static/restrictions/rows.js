/* The 支援措置 form's "add a person" buttons (restrictions/protection_new.html): the new row's index is the number
   of rows already there. Was hx-vals='js:…', which htmx evaluates with eval — forbidden by the CSP (no
   'unsafe-eval'), so every added row came back as row 1. */
document.addEventListener("htmx:configRequest", function (e) {
  var list = e.detail.elt && e.detail.elt.getAttribute && e.detail.elt.getAttribute("data-row-list");
  if (list) e.detail.parameters.i = document.querySelectorAll(list + " fieldset.member").length;
});
