// Booking rush: many clients book the same 10-place class at the same instant.
//   npm run bench:booking [-- --rounds R]      (R = 5 rounds of N = 60 by default)
// Needs `npm run build` (runs it when build/ is missing). PostgreSQL with its durable defaults (fsync and
// synchronous_commit on): the server at BENCH_DATABASE_URL, else an embedded one started durable
// (./postgres.ts); the header prints the settings. Migrates and seeds a throwaway database, then:
//   - N = 60 against ONE instance of the compiled server (node build/server/start.js, job workers on, as
//     `npm start` runs it), R rounds: each on a new session, with 60 new clients (recurring plans with a
//     weekly limit, packs and prepaid passes in turn), signed in beforehand (not timed), all 60
//     `POST /client/sessions/:id` (intent=book) fired at once; latency of each answer, rate = N / wall;
//   - N = 500 on TWO instances of the same database, client i on instance i % 2: every answer must be a
//     303 saying "booked" or "waitlist at position p", and the database must hold exactly 10 registered
//     and 490 waitlisted at positions 1..490, each position told to exactly one client;
//   - the database ceiling, measured right after each HTTP run on a new session with as many connections
//     as there were clients (at most 250): the contended transaction the issue names, sent straight to
//     PostgreSQL — begin; lock the session row; count its places; insert a registration; update the
//     membership; commit — once a statement per round trip ("reference"), once all in one round trip as
//     the app sends its own ("one round trip"). The figure to read is HTTP rate / reference ceiling.
// Figures only: timings never fail the run; a wrong answer or a wrong count in the database does.
// Only 127.0.0.1. Everything it starts is stopped, even on errors or Ctrl-C.
import { MikroORM } from "@mikro-orm/postgresql";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { migrate } from "../../db/migrate";
import { seed } from "../../db/seed";
import { ROOT, startAppServer, waitForHealthy, type AppServer } from "../support/app-server";
import { benchDatabase } from "./postgres";
import { cleanup, log, ms, onCleanup, stats, wasInterrupted } from "./support";

const { values: args } = parseArgs({ options: { rounds: { type: "string", default: "5" } } });
const ROUNDS = Math.max(1, Number(args.rounds));
const SMALL = 60;
const LARGE = 500;
const CAPACITY = 10;
const WARM_UP = 200;
const MAX_CEILING_CONNECTIONS = 250; // the embedded server allows 300
const SESSION_COACH = "conor@centurion.test"; // teaches nothing in the seeded timetable
// Clients take these plans in turn: a weekly limit (counted under the lock), a pack (charged), a prepaid pass.
const PLANS = ["Committed", "10 Personal Training Sessions", "8 WEEK CHALLENGE"];
const REQUEST_TIMEOUT_MS = 120_000;

// SESSION_SECRET before the app's cookie module is loaded: the bench signs its clients' cookies itself.
const SECRET = randomBytes(32).toString("hex");
process.env.SESSION_SECRET = SECRET;
const { getAuthCookie } = await import("../../app/modules/auth/auth-session.server");
const { createAuthSession } = await import("../../app/modules/auth/auth.service.server");
const { ormConfig } = await import("../../app/modules/orm-config.server");
const { Client } = createRequire(import.meta.url)("pg") as { Client: new (config: { connectionString: string }) => PgConnection };
type PgConnection = {
  connect(): Promise<void>;
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  end(): Promise<void>;
  on(e: "error", f: () => void): void;
};

const rate = (value: number) => `${value.toFixed(1)}/s`;

// ---------- the database ----------

type Fixture = { url: string; orm: MikroORM; classTypeId: number; coachId: number; planIds: number[]; durationMins: number };
let clientCounter = 0;
let sessionCounter = 0;

/** n new clients, each with an active membership of the next plan in turn, and a signed-in cookie. */
async function makeClients(fixture: Fixture, n: number): Promise<{ ids: number[]; cookies: string[] }> {
  const em = fixture.orm.em.fork();
  const first = clientCounter + 1;
  clientCounter += n;
  const rows = await em.execute<{ id: number }[]>(
    `insert into "user" (email, name, role, password_hash, created_at, updated_at)
     select 'rush' || g || '@bench.test', 'Rush Client ' || g, 'CLIENT', 'not-a-hash', now(), now() from generate_series(?::int, ?::int) g
     returning id`,
    [first, clientCounter],
  );
  const ids = rows.map((r) => r.id).sort((a, b) => a - b);
  await em.execute(
    `insert into user_membership (user_id, plan_id, start_date, end_date, status, sessions_remaining, cancel_at_period_end, created_at, updated_at)
     select u.id, p.id, current_date - 1, case when p.type = 'PREPAID' then current_date + p.duration_days else null end, 'ACTIVE',
            case when p.type = 'PACK' then p.total_sessions else null end, false, now(), now()
       from unnest(array[?]::int[]) with ordinality as u(id, i)
       join membership_plan p on p.id = (array[?]::int[])[1 + (u.i::int % ?)]`,
    [ids, fixture.planIds, fixture.planIds.length],
    "run",
  );
  const cookies: string[] = [];
  for (const id of ids) cookies.push((await getAuthCookie().serialize(await createAuthSession(em, { userId: id }))).split(";")[0]);
  return { ids, cookies };
}

/** A new HIIT session a day and a half ahead (inside the booking window), capacity 10. */
async function createSession(fixture: Fixture, label: string): Promise<number> {
  const start = new Date(Math.floor((Date.now() + 36 * 3_600_000) / 60_000) * 60_000 + sessionCounter++ * 30 * 60_000);
  const [row] = await fixture.orm.em.fork().execute<{ id: number }[]>(
    `insert into "session" (class_type_id, coach_id, title, start_time, end_time, max_occupancy, status, booking_opens_days_before, booking_closes_minutes_before, created_at, updated_at)
     values (?, ?, ?, ?, ?, ?, 'SCHEDULED', 14, 0, now(), now()) returning id`,
    [fixture.classTypeId, fixture.coachId, `HIIT (${label})`, start, new Date(start.getTime() + fixture.durationMins * 60_000), CAPACITY],
  );
  return row.id;
}

type Held = { registered: number; waitlisted: number; other: number; positionsOk: boolean; text: string; ok: boolean };

/** What the database holds for a session after n bookings: min(n, 10) registered, the rest waitlisted at 1..n − 10. */
async function held(fixture: Fixture, sessionId: number, n: number): Promise<Held> {
  const rows = await fixture.orm.em
    .fork()
    .execute<{ status: string; waitlist_position: number | null }[]>(`select status, waitlist_position from session_registration where session_id = ?`, [
      sessionId,
    ]);
  const registered = rows.filter((r) => r.status === "REGISTERED").length;
  const positions = rows
    .filter((r) => r.status === "WAITLISTED")
    .map((r) => Number(r.waitlist_position))
    .sort((a, b) => a - b);
  const other = rows.length - registered - positions.length;
  const wantWaitlisted = Math.max(0, n - CAPACITY);
  const positionsOk = positions.length === wantWaitlisted && positions.every((p, i) => p === i + 1);
  const ok = registered === Math.min(n, CAPACITY) && positionsOk && other === 0;
  const text = `${registered} registered, ${positions.length} waitlisted${other ? `, ${other} other` : ""}${positionsOk ? ` at 1..${wantWaitlisted}` : " (positions NOT 1..n)"} ${ok ? "✓" : "✗"}`;
  return { registered, waitlisted: positions.length, other, positionsOk, text, ok };
}

/** Waits until the job workers have delivered every notification (a real rush starts on a quiet server). */
async function waitForQuiet(fixture: Fixture): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    const [row] = await fixture.orm.em
      .fork()
      .execute<{ n: string }[]>(
        `select count(*) as n from notification n join "user" u on u.id = n.user_id where n.sent_at is null and u.email like 'rush%@bench.test'`,
      );
    if (Number(row.n) === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  await new Promise((resolve) => setTimeout(resolve, 500));
}

// ---------- HTTP ----------

type Answer = { status: number; ms: number; booked: boolean; position: number | null; text: string };
type Http = { request(url: string, cookie: string): Promise<Answer>; close(): Promise<void> };

/**
 * Node's own http client with a keep-alive agent (lighter than fetch: the load generator shares the machine).
 * It closes a socket left idle 1 s before the server would (the server's `Keep-Alive: timeout=5` hint), as
 * fetch does; an agent without a `timeout` ignores that hint and keeps idle sockets for good. A rush that
 * started about 5 s after the last then went out on sockets the server, busy with the rush, was closing at
 * that moment: "socket hang up" for requests that never reached the app. (A browser sends such a request again.)
 */
function makeHttp(): Http {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 600, timeout: REQUEST_TIMEOUT_MS });
  return {
    request(url, cookie) {
      const started = performance.now();
      return new Promise<Answer>((resolve) => {
        const request = http.request(
          url,
          {
            method: "POST",
            agent,
            timeout: REQUEST_TIMEOUT_MS,
            headers: { "content-type": "application/x-www-form-urlencoded", "content-length": "11", cookie },
          },
          (response) => {
            let body = "";
            response.setEncoding("utf8");
            response.on("data", (chunk: string) => (body += chunk));
            response.on("end", () => {
              const flash = flashOf(response.headers["set-cookie"] ?? []);
              const position = /waitlist at position (\d+)/.exec(flash ?? "");
              resolve({
                status: response.statusCode ?? 0,
                ms: performance.now() - started,
                booked: /You're booked/.test(flash ?? ""),
                position: position ? Number(position[1]) : null,
                text:
                  flash ??
                  `${response.headers.location ?? ""} ${body
                    .replace(/<[^>]*>/g, " ")
                    .replace(/\s+/g, " ")
                    .slice(0, 120)}`,
              });
            });
          },
        );
        request.on("timeout", () => request.destroy(new Error("no answer in time")));
        request.on("error", (error) => resolve({ status: 0, ms: performance.now() - started, booked: false, position: null, text: error.message }));
        request.end("intent=book");
      });
    },
    close: async () => agent.destroy(),
  };
}

/** The flash message a 303 carries (a signed cookie: base64 of the JSON, then ".signature"). */
function flashOf(setCookies: string[]): string | null {
  const raw = setCookies.find((c) => /^(__Host-)?centurion_flash=/.test(c));
  if (!raw) return null;
  const value = decodeURIComponent(raw.split(";")[0].split("=").slice(1).join("="));
  return Buffer.from(value.slice(0, value.lastIndexOf(".")), "base64").toString("utf8");
}

async function startInstance(name: string, url: string): Promise<AppServer> {
  // As a studio runs it: the default log level (a line per request), job workers on.
  const server = await startAppServer({ DATABASE_URL: url, SESSION_SECRET: SECRET, NODE_ENV: "test" });
  onCleanup({ name, run: () => server.stop() });
  await waitForHealthy(server, 60_000);
  log(`${name} healthy at ${server.baseUrl} (node build/server/start.js, default pool, job workers on)`);
  return server;
}

type Run = { label: string; n: number; answers: Answer[]; wall: number; held: Held; cpu: Cpu };
/** CPU time (ms) used during a burst by the app's instances, by PostgreSQL's processes and by this load generator. */
type Cpu = { app: number; postgres: number; generator: number };

/** utime + stime of a process from /proc (Linux), in ms; 0 where /proc cannot say. */
function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS;
  } catch {
    return 0;
  }
}
const CLOCK_TICKS = 100;

function postgresCpu(): number {
  let total = 0;
  for (const entry of existsSync("/proc") ? readdirSync("/proc") : []) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, "utf8").trim().startsWith("postgres")) total += cpuOf(Number(entry));
    } catch {
      // gone already
    }
  }
  return total;
}

function cpuMeter(instances: AppServer[]): () => Cpu {
  const app = () => instances.reduce((sum, instance) => sum + cpuOf(instance.child.pid ?? 0), 0);
  const [app0, postgres0, generator0] = [app(), postgresCpu(), process.cpuUsage()];
  return () => {
    const generator = process.cpuUsage(generator0);
    return { app: app() - app0, postgres: postgresCpu() - postgres0, generator: (generator.user + generator.system) / 1000 };
  };
}

/** n bookings of a new session at once (or `inFlight` at a time), client i on instances[i % instances.length]. */
async function rush(fixture: Fixture, http: Http, instances: AppServer[], n: number, label: string, inFlight = n): Promise<Run> {
  const clients = await makeClients(fixture, n);
  const sessionId = await createSession(fixture, label);
  await waitForQuiet(fixture);
  const answers: Answer[] = new Array(n);
  let next = 0;
  const meter = cpuMeter(instances);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Math.min(inFlight, n) }, async () => {
      while (next < n) {
        const i = next++;
        answers[i] = await http.request(`${instances[i % instances.length].baseUrl}/client/sessions/${sessionId}`, clients.cookies[i]);
      }
    }),
  );
  const wall = performance.now() - started;
  const cpu = meter();
  return { label, n, answers, wall, cpu, held: await held(fixture, sessionId, n) };
}

/** After a run with wrong answers: which instance each went to, whether the instances still run, and what they last logged besides requests. */
function describeInstances(run: Run, instances: AppServer[]): void {
  instances.forEach((instance, k) => {
    const wrong = run.answers.filter((answer, i) => i % instances.length === k && (answer.status !== 303 || (!answer.booked && answer.position === null)));
    const state =
      instance.child.exitCode !== null || instance.child.signalCode !== null
        ? `exited (${instance.child.exitCode ?? instance.child.signalCode})`
        : "still running";
    console.error(`[bench] instance ${"AB"[k] ?? k}: ${wrong.length} wrong answers, ${state}; its last lines besides requests:`);
    for (const line of instance
      .lastLines()
      .filter((l) => !/"req":\{/.test(l))
      .slice(-15))
      console.error(`    ${line}`);
  });
}

/** Every answer a 303 that books or gives a waitlist position; the positions told are 1..n − 10, each once. */
function answersProblems(run: Run): string[] {
  const problems: string[] = [];
  const wrong = run.answers.filter((a) => a.status !== 303 || (!a.booked && a.position === null));
  if (wrong.length) problems.push(`${wrong.length} answers neither booked nor waitlisted, e.g. ${wrong[0].status} ${wrong[0].text}`);
  const booked = run.answers.filter((a) => a.booked).length;
  if (booked !== Math.min(run.n, CAPACITY)) problems.push(`${booked} answers say booked, want ${Math.min(run.n, CAPACITY)}`);
  const told = run.answers
    .map((a) => a.position)
    .filter((p): p is number => p !== null)
    .sort((a, b) => a - b);
  if (told.length !== Math.max(0, run.n - CAPACITY) || told.some((p, i) => p !== i + 1))
    problems.push(`the waitlist positions told are not 1..${run.n - CAPACITY}, each once`);
  if (!run.held.ok) problems.push(`the database holds ${run.held.text}`);
  return problems;
}

// ---------- the ceiling ----------

type Ceiling = { connections: number; rate: number; p50: number; p99: number };

/**
 * n bookings of a new session straight to PostgreSQL from min(n, 250) connections, all at once: the
 * contended transaction (lock the session, count its places, insert, update the membership, commit),
 * a statement per round trip, or all of it in one round trip.
 */
async function ceiling(fixture: Fixture, n: number, oneRoundTrip: boolean): Promise<Ceiling> {
  const clients = await makeClients(fixture, n);
  const [membershipRows, sessionId] = await Promise.all([
    fixture.orm.em
      .fork()
      .execute<{ id: number; user_id: number }[]>(`select id, user_id from user_membership where user_id = any(array[?]::int[])`, [clients.ids]),
    createSession(fixture, oneRoundTrip ? "ceiling, one round trip" : "ceiling"),
  ]);
  const membershipOf = new Map(membershipRows.map((m) => [m.user_id, m.id]));
  const count = Math.min(n, MAX_CEILING_CONNECTIONS);
  const connections = await Promise.all(
    Array.from({ length: count }, async () => {
      const client = new Client({ connectionString: fixture.url });
      client.on("error", () => {});
      await client.connect();
      await client.query("select 1");
      return client;
    }),
  );
  const place = `insert into session_registration (session_id, user_id, status, waitlist_position, registered_at, membership_id)
                 select $1, $2, case when p.taken < s.max_occupancy then 'REGISTERED' else 'WAITLISTED' end,
                        case when p.taken < s.max_occupancy then null else p.last + 1 end, now(), $3
                   from (select count(*) filter (where status in ('REGISTERED', 'ATTENDED', 'NO_SHOW')) as taken,
                                coalesce(max(waitlist_position) filter (where status = 'WAITLISTED'), 0) as last
                           from session_registration where session_id = $1) p,
                        (select max_occupancy from session where id = $1) s`;
  const latencies: number[] = [];
  let next = 0;
  await waitForQuiet(fixture);
  const started = performance.now();
  await Promise.all(
    connections.map(async (client) => {
      while (next < n) {
        const userId = clients.ids[next++];
        const membershipId = membershipOf.get(userId)!;
        const t = performance.now();
        if (oneRoundTrip) {
          await client.query(
            [
              `begin`,
              `select id from session where id = ${sessionId} for update`,
              `select count(*) from session_registration where session_id = ${sessionId} and status in ('REGISTERED', 'ATTENDED', 'NO_SHOW')`,
              place.replaceAll("$1", String(sessionId)).replace("$2", String(userId)).replace("$3", String(membershipId)),
              `update user_membership set updated_at = now() where id = ${membershipId}`,
              `commit`,
            ].join(";"),
          );
        } else {
          await client.query("begin");
          await client.query("select id from session where id = $1 for update", [sessionId]);
          await client.query(`select count(*) from session_registration where session_id = $1 and status in ('REGISTERED', 'ATTENDED', 'NO_SHOW')`, [
            sessionId,
          ]);
          await client.query(place, [sessionId, userId, membershipId]);
          await client.query("update user_membership set updated_at = now() where id = $1", [membershipId]);
          await client.query("commit");
        }
        latencies.push(performance.now() - t);
      }
    }),
  );
  const wall = performance.now() - started;
  await Promise.all(connections.map((c) => c.end()));
  const check = await held(fixture, sessionId, n);
  if (!check.ok) throw new Error(`the ceiling's own transaction left ${check.text}`);
  const s = stats(latencies);
  return { connections: count, rate: n / (wall / 1000), p50: s.p50, p99: s.p99 };
}

// ---------- report ----------

type Row = { what: string; n: number; rate: number; p50: number; p95: number; p99: number; reference: Ceiling; oneTrip: Ceiling; db: string; cpu: Cpu };
const rows: Row[] = [];

function report(run: Run, reference: Ceiling, oneTrip: Ceiling, what: string): void {
  const s = stats(run.answers.map((a) => a.ms));
  const httpRate = run.n / (run.wall / 1000);
  rows.push({ what, n: run.n, rate: httpRate, p50: s.p50, p95: s.p95, p99: s.p99, reference, oneTrip, db: run.held.text, cpu: run.cpu });
  log(
    `${run.label}: HTTP ${rate(httpRate)} (p50 ${ms(s.p50)}, p95 ${ms(s.p95)}, p99 ${ms(s.p99)}); ceiling ${rate(reference.rate)} ` +
      `(${reference.connections} connections; one round trip ${rate(oneTrip.rate)}) → ratio ${(httpRate / reference.rate).toFixed(2)} ` +
      `(${(httpRate / oneTrip.rate).toFixed(2)} of one round trip); database: ${run.held.text}`,
  );
  const per = (value: number) => (value / run.n).toFixed(2);
  log(
    `${run.label}: CPU per booking: app ${per(run.cpu.app)} ms, PostgreSQL ${per(run.cpu.postgres)} ms, this load generator ${per(run.cpu.generator)} ms ` +
      `(in ${ms(run.wall)} of wall time on ${os.cpus().length} cores)`,
  );
}

function printSummary(): void {
  if (!rows.length || wasInterrupted()) return;
  console.log(
    `\nSummary — npm run bench:booking (node ${process.version}, ${os.cpus().length} CPU, load average ${os
      .loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}, ${new Date().toISOString()}):`,
  );
  const header = ["run", "N", "HTTP rate", "p50", "p95", "p99", "ceiling", "ratio", "1-trip ceiling", "ratio", "CPU/booking app+pg+gen", "database"];
  const cells = rows.map((r) => [
    r.what,
    String(r.n),
    rate(r.rate),
    ms(r.p50),
    ms(r.p95),
    ms(r.p99),
    rate(r.reference.rate),
    (r.rate / r.reference.rate).toFixed(2),
    rate(r.oneTrip.rate),
    (r.rate / r.oneTrip.rate).toFixed(2),
    [r.cpu.app, r.cpu.postgres, r.cpu.generator].map((v) => (v / r.n).toFixed(1)).join("+") + " ms",
    r.db,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i].length)));
  const line = (values: string[]) => values.map((v, i) => (i === 0 || i === values.length - 1 ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join("  ");
  console.log(line(header));
  console.log(widths.map((w) => "-".repeat(w)).join("  "));
  for (const c of cells) console.log(line(c));
  const small = rows.filter((r) => r.n === SMALL);
  if (small.length) {
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    console.log(
      `\nN = ${SMALL}, one instance, median of ${small.length} rounds: p99 ${ms(median(small.map((r) => r.p99)))} (target < 250 ms), ` +
        `ratio to the ceiling ${median(small.map((r) => r.rate / r.reference.rate)).toFixed(2)} (target ≥ 0.5), ` +
        `to the one-round-trip ceiling ${median(small.map((r) => r.rate / r.oneTrip.rate)).toFixed(2)}`,
    );
    const appPerBooking = median(small.map((r) => r.cpu.app / r.n));
    const allPerBooking = median(small.map((r) => (r.cpu.app + r.cpu.postgres + r.cpu.generator) / r.n));
    console.log(
      `CPU: the instance alone needs ${ms(appPerBooking * SMALL)} of one core for ${SMALL} bookings (${appPerBooking.toFixed(2)} ms each), ` +
        `and app + PostgreSQL + load generator ${ms((allPerBooking * SMALL) / os.cpus().length)} of all ${os.cpus().length} cores: ` +
        `the last answer cannot come sooner than that on this machine.`,
    );
  }
}

// ---------- main ----------

async function main(): Promise<number> {
  if (!existsSync(path.join(ROOT, "build/server/start.js"))) throw new Error("build/server/start.js is missing: run `npm run build` first");
  const database = await benchDatabase("centurion_rush");
  const seeding = performance.now();
  await migrate(database.url);
  await seed(database.url);
  log(`migrated and seeded in ${ms(performance.now() - seeding)}`);
  const orm = await MikroORM.init(ormConfig(database.url, { pool: { min: 0, max: 4 } }));
  onCleanup({ name: "orm", run: () => orm.close() });
  const em = orm.em.fork();
  const [classType] = await em.execute<{ id: number; default_duration_mins: number }[]>(
    `select id, default_duration_mins from class_type where lower(name) = 'hiit'`,
  );
  const [coach] = await em.execute<{ id: number }[]>(`select id from "user" where email = ?`, [SESSION_COACH]);
  const plans = await em.execute<{ id: number; name: string }[]>(`select id, name from membership_plan where name in (?)`, [PLANS]);
  if (plans.length !== PLANS.length) throw new Error(`the seed lacks one of the plans ${PLANS.join(", ")}`);
  const fixture: Fixture = {
    url: database.url,
    orm,
    classTypeId: classType.id,
    coachId: coach.id,
    planIds: PLANS.map((name) => plans.find((p) => p.name === name)!.id),
    durationMins: classType.default_duration_mins,
  };
  const http = makeHttp();
  onCleanup({ name: "http", run: () => http.close() });
  log(`clients hold, in turn: ${PLANS.join(", ")}; capacity ${CAPACITY}; machine: ${os.cpus().length} CPU, load average ${os.loadavg()[0].toFixed(1)}`);

  const a = await startInstance("instance A", database.url);
  // A studio's server has booked before: warm it (JIT, pools), not counted.
  await rush(fixture, http, [a], WARM_UP, "warm-up", 5);
  await ceiling(fixture, SMALL, false);
  const problems: string[] = [];
  for (let round = 1; round <= ROUNDS; round++) {
    const run = await rush(fixture, http, [a], SMALL, `N=${SMALL} round ${round}`);
    problems.push(...answersProblems(run).map((p) => `${run.label}: ${p}`));
    report(run, await ceiling(fixture, SMALL, false), await ceiling(fixture, SMALL, true), `N=${SMALL}, 1 instance`);
  }
  const b = await startInstance("instance B", database.url);
  const large = await rush(fixture, http, [a, b], LARGE, `N=${LARGE} on two instances`);
  problems.push(...answersProblems(large).map((p) => `${large.label}: ${p}`));
  if (problems.length) describeInstances(large, [a, b]);
  report(large, await ceiling(fixture, LARGE, false), await ceiling(fixture, LARGE, true), `N=${LARGE}, 2 instances`);
  log(
    `N=${LARGE}: ${large.answers.filter((x) => x.booked).length} answers booked, ${large.answers.filter((x) => x.position !== null).length} waitlisted with a position each`,
  );
  log(`database: ${database.description}`);
  if (problems.length) {
    for (const problem of problems) console.error(`[bench] WRONG: ${problem}`);
    return 1;
  }
  log("every answer and every count in the database correct");
  return 0;
}

let exitCode = 0;
try {
  exitCode = await main();
} catch (error) {
  exitCode = 1;
  if (!wasInterrupted()) console.error("[bench] failed:", error instanceof Error ? (error.stack ?? error.message) : error);
} finally {
  await cleanup();
  printSummary();
}
process.exit(exitCode);
