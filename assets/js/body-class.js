// Loaded as the first element of <body> (classic, blocking script) so the
// classes are present before the page is painted. Kept in a file rather than
// inline because of the Content-Security-Policy (no 'unsafe-inline').
//
// `govuk-frontend-supported` must be set for GOV.UK Frontend and MOJ Frontend
// JavaScript to initialise; it is only added in browsers that support ES
// modules (the same test as GOV.UK Frontend's page template).
;(function () {
  var body = document.body
  body.classList.add('js-enabled')
  if ('noModule' in HTMLScriptElement.prototype) {
    body.classList.add('govuk-frontend-supported')
  }
})()
