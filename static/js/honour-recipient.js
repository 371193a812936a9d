// The honour form: show only the recipient field of the kind chosen (all stay visible
// without script).
(function () {
  var form = document.getElementById("honour-form");
  if (!form) {
    return;
  }
  function show() {
    var chosen = form.querySelector("input[name=recipient_kind]:checked");
    form.querySelectorAll("[data-recipient]").forEach(function (section) {
      section.classList.toggle("d-none", !!chosen && section.dataset.recipient !== chosen.value);
    });
  }
  form.addEventListener("change", function (event) {
    if (event.target.name === "recipient_kind") {
      show();
    }
  });
  show();
})();
