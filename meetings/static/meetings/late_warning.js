// Says at once when the date chosen would miss the meeting's due date (the server says it
// too): the panel date's radio carries data-late; a date typed in the day, month and year
// boxes is compared with the form's data-due (YYYY-MM-DD).
(function () {
  var form = document.querySelector("form[data-due]");
  var warning = document.getElementById("late-warning");
  if (!form || !warning) { return; }
  var due = form.getAttribute("data-due");
  function typed() {
    var parts = ["day", "month", "year"].map(function (part) {
      var box = document.getElementById("id_day_" + part);
      return box ? box.value.trim() : "";
    });
    if (!parts[0] || !parts[1] || parts[2].length !== 4) { return ""; }
    function two(value) { return value.length === 1 ? "0" + value : value; }
    return parts[2] + "-" + two(parts[1]) + "-" + two(parts[0]);
  }
  function update() {
    var late = false;
    var checked = form.querySelector('input[name="panel"]:checked');
    if (checked) { late = checked.getAttribute("data-late") === "1"; }
    var day = typed();
    if (day) { late = day > due; }
    warning.hidden = !late;
  }
  form.addEventListener("change", update);
  form.addEventListener("input", update);
  update();
})();
