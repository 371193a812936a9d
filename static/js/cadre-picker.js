// The visit form's cadre picker: htmx fetches matches as the user types; choosing one
// fills the hidden cadre field and shows who was chosen.
document.addEventListener("click", function (event) {
  var option = event.target.closest("[data-cadre-id]");
  if (!option) {
    return;
  }
  event.preventDefault();
  var picker = option.closest("[data-picker]");
  picker.querySelector("input[name=cadre]").value = option.dataset.cadreId;
  picker.querySelector("[data-picker-chosen]").textContent = option.dataset.cadreLabel;
  picker.querySelector("[data-picker-results]").innerHTML = "";
  picker.querySelector("input[type=search]").value = "";
});
