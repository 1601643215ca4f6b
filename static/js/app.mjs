import { initAll } from "../govuk/govuk-frontend.min.js";
import { startTimeoutWarning } from "./timeout-warning.mjs";

initAll();
startTimeoutWarning(document.body);
