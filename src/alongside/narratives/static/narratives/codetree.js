/* Codebook tree: drag a code onto another to move it under that one, or onto "Top level".
   The drop posts the same move form the code's own page has (its "Move it under" choice, which
   is also the keyboard way), so the server checks and records the move exactly as there.
   No inline script: the CSP allows only our own files. */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("move-form");
    var target = document.getElementById("move-target");
    if (!form || !target) { return; }
    var dragged = null;
    var rows = document.querySelectorAll(".code-row[data-code]");
    var zones = Array.prototype.slice.call(rows);
    var root = document.getElementById("drop-root");
    if (root) { zones.push(root); }
    Array.prototype.forEach.call(rows, function (row) {
      row.addEventListener("dragstart", function (event) {
        dragged = row;
        row.classList.add("dragging");
        event.dataTransfer.effectAllowed = "move";
        event.dataTransfer.setData("text/plain", row.dataset.code);
      });
      row.addEventListener("dragend", function () {
        row.classList.remove("dragging");
        zones.forEach(function (zone) { zone.classList.remove("drop-here"); });
      });
    });
    zones.forEach(function (zone) {
      zone.addEventListener("dragover", function (event) {
        if (!dragged || zone === dragged) { return; }
        event.preventDefault();
        event.dataTransfer.dropEffect = "move";
        zone.classList.add("drop-here");
      });
      zone.addEventListener("dragleave", function () { zone.classList.remove("drop-here"); });
      zone.addEventListener("drop", function (event) {
        event.preventDefault();
        if (!dragged || zone === dragged) { return; }
        form.action = dragged.dataset.moveUrl;
        target.value = zone.dataset.target || "";
        form.submit();
      });
    });
  });
})();
