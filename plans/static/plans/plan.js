// The Risk Management Plan's pages.
//
// The action form: the named owner's list narrows to the people of the owning agency
// chosen (each option carries its agency, data-agency). Without JavaScript the whole
// list still works, and the server checks the owner's agency.
(function () {
  document.querySelectorAll("select[data-owner-of]").forEach(function (owner) {
    var agency = document.getElementById("id_" + owner.getAttribute("data-owner-of"));
    if (!agency) { return; }
    var every = Array.prototype.slice.call(owner.options);
    function narrow(keepChosen) {
      var chosen = agency.value;
      var current = owner.value;
      var kept = false;
      while (owner.options.length) { owner.remove(0); }
      every.forEach(function (option) {
        var fits = !option.value || !chosen || option.getAttribute("data-agency") === chosen;
        if (fits || (keepChosen && option.value === current)) {
          owner.add(option);
          kept = kept || option.value === current;
        }
      });
      owner.value = kept ? current : "";
    }
    agency.addEventListener("change", function () { narrow(false); });
    narrow(true);
  });
})();

// "My actions": after a row is saved or refused, focus moves to what the user needs to
// read next (the first field to correct, or the message in the row); a failed request
// says so in the row instead of doing nothing.
(function () {
  document.body.addEventListener("htmx:afterSettle", function () {
    var target = document.querySelector("[data-focus-after-swap]");
    if (!target) { return; }
    target.removeAttribute("data-focus-after-swap");
    var row = target.closest("tr");
    var invalid = row && row.querySelector("[aria-invalid=true]");
    (invalid || target).focus();
  });
  function say(event, text) {
    var form = event.detail.elt && event.detail.elt.closest && event.detail.elt.closest("form");
    if (!form) { return; }
    var note = form.querySelector(".send-error");
    if (!note) {
      note = document.createElement("p");
      note.className = "send-error govuk-error-message";
      note.setAttribute("role", "alert");
      form.insertBefore(note, form.firstChild);
    }
    note.textContent = text;
  }
  document.body.addEventListener("htmx:responseError", function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    say(event, status === 403 || status === 404
      ? "Not saved: you can no longer log progress on this action. Reload the page."
      : "Not saved: the server could not save it. Try again, or reload the page.");
  });
  document.body.addEventListener("htmx:sendError", function (event) {
    say(event, "Not saved: there is no connection to the server. Try again.");
  });
})();
