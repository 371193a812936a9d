// The calendar link box: a tap selects the whole link; the copy button copies it and
// says so. navigator.clipboard needs HTTPS, so plain-HTTP intranets fall back to the
// older copy command on the selected text.
document.addEventListener("focusin", function (event) {
  if (event.target.matches("[data-select-all]")) {
    event.target.select();
  }
});
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-from]");
  if (!button) {
    return;
  }
  var field = document.getElementById(button.dataset.copyFrom);
  var done = function () {
    button.textContent = button.dataset.copiedText;
  };
  field.select();
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done);
  } else if (document.execCommand("copy")) {
    done();
  }
});
