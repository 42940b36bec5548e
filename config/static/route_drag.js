// Drag a delivery route row to a new place: the row's own "Move" form is sent with the stop
// number it was dropped at, so the server does exactly what typing the number would do.
// Without this script (or on a touch screen) the number inputs work on their own.
(function () {
  "use strict";
  var body = document.querySelector("#route tbody");
  if (!body || !window.matchMedia("(pointer: fine)").matches) return;
  var rows = Array.prototype.slice.call(body.querySelectorAll("tr[data-location]"));
  var dragged = null;
  rows.forEach(function (row) {
    row.draggable = true;
    row.addEventListener("dragstart", function (event) {
      dragged = row;
      row.classList.add("dragging");
      event.dataTransfer.effectAllowed = "move";
      event.dataTransfer.setData("text/plain", row.dataset.location);
    });
    row.addEventListener("dragend", function () {
      row.classList.remove("dragging");
    });
    row.addEventListener("dragover", function (event) {
      if (!dragged || dragged === row) return;
      event.preventDefault();
      var box = row.getBoundingClientRect();
      var after = event.clientY > box.top + box.height / 2;
      body.insertBefore(dragged, after ? row.nextSibling : row);
    });
    row.addEventListener("drop", function (event) {
      event.preventDefault();
    });
  });
  body.addEventListener("drop", function (event) {
    event.preventDefault();
    if (!dragged) return;
    var order = Array.prototype.slice.call(body.querySelectorAll("tr[data-location]"));
    var form = dragged.querySelector("form.stop-form");
    form.querySelector("input[name=position]").value = order.indexOf(dragged) + 1;
    dragged = null;
    form.submit();
  });
})();
