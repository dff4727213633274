// Runs table: keeps the "compare" button in step with the selection (2 to 50 runs).
// Progressive enhancement only: without JavaScript the form still submits and the server validates.
(function () {
  'use strict';
  var form = document.getElementById('compare-form');
  if (!form) { return; }
  var button = document.getElementById('compare-button');
  var count = document.getElementById('compare-count');
  function update() {
    var n = form.querySelectorAll('input[name="runs"]:checked').length;
    button.disabled = n < 2 || n > 50;
    count.textContent = n === 0 ? 'Select 2 to 50 runs.'
      : n + ' selected' + (n < 2 ? ': select at least 2.' : n > 50 ? ': at most 50.' : '.');
  }
  form.addEventListener('change', update);
  update();
})();
