import { initAll } from "../govuk/govuk-frontend.min.js";
import { openTarget } from "./open-target.mjs";
import { startTimeoutWarning } from "./timeout-warning.mjs";

initAll();
startTimeoutWarning(document.body);
openTarget();
