// GOV.UK Frontend and MoJ Frontend components (data-module="govuk-..." / "moj-..."). The
// error summary takes focus by itself, so that screen reader users hear it first.
import { initAll } from "../vendor/design-system/js/govuk-frontend.min.js";
import { initAll as initMoj } from "../vendor/design-system/js/moj-frontend.min.js";

initAll();
initMoj();
document.addEventListener("app:swapped", (event) => {
  initAll({ scope: event.detail });
});
