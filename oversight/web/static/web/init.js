// Start GOV.UK Frontend's components (skip link, error summary focus, service navigation).
import { initAll } from "../govuk/govuk-frontend.min.js";

initAll();
