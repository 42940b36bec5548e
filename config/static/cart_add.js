// Add to cart without a page reload. The catalog's plain forms work without this script;
// with it, each "Add to cart" form posts through fetch (its own CSRF token travels in the
// form data), asks for JSON, and the answer is written into the status line (aria-live)
// and next to the quantity, with the server's own wording.
(function () {
  "use strict";
  var status = document.getElementById("cart-status");
  if (!status || !window.fetch || !window.FormData) return;

  function showError(form, input, message) {
    var id = input.id + "-error";
    var p = document.getElementById(id);
    if (!p) {
      p = document.createElement("p");
      p.className = "field-error";
      p.id = id;
      form.appendChild(p);
    }
    p.textContent = message;
    input.setAttribute("aria-invalid", "true");
    input.setAttribute("aria-describedby", id);
  }

  function clearError(input) {
    var p = document.getElementById(input.id + "-error");
    if (p) p.parentNode.removeChild(p);
    input.removeAttribute("aria-invalid");
    input.removeAttribute("aria-describedby");
  }

  document.querySelectorAll("form.qty-form").forEach(function (form) {
    // Bound once, even if the script is included twice: two posts would race for the cart.
    if (form.dataset.cartAdd) return;
    form.dataset.cartAdd = "on";
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var input = form.querySelector('input[name="quantity"]');
      var button = form.querySelector('button[type="submit"]');
      if (button) button.disabled = true;
      // Cleared first, so the answer to this click is what the status line says next.
      status.textContent = "";
      fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      })
        .then(function (response) {
          return response.json().then(function (data) {
            return { ok: response.ok, data: data };
          });
        })
        .then(function (result) {
          if (result.ok) {
            clearError(input);
            status.textContent = result.data.message;
          } else {
            var message = (result.data.errors && result.data.errors.quantity || [result.data.message])[0];
            showError(form, input, message);
            status.textContent = message;
          }
        })
        .catch(function (err) {
          if (window.console) console.error("cart_add", err);
          // The network or the server failed: fall back to the plain form.
          form.submit();
        })
        .then(function () {
          if (button) button.disabled = false;
        });
    });
  });
})();
