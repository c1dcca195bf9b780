// htmx requests carry the CSRF token.
document.body.addEventListener("htmx:configRequest", function (event) {
  var token = document.querySelector("[name=csrfmiddlewaretoken]");
  if (token) { event.detail.headers["X-CSRFToken"] = token.value; }
});
// A form that htmx swaps in is given GOV.UK Frontend's behaviour too.
document.body.addEventListener("htmx:afterSwap", function (event) {
  document.dispatchEvent(new CustomEvent("app:swapped", { detail: event.detail.elt }));
});
