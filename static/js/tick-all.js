// A list of checkboxes with "tick all" / "untick all" buttons and a running count: the
// attendance list of a meeting form, the campaign's cadres still to visit
// (data-tick-box).
(function () {
  document.querySelectorAll("#attendance, [data-tick-box]").forEach((box) => {
    const boxes = () => box.querySelectorAll('input[type="checkbox"]');
    const counter = box.querySelector("[data-ticked-count]");
    const refresh = () => {
      if (!counter) return;
      const ticked = Array.from(boxes()).filter((input) => input.checked).length;
      counter.textContent = String(ticked);
    };
    box.querySelectorAll("[data-tick]").forEach((button) => {
      button.addEventListener("click", () => {
        const value = button.dataset.tick === "all";
        boxes().forEach((input) => {
          input.checked = value;
        });
        refresh();
      });
    });
    box.addEventListener("change", refresh);
  });
})();
