// GOV.UK Frontend's classes for a browser that runs its scripts: loaded first in <body>, before the
// page is drawn, as a file (the Content-Security-Policy allows no inline script).
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
