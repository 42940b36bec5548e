// Polls an import run's progress endpoint and refreshes the page when it finishes.
(function () {
  var box = document.getElementById('import');
  function text(id, value) { document.getElementById(id).textContent = value; }
  function poll() {
    fetch(box.dataset.progressUrl, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
      .then(function (r) { return r.json(); })
      .then(function (p) {
        text('status', p.status); text('done', p.done); text('total', p.total);
        var bar = document.getElementById('bar'); bar.max = p.total || 1; bar.value = p.done;
        if (p.status === 'done' || p.status === 'failed') { window.location.reload(); }
        else { setTimeout(poll, 1000); }
      })
      .catch(function () { setTimeout(poll, 3000); });
  }
  setTimeout(poll, 500);
})();
