// A select marked data-submit-on-change submits its form as soon as it changes (the
// admin's language switch).
document.addEventListener("change", function (event) {
  if (event.target.matches("[data-submit-on-change]")) {
    event.target.form.submit();
  }
});
