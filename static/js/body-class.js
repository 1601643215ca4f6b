// Runs at the top of <body>: lets GOV.UK Frontend style for JavaScript before the page paints.
document.body.className += " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
