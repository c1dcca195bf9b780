// The referral form: "Add another agency" adds a blank row of agencies to be involved
// (without JavaScript, saving the form adds one), and the Category 3 tests show only when
// Category 3 is chosen.
(function () {
  var rows = document.getElementById("agency-rows");
  var template = document.getElementById("agency-row-template");
  var add = document.getElementById("add-agency");
  if (rows && template && add) {
    var total = document.getElementById("id_agencies-TOTAL_FORMS");
    var renumber = function () {
      rows.querySelectorAll("[data-agency-row]").forEach(function (row, i) {
        row.querySelector("[data-row-number]").textContent = i + 1;
      });
    };
    add.hidden = false;
    document.querySelectorAll("[data-no-script]").forEach(function (el) { el.hidden = true; });
    add.addEventListener("click", function () {
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, index);
      var holder = document.createElement("div");
      holder.innerHTML = html.trim();
      var row = holder.firstElementChild;
      var remove = row.querySelector("[data-remove-row]");
      remove.hidden = false;
      remove.addEventListener("click", function () {
        row.remove();
        renumber();
        add.focus();
      });
      rows.appendChild(row);
      total.value = index + 1;
      renumber();
      row.querySelector("select, input, textarea").focus();
    });
  }

  var tests = document.getElementById("cat3-tests");
  if (tests) {
    var categories = document.querySelectorAll("input[name=category]");
    var show = function () {
      var chosen = document.querySelector("input[name=category]:checked");
      tests.hidden = !(chosen && chosen.value === "3") && !tests.querySelector(".govuk-form-group--error");
    };
    categories.forEach(function (input) { input.addEventListener("change", show); });
    show();
  }
})();
