// Benchmark of the seeded timetable and the coach week calendar:
//   npx tsx tests/bench/calendar.ts      (or: npm run bench:calendar)
// Makes a throwaway database (benchDatabase: on BENCH_DATABASE_URL or TEST_DATABASE_URL's server, else an
// embedded PostgreSQL), migrates and seeds it, then measures
//   (a) generating the 26-week timetable into an empty sessions table,
//   (b) calendar(em, { view: "week" }) on a seeded week,
//   (c) if the app is built, GET /coach/sessions/calendar?view=week over HTTP as a signed-in coach.
// It prints figures only and never fails on timings. Everything it starts is stopped, even on errors.
import { MikroORM } from "@mikro-orm/postgresql";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { Session } from "../../app/modules/sessions/sessions.entities.server";
import { calendar } from "../../app/modules/sessions/session-views.server";
import { ormConfig } from "../../app/modules/orm-config.server";
import { addDays, mondayOf, todayIn } from "../../app/utils/time";
import { migrate } from "../../db/migrate";
import { seed } from "../../db/seed";
import { DEMO_PASSWORD } from "../../db/seeders/demo-people";
import { seedTimetable, TIMETABLE_WEEKS, WEEKLY_TIMETABLE } from "../../db/seeders/timetable";
import { ROOT, startAppServer, waitForHealthy } from "../support/app-server";
import { benchDatabase } from "./postgres";
import { cleanup, log, ms, onCleanup, stats } from "./support";

const ZONE = "Europe/London";
const GENERATE_RUNS = 5;
const CALENDAR_WARMUP = 5;
const CALENDAR_RUNS = 50;
const HTTP_WARMUP = 5;
const HTTP_RUNS = 50;
const COACH_EMAIL = "gav@centurion.test";

// ---------- figures ----------

type Row = { measure: string; n: number; cols: Record<string, string> };
const summary: Row[] = [];

async function time<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

// ---------- the HTTP server ----------

async function signIn(baseUrl: string): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email: COACH_EMAIL, password: DEMO_PASSWORD, redirectTo: "" }).toString(),
    redirect: "manual",
  });
  await response.arrayBuffer();
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (response.status !== 303 || cookies.length === 0) throw new Error(`sign-in as ${COACH_EMAIL} answered ${response.status} without a session cookie`);
  return cookies.join("; ");
}

async function benchHttp(databaseUrl: string, weekDate: string): Promise<void> {
  if (!existsSync(path.join(ROOT, "build/index.js"))) {
    log("(c) skipped: build/index.js does not exist (run `npm run build`)");
    summary.push({ measure: "(c) HTTP week page", n: 0, cols: { note: "skipped: app not built" } });
    return;
  }
  const started = performance.now();
  const server = await startAppServer({ DATABASE_URL: databaseUrl, SESSION_SECRET: randomBytes(32).toString("hex"), LOG_LEVEL: "warn" });
  onCleanup({ name: "server", run: () => server.stop() });
  await waitForHealthy(server);
  const { baseUrl } = server;
  log(`(c) server healthy after ${ms(performance.now() - started)}`);
  const cookie = await signIn(baseUrl);

  const url = `${baseUrl}/coach/sessions/calendar?view=week&date=${weekDate}`;
  const get = async () => {
    const response = await fetch(url, { headers: { Cookie: cookie }, redirect: "manual" });
    const body = await response.arrayBuffer();
    return { status: response.status, bytes: body.byteLength, location: response.headers.get("location") };
  };
  const probe = await get();
  if (probe.status !== 200) {
    const detail = probe.location ? ` (redirect to ${probe.location})` : "";
    log(`(c) skipped: GET ${url.slice(baseUrl.length)} answered ${probe.status}${detail}`);
    summary.push({ measure: "(c) HTTP week page", n: 0, cols: { note: `skipped: route answered ${probe.status}` } });
    return;
  }
  for (let i = 0; i < HTTP_WARMUP; i++) await get();
  const samples: number[] = [];
  let bytes = probe.bytes;
  for (let i = 0; i < HTTP_RUNS; i++) {
    const run = await time(get);
    if (run.value.status !== 200) throw new Error(`GET answered ${run.value.status} during the measurement`);
    bytes = run.value.bytes;
    samples.push(run.ms);
  }
  const s = stats(samples);
  log(`(c) GET week page (${HTTP_RUNS} runs after ${HTTP_WARMUP} warm-up): p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, max ${ms(s.max)}; ${bytes} bytes`);
  summary.push({
    measure: "(c) HTTP week page",
    n: HTTP_RUNS,
    cols: { p50: ms(s.p50), p95: ms(s.p95), max: ms(s.max), note: `${(bytes / 1024).toFixed(1)} KiB` },
  });
}

// ---------- main ----------

async function main(): Promise<void> {
  const now = new Date();
  const pgStarted = performance.now();
  const databaseUrl = (await benchDatabase("centurion_bench_calendar")).url;
  await migrate(databaseUrl);
  await seed(databaseUrl);
  log(`PostgreSQL ready, migrated and seeded in ${ms(performance.now() - pgStarted)}`);

  const orm = await MikroORM.init(ormConfig(databaseUrl));
  onCleanup({ name: "orm", run: () => orm.close() });
  const perRun = TIMETABLE_WEEKS * WEEKLY_TIMETABLE.length;

  // (a) generating the timetable into an empty sessions table
  const generation: number[] = [];
  for (let i = 0; i < GENERATE_RUNS; i++) {
    await orm.em.fork().nativeDelete(Session, {});
    const run = await time(() => seedTimetable(orm.em.fork(), now));
    if (run.value.created !== perRun) throw new Error(`generation created ${run.value.created} sessions, expected ${perRun}`);
    generation.push(run.ms);
  }
  const g = stats(generation);
  log(
    `(a) generate ${perRun} sessions (${TIMETABLE_WEEKS} weeks × ${WEEKLY_TIMETABLE.length}), ${GENERATE_RUNS} runs: min ${ms(g.min)}, median ${ms(g.p50)}, max ${ms(g.max)}`,
  );
  summary.push({ measure: `(a) generate ${perRun} sessions`, n: GENERATE_RUNS, cols: { min: ms(g.min), p50: ms(g.p50), max: ms(g.max) } });

  // (b) the coach week calendar, next week (fully seeded, all in the future)
  const weekDate = addDays(mondayOf(todayIn(ZONE, now)), 7);
  const week = () => calendar(orm.em.fork(), { view: "week", date: weekDate }, now);
  const first = await week();
  const count = first.days.reduce((sum, day) => sum + day.sessions.length, 0);
  if (count !== WEEKLY_TIMETABLE.length) throw new Error(`the week of ${weekDate} has ${count} sessions, expected ${WEEKLY_TIMETABLE.length}`);
  for (let i = 1; i < CALENDAR_WARMUP; i++) await week();
  const calendarSamples: number[] = [];
  for (let i = 0; i < CALENDAR_RUNS; i++) calendarSamples.push((await time(week)).ms);
  const c = stats(calendarSamples);
  log(
    `(b) calendar(week of ${weekDate}, ${count} sessions), ${CALENDAR_RUNS} runs after ${CALENDAR_WARMUP} warm-up: p50 ${ms(c.p50)}, p95 ${ms(c.p95)}, max ${ms(c.max)}`,
  );
  summary.push({ measure: `(b) calendar() week, ${count} sessions`, n: CALENDAR_RUNS, cols: { p50: ms(c.p50), p95: ms(c.p95), max: ms(c.max) } });

  // (c) the full HTTP round trip, if the app is built and the route answers
  await benchHttp(databaseUrl, weekDate);
}

function printSummary() {
  if (!summary.length) return;
  const columns = ["measure", "n", "min", "p50", "p95", "max", "note"];
  const cells = summary.map((row) => columns.map((col) => (col === "measure" ? row.measure : col === "n" ? String(row.n) : (row.cols[col] ?? ""))));
  const used = columns.filter((_, i) => i < 2 || cells.some((r) => r[i] !== ""));
  const index = used.map((col) => columns.indexOf(col));
  const widths = index.map((i) => Math.max(columns[i].length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, k) => (k === 0 || used[k] === "note" ? v.padEnd(widths[k]) : v.padStart(widths[k]))).join("  ");
  console.log(`\nSummary (node ${process.version}, ${os.cpus().length} CPU, ${new Date().toISOString()}; p50 of (a) is its median)`);
  console.log(line(index.map((i) => columns[i])));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of cells) console.log(line(index.map((i) => r[i])));
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  exitCode = 1;
  console.error("[bench] failed:", error instanceof Error ? error.message : error);
} finally {
  await cleanup();
  printSummary();
}
process.exit(exitCode);
