// A labelled filter box above each <select data-search>: typing part of a name or agency
// narrows the options listed. Without JavaScript the full list still works.
(function () {
  function labelOf(select) {
    var own = document.querySelector('label[for="' + select.id + '"]');
    return own ? own.textContent.trim() : "the list";
  }
  // The filter box with its own visible label, as GOV.UK Frontend writes a text input.
  function filterBox(forId, what) {
    var id = forId + "-filter";
    var group = document.createElement("div");
    group.className = "govuk-form-group govuk-!-margin-bottom-2";
    var label = document.createElement("label");
    label.className = "govuk-label govuk-label--s";
    label.htmlFor = id;
    label.textContent = "Filter " + what.replace(/\s*\(optional\)\s*$/, "").toLowerCase();
    var hint = document.createElement("div");
    hint.className = "govuk-hint";
    hint.id = id + "-hint";
    hint.textContent = "Type part of a name or agency";
    var box = document.createElement("input");
    box.type = "search";
    box.id = id;
    box.className = "govuk-input govuk-!-width-two-thirds";
    box.setAttribute("aria-describedby", hint.id);
    box.setAttribute("aria-controls", forId);
    box.autocomplete = "off";
    group.appendChild(label);
    group.appendChild(hint);
    group.appendChild(box);
    return {group: group, box: box};
  }
  document.querySelectorAll("select[data-search]").forEach(function (select) {
    var filter = filterBox(select.id, labelOf(select));
    var box = filter.box;
    var status = document.createElement("div");
    status.className = "govuk-visually-hidden";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(filter.group, select);
    select.parentNode.insertBefore(status, select.nextSibling);
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0, first = null;
      Array.prototype.forEach.call(select.options, function (option) {
        if (!option.value) { return; }
        var text = option.text.toLowerCase();
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !match;
        if (match) { shown += 1; first = first || option; }
      });
      if (!select.multiple) {
        var chosen = select.options[select.selectedIndex];
        if ((!chosen || chosen.hidden || !chosen.value) && first) { select.value = first.value; }
      }
      status.textContent = shown + (shown === 1 ? " match" : " matches");
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); select.focus(); }
    });
  });
})();
// The same for a list of checkboxes (<input type=checkbox data-search>): ticked ones stay shown.
(function () {
  var groups = {};
  document.querySelectorAll("input[type=checkbox][data-search]").forEach(function (input) {
    (groups[input.name] = groups[input.name] || []).push(input);
  });
  Object.keys(groups).forEach(function (name) {
    var inputs = groups[name];
    var wrapper = inputs[0].closest("div[id]");
    if (!wrapper) { return; }
    wrapper.style.maxHeight = "16rem";
    wrapper.style.overflowY = "auto";
    var legend = wrapper.closest("fieldset") && wrapper.closest("fieldset").querySelector("legend");
    var what = legend ? legend.textContent.trim() : name;
    var id = wrapper.id;
    var label = document.createElement("label");
    var filter = (function () {
      var box = document.createElement("input");
      box.type = "search";
      box.id = id + "-filter";
      box.className = "govuk-input govuk-!-width-two-thirds";
      box.setAttribute("aria-controls", id);
      box.autocomplete = "off";
      label.className = "govuk-label govuk-label--s";
      label.htmlFor = box.id;
      label.textContent = "Filter " + what.replace(/\s*\(optional\)\s*$/, "").toLowerCase()
        + " (type part of a name or agency)";
      var group = document.createElement("div");
      group.className = "govuk-form-group govuk-!-margin-bottom-2";
      group.appendChild(label);
      group.appendChild(box);
      return {group: group, box: box};
    })();
    var box = filter.box;
    wrapper.parentNode.insertBefore(filter.group, wrapper);
    box.addEventListener("input", function () {
      var words = box.value.toLowerCase().split(/\s+/).filter(Boolean);
      inputs.forEach(function (input) {
        var row = input.closest("label") ? input.closest("label").parentNode : input.parentNode;
        var text = (input.closest("label") || row).textContent.toLowerCase();
        var match = input.checked || words.every(function (word) { return text.indexOf(word) !== -1; });
        row.hidden = !match;
      });
    });
    box.addEventListener("keydown", function (event) {
      if (event.key === "Enter") { event.preventDefault(); }
    });
  });
})();
