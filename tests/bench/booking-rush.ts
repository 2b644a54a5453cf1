// Booking rush: many clients book the same small class at the same instant.
//   npx tsx tests/bench/booking-rush.ts      (or: npm run bench:booking)
// Starts a throwaway embedded PostgreSQL, migrates and seeds it, adds 500 extra clients with an active
// prepaid membership, and starts TWO production servers (server/start.ts) on the same database, each
// with the app's default pool of 10 (BENCH_POOL_MAX to change it). After a warm-up burst of 200 bookings
// (shown, not counted), for N = 60 (the demo clients) and N = 500 (the extra clients), each on a fresh
// capacity-10 session:
//   - signs every client in (not timed; client i signs in on one instance and books on the other, so
//     nothing may live in a process), then
//   - fires all N `POST /client/sessions/:id` (intent=book) at once and times each answer.
// It prints status counts, latency percentiles and bookings per second, and checks in the database that
// exactly 10 are registered and N − 10 waitlisted at positions 1..N − 10. Then the database ceiling:
// the same registerForSession() transaction called N times concurrently from this process (own pool of
// the same size), and the HTTP rate as a fraction of it.
// A burst in which no answer arrives for STALL_MS is reported as stalled, with what PostgreSQL's
// backends were doing; the stuck work is then cleared (instances restarted, backends terminated). To
// still give figures in that case it also runs each burst with at most pool/2 bookings in flight
// (labelled "≤5 in flight"), which cannot exhaust a pool even if a booking holds two connections.
// Figures only: timings never fail the run. Only 127.0.0.1. Everything it starts is stopped, even on errors.
import { MikroORM } from "@mikro-orm/postgresql";
import { randomBytes } from "node:crypto";
import { existsSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { registerForSession } from "../../app/modules/booking/booking.service.server";
import { prepaidEndDate } from "../../app/modules/memberships/memberships.rules";
import { getSettings } from "../../app/modules/settings/settings.service.server";
import { ormConfig } from "../../app/modules/orm-config.server";
import { mondayOf, todayIn } from "../../app/utils/time";
import { migrate } from "../../db/migrate";
import { seed } from "../../db/seed";
import { DEMO_CLIENT_COUNT, DEMO_PASSWORD, demoClients } from "../../db/seeders/demo-people";
import { DEMO_VENUE } from "../../db/seeders/timetable";
import { startEmbeddedPostgres } from "../../server/embedded-postgres";
import { ROOT, startAppServer, waitForHealthy, type AppServer } from "../support/app-server";
import { createDatabase, uniqueDatabaseName, withClient } from "../support/pg";
import { cleanup, forgetCleanup, hasCleanup, log, ms, onCleanup, stats, wasInterrupted, type CleanupStep } from "./support";

const RUNS = [DEMO_CLIENT_COUNT, 500] as const; // N = 60 uses the demo clients, N = 500 the extra ones
const EXTRA_CLIENTS = 500;
const WARM_UP = 200; // bookings through each path before the timed runs
const CAPACITY = 10;
const INSTANCES = 2;
// The app's default pool (DATABASE_POOL_MAX); BENCH_POOL_MAX=20 shows the effect of a wider one.
const POOL_MAX_PER_INSTANCE = Number(process.env.BENCH_POOL_MAX ?? 10);
const CEILING_POOL_MAX = POOL_MAX_PER_INSTANCE;
const BOUNDED_IN_FLIGHT = POOL_MAX_PER_INSTANCE / 2; // per instance (HTTP) or per pool (ceiling)
const SIGN_IN_CONCURRENCY = 16;
const HEALTH_TIMEOUT_MS = 60_000;
const SERVER_START_ATTEMPTS = 3;
const SERVER_RETRY_WAIT_MS = 60_000;
const REQUEST_TIMEOUT_MS = 120_000;
const STALL_MS = 15_000; // no answer at all for this long: the burst is stuck
const BURST_CAP_MS = 180_000; // a burst still running after this long is stopped
const SETTLE_CAP_MS = 10_000;
const EXTRA_PLAN = "8 WEEK CHALLENGE"; // PREPAID, unlimited classes, every class type
const SESSION_COACH = "conor@centurion.test"; // teaches nothing in the seeded timetable, so no slot clashes
const EXTRA_EMAIL = (i: number) => `bench${i}@centurion.test`;

// ---------- figures ----------

const rate = (value: number) => `${value.toFixed(1)}/s`;
const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

function countBy<T>(items: T[], key: (item: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

const formatCounts = (counts: Map<string, number>) =>
  [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");

type SummaryRow = {
  run: string;
  mode: string;
  n: number;
  db: string;
  answers: string;
  p50: string;
  p95: string;
  p99: string;
  max: string;
  wall: string;
  rate: string;
};
const summary: SummaryRow[] = [];
const problems: string[] = [];

/** Calls a burst "stalled" when nothing has finished for STALL_MS, or when it passes BURST_CAP_MS. */
function stallWatch() {
  const started = performance.now();
  let last = started;
  let report: (why: string) => void = () => {};
  const stalled = new Promise<string>((resolve) => (report = resolve));
  const timer = setInterval(() => {
    const now = performance.now();
    if (now - last > STALL_MS) report(`no answer for ${STALL_MS / 1000}s`);
    else if (now - started > BURST_CAP_MS) report(`still running after ${BURST_CAP_MS / 1000}s`);
  }, 250);
  return { progress: () => void (last = performance.now()), stalled, stop: () => clearInterval(timer) };
}

// ---------- HTTP client ----------

type MiniResponse = {
  status: number;
  headers: { get(name: string): string | null; getSetCookie(): string[] };
  text(): Promise<string>;
};
type MiniInit = { method?: string; headers?: Record<string, string>; body?: string; redirect?: "manual"; signal?: AbortSignal };
type MiniFetch = (url: string, init?: MiniInit) => Promise<MiniResponse>;

/** undici's own fetch with a pool large enough for every request of a burst at once; else the global fetch. */
async function makeFetch(): Promise<{ fetch: MiniFetch; close: () => Promise<void>; label: string }> {
  try {
    const undici = await import("undici");
    const agent = new undici.Agent({ connections: 512, keepAliveTimeout: 30_000, headersTimeout: REQUEST_TIMEOUT_MS, bodyTimeout: REQUEST_TIMEOUT_MS });
    return {
      fetch: (url, init) => undici.fetch(url, { ...init, dispatcher: agent }) as unknown as Promise<MiniResponse>,
      close: () => agent.destroy(),
      label: "undici fetch, Agent({ connections: 512 })",
    };
  } catch {
    return { fetch: (url, init) => fetch(url, init), close: async () => {}, label: "global fetch (undici not importable)" };
  }
}

// ---------- PostgreSQL's view ----------

/** What every other backend on the database is doing, grouped, plus who holds the locks others wait for. */
async function activity(url: string): Promise<string[]> {
  return withClient(url, async (client) => {
    const groups = await client.query<{ state: string | null; wait: string; query: string; n: number }>(
      `select state, coalesce(wait_event_type || ':' || wait_event, '-') as wait,
              left(regexp_replace(query, '\\s+', ' ', 'g'), 140) as query, count(*)::int as n
         from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend'
        group by 1, 2, 3 order by n desc limit 12`,
    );
    // The root of each lock queue: a backend that blocks others and waits for nobody in PostgreSQL.
    const holders = await client.query<{ pid: number; state: string | null; wait: string; query: string; xact_s: string; waiting: number }>(
      `select b.pid, b.state, coalesce(b.wait_event_type || ':' || b.wait_event, '-') as wait,
              left(regexp_replace(b.query, '\\s+', ' ', 'g'), 140) as query,
              round(extract(epoch from now() - b.xact_start)::numeric, 1)::text as xact_s,
              (select count(*)::int from pg_stat_activity w where w.datname = current_database() and w.wait_event_type = 'Lock') as waiting
         from pg_stat_activity b
        where b.pid in (select unnest(pg_blocking_pids(w.pid)) from pg_stat_activity w where w.datname = current_database())
          and cardinality(pg_blocking_pids(b.pid)) = 0
        limit 5`,
    );
    return [
      ...groups.rows.map((g) => `${String(g.n).padStart(4)} × state=${g.state ?? "?"} wait=${g.wait} last query: ${g.query}`),
      ...holders.rows.map(
        (h) =>
          `lock holder pid ${h.pid}: state=${h.state ?? "?"} wait=${h.wait}, in its transaction for ${h.xact_s}s, ${h.waiting} backends wait on locks; its last query: ${h.query}`,
      ),
    ];
  });
}

/** The lines of a stall report that explain it: the lock holders, then whoever sits idle inside a transaction. */
function stallGist(report: string[]): string {
  const lines = [
    ...report.filter((l) => l.startsWith("lock holder")),
    ...report.filter((l) => l.includes("idle in transaction")),
    ...report.filter((l) => l.includes("Lock:")),
  ];
  return [...new Set(lines.map((l) => l.trim()))].slice(0, 3).join(" | ") || "nothing busy";
}

/** Ends every backend on the database that is running something or sits in a transaction (not idle ones). */
async function terminateBusyBackends(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      `select count(pg_terminate_backend(pid))::int as n from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and backend_type = 'client backend' and state <> 'idle'`,
    );
    return rows[0]?.n ?? 0;
  });
}

// ---------- the app servers ----------

type Instance = { name: string; server: AppServer; baseUrl: string; errors: string[]; stop: CleanupStep };

async function startInstance(name: string, databaseUrl: string, sessionSecret: string): Promise<Instance> {
  for (let attempt = 1; ; attempt++) {
    // Other people may be rebuilding in this directory: a missing or half-written build is retried later.
    if (!existsSync(path.join(ROOT, "build/index.js"))) {
      if (attempt >= SERVER_START_ATTEMPTS) throw new Error("build/index.js does not exist (run `npm run build`)");
      log(`${name}: build/index.js is missing; waiting ${SERVER_RETRY_WAIT_MS / 1000}s (attempt ${attempt}/${SERVER_START_ATTEMPTS})`);
      await sleep(SERVER_RETRY_WAIT_MS);
      continue;
    }
    const errors: string[] = [];
    const server = await startAppServer(
      { DATABASE_URL: databaseUrl, DATABASE_POOL_MAX: String(POOL_MAX_PER_INSTANCE), SESSION_SECRET: sessionSecret, LOG_LEVEL: "error" },
      (lines) => {
        errors.push(...lines);
        if (errors.length > 2_000) errors.splice(0, errors.length - 2_000);
      },
    );
    const instance: Instance = { name, server, baseUrl: server.baseUrl, errors, stop: onCleanup({ name, run: () => server.stop() }) };
    const started = performance.now();
    try {
      await waitForHealthy(server, HEALTH_TIMEOUT_MS);
      instance.errors.length = 0;
      log(`${name} healthy at ${instance.baseUrl} after ${ms(performance.now() - started)} (pool max ${POOL_MAX_PER_INSTANCE})`);
      return instance;
    } catch (error) {
      await server.stop();
      forgetCleanup(instance.stop);
      if (attempt >= SERVER_START_ATTEMPTS) throw error;
      log(
        `${name} did not start (${(error as Error).message.split("\n")[0]}); retrying in ${SERVER_RETRY_WAIT_MS / 1000}s (attempt ${attempt}/${SERVER_START_ATTEMPTS})`,
      );
      await sleep(SERVER_RETRY_WAIT_MS);
    }
  }
}

async function startInstances(databaseUrl: string, sessionSecret: string): Promise<Instance[]> {
  const instances: Instance[] = [];
  for (let i = 0; i < INSTANCES; i++) instances.push(await startInstance(`instance ${String.fromCharCode(65 + i)}`, databaseUrl, sessionSecret));
  return instances;
}

async function stopInstances(instances: Instance[], force = false): Promise<void> {
  await Promise.all(instances.map((instance) => instance.server.stop(force)));
  for (const instance of instances) forgetCleanup(instance.stop);
}

// ---------- database set-up ----------

type Fixture = { zone: string; hiitId: number; hiitDuration: number; coachId: number; demoUserIds: number[]; extraUserIds: number[] };

async function prepare(orm: MikroORM): Promise<Fixture> {
  const em = orm.em.fork();
  const conn = em.getConnection();
  const zone = (await getSettings(em)).studioTimeZone;
  const one = async <T>(sql: string, params: unknown[] = []) => {
    const rows = await conn.execute<T[]>(sql, params);
    if (!rows.length) throw new Error(`no row for: ${sql}`);
    return rows[0];
  };
  const hiit = await one<{ id: number; default_duration_mins: number }>(
    `select id, default_duration_mins from class_type where lower(name) = 'hiit' and is_active`,
  );
  const coach = await one<{ id: number }>(`select id from "user" where email = ?`, [SESSION_COACH]);
  const plan = await one<{ id: number; type: string; duration_days: number }>(`select id, type, duration_days from membership_plan where name = ?`, [
    EXTRA_PLAN,
  ]);
  if (plan.type !== "PREPAID") throw new Error(`${EXTRA_PLAN} is ${plan.type}, expected PREPAID`);
  // The demo clients' Argon2 hash, so the extra clients sign in with the demo password without hashing 500 times.
  const { password_hash: passwordHash } = await one<{ password_hash: string }>(`select password_hash from "user" where email = 'client1@centurion.test'`);

  const emails = demoClients().map((c) => c.email);
  const demoRows = await conn.execute<{ id: number; email: string }[]>(
    `select id, email from "user" where email in (${emails.map(() => "?").join(", ")})`,
    emails,
  );
  const demoIdByEmail = new Map(demoRows.map((r) => [r.email, r.id]));
  if (demoIdByEmail.size !== emails.length) throw new Error("some demo clients are missing");
  const demoUserIds = emails.map((email) => demoIdByEmail.get(email)!);

  const extraUserIds = await em.transactional(async (tx) => {
    const start = mondayOf(todayIn(zone));
    const end = prepaidEndDate(start, plan.duration_days);
    const users = await tx.execute<{ id: number; email: string }[]>(
      `insert into "user" (email, name, role, password_hash, created_at, updated_at)
       select 'bench' || g || '@centurion.test', 'Bench Client ' || g, 'CLIENT', ?, now(), now() from generate_series(1, ?) g
       returning id, email`,
      [passwordHash, EXTRA_CLIENTS],
    );
    await tx.execute(
      `insert into user_membership (user_id, plan_id, start_date, end_date, status, sessions_remaining, cancel_at_period_end, created_at, updated_at)
       select u.id, ?, ?, ?, 'ACTIVE', null, false, now(), now() from "user" u where u.email like 'bench%@centurion.test'`,
      [plan.id, start, end],
      "run",
    );
    const idByEmail = new Map(users.map((u) => [u.email, u.id]));
    return Array.from({ length: EXTRA_CLIENTS }, (_, i) => idByEmail.get(EXTRA_EMAIL(i + 1))!);
  });
  if (extraUserIds.some((id) => id === undefined)) throw new Error(`could not make ${EXTRA_CLIENTS} extra clients`);
  return { zone, hiitId: hiit.id, hiitDuration: hiit.default_duration_mins, coachId: coach.id, demoUserIds, extraUserIds };
}

let sessionCounter = 0;
/** A fresh HIIT-like session about 36 hours ahead (inside the 14-day window), capacity 10. */
async function createSession(orm: MikroORM, fixture: Fixture, label: string): Promise<{ id: number; start: Date }> {
  const base = Math.floor((Date.now() + 36 * 3_600_000) / 60_000) * 60_000;
  const start = new Date(base + sessionCounter++ * 30 * 60_000);
  const end = new Date(start.getTime() + fixture.hiitDuration * 60_000);
  const [row] = await orm.em
    .fork()
    .getConnection()
    .execute<{ id: number }[]>(
      `insert into "session" (class_type_id, cohort_id, coach_id, title, start_time, end_time, max_occupancy, location, status, booking_opens_days_before, booking_closes_minutes_before, created_at, updated_at)
     values (?, null, ?, ?, ?, ?, ?, ?, 'SCHEDULED', 14, 0, now(), now()) returning id`,
      [fixture.hiitId, fixture.coachId, `HIIT (${label})`, start, end, CAPACITY, DEMO_VENUE.name],
    );
  return { id: row.id, start };
}

type Outcome = { ok: boolean; short: string; text: string };

/** What the database holds for the session after a burst of n bookings. */
async function checkOutcome(orm: MikroORM, sessionId: number, n: number): Promise<Outcome> {
  const conn = orm.em.fork().getConnection();
  const rows = await conn.execute<{ status: string; waitlist_position: number | null; user_id: number }[]>(
    `select status, waitlist_position, user_id from session_registration where session_id = ? order by waitlist_position nulls first, id`,
    [sessionId],
  );
  const registered = rows.filter((r) => r.status === "REGISTERED").length;
  const waitlisted = rows.filter((r) => r.status === "WAITLISTED");
  const other = rows.length - registered - waitlisted.length;
  const positions = waitlisted.map((r) => Number(r.waitlist_position)).sort((a, b) => a - b);
  const wantRegistered = Math.min(n, CAPACITY);
  const wantWaitlisted = Math.max(0, n - CAPACITY);
  const positionsOk = positions.length === wantWaitlisted && positions.every((p, i) => p === i + 1);
  const ok = registered === wantRegistered && waitlisted.length === wantWaitlisted && other === 0 && positionsOk;
  const short = `${registered} reg / ${waitlisted.length} wait${other ? ` / ${other} other` : ""} ${ok ? "✓" : "✗"}`;
  const text =
    `registered ${registered}, waitlisted ${waitlisted.length}${other ? `, other ${other}` : ""}; ` +
    (positionsOk
      ? `waitlist positions are exactly 1..${wantWaitlisted}`
      : `waitlist positions are NOT 1..${wantWaitlisted} (${describePositions(positions)})`) +
    ` → ${ok ? "HOLDS" : "DOES NOT HOLD"} (want ${wantRegistered} registered, ${wantWaitlisted} waitlisted at 1..${wantWaitlisted})`;
  return { ok, short, text };
}

function describePositions(positions: number[]): string {
  const dupes = positions.filter((p, i) => i > 0 && p === positions[i - 1]).length;
  return `${positions.length} positions, min ${positions[0] ?? "-"}, max ${positions[positions.length - 1] ?? "-"}, ${dupes} duplicates`;
}

// ---------- sign-in and the burst ----------

async function mapLimit<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index], index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

async function signIn(http: MiniFetch, baseUrl: string, email: string): Promise<string> {
  const response = await http(`${baseUrl}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD, redirectTo: "" }).toString(),
    redirect: "manual",
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  await response.text();
  const cookies = response.headers.getSetCookie().map((c) => c.split(";")[0]);
  if (response.status !== 303 || cookies.length === 0)
    throw new Error(`sign-in as ${email} at ${baseUrl} answered ${response.status} without a session cookie`);
  return cookies.join("; ");
}

type Answer = { instance: string; status: number; kind: string; ms: number; position: number | null; booked: boolean; message: string | null };

/** The flash message a 303 carries (a signed cookie: base64 of the JSON's UTF-8 bytes, then ".signature"). */
function flashMessage(setCookies: string[]): string | null {
  const raw = setCookies.find((c) => c.startsWith("centurion_flash=") || c.startsWith("__Host-centurion_flash="));
  if (!raw) return null;
  try {
    const value = decodeURIComponent(raw.split(";")[0].split("=").slice(1).join("="));
    return Buffer.from(value.slice(0, value.lastIndexOf(".")), "base64").toString("utf8");
  } catch {
    return null;
  }
}

function alertText(html: string): string | null {
  const match = /role="alert"[^>]*>([^<]*)</.exec(html);
  if (match)
    return match[1]
      .replace(/&#x27;|&#39;/g, "'")
      .replace(/&quot;/g, '"')
      .replace(/&amp;/g, "&")
      .trim();
  const plain = html
    .replace(/<[^>]*>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return plain.slice(0, 160) || null;
}

async function book(http: MiniFetch, instance: Instance, sessionId: number, cookie: string, stop: AbortSignal): Promise<Answer> {
  const started = performance.now();
  try {
    const response = await http(`${instance.baseUrl}/client/sessions/${sessionId}`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
      body: new URLSearchParams({ intent: "book" }).toString(),
      redirect: "manual",
      signal: AbortSignal.any([stop, AbortSignal.timeout(REQUEST_TIMEOUT_MS)]),
    });
    const body = await response.text();
    const elapsed = performance.now() - started;
    const location = response.headers.get("location") ?? "";
    if (response.status === 303) {
      if (location.startsWith("/login"))
        return { instance: instance.name, status: 303, kind: "303 to /login (not signed in!)", ms: elapsed, position: null, booked: false, message: location };
      const flash = flashMessage(response.headers.getSetCookie()) ?? "";
      const position = /waitlist at position (\d+)/.exec(flash);
      const booked = /You're booked/.test(flash);
      return {
        instance: instance.name,
        status: 303,
        kind: booked ? "303 booked" : position ? "303 waitlisted" : "303 (no flash?)",
        ms: elapsed,
        position: position ? Number(position[1]) : null,
        booked,
        message: flash || null,
      };
    }
    return {
      instance: instance.name,
      status: response.status,
      kind: String(response.status),
      ms: elapsed,
      position: null,
      booked: false,
      message: alertText(body),
    };
  } catch (error) {
    const kind = stop.aborted ? "no answer (stalled, aborted)" : "network error";
    return { instance: instance.name, status: 0, kind, ms: performance.now() - started, position: null, booked: false, message: (error as Error).message };
  }
}

type World = { http: MiniFetch; orm: MikroORM; fixture: Fixture; databaseUrl: string; secret: string; instances: Instance[] };

/** One HTTP burst. `inFlight` null: all N at once; else at most that many in flight per instance. */
async function httpRun(world: World, n: number, cookies: string[], inFlight: number | null, name = `N=${n}`): Promise<number | null> {
  const mode = inFlight === null ? "all at once" : `≤${inFlight} in flight/instance`;
  const label = `${name} HTTP, ${mode}`;
  const { instances } = world;
  const session = await createSession(world.orm, world.fixture, label);
  log(`${label}: session ${session.id} at ${session.start.toISOString()}, capacity ${CAPACITY}`);
  for (const instance of instances) instance.errors.length = 0;

  // Client i signed in on instance i % 2 and books on instance (i + 1) % 2.
  const abort = new AbortController();
  const watch = stallWatch();
  const fire = (cookie: string, i: number) => book(world.http, instances[(i + 1) % INSTANCES], session.id, cookie, abort.signal).finally(watch.progress);
  const burstStarted = performance.now();
  let all: Promise<Answer[]>;
  if (inFlight === null) {
    all = Promise.all(cookies.map(fire));
  } else {
    const byInstance = instances.map((_, k) => cookies.map((cookie, i) => ({ cookie, i })).filter(({ i }) => (i + 1) % INSTANCES === k));
    all = Promise.all(byInstance.map((list) => mapLimit(list, inFlight, ({ cookie, i }) => fire(cookie, i)))).then((lists) => lists.flat());
  }
  const stalled = await Promise.race([all.then(() => null), watch.stalled]);
  let wall = performance.now() - burstStarted;
  let stallReport: string[] = [];
  let atStall: Outcome | null = null;
  if (stalled !== null) {
    log(`${label}: STALLED (${stalled}) after ${ms(wall)}; PostgreSQL backends right now:`);
    stallReport = await activity(world.databaseUrl);
    for (const line of stallReport) console.log(`    ${line}`);
    atStall = await checkOutcome(world.orm, session.id, n);
    log(`${label}: committed at the stall: ${atStall.text}`);
    abort.abort();
  }
  const answers = await all;
  watch.stop();
  if (stalled === null) wall = performance.now() - burstStarted;

  const statuses = countBy(answers, (a) => a.kind);
  const answered = answers.filter((a) => a.status !== 0);
  const s = stats((answered.length ? answered : answers).map((a) => a.ms));
  const perSecond = n / (wall / 1000);
  log(`${label}: ${stalled ? `stopped after ${ms(wall)}` : `burst of ${n} in ${ms(wall)} → ${rate(perSecond)}`}`);
  log(`${label}: answers: ${formatCounts(statuses)}`);
  for (const instance of instances)
    log(
      `${label}:   via ${instance.name}: ${formatCounts(
        countBy(
          answers.filter((a) => a.instance === instance.name),
          (a) => a.kind,
        ),
      )}`,
    );
  log(`${label}: latency of ${answered.length} answers: p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`);
  const refused = answers.filter((a) => a.status !== 303 && a.status !== 0);
  if (refused.length) log(`${label}: non-303 answers by message: ${formatCounts(countBy(refused, (a) => `${a.kind}: ${a.message ?? "(no message)"}`))}`);
  const failedNet = answers.filter((a) => a.kind === "network error");
  if (failedNet.length) log(`${label}: network errors: ${formatCounts(countBy(failedNet, (a) => a.message ?? "?"))}`);

  const positions = answers
    .filter((a) => a.position !== null)
    .map((a) => a.position!)
    .sort((a, b) => a - b);
  const booked = answers.filter((a) => a.booked).length;
  const flashOk = booked === Math.min(n, CAPACITY) && positions.length === Math.max(0, n - CAPACITY) && positions.every((p, i) => p === i + 1);
  log(
    `${label}: the 303s' own messages: ${booked} "booked", ${positions.length} "waitlist at position k" (${flashOk ? "positions exactly 1..N−10" : describePositions(positions)})`,
  );

  // A stalled burst is cleared by restarting the instances, which ends their connections and transactions.
  if (stalled !== null) {
    log(`${label}: restarting both instances to clear the stuck requests`);
    await stopInstances(instances, true);
    world.instances = await startInstances(world.databaseUrl, world.secret);
  }
  const outcome = await checkOutcome(world.orm, session.id, n);
  log(`${label}: database${stalled ? " (after clearing)" : ""}: ${outcome.text}`);
  const serverErrors = instances.flatMap((instance) => instance.errors.map((line) => `${instance.name}: ${line}`));
  if (serverErrors.length) {
    log(`${label}: server error log (${serverErrors.length} lines; first 5):`);
    for (const line of serverErrors.slice(0, 5)) console.log(`    ${line.slice(0, 600)}`);
  }

  if (stalled !== null) {
    problems.push(
      `${label}: STALLED (${stalled}): ${answered.length} of ${n} answered, then nothing; at the stall the database held ${atStall?.short}. ` +
        `PostgreSQL: ${stallGist(stallReport)}`,
    );
  } else if (!outcome.ok) problems.push(`${label}: database check failed: ${outcome.text}`);
  const non303 = answers.filter((a) => a.status !== 303);
  if (stalled === null && non303.length) problems.push(`${label}: ${non303.length} answers were not 303 (${formatCounts(countBy(non303, (a) => a.kind))})`);
  if (statuses.has("303 to /login (not signed in!)"))
    problems.push(`${label}: some bookings were sent to /login: a session made on one instance was not recognised by the other`);

  summary.push({
    run: `${name} HTTP`,
    mode,
    n,
    db: stalled ? `STALLED (${atStall?.short})` : outcome.short,
    answers: formatCounts(countBy(answers, (a) => (a.status === 0 ? (a.kind === "network error" ? "net err" : "none") : String(a.status)))),
    p50: ms(s.p50),
    p95: ms(s.p95),
    p99: ms(s.p99),
    max: ms(s.max),
    wall: ms(wall),
    rate: stalled ? "stalled" : rate(perSecond),
  });
  return stalled ? null : perSecond;
}

/** The same booking transaction straight against PostgreSQL: n registerForSession() calls from this process. */
async function ceilingRun(world: World, n: number, userIds: number[], inFlight: number | null, name = `N=${n}`): Promise<number | null> {
  const mode = inFlight === null ? "all at once" : `≤${inFlight} in flight`;
  const label = `${name} DB ceiling, ${mode}`;
  const orm = await MikroORM.init(ormConfig(world.databaseUrl, { pool: { min: 0, max: CEILING_POOL_MAX } }));
  const close = { name: "ceiling orm", run: () => orm.close() };
  onCleanup(close);
  const session = await createSession(orm, world.fixture, label);
  // Warm the pool so the figure is about the transaction, not about opening connections.
  await Promise.all(Array.from({ length: CEILING_POOL_MAX }, () => orm.em.fork().getConnection().execute("select 1")));
  const latencies: number[] = [];
  const failures: string[] = [];
  const watch = stallWatch();
  const call = async (userId: number) => {
    const t = performance.now();
    try {
      const result = await registerForSession(orm.em.fork(), { sessionId: session.id, userId });
      if (!result) failures.push("session not found");
      else if (!result.ok) failures.push(result.formError ?? "refused");
    } catch (error) {
      failures.push(`threw: ${(error as Error).message.split("\n")[0].slice(0, 120)}`);
    }
    latencies.push(performance.now() - t);
    watch.progress();
  };
  const ids = userIds.slice(0, n);
  const started = performance.now();
  const all = inFlight === null ? Promise.all(ids.map(call)) : mapLimit(ids, inFlight, call);
  const stalled = await Promise.race([all.then(() => null), watch.stalled]);
  const wall = performance.now() - started;
  const done = latencies.length;
  let stallReport: string[] = [];
  let atStall: Outcome | null = null;
  if (stalled !== null) {
    log(`${label}: STALLED (${stalled}) after ${ms(wall)} with ${done} of ${n} calls finished; PostgreSQL backends right now:`);
    stallReport = await activity(world.databaseUrl);
    for (const line of stallReport) console.log(`    ${line}`);
    atStall = await checkOutcome(world.orm, session.id, n);
    log(`${label}: committed at the stall: ${atStall.text}`);
    // Clear it: end the busy backends until every call has returned (each round lets queued calls run and stick again).
    const settleStarted = performance.now();
    let settled = false;
    void all.then(() => (settled = true));
    let terminated = 0;
    while (!settled && performance.now() - settleStarted < SETTLE_CAP_MS) {
      terminated += await terminateBusyBackends(world.databaseUrl);
      await sleep(500);
    }
    log(
      `${label}: cleared by terminating ${terminated} backends in ${ms(performance.now() - settleStarted)}${settled ? "" : " (calls still pending; the pool is abandoned)"}`,
    );
    if (!settled) forgetCleanup(close);
  }
  const perSecond = n / (wall / 1000);
  const s = stats(latencies.slice(0, Math.max(done, 1)));
  log(
    `${label}: ${stalled ? `stopped after ${ms(wall)}` : `${n} registerForSession() calls (own pool of ${CEILING_POOL_MAX}) in ${ms(wall)} → ${rate(perSecond)}`}; per call (${done} before any clearing) p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}, max ${ms(s.max)}`,
  );
  if (!stalled && failures.length) log(`${label}: ${failures.length} calls failed: ${formatCounts(countBy(failures, (f) => f))}`);
  const outcome = await checkOutcome(world.orm, session.id, n);
  log(`${label}: database${stalled ? " (after clearing)" : ""}: ${outcome.text}`);
  if (stalled !== null) {
    problems.push(
      `${label}: STALLED (${stalled}): ${done} of ${n} calls returned, then nothing; at the stall the database held ${atStall?.short}. ` +
        `PostgreSQL: ${stallGist(stallReport)}`,
    );
  } else {
    if (!outcome.ok) problems.push(`${label}: database check failed: ${outcome.text}`);
    if (failures.length) problems.push(`${label}: ${failures.length} calls failed (${formatCounts(countBy(failures, (f) => f))})`);
  }
  summary.push({
    run: `${name} DB ceiling`,
    mode,
    n,
    db: stalled ? `STALLED (${atStall?.short})` : outcome.short,
    answers: stalled ? `${done} returned` : failures.length ? `${n - failures.length} ok, ${failures.length} failed` : `${n} ok`,
    p50: ms(s.p50),
    p95: ms(s.p95),
    p99: ms(s.p99),
    max: ms(s.max),
    wall: ms(wall),
    rate: stalled ? "stalled" : rate(perSecond),
  });
  if (hasCleanup(close)) {
    forgetCleanup(close);
    await orm.close();
  }
  return stalled ? null : perSecond;
}

// ---------- main ----------

async function main(): Promise<void> {
  const dataDir = path.join(os.tmpdir(), uniqueDatabaseName("centurion-bench-pg"));
  onCleanup({ name: "data dir", run: () => rmSync(dataDir, { recursive: true, force: true }) });
  const pgStarted = performance.now();
  const postgres = await startEmbeddedPostgres({ dataDir, persistent: false });
  onCleanup({ name: "postgres", run: () => postgres.stop() });
  const database = "centurion_bench";
  await createDatabase(postgres.url("postgres"), database);
  const databaseUrl = postgres.url(database);
  await migrate(databaseUrl);
  await seed(databaseUrl);
  log(
    `PostgreSQL started, migrated and seeded in ${ms(performance.now() - pgStarted)} (machine: ${os.cpus().length} CPU, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")})`,
  );

  const orm = await MikroORM.init(ormConfig(databaseUrl, { pool: { min: 0, max: 5 } }));
  onCleanup({ name: "orm", run: () => orm.close() });
  const fixture = await prepare(orm);
  log(`added ${fixture.extraUserIds.length} extra clients with an ACTIVE "${EXTRA_PLAN}" (PREPAID) membership`);

  const client = await makeFetch();
  onCleanup({ name: "http agent", run: () => client.close() });
  log(`HTTP client: ${client.label}`);

  const secret = randomBytes(32).toString("hex");
  const world: World = { http: client.fetch, orm, fixture, databaseUrl, secret, instances: await startInstances(databaseUrl, secret) };
  onCleanup({ name: "instances", run: () => stopInstances(world.instances) });

  const emailsFor = (n: number) => (n === DEMO_CLIENT_COUNT ? demoClients().map((c) => c.email) : Array.from({ length: n }, (_, i) => EXTRA_EMAIL(i + 1)));
  const userIdsFor = (n: number) => (n === DEMO_CLIENT_COUNT ? fixture.demoUserIds : fixture.extraUserIds);

  const http = new Map<string, number | null>();
  const cookiesFor = new Map<number, string[]>();
  for (const n of RUNS) {
    // Sign in (not timed): client i on instance i % 2. The cookies stay valid across restarts (sessions live in PostgreSQL).
    const signInStarted = performance.now();
    const cookies = await mapLimit(emailsFor(n), SIGN_IN_CONCURRENCY, (email, i) => signIn(client.fetch, world.instances[i % INSTANCES].baseUrl, email));
    cookiesFor.set(n, cookies);
    log(
      `N=${n}: ${n} clients (${n === DEMO_CLIENT_COUNT ? "the demo clients: recurring, pack and prepaid" : "extra clients, prepaid"}) signed in in ${ms(performance.now() - signInStarted)}, ${SIGN_IN_CONCURRENCY} at a time, alternating instances (not timed in the result)`,
    );
  }
  // A studio's server has booked before: warm both instances' booking path (JIT, pools) on a session of
  // its own, with prepaid clients (no weekly limit to use up). Shown in the table, left out of the figures.
  await httpRun(world, WARM_UP, cookiesFor.get(500)!.slice(0, WARM_UP), BOUNDED_IN_FLIGHT, "warm-up");
  for (const n of RUNS) http.set(`${n} all`, await httpRun(world, n, cookiesFor.get(n)!, null));
  for (const n of RUNS) http.set(`${n} bounded`, await httpRun(world, n, cookiesFor.get(n)!, BOUNDED_IN_FLIGHT));

  await stopInstances(world.instances);
  world.instances = [];
  log("app instances stopped; now the database ceiling");

  const ceiling = new Map<string, number | null>();
  await ceilingRun(world, WARM_UP, userIdsFor(500).slice(0, WARM_UP), BOUNDED_IN_FLIGHT, "warm-up");
  for (const n of RUNS) ceiling.set(`${n} all`, await ceilingRun(world, n, userIdsFor(n), null));
  for (const n of RUNS) ceiling.set(`${n} bounded`, await ceilingRun(world, n, userIdsFor(n), BOUNDED_IN_FLIGHT));

  console.log("");
  for (const key of RUNS.flatMap((n) => [`${n} all`, `${n} bounded`])) {
    const [n, kind] = key.split(" ");
    const h = http.get(key) ?? null;
    const c = ceiling.get(key) ?? null;
    const what = kind === "all" ? "all at once" : `≤${BOUNDED_IN_FLIGHT} in flight (per instance / per pool)`;
    const fraction = h !== null && c !== null ? `HTTP reaches ${((h / c) * 100).toFixed(1)}% of the ceiling` : "no fraction: a run stalled";
    log(`N=${n}, ${what}: HTTP ${h === null ? "stalled" : rate(h)} vs database ceiling ${c === null ? "stalled" : rate(c)} → ${fraction}`);
  }
}

function printSummary() {
  if (!summary.length || wasInterrupted()) return;
  const columns: (keyof SummaryRow)[] = ["run", "mode", "n", "db", "answers", "p50", "p95", "p99", "max", "wall", "rate"];
  const left = new Set<keyof SummaryRow>(["run", "mode", "db", "answers"]);
  const cells = summary.map((row) => columns.map((col) => String(row[col])));
  const widths = columns.map((col, i) => Math.max(col.length, ...cells.map((r) => r[i].length)));
  const line = (values: string[]) => values.map((v, k) => (left.has(columns[k]) ? v.padEnd(widths[k]) : v.padStart(widths[k]))).join("  ");
  console.log(
    `\nSummary (node ${process.version}, ${os.cpus().length} CPU, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(
        " ",
      )}, ${new Date().toISOString()}; ${INSTANCES} instances × pool ${POOL_MAX_PER_INSTANCE}, ceiling pool ${CEILING_POOL_MAX}, capacity ${CAPACITY};` +
      ` db ✓ = 10 registered and N−10 waitlisted at 1..N−10; latencies are per answer; rate = N / wall)`,
  );
  console.log(line(columns));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const r of cells) console.log(line(r));
  if (problems.length) {
    console.log("\nProblems:");
    for (const problem of problems) console.log(`  - ${problem}`);
  }
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
