// The payment form's suggestion: as the amount is typed, fill the invoice boxes oldest first
// (the rows come oldest due first), unless someone already typed in a box. Without this script
// empty boxes do the same on the server.
(function () {
  var form = document.getElementById("payment-form");
  if (!form) return;
  var script = document.currentScript;
  var decimal = (script && script.dataset.decimal) || ".";
  var places = Number((script && script.dataset.places) || 2);
  var scale = Math.pow(10, places);
  var amount = form.querySelector("[name=amount]");
  var rows = Array.prototype.slice.call(form.querySelectorAll("#open-invoices tbody tr[data-balance]"));
  // Boxes that arrive filled (from an invoice's page, or a form sent back with an error) were
  // chosen by a person: the script leaves them alone.
  var touched = rows.some(function (row) { return row.querySelector("input.alloc").value; });
  function parse(text) {
    var clean = String(text).replace(/[\s\u00a0\u202f'\u2019]/g, "");
    if (decimal === ",") clean = clean.replace(/\./g, "").replace(",", ".");
    else clean = clean.replace(/,/g, "");
    var value = Number(clean);
    return isFinite(value) && value > 0 ? Math.round(value * scale) : 0;
  }
  function show(minor) {
    return minor ? (minor / scale).toFixed(places).replace(".", decimal) : "";
  }
  rows.forEach(function (row) {
    row.querySelector("input.alloc").addEventListener("input", function () { touched = true; });
  });
  amount.addEventListener("input", function () {
    if (touched) return;
    var left = parse(amount.value);
    rows.forEach(function (row) {
      var take = Math.min(left, Number(row.dataset.balance));
      row.querySelector("input.alloc").value = show(take);
      left -= take;
    });
  });
})();
