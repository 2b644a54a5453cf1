#!/usr/bin/env node
// The JavaScript budget of every page: what a browser downloads to run a route, gzipped, from the last
// `npm run build`. A page costs the entry, the root and each route module of the URL's branch (a layout
// and its child), with every chunk they import, each shared chunk counted once. Exits 1 when a page goes
// over the budget (100 KB gzipped, issue 14) or when zod or the Temporal polyfill reaches the browser
// (they stay on the server, ADR 0004), so `npm test` fails on it. A size check of the build, not a timing.
// Usage: node scripts/check-js-budget.mjs [--budget-kb 100]
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const publicDir = path.join(root, "public");
const buildDir = path.join(publicDir, "build");
const metafilePath = path.join(root, "build", "metafile.js.json");

const budgetArg = process.argv.indexOf("--budget-kb");
const BUDGET_KB = budgetArg > 0 ? Number(process.argv[budgetArg + 1]) : 100;
const KB = 1024;

if (!existsSync(buildDir) || !existsSync(metafilePath)) {
  console.error("No build found: run `npm run build` first.");
  process.exit(1);
}

/** The browser manifest of the latest build (`window.__remixManifest={...};`). */
function readManifest() {
  const [latest] = readdirSync(buildDir)
    .filter((name) => /^manifest-[\w-]+\.js$/.test(name))
    .map((name) => path.join(buildDir, name))
    .sort((a, b) => statSync(b).mtimeMs - statSync(a).mtimeMs);
  if (!latest) throw new Error(`No manifest-*.js in ${buildDir}`);
  const text = readFileSync(latest, "utf8");
  return JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1));
}

const manifest = readManifest();
// esbuild's metafile: for each output file, the files it imports and the sources it holds.
const outputs = JSON.parse(readFileSync(metafilePath, "utf8")).outputs;
const fileOfUrl = (url) => path.join(publicDir, url); // "/build/x.js" -> public/build/x.js
const outputKey = (file) => path.relative(root, file).split(path.sep).join("/");

const gzipCache = new Map();
function gzippedBytes(file) {
  let size = gzipCache.get(file);
  if (size === undefined) {
    size = gzipSync(readFileSync(file)).length;
    gzipCache.set(file, size);
  }
  return size;
}

/** Every file a module pulls in at load time: itself and its static imports, transitively. */
function closure(urls) {
  const seen = new Set();
  const stack = urls.map(fileOfUrl);
  while (stack.length) {
    const file = stack.pop();
    if (seen.has(file)) continue;
    seen.add(file);
    for (const imported of outputs[outputKey(file)]?.imports ?? []) {
      if (imported.kind === "import-statement") stack.push(path.join(root, imported.path));
    }
  }
  return seen;
}

/** The biggest sources in an output file, for naming chunks ("zod", "app/utils/time.ts"). */
function mainSources(file) {
  const inputs = outputs[outputKey(file)]?.inputs ?? {};
  const bySource = new Map();
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const match = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/);
    const source = match ? match[1] : input.replace(/^browser-route-module:/, "").replace(/\?browser$/, "");
    bySource.set(source, (bySource.get(source) ?? 0) + bytesInOutput);
  }
  return [...bySource.entries()]
    .filter(([, bytes]) => bytes > 0)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([source]) => source)
    .join(", ");
}

const routes = manifest.routes;
function branch(routeId) {
  const chain = [];
  for (let id = routeId; id; id = routes[id].parentId) chain.unshift(routes[id]);
  return chain;
}
function urlPattern(chain) {
  const segments = chain.map((route) => route.path).filter(Boolean);
  return `/${segments.join("/")}`.replace(/\/+/g, "/");
}
/**
 * A page is a route with a component (resource routes — feeds, webhooks, CSV, logout — compile to an
 * empty module holding none of our source) that is no other route's parent: a layout's JavaScript is
 * counted with each of its children.
 */
function hasComponent(route) {
  const inputs = outputs[outputKey(fileOfUrl(route.module))]?.inputs ?? {};
  return Object.entries(inputs).some(([input, { bytesInOutput }]) => input.startsWith("app/") && bytesInOutput > 0);
}
const parents = new Set(Object.values(routes).map((route) => route.parentId));

const pages = Object.values(routes)
  .filter((route) => route.id !== "root" && !parents.has(route.id) && hasComponent(route))
  .map((route) => {
    const chain = branch(route.id);
    const files = closure([manifest.entry.module, ...(manifest.entry.imports ?? []), ...chain.flatMap((r) => [r.module, ...(r.imports ?? [])])]);
    const bytes = [...files].reduce((sum, file) => sum + gzippedBytes(file), 0);
    return { id: route.id, url: urlPattern(chain), files, bytes };
  })
  .sort((a, b) => a.url.localeCompare(b.url));

const fmt = (bytes) => `${(bytes / KB).toFixed(1)} KB`;
const urlWidth = Math.max(...pages.map((page) => page.url.length), 5);
console.log(`JavaScript per page, gzipped (budget ${BUDGET_KB} KB; entry + root + the route's branch + their imports)\n`);
console.log(`${"route".padEnd(urlWidth)}  ${"gzipped".padStart(9)}  files`);
for (const page of pages) {
  const mark = page.bytes > BUDGET_KB * KB ? "  OVER BUDGET" : "";
  console.log(`${page.url.padEnd(urlWidth)}  ${fmt(page.bytes).padStart(9)}  ${String(page.files.size).padStart(5)}${mark}`);
}

const chunkUse = new Map();
for (const page of pages) for (const file of page.files) chunkUse.set(file, (chunkUse.get(file) ?? 0) + 1);
const largest = [...chunkUse.keys()].sort((a, b) => gzippedBytes(b) - gzippedBytes(a)).slice(0, 10);
console.log(`\nLargest chunks (gzipped, pages that load them, main sources)\n`);
for (const file of largest) {
  const name = path.relative(publicDir, file);
  console.log(`${fmt(gzippedBytes(file)).padStart(9)}  ${String(chunkUse.get(file)).padStart(3)} pages  ${name}  (${mainSources(file)})`);
}

// Packages that must never reach the browser: forms are validated and dates worked out on the server.
const SERVER_ONLY_PACKAGES = ["zod", "temporal-polyfill", "temporal-utils"];
const leaks = new Map();
for (const [output, { inputs }] of Object.entries(outputs)) {
  if (!output.endsWith(".js")) continue;
  for (const [input, { bytesInOutput }] of Object.entries(inputs)) {
    const pkg = input.match(/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1];
    if (pkg && SERVER_ONLY_PACKAGES.includes(pkg) && bytesInOutput > 0) leaks.set(pkg, [...(leaks.get(pkg) ?? []), output]);
  }
}

const over = pages.filter((page) => page.bytes > BUDGET_KB * KB);
const heaviest = pages.reduce((a, b) => (b.bytes > a.bytes ? b : a));
console.log(`\n${pages.length} pages, heaviest ${heaviest.url} at ${fmt(heaviest.bytes)}.`);
for (const [pkg, files] of leaks) {
  console.error(`${pkg} is in the browser build (${[...new Set(files)].join(", ")}): a component imports it, directly or through a module.`);
}
if (over.length) console.error(`${over.length} page(s) over the ${BUDGET_KB} KB budget: ${over.map((page) => page.url).join(", ")}`);
if (over.length || leaks.size) process.exit(1);
console.log(`Every page is within the ${BUDGET_KB} KB budget, and no ${SERVER_ONLY_PACKAGES.join(" or ")} in the browser.`);
