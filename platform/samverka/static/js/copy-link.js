// Copy buttons for the calendar addresses. Without this script the buttons stay hidden and the
// address fields stay selectable (and the webcal: links work), so nothing depends on it.
(function () {
  "use strict";
  function copy(input) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(input.value);
    }
    input.select();
    return document.execCommand("copy") ? Promise.resolve() : Promise.reject(new Error("copy"));
  }
  document.querySelectorAll("button[data-copy-target]").forEach(function (button) {
    var input = document.getElementById(button.dataset.copyTarget);
    var status = document.getElementById(button.dataset.copyStatus);
    if (!input) return;
    button.hidden = false;
    button.addEventListener("click", function () {
      copy(input).then(
        function () { if (status) status.textContent = button.dataset.copied; },
        function () { input.focus(); input.select(); if (status) status.textContent = button.dataset.failed; }
      );
    });
  });
})();
