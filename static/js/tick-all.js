// The attendance list of a meeting form: "tick all" / "untick all" and a running count.
(function () {
  const box = document.getElementById("attendance");
  if (!box) return;
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
})();
