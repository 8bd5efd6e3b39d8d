// The EUC wizard's script (issue #16 item 4), loaded with <script src defer> by the EUC screens only: a
// Content-Security-Policy of script-src 'self' needs no inline script. Everything here only helps: every
// step also works by plain form posts (the server is the wizard's state). Handlers are delegated from
// `document` and bound once; the access keys (Alt+T 次へ, Alt+B 戻る, Alt+A 追加, Alt+F 絞り込み, Alt+J
// 条件を追加, Alt+O 出力, Alt+L ダウンロード) are handled by the screens' counter.js.
(function () {
  "use strict";
  if (window.juminEuc) return;
  window.juminEuc = true;
  document.documentElement.classList.add("js");

  function all(selector, root) { return Array.prototype.slice.call((root || document).querySelectorAll(selector)); }

  function normal(text) {
    // full-width → half-width (NFKC), katakana → hiragana, lower case, no spaces: 「ジュウショ」 finds 住所 by its key too
    return (text || "").normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0x60);
    }).replace(/\s+/g, "");
  }

  // 手順1: show the 期間 only for the kinds that need one, the 除票 box only for 基準日時点の住民. A part that
  // holds a message stays shown.
  function datasetParts() {
    var chosen = document.querySelector("input[name=dataset]:checked");
    if (!chosen) return;
    var needs = (chosen.getAttribute("data-needs") || "").split(" ");
    show("[data-part=period]", needs.indexOf("period") >= 0);
    show("[data-part=removed_as_of]", chosen.value === "residents_as_of");
  }

  function show(selector, on) {
    all(selector).forEach(function (el) {
      el.hidden = !on && !el.querySelector(".field-error");
    });
  }

  // 手順4: the 集計 items only when 件数を集計する is chosen.
  function modeParts() {
    var mode = document.querySelector("input[name=mode]:checked");
    if (mode) show("[data-part=count]", mode.value === "count");
  }

  // 手順2: the filter narrows the item list by Japanese name (or code name); Enter adds the best item left —
  // the one named exactly what was typed, else the first that starts with it, else the first that contains it
  // (typing 住所 adds 住所, not 住所を定めた年月日). A group with nothing left is hidden.
  function nameOf(li) { return normal(li.querySelector("label").textContent.replace(/（.*$/, "")); }

  function filterItems(input) {
    var picker = input.closest("[data-item-picker]");
    var typed = normal(input.value);
    var shown = 0;
    all("[data-pick]", picker).forEach(function (li) {
      var box = li.querySelector("input");
      var hay = normal(li.textContent + " " + (box.getAttribute("data-keys") || ""));
      var keep = !typed || hay.indexOf(typed) >= 0;
      li.hidden = !keep;
      li.classList.remove("best");
      if (keep) shown += 1;
    });
    all("fieldset.pick", picker).forEach(function (set) {
      set.hidden = !all("[data-pick]", set).some(function (li) { return !li.hidden; });
    });
    var best = typed ? bestPick(picker, typed) : null;
    if (best) best.classList.add("best");
    var status = picker.querySelector("[data-filter-status]");
    if (status) {
      status.textContent = !typed ? "" : "「" + input.value + "」を含む項目: " + shown + "件" +
        (best ? "。Enter で「" + best.querySelector("label").textContent.trim() + "」を追加します。" : "");
    }
    var none = picker.querySelector("[data-filter-none]");
    if (none) none.hidden = !(typed && shown === 0);
  }

  function bestPick(picker, typed) {
    var left = all("[data-pick]", picker).filter(function (li) { return !li.hidden; });
    var exact = left.filter(function (li) { return nameOf(li) === typed; })[0];
    var starts = left.filter(function (li) { return nameOf(li).indexOf(typed) === 0; })[0];
    return exact || starts || left[0] || null;
  }

  function visiblePicks(picker) {
    return all("[data-pick]", picker).filter(function (li) { return !li.hidden; }).map(function (li) {
      return li.querySelector("input");
    });
  }

  function addFirst(input) {
    var picker = input.closest("[data-item-picker]");
    var boxes = visiblePicks(picker);
    if (!boxes.length) return;
    var anyChecked = boxes.some(function (b) { return b.checked; });
    if (!anyChecked) {
      var best = bestPick(picker, normal(input.value));
      (best ? best.querySelector("input") : boxes[0]).checked = true;
    }
    var add = picker.querySelector("button[value=add]");
    if (add) add.click();
  }

  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-item-filter]")) filterItems(e.target);
  });

  document.addEventListener("change", function (e) {
    if (!e.target.matches) return;
    if (e.target.matches("input[name=dataset]")) datasetParts();
    if (e.target.matches("input[name=mode]")) modeParts();
  });

  document.addEventListener("keydown", function (e) {
    var t = e.target;
    if (!t.matches || e.altKey || e.ctrlKey || e.metaKey) return;
    if (t.matches("[data-item-filter]")) {
      if (e.key === "Enter" && !e.isComposing) { e.preventDefault(); addFirst(t); }
      if (e.key === "ArrowDown") {
        var first = visiblePicks(t.closest("[data-item-picker]"))[0];
        if (first) { e.preventDefault(); first.focus(); }
      }
      return;
    }
    // ↑↓ move between the visible items of the list; ↑ from the first goes back to the filter
    if (t.matches("[data-pick] input") && (e.key === "ArrowDown" || e.key === "ArrowUp")) {
      var picker = t.closest("[data-item-picker]");
      var boxes = visiblePicks(picker);
      var i = boxes.indexOf(t) + (e.key === "ArrowDown" ? 1 : -1);
      e.preventDefault();
      if (i < 0) { picker.querySelector("[data-item-filter]").focus(); } else if (i < boxes.length) { boxes[i].focus(); }
      return;
    }
    // Enter on an item's checkbox adds the ticked items (not 次へ)
    if (t.matches("[data-pick] input") && e.key === "Enter") {
      e.preventDefault();
      if (!t.checked) t.checked = true;
      var add = t.closest("[data-item-picker]").querySelector("button[value=add]");
      if (add) add.click();
    }
  });

  // After a round trip the focus goes back where the clerk was (the moved item's button, the new row's item);
  // after a refusal, to the first input with a message, else to the message itself.
  function placeFocus() {
    var form = document.getElementById("wizard");
    var wanted = form && form.getAttribute("data-focus");
    var el = wanted && document.getElementById(wanted);
    if (el && el.disabled) el = el.parentNode.querySelector("button:not([disabled])");
    if (!el) {
      var summary = document.querySelector("[data-error-summary]");
      if (summary) el = document.querySelector("main [aria-invalid='true']") || summary;
    }
    if (el) el.focus();
  }

  function settle() { datasetParts(); modeParts(); }

  document.addEventListener("htmx:afterSettle", settle);
  function start() { settle(); placeFocus(); }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
