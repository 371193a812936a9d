// The visit form's cadre picker: htmx fetches matches as the user types; choosing one
// fills the hidden cadre field and shows who was chosen.
document.addEventListener("click", function (event) {
  var option = event.target.closest("[data-cadre-id]");
  if (!option) {
    return;
  }
  event.preventDefault();
  var picker = option.closest("[data-picker]");
  var field = picker.querySelector("input[name=cadre]");
  field.value = option.dataset.cadreId;
  // Whatever follows the form's fields (the remaining budget beside the money) hears it.
  field.dispatchEvent(new Event("input", { bubbles: true }));
  picker.querySelector("[data-picker-chosen]").textContent = option.dataset.cadreLabel;
  picker.querySelector("[data-picker-results]").innerHTML = "";
  picker.querySelector("input[type=search]").value = "";
});
