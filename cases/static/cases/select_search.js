// A filter box above each <select data-search>: typing part of a name or agency narrows the
// options listed. Without JavaScript the full list still works.
(function () {
  function label(select) {
    var own = document.querySelector('label[for="' + select.id + '"]');
    return own ? own.textContent.trim() : "the list";
  }
  document.querySelectorAll("select[data-search]").forEach(function (select) {
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = "Type part of a name or agency";
    box.setAttribute("aria-label", "Narrow the list: " + label(select));
    box.setAttribute("aria-controls", select.id);
    box.autocomplete = "off";
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("aria-live", "polite");
    select.parentNode.insertBefore(box, select);
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
    wrapper.classList.add("border", "rounded", "p-2");
    wrapper.style.maxHeight = "16rem";
    wrapper.style.overflowY = "auto";
    var legend = wrapper.closest("fieldset") && wrapper.closest("fieldset").querySelector("legend");
    var box = document.createElement("input");
    box.type = "search";
    box.className = "form-control form-control-sm mb-1";
    box.placeholder = "Type part of a name or agency";
    box.setAttribute("aria-label", "Narrow the list: " + (legend ? legend.textContent.trim() : name));
    box.setAttribute("aria-controls", wrapper.id);
    box.autocomplete = "off";
    wrapper.parentNode.insertBefore(box, wrapper);
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
