// A button marked data-print prints the page (the report tables' print layout).
document.addEventListener("click", function (event) {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
