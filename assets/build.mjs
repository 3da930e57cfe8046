// Copy step of `npm run build` (runs after Sass has written static/css/app.css).
//
// - copies the browser JavaScript into static/js/ (vendor files have their
//   sourceMappingURL comment removed: the .map files are not shipped, and
//   Django's ManifestStaticFilesStorage fails on references to missing files)
// - copies our favicons into static/images/
// - copies every image that static/css/app.css references into static/images/,
//   and fails if any url() in the CSS would not resolve to a file under static/
//
// Uses only Node built-ins: running the app needs no Node, only building does.
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs'
import { dirname, join, posix, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const nodeModules = join(root, 'node_modules')
const staticDir = join(root, 'static')
const cssFile = join(staticDir, 'css', 'app.css')

// Where images referenced by the CSS may come from, in order of preference.
const imageSources = [
  join(root, 'assets', 'images'),
  join(nodeModules, '@ministryofjustice', 'frontend', 'moj', 'assets', 'images'),
  join(nodeModules, 'govuk-frontend', 'dist', 'govuk', 'assets', 'images')
]

// Unbranded service: never ship the crown, crest or GOV.UK logo/icons.
const forbiddenImage = /crown|crest|logotype|govuk-icon|govuk-opengraph/i

function fail (message) {
  console.error(`build: ${message}`)
  process.exit(1)
}

function show (file) {
  return relative(root, file)
}

function ensureDir (dir) {
  mkdirSync(dir, { recursive: true })
}

function copy (from, to) {
  if (!existsSync(from)) fail(`missing ${show(from)} (run npm ci first?)`)
  ensureDir(dirname(to))
  copyFileSync(from, to)
  console.log(`build: ${show(from)} -> ${show(to)}`)
}

function copyScript (from, to) {
  if (!existsSync(from)) fail(`missing ${show(from)} (run npm ci first?)`)
  const source = readFileSync(from, 'utf8')
    .replace(/\n?\/\/# sourceMappingURL=\S+\s*$/, '\n')
  ensureDir(dirname(to))
  writeFileSync(to, source)
  console.log(`build: ${show(from)} -> ${show(to)}`)
}

// 1. JavaScript
const jsOut = join(staticDir, 'js')
copyScript(join(nodeModules, 'govuk-frontend', 'dist', 'govuk', 'govuk-frontend.min.js'), join(jsOut, 'govuk-frontend.min.js'))
copyScript(join(nodeModules, '@ministryofjustice', 'frontend', 'moj', 'moj-frontend.min.js'), join(jsOut, 'moj-frontend.min.js'))
copyScript(join(nodeModules, 'htmx.org', 'dist', 'htmx.min.js'), join(jsOut, 'htmx.min.js'))
for (const name of readdirSync(join(root, 'assets', 'js'))) {
  copy(join(root, 'assets', 'js', name), join(jsOut, name))
}

// 2. Favicons (our own; GOV.UK's favicon is the crown)
const imagesOut = join(staticDir, 'images')
for (const name of ['favicon.ico', 'favicon.svg']) {
  copy(join(root, 'assets', 'images', name), join(imagesOut, name))
}

// 3. Images referenced by the compiled CSS
if (!existsSync(cssFile)) fail(`missing ${show(cssFile)}: compile the Sass first (npm run build)`)
const css = readFileSync(cssFile, 'utf8')
const urls = new Set()
for (const match of css.matchAll(/url\(\s*(["']?)(.*?)\1\s*\)/g)) {
  urls.add(match[2])
}
for (const url of urls) {
  if (url.startsWith('data:') || url.startsWith('#')) continue
  if (/^[a-z]+:|^\/\//i.test(url)) fail(`app.css references an external URL: ${url}`)
  const path = url.split(/[?#]/)[0]
  const target = resolve(dirname(cssFile), ...path.split(posix.sep))
  if (!target.startsWith(staticDir + '/')) fail(`app.css url(${url}) points outside static/`)
  const name = posix.basename(path)
  if (forbiddenImage.test(name)) fail(`app.css references a branded image: ${url}`)
  if (target.startsWith(imagesOut + '/')) {
    // (Re)copy images from their package so an upgrade refreshes them.
    const source = imageSources.map((dir) => join(dir, name)).find((file) => existsSync(file))
    if (source) copy(source, target)
  }
  if (!existsSync(target)) fail(`app.css url(${url}) does not resolve to a file under static/`)
}
console.log(`build: all ${urls.size} url() references in ${show(cssFile)} resolve under static/`)
