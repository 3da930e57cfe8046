// Initialise GOV.UK Frontend and MOJ Frontend components (progressive
// enhancement only: every page works without JavaScript).
//
// Loaded from static/js/ with <script type="module">; the imported files are
// copied next to it by `npm run build`.
import { initAll as initGovukFrontend } from './govuk-frontend.min.js'
import { initAll as initMojFrontend } from './moj-frontend.min.js'

initGovukFrontend()
initMojFrontend()

// Content swapped in by htmx is not covered by the initial call above, so
// initialise components inside each newly loaded element. htmx also fires
// `htmx:load` for <body> on start-up; skip it to avoid initialising twice.
document.addEventListener('htmx:load', (event) => {
  const element = event.detail && event.detail.elt
  if (!element || element === document.body) {
    return
  }
  initGovukFrontend({ scope: element })
  initMojFrontend({ scope: element })
})

// Send Django's CSRF token with every htmx request (the token is in a meta tag
// so that no inline script is needed; htmx only makes same-origin requests).
document.addEventListener('htmx:configRequest', (event) => {
  const meta = document.querySelector('meta[name="csrf-token"]')
  if (meta && event.detail && event.detail.headers) {
    event.detail.headers['X-CSRFToken'] = meta.content
  }
})
