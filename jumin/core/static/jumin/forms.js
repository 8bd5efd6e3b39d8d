// The change forms' script (issue #15 item 10), loaded with <script src defer> from the change screens, the
// 確認画面 and the 受付票, so a Content-Security-Policy of script-src 'self' needs no inline script, no inline
// event handler and no eval (htmx's hx-vals="js:…" needs eval: the member row's number is added here instead).
// Every handler is delegated from `document` and bound once.
(function () {
  "use strict";
  if (window.juminForms) return;
  window.juminForms = true;

  // After a refusal, focus goes to the first input (in the page's order) that has a message; when no input
  // has one (a message about the form as a whole), to the error summary itself.
  function focusFirstError() {
    var summary = document.querySelector("[data-error-summary]");
    if (!summary) return;
    var first = document.querySelector("#change-form [aria-invalid='true'], main [aria-invalid='true']");
    (first || summary).focus();
  }

  // The items a family usually shares, copied from the person above by 「前の人と同じ」 (Alt+M).
  var SHARED = ["resident_type", "domicile_status", "domicile", "domicile_head"];

  function rowOf(el) { return el && el.closest ? el.closest("fieldset.member") : null; }

  function copyPrevious(row) {
    var rows = Array.prototype.slice.call(document.querySelectorAll("#members fieldset.member"));
    var i = rows.indexOf(row);
    if (i < 1) return;
    var from = rows[i - 1];
    SHARED.forEach(function (item) {
      var source = from.querySelector("[name$='." + item + "']");
      var target = row.querySelector("[name$='." + item + "']");
      if (source && target) target.value = source.value;
    });
    var status = row.querySelector("[data-copy-status]");
    if (status) status.textContent = "前の人の住民種別・本籍・筆頭者を写しました。";
  }

  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-copy-previous]");
    if (button) { e.preventDefault(); copyPrevious(rowOf(button)); }
    // <button data-print> (受付票): counter.js prints when the page has it; printing twice must not happen.
    var print = !window.juminCounter && e.target.closest && e.target.closest("[data-print]");
    if (print) { e.preventDefault(); window.print(); }
  });

  document.addEventListener("keydown", function (e) {
    if (!e.altKey || e.ctrlKey || e.metaKey || (e.key || "").toLowerCase() !== "m") return;
    var row = rowOf(document.activeElement);
    if (!row) {                                   // outside every row: the last person keyed in
      var rows = document.querySelectorAll("#members fieldset.member");
      row = rows.length ? rows[rows.length - 1] : null;
    }
    if (!row) return;
    e.preventDefault();
    copyPrevious(row);
  });

  // 異動者を追加: the new row's number, and the 住民種別 of the person above preselected.
  document.addEventListener("htmx:configRequest", function (e) {
    var elt = e.detail && e.detail.elt;
    if (!elt || !elt.matches || !elt.matches("[data-member-add]")) return;
    var rows = document.querySelectorAll("#members fieldset.member");
    e.detail.parameters.i = rows.length;
    var last = rows.length ? rows[rows.length - 1].querySelector("[name$='.resident_type']") : null;
    if (last && last.value) e.detail.parameters.resident_type = last.value;
  });

  // 郵便番号 → 住所: the lookup answers with a hidden marker; the address is filled only while still empty
  // (the clerk may already be typing in it).
  document.addEventListener("htmx:afterSettle", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-fill-target]"), function (marker) {
      var input = document.getElementById(marker.getAttribute("data-fill-target"));
      if (input && !input.value) input.value = marker.getAttribute("data-fill-value") || "";
      marker.removeAttribute("data-fill-target");
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", focusFirstError);
  } else {
    focusFirstError();
  }
})();
