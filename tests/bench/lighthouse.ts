// Lighthouse, mobile profile, on the pages a client sees first:
//   npx tsx tests/bench/lighthouse.ts            (or: npm run bench:lighthouse)
//   npm run bench:lighthouse -- --runs=1         one run a page instead of the median of 3
//   npm run bench:lighthouse -- --no-js          the app's JavaScript bundles blocked: the score the pages
//                                                could reach if none of it ran (an upper bound, not a target)
// Starts a throwaway embedded PostgreSQL, migrates and seeds it, starts the built app (server/start.ts,
// `npm run build` first), signs a demo client in and runs Lighthouse's default (mobile, simulated slow 4G
// and 4× CPU slowdown) config on /login (signed out) and /client, /client/sessions, /client/membership
// (the client's cookie sent as an extra header). Chromium: CHROME_PATH, else /usr/bin/chromium, headless.
// Prints, per page, the median run's scores and metrics and, for each category under its target
// (performance ≥ 95, accessibility 100, best practices 100), the audits that cost it points. The median
// run's reports (HTML and JSON) are written to a temporary folder. Figures only: it never fails on a score.
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import lighthouse, { type Flags, type Result } from "lighthouse";
import { migrate } from "../../db/migrate";
import { seed } from "../../db/seed";
import { DEMO_PASSWORD } from "../../db/seeders/demo-people";
import { startEmbeddedPostgres } from "../../server/embedded-postgres";
import { ROOT, startAppServer, waitForHealthy } from "../support/app-server";
import { createDatabase, uniqueDatabaseName } from "../support/pg";
import { cleanup, log, ms, onCleanup, wasInterrupted } from "./support";

const CLIENT_EMAIL = "client1@centurion.test";
const PAGES = [
  { path: "/login", signedIn: false },
  { path: "/client", signedIn: true },
  { path: "/client/sessions", signedIn: true },
  { path: "/client/membership", signedIn: true },
];
const TARGETS: Record<string, number> = { performance: 95, accessibility: 100, "best-practices": 100 };
const CATEGORIES = ["performance", "accessibility", "best-practices", "seo"];
const METRICS = [
  ["FCP", "first-contentful-paint"],
  ["LCP", "largest-contentful-paint"],
  ["TBT", "total-blocking-time"],
  ["CLS", "cumulative-layout-shift"],
  ["SI", "speed-index"],
] as const;

const args = process.argv.slice(2);
const RUNS = Number(args.find((a) => a.startsWith("--runs="))?.slice("--runs=".length) ?? 3);
const NO_JS = args.includes("--no-js");
const RETRIES = 3;
const CHROME = process.env.CHROME_PATH ?? "/usr/bin/chromium";

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

// ---------- Chromium ----------

/** Headless Chromium with a DevTools port of its own (read from the profile's DevToolsActivePort). */
async function startChromium(): Promise<number> {
  const profile = mkdtempSync(path.join(os.tmpdir(), "centurion-lighthouse-chrome-"));
  const flags = ["--headless=new", "--remote-debugging-port=0", `--user-data-dir=${profile}`, "--no-first-run", "--no-default-browser-check"];
  if (process.getuid?.() === 0) flags.push("--no-sandbox"); // Chromium's sandbox refuses to run as root
  const child = spawn(CHROME, [...flags, "about:blank"], { detached: true, stdio: ["ignore", "ignore", "pipe"] });
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => void (stderr = (stderr + chunk.toString()).slice(-4_000)));
  onCleanup({
    name: "chromium",
    run: async () => {
      if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
        const exited = new Promise((resolve) => child.once("exit", resolve));
        process.kill(-child.pid, "SIGKILL");
        await exited;
      }
      rmSync(profile, { recursive: true, force: true });
    },
  });
  const portFile = path.join(profile, "DevToolsActivePort");
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${CHROME} exited (code ${child.exitCode}):\n${stderr}`);
    if (existsSync(portFile)) {
      const port = Number(readFileSync(portFile, "utf8").split("\n")[0]);
      if (port > 0) return port;
    }
    await sleep(100);
  }
  throw new Error(`${CHROME} opened no DevTools port within 30s:\n${stderr}`);
}

// ---------- the app ----------

async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: CLIENT_EMAIL, password: DEMO_PASSWORD, redirectTo: "" }).toString(),
    redirect: "manual",
  });
  await response.arrayBuffer();
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (response.status !== 303 || cookies.length === 0) throw new Error(`sign-in as ${CLIENT_EMAIL} answered ${response.status} without a session cookie`);
  return cookies.join("; ");
}

// ---------- Lighthouse ----------

const score = (lhr: Result, category: string) => Math.round((lhr.categories[category]?.score ?? 0) * 100);

/** The audits that cost a category points: for performance the metrics and insights scoring under 0.9. */
function failingAudits(lhr: Result, category: string): string[] {
  const refs = lhr.categories[category]?.auditRefs ?? [];
  const limit = category === "performance" ? 0.9 : 1;
  return refs
    .filter((ref) => (ref.weight > 0 || category === "performance") && ref.group !== "hidden")
    .map((ref) => lhr.audits[ref.id])
    .filter((audit) => audit && audit.score !== null && audit.score < limit && audit.scoreDisplayMode !== "informative")
    .map((audit) => (audit.displayValue ? `${audit.id} (${audit.displayValue})` : audit.id));
}

function metric(lhr: Result, id: string): string {
  const value = lhr.audits[id]?.numericValue;
  if (value === undefined) return "?";
  return id === "cumulative-layout-shift" ? value.toFixed(3) : `${Math.round(value)} ms`;
}

async function audit(url: string, port: number, cookie: string | null): Promise<{ lhr: Result; html: string }> {
  const flags: Flags = {
    port,
    output: ["json", "html"],
    logLevel: "error",
    onlyCategories: CATEGORIES,
    extraHeaders: cookie ? { Cookie: cookie } : undefined,
    blockedUrlPatterns: NO_JS ? ["*/build/*.js"] : undefined,
  };
  const result = await lighthouse(url, flags);
  if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
  if (result.lhr.runtimeError) throw new Error(`Lighthouse on ${url}: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
  const reports = result.report as string[];
  return { lhr: result.lhr, html: reports[1] };
}

/** Lighthouse now and then loses the trace on a busy machine (NO_NAVSTART, NO_FCP…): such a run is repeated. */
async function auditWithRetries(url: string, port: number, cookie: string | null): Promise<{ lhr: Result; html: string }> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await audit(url, port, cookie);
    } catch (error) {
      if (attempt >= RETRIES) throw error;
      log(`${(error as Error).message.split("\n")[0]}; trying again (${attempt}/${RETRIES - 1})`);
    }
  }
}

type PageResult = { path: string; runs: number[]; lhr: Result };

// ---------- main ----------

const results: PageResult[] = [];
let command = "";

async function main(): Promise<void> {
  command = `npm run bench:lighthouse --${RUNS === 3 ? "" : ` --runs=${RUNS}`}${NO_JS ? " --no-js" : ""}`.replace(/ --$/, "");
  if (!Number.isInteger(RUNS) || RUNS < 1) throw new Error("--runs= takes a whole number of runs, 1 or more");
  if (!existsSync(path.join(ROOT, "build/index.js"))) throw new Error("build/index.js does not exist (run `npm run build`)");
  if (!existsSync(CHROME)) throw new Error(`no Chromium at ${CHROME} (set CHROME_PATH)`);

  const dataDir = path.join(os.tmpdir(), uniqueDatabaseName("centurion-bench-pg"));
  onCleanup({ name: "data dir", run: () => rmSync(dataDir, { recursive: true, force: true }) });
  const started = performance.now();
  const postgres = await startEmbeddedPostgres({ dataDir, persistent: false, durable: true });
  onCleanup({ name: "postgres", run: () => postgres.stop() });
  await createDatabase(postgres.url("postgres"), "centurion_bench");
  const databaseUrl = postgres.url("centurion_bench");
  await migrate(databaseUrl);
  await seed(databaseUrl);
  log(`PostgreSQL started, migrated and seeded in ${ms(performance.now() - started)}`);

  const server = await startAppServer({ DATABASE_URL: databaseUrl, SESSION_SECRET: randomBytes(32).toString("hex"), LOG_LEVEL: "warn" });
  onCleanup({ name: "server", run: () => server.stop() });
  await waitForHealthy(server);
  const cookie = await signIn(server.baseUrl);
  const port = await startChromium();
  log(`app at ${server.baseUrl}, signed in as ${CLIENT_EMAIL}; Chromium (${CHROME}) on DevTools port ${port}`);

  const reportDir = mkdtempSync(path.join(os.tmpdir(), "centurion-lighthouse-"));
  for (const page of PAGES) {
    const url = `${server.baseUrl}${page.path}`;
    // A first visit the results ignore: the server's caches and JIT warm, as they are in a studio's day.
    await fetch(url, { headers: cookie && page.signedIn ? { Cookie: cookie } : {} }).then((r) => r.arrayBuffer());
    const runs: { lhr: Result; html: string }[] = [];
    for (let i = 0; i < RUNS; i++) {
      const runStarted = performance.now();
      const run = await auditWithRetries(url, port, page.signedIn ? cookie : null);
      if (new URL(run.lhr.finalDisplayedUrl).pathname !== page.path) throw new Error(`${page.path} ended at ${run.lhr.finalDisplayedUrl} (not signed in?)`);
      runs.push(run);
      log(`${page.path} run ${i + 1}/${RUNS}: performance ${score(run.lhr, "performance")} in ${ms(performance.now() - runStarted)}`);
    }
    const median = [...runs].sort((a, b) => score(a.lhr, "performance") - score(b.lhr, "performance"))[Math.floor(runs.length / 2)];
    const file = path.join(reportDir, `${page.path.slice(1).replaceAll("/", "-")}.html`);
    writeFileSync(file, median.html);
    writeFileSync(file.replace(/\.html$/, ".json"), JSON.stringify(median.lhr));
    results.push({ path: page.path, runs: runs.map((r) => score(r.lhr, "performance")), lhr: median.lhr });
  }
  log(`the median runs' reports: ${reportDir}`);
}

function printSummary(): void {
  if (!results.length || wasInterrupted()) return;
  const header = ["page", "perf", "a11y", "best-pr", "seo", ...METRICS.map(([label]) => label), "perf of each run"];
  const rows = results.map((r) => [
    r.path,
    ...CATEGORIES.map((c) => String(score(r.lhr, c))),
    ...METRICS.map(([, id]) => metric(r.lhr, id)),
    r.runs.join(", "),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  const first = results[0].lhr;
  console.log(
    `\n$ ${command}\nLighthouse ${first.lighthouseVersion}, ${first.configSettings.formFactor} profile (${first.configSettings.throttlingMethod} throttling), ` +
      `${first.environment.hostUserAgent.match(/Chrome\/[\d.]+/)?.[0] ?? "Chromium"}, benchmark index ${first.environment.benchmarkIndex}; ` +
      `median of ${RUNS} run(s) by performance${NO_JS ? "; the app's JavaScript BLOCKED (upper bound)" : ""}; ${os.cpus().length} CPU, load average ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join(" ")}; ${new Date().toISOString()}`,
  );
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const row of rows) console.log(line(row));
  const misses = results.flatMap((r) =>
    Object.entries(TARGETS)
      .filter(([category, target]) => score(r.lhr, category) < target)
      .map(
        ([category, target]) =>
          `  ${r.path} ${category} ${score(r.lhr, category)} < ${target}: ${failingAudits(r.lhr, category).join(", ") || "(no single audit)"}`,
      ),
  );
  console.log(
    misses.length ? `\nUnder target (performance ≥ 95, accessibility 100, best practices 100):\n${misses.join("\n")}` : "\nEvery page meets its targets.",
  );
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  exitCode = 1;
  if (!wasInterrupted()) console.error("[bench] failed:", error instanceof Error ? (error.stack ?? error.message) : error);
} finally {
  await cleanup();
  printSummary();
}
process.exit(exitCode);
