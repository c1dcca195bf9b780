// The plan's action form, brought into the draft minutes (hx-select): it names no address
// of its own, so it is given the one it came from, and is sent there from this page.
document.body.addEventListener("htmx:afterSwap", function (event) {
  var target = event.detail.target;
  if (!target || target.id !== "minutes-action-form") { return; }
  var form = target.querySelector("form");
  var path = (event.detail.pathInfo && event.detail.pathInfo.requestPath) ||
    (event.detail.requestConfig && event.detail.requestConfig.path);
  if (form && path && !form.getAttribute("action")) { form.setAttribute("action", path); }
  var first = form && form.querySelector("input, select, textarea");
  if (first) { first.focus(); }
});
