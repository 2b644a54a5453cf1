// Memory of the production server under mixed load:
//   npm run bench:memory [-- --minutes N]      (N = 10 by default)
// Needs `npm run build` (runs it when build/ is missing). Migrates and seeds a throwaway database (see
// ./postgres.ts for which server: set BENCH_DATABASE_URL to one with PostgreSQL's durable defaults), starts
// TWO instances of the compiled server on it (node build/server/start.js, NODE_ENV=production, job workers
// on, as `npm start` runs), then for N minutes keeps virtual users busy, each on one instance:
//   - bookers (new clients holding an unlimited plan): client pages, booking a session and cancelling it,
//     now and then signing out and in again;
//   - members (demo clients): client pages (home, sessions, calendar, membership, health, cohort), signing in again;
//   - coaches (demo coaches): coach pages (today, sessions, calendar, a session with its bookings, clients).
// Every 30 s it asks each instance for its memory (SIGUSR2: the server logs process.memoryUsage(), after a
// full garbage collection since the bench starts it with --expose-gc) and prints a table, then each
// instance's growth. Memory figures do not depend on the machine's speed the way times
// do; what to read is the growth from the first 30 s of load to the end (a leak grows with the requests
// served), and the requests per second show how much load produced it. Figures only: never fails on them,
// but says so when an answer was a 5xx or the connection failed.
import { MikroORM } from "@mikro-orm/postgresql";
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { getSettings } from "../../app/modules/settings/settings.service.server";
import { ormConfig } from "../../app/modules/orm-config.server";
import { todayIn } from "../../app/utils/time";
import { migrate } from "../../db/migrate";
import { seed } from "../../db/seed";
import { DEMO_COACHES, DEMO_PASSWORD, demoClients } from "../../db/seeders/demo-people";
import { ROOT, SERVER_ENTRY, startAppServer, waitForHealthy, type AppServer } from "../support/app-server";
import { createClassType, createMembership, createPlan, createSession, createUser, TEST_PASSWORD } from "../support/factories";
import { benchDatabase } from "./postgres";
import { cleanup, forgetCleanup, log, onCleanup, wasInterrupted } from "./support";

const { values: args } = parseArgs({ options: { minutes: { type: "string", default: "10" } } });
const MINUTES = Math.max(0.5, Number(args.minutes) || 10);
const SAMPLE_EVERY_MS = 30_000;
const INSTANCES = 2;
const BOOKERS = 8;
const MEMBERS = 6;
const COACHES = 4;
const SESSIONS = 24;
const THINK_MS = 100; // pause between one user's actions, up to this much (random)
const REQUEST_TIMEOUT_MS = 30_000;

const MEMBER_PAGES = ["/client", "/client/sessions", "/client/sessions/calendar", "/client/membership", "/client/health", "/client/cohort"];
const COACH_PAGES = ["/coach", "/coach/sessions", "/coach/sessions/calendar", "/coach/clients", "/coach/class-types"];

// ---------- a reproducible random ----------

let seedState = 0x5eed;
function random(): number {
  // mulberry32
  seedState = (seedState + 0x6d2b79f5) | 0;
  let t = seedState;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

// ---------- the instances and their memory ----------

type Memory = { rss: number; heapTotal: number; heapUsed: number; external: number };
type Instance = {
  name: string;
  server: AppServer;
  /** Resolvers waiting for the next "memory" log line. */
  waiting: ((memory: Memory) => void)[];
  requests: number;
  errors: string[];
};

async function startInstance(name: string, env: Record<string, string>): Promise<Instance> {
  const waiting: Instance["waiting"] = [];
  const errors: string[] = [];
  const server = await startAppServer(env, (lines) => {
    for (const line of lines) {
      if (line.includes('"memory"')) {
        const memory = (JSON.parse(line) as { memory?: Memory }).memory;
        if (memory) for (const resolve of waiting.splice(0)) resolve(memory);
      } else if (line.includes('"level":50') || line.includes('"level":60')) {
        errors.push(line.slice(0, 400));
      }
    }
  });
  const instance: Instance = { name, server, waiting, requests: 0, errors };
  const stop = onCleanup({ name, run: () => instance.server.stop() });
  try {
    await waitForHealthy(instance.server);
  } catch (error) {
    await stop.run();
    forgetCleanup(stop);
    throw error;
  }
  return instance;
}

/** Asks the instance for process.memoryUsage() (SIGUSR2) and waits for the log line. */
function sampleMemory(instance: Instance): Promise<Memory | null> {
  const answer = new Promise<Memory>((resolve) => instance.waiting.push(resolve));
  process.kill(instance.server.child.pid!, "SIGUSR2");
  return Promise.race([answer, sleep(10_000).then(() => null)]);
}

/** The kernel's peak resident set of the process (VmHWM), in bytes. */
function peakRss(instance: Instance): number | null {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${instance.server.child.pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

// ---------- virtual users ----------

type Tally = Map<string, number>; // "kind status" → count
const tally: Tally = new Map();
const problems: string[] = [];

function count(kind: string, status: number | string): void {
  const key = `${kind} ${typeof status === "number" ? `${Math.floor(status / 100)}xx` : status}`;
  tally.set(key, (tally.get(key) ?? 0) + 1);
}

async function request(instance: Instance, kind: string, url: string, init: RequestInit = {}): Promise<Response | null> {
  instance.requests++;
  try {
    const response = await fetch(`${instance.server.baseUrl}${url}`, { redirect: "manual", signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS), ...init });
    await response.arrayBuffer();
    count(kind, response.status);
    if (response.status >= 500 && problems.length < 20) problems.push(`${instance.name}: ${init.method ?? "GET"} ${url} answered ${response.status}`);
    return response;
  } catch (error) {
    count(kind, "network error");
    if (problems.length < 20) problems.push(`${instance.name}: ${init.method ?? "GET"} ${url}: ${(error as Error).message}`);
    return null;
  }
}

const form = (fields: Record<string, string>): RequestInit => ({
  method: "POST",
  headers: { "Content-Type": "application/x-www-form-urlencoded" },
  body: new URLSearchParams(fields).toString(),
});

type User = { email: string; password: string; instance: Instance; cookie: string };

async function signIn(user: User): Promise<void> {
  const response = await request(user.instance, "sign in", "/login", form({ email: user.email, password: user.password, redirectTo: "" }));
  const cookies = response?.headers.getSetCookie().map((c) => c.split(";")[0]) ?? [];
  if (response?.status !== 303 || cookies.length === 0) throw new Error(`sign-in as ${user.email} answered ${response?.status ?? "nothing"}`);
  user.cookie = cookies.join("; ");
}

async function signOutAndIn(user: User): Promise<void> {
  await request(user.instance, "sign out", "/logout", { ...form({}), headers: { ...form({}).headers, Cookie: user.cookie } });
  await signIn(user);
}

const view = (user: User, kind: string, url: string) => request(user.instance, kind, url, { headers: { Cookie: user.cookie } });
const post = (user: User, kind: string, url: string, fields: Record<string, string>) =>
  request(user.instance, kind, url, { ...form(fields), headers: { ...form(fields).headers, Cookie: user.cookie } });

type Role = "booker" | "member" | "coach";

/** One action of a user of this role: mostly page views, some bookings (bookers) and sign-ins. */
async function act(role: Role, user: User, sessionIds: number[]): Promise<void> {
  const roll = random();
  if (roll < 0.05) return signOutAndIn(user);
  if (role === "coach") {
    await view(user, "coach page", roll < 0.25 ? `/coach/sessions/${pick(sessionIds)}` : pick(COACH_PAGES));
  } else if (role === "booker" && roll < 0.4) {
    const sessionId = pick(sessionIds);
    await post(user, "book", `/client/sessions/${sessionId}`, { intent: "book" });
    await view(user, "client page", `/client/sessions/${sessionId}`);
    await post(user, "cancel", `/client/sessions/${sessionId}`, { intent: "cancel" });
  } else {
    await view(user, "client page", role === "booker" && roll < 0.5 ? `/client/sessions/${pick(sessionIds)}` : pick(MEMBER_PAGES));
  }
}

// ---------- the run ----------

type Fixture = { bookers: string[]; sessionIds: number[] };

/** Clients with an unlimited plan and sessions with room for everyone, 2 to 13 days ahead. */
async function prepare(databaseUrl: string): Promise<Fixture> {
  const orm = await MikroORM.init(ormConfig(databaseUrl));
  try {
    const em = orm.em.fork();
    const today = todayIn((await getSettings(em)).studioTimeZone);
    const plan = await createPlan(em, { type: "PREPAID", durationDays: 365 });
    const bookers: string[] = [];
    for (let i = 0; i < BOOKERS; i++) {
      const user = await createUser(em);
      await createMembership(em, { user, plan, startDate: today });
      bookers.push(user.email);
    }
    const coach = await createUser(em, { role: "COACH" });
    const classType = await createClassType(em);
    const first = Math.ceil(Date.now() / 3_600_000) * 3_600_000 + 2 * 86_400_000;
    const sessionIds: number[] = [];
    for (let i = 0; i < SESSIONS; i++) {
      const session = await createSession(em, { coach, classType, start: new Date(first + i * 11 * 3_600_000), capacity: 1_000 });
      sessionIds.push(session.id);
    }
    return { bookers, sessionIds };
  } finally {
    await orm.close();
  }
}

type Sample = { atMs: number; memory: (Memory | null)[]; requests: number[] };

const mb = (bytes: number | undefined | null) => (bytes == null ? "-" : (bytes / 1_048_576).toFixed(1));

function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n");
}

/** Least-squares slope of value against time, per minute. */
function slopePerMinute(points: { atMs: number; value: number }[]): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((sum, p) => sum + p.atMs, 0) / n;
  const my = points.reduce((sum, p) => sum + p.value, 0) / n;
  const sxx = points.reduce((sum, p) => sum + (p.atMs - mx) ** 2, 0);
  const sxy = points.reduce((sum, p) => sum + (p.atMs - mx) * (p.value - my), 0);
  return sxx ? (sxy / sxx) * 60_000 : 0;
}

async function main(): Promise<void> {
  log(`command: npm run bench:memory -- --minutes ${MINUTES}`);
  if (!existsSync(path.join(ROOT, "build/index.js")) || !existsSync(path.join(ROOT, SERVER_ENTRY))) {
    log("building the app (npm run build)");
    if (spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" }).status !== 0) throw new Error("npm run build failed");
  }
  const database = await benchDatabase("centurion_bench_memory");
  await migrate(database.url);
  await seed(database.url);
  const fixture = await prepare(database.url);
  log(`seeded the demo studio, plus ${BOOKERS} clients with an unlimited plan and ${SESSIONS} sessions to book`);

  // --expose-gc: the server collects garbage before it reports, so "heap used" is the live heap.
  const env = { DATABASE_URL: database.url, SESSION_SECRET: randomBytes(32).toString("hex"), NODE_ENV: "production", NODE_OPTIONS: "--expose-gc" };
  const instances: Instance[] = [];
  for (let i = 0; i < INSTANCES; i++) instances.push(await startInstance(`instance ${String.fromCharCode(65 + i)}`, env));
  log(`${INSTANCES} instances of ${SERVER_ENTRY}: ${instances.map((i) => `${i.name} pid ${i.server.child.pid} at ${i.server.baseUrl}`).join(", ")}`);

  const users: { role: Role; user: User }[] = [];
  const add = (role: Role, email: string, password: string) =>
    users.push({ role, user: { email, password, instance: instances[users.length % INSTANCES], cookie: "" } });
  for (const email of fixture.bookers) add("booker", email, TEST_PASSWORD);
  for (const { email } of demoClients().slice(0, MEMBERS)) add("member", email, DEMO_PASSWORD);
  for (const { email } of DEMO_COACHES.slice(0, COACHES)) add("coach", email, DEMO_PASSWORD);

  const samples: Sample[] = [];
  const started = performance.now();
  const sample = async () => {
    const memory = await Promise.all(instances.map(sampleMemory));
    samples.push({ atMs: performance.now() - started, memory, requests: instances.map((i) => i.requests) });
    const last = samples[samples.length - 1];
    log(
      `${(last.atMs / 1000).toFixed(0)} s: ${instances.map((i, k) => `${i.name} rss ${mb(memory[k]?.rss)} MB, heap ${mb(memory[k]?.heapUsed)} MB`).join("; ")}`,
    );
  };
  await sample(); // idle, just started
  for (const { user } of users) await signIn(user);

  const deadline = started + MINUTES * 60_000;
  log(`${users.length} users (${BOOKERS} bookers, ${MEMBERS} members, ${COACHES} coaches) for ${MINUTES} minutes; memory every ${SAMPLE_EVERY_MS / 1000} s`);
  const loops = users.map(async ({ role, user }) => {
    while (performance.now() < deadline && !wasInterrupted()) {
      await act(role, user, fixture.sessionIds);
      await sleep(random() * THINK_MS);
    }
  });
  // Every 30 s while the load runs, then once at the end when every user has finished.
  for (let next = started + SAMPLE_EVERY_MS; next < deadline - 1_000 && !wasInterrupted(); next += SAMPLE_EVERY_MS) {
    await sleep(next - performance.now());
    await sample();
  }
  await Promise.all(loops);
  await sample();
  if (wasInterrupted()) return;

  // ---------- figures ----------
  const header = ["time", ...instances.flatMap((i) => [`${i.name} rss MB`, "heap used MB", "heap total MB", "req/s"])];
  const rows = [header];
  samples.forEach((s, k) => {
    const previous = samples[k - 1];
    const seconds = previous ? (s.atMs - previous.atMs) / 1000 : 0;
    rows.push([
      `${(s.atMs / 1000).toFixed(0)} s${k === 0 ? " (idle)" : ""}`,
      ...instances.flatMap((_, i) => [
        mb(s.memory[i]?.rss),
        mb(s.memory[i]?.heapUsed),
        mb(s.memory[i]?.heapTotal),
        previous && seconds > 0 ? ((s.requests[i] - previous.requests[i]) / seconds).toFixed(1) : "-",
      ]),
    ]);
  });
  console.log();
  console.log(`Memory of ${INSTANCES} instances of ${SERVER_ENTRY} under ${MINUTES} minutes of mixed load, on ${database.description}:`);
  console.log(table(rows));
  console.log();
  const loaded = samples.slice(1); // from the first sample taken under load
  for (const [i, instance] of instances.entries()) {
    const points = (key: keyof Memory) => loaded.filter((s) => s.memory[i]).map((s) => ({ atMs: s.atMs, value: s.memory[i]![key] }));
    const describe = (key: keyof Memory, label: string) => {
      const series = points(key);
      if (series.length < 2) return `${label}: too few samples`;
      const [first, last] = [series[0].value, series[series.length - 1].value];
      const max = Math.max(...series.map((p) => p.value));
      const growth = last - first;
      const signed = (value: number) => `${value >= 0 ? "+" : ""}${mb(value)}`;
      // The first minutes are warm-up; a leak shows as a trend that goes on in the second half.
      const secondHalf = series.filter((p) => p.atMs >= series[series.length - 1].atMs / 2);
      return (
        `${label} ${mb(first)} → ${mb(last)} MB (${signed(growth)} MB, ${((growth / first) * 100).toFixed(0)}%; max ${mb(max)} MB; ` +
        `trend ${signed(slopePerMinute(series))} MB/min, ` +
        (secondHalf.length >= 4 ? `in the second half ${signed(slopePerMinute(secondHalf))} MB/min)` : "too few samples for a second-half trend)")
      );
    };
    const requests = instance.requests;
    console.log(
      `${instance.name}: idle after start rss ${mb(samples[0].memory[i]?.rss)} MB; from ${(loaded[0].atMs / 1000).toFixed(0)} s to the end: ` +
        `${describe("rss", "rss")}, ${describe("heapUsed", "heap used")}; peak rss (VmHWM) ${mb(peakRss(instance))} MB; ${requests} requests`,
    );
  }
  const total = [...tally.values()].reduce((sum, n) => sum + n, 0);
  console.log(`answers (${total}): ${[...tally.entries()].map(([key, n]) => `${key}: ${n}`).join(", ")}`);
  const serverErrors = instances.flatMap((i) => i.errors.map((line) => `${i.name}: ${line}`));
  if (problems.length || serverErrors.length) {
    console.log(`PROBLEMS: ${problems.length} failed answers, ${serverErrors.length} error lines logged (first 5 of each):`);
    for (const line of [...problems.slice(0, 5), ...serverErrors.slice(0, 5)]) console.log(`  ${line}`);
  } else {
    console.log("no 5xx answers, no failed connections, no errors in the servers' logs");
  }
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error("[bench]", error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
