// The screens' only script besides htmx (issue #15): loaded once per page from core/base.html with
// <script src defer>, so a Content-Security-Policy of script-src 'self' needs no inline script and no inline
// event handler. Every handler is delegated from `document`, bound exactly once: content swapped in by htmx
// needs nothing re-bound (the search results used to bind a new ↑↓ handler on every search, so after three
// searches ↓ moved three rows and Enter could open the wrong resident).
(function () {
  "use strict";
  if (window.juminCounter) return;          // a second copy of this file must not bind twice either
  window.juminCounter = true;

  // Alt+<key> activates the element whose accesskey is <key>, the same in every browser; the browser's own
  // accesskey handling is cancelled so nothing is activated twice (issue #4).
  function accessKey(e) {
    if (!e.altKey || e.ctrlKey || e.metaKey || e.key.length !== 1) return false;
    var el = document.querySelector('[accesskey="' + e.key.toLowerCase() + '"]');
    if (!el) return false;
    e.preventDefault();
    if (el.matches("input, select, textarea")) { el.focus(); } else { el.click(); }
    return true;
  }

  function visible(el) { return !el.closest("[hidden]") && el.offsetParent !== null; }

  function items(list) {
    return Array.prototype.filter.call(list.querySelectorAll("[data-arrow-item]"), visible);
  }

  // ↑↓ move by exactly one item in a list marked data-arrow-list (search results, the change kinds); Enter
  // follows the focused link. From outside every list (the search form's inputs), ↓ enters the list marked
  // data-arrow-entry. A <select> or <textarea> keeps its own arrows.
  function arrows(e) {
    if (e.key !== "ArrowDown" && e.key !== "ArrowUp") return;
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    var active = document.activeElement;
    if (active && active.matches("select, textarea, [list]")) return;
    var list = active && active.closest("[data-arrow-list]");
    if (!list) {
      if (e.key !== "ArrowDown") return;
      list = document.querySelector("[data-arrow-list][data-arrow-entry]");
      if (!list) return;
    }
    var links = items(list);
    if (!links.length) return;
    var i = links.indexOf(active);
    var next = i < 0 ? (e.key === "ArrowDown" ? 0 : -1)
                     : (e.key === "ArrowDown" ? Math.min(i + 1, links.length - 1) : i - 1);
    e.preventDefault();
    if (next < 0) {                          // ↑ from the first item goes back to the list's filter, if any
      var filter = list.querySelector("[data-filter]");
      if (filter) filter.focus();
      return;
    }
    links[next].focus();
  }

  function normal(text) {
    // full-width → half-width (NFKC), katakana → hiragana, lower case: 「テンキョ」「てんきょ」「Tenkyo」 all match
    return (text || "").normalize("NFKC").toLowerCase().replace(/[\u30a1-\u30f6]/g, function (ch) {
      return String.fromCharCode(ch.charCodeAt(0) - 0x60);
    }).replace(/\s+/g, "");
  }

  // A filter input (data-filter) narrows its list to the items whose text or data-keys contain what was typed;
  // Enter opens the first item left.
  function filterList(input) {
    var list = input.closest("[data-arrow-list]");
    var typed = normal(input.value);
    var shown = 0;
    Array.prototype.forEach.call(list.querySelectorAll("[data-arrow-item]"), function (link) {
      var hay = normal(link.textContent + " " + (link.getAttribute("data-keys") || ""));
      var keep = !typed || hay.indexOf(typed) >= 0;
      (link.closest("li") || link).hidden = !keep;
      if (keep) shown += 1;
    });
    var status = list.querySelector("[data-filter-status]");
    if (status) status.textContent = typed ? shown + "件" : "";
  }

  document.addEventListener("keydown", function (e) {
    if (accessKey(e)) return;
    var t = e.target;
    if (e.key === "Enter" && t.matches && t.matches("[data-filter]") && !e.isComposing) {
      var first = items(t.closest("[data-arrow-list]"))[0];
      if (first) { e.preventDefault(); first.click(); }
      return;
    }
    arrows(e);
  });

  document.addEventListener("input", function (e) {
    if (e.target.matches && e.target.matches("[data-filter]")) filterList(e.target);
  });

  // <button data-print> prints the page (instead of an inline onclick).
  document.addEventListener("click", function (e) {
    var button = e.target.closest && e.target.closest("[data-print]");
    if (button) { e.preventDefault(); window.print(); }
  });
})();
