// Admin, periodic task form (django-celery-beat): under the crontab field, say in words
// when the chosen schedule runs. Replaces the package's inline script.
(function () {
  var data = document.getElementById("readable-crontabs");
  var select = document.getElementById("id_crontab");
  var help = document.querySelector(".field-crontab .help");
  if (!data || !select || !help) {
    return;
  }
  var readable = JSON.parse(data.textContent);
  var original = help.innerHTML;
  document.querySelectorAll(".field-crontab_translation").forEach(function (row) {
    row.style.display = "none";
  });
  select.addEventListener("change", function () {
    help.innerHTML = original;
    var line = document.createElement("div");
    line.textContent = "Translation: " + (readable[select.value] || "");
    help.appendChild(line);
  });
})();
