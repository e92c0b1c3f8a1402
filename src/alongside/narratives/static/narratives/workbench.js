/* Coding page: turn a text selection into code-point offsets for the coding form.
   Offsets count Unicode code points (not UTF-16 units) into the stored text, end exclusive,
   which is what the server and REFI-QDA use. No inline script: CSP allows only our own files. */
(function () {
  "use strict";
  function codePoints(text) { return Array.from(text).length; }
  function offsetWithin(container, node, offset) {
    var range = document.createRange();
    range.setStart(container, 0);
    range.setEnd(node, offset);
    return codePoints(range.toString());
  }
  function update(container, start, end, status) {
    var selection = document.getSelection();
    if (!selection || selection.rangeCount === 0 || selection.isCollapsed) { return; }
    var range = selection.getRangeAt(0);
    if (!container.contains(range.startContainer) || !container.contains(range.endContainer)) { return; }
    var from = offsetWithin(container, range.startContainer, range.startOffset);
    var to = offsetWithin(container, range.endContainer, range.endOffset);
    if (to <= from) { return; }
    start.value = String(from);
    end.value = String(to);
    status.textContent = status.dataset.template
      ? status.dataset.template.replace("%(start)s", from).replace("%(end)s", to)
      : from + "–" + to;
  }
  document.addEventListener("DOMContentLoaded", function () {
    var container = document.getElementById("source-text");
    var start = document.getElementById("id_start");
    var end = document.getElementById("id_end");
    var status = document.getElementById("selection-status");
    if (!container || !start || !end || !status) { return; }
    document.addEventListener("selectionchange", function () { update(container, start, end, status); });
    // Words selected while the page was still loading count too.
    update(container, start, end, status);
  });
})();

/* Highlights by code colour: each piece lists its codes' colours in data-colors. A light wash of
   the first colour behind the words and one underline per code below them (NVivo-style stripes).
   Set through the CSS object model, which the style-src policy allows (no inline style markup). */
(function () {
  "use strict";
  function paint(mark) {
    var colors = (mark.dataset.colors || "").split(" ").filter(function (c) { return /^#[0-9a-fA-F]{6}$/.test(c); });
    if (colors.length === 0) { return; }
    mark.style.backgroundColor = colors[0] + "33";
    mark.style.borderBottom = "0";
    mark.style.boxShadow = colors.map(function (c, i) { return "inset 0 -" + (3 * (i + 1)) + "px 0 " + c; }).join(", ");
    mark.style.paddingBottom = (3 * (colors.length - 1)) + "px";
  }
  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll(".by-code mark[data-colors]"), paint);
  });
})();
