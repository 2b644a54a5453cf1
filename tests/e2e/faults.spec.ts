// Faults under a booking load, against the compiled production server (build/server/start.js) and a
// PostgreSQL of this spec's own that it stops and starts (the embedded PostgreSQL 18, persistent, on a
// fixed port). No browser: it runs once, in the "http" project. The outage and the kill are defined by
// state (the stop returned, the start returned, so many answers came), never by sleeping; nothing is timed.
//
// - PostgreSQL restarted mid-load: every answer while it is down is a 503 page with a human message and a
//   Retry-After (never a 500, never a hang), the same server process serves bookings again once it is
//   back, and the invariants hold (tests/support/invariants.ts).
// - The app killed with SIGKILL mid-load: a new process on the same database finds the invariants holding,
//   and serves the same signed-in clients.
import { MikroORM } from "@mikro-orm/postgresql";
import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ormConfig } from "../../app/modules/orm-config.server";
import { RETRY_AFTER_SECONDS, UNAVAILABLE_TEXT } from "../../app/utils/database-outage";
import { addDays, todayIn, toInstant } from "../../app/utils/time";
import { startEmbeddedPostgres, type EmbeddedDatabase } from "../../server/embedded-postgres";
import { startAppServer, waitForHealthy, type AppServer } from "../support/app-server";
import { BookingLoad, signInCookie, type Outcome } from "../support/booking-load";
import { createMembership, createPlan, createSession, createUser, TEST_PASSWORD } from "../support/factories";
import { bookingInvariantViolations, bookingTotals } from "../support/invariants";
import { createDatabase, uniqueDatabaseName, withClient, withDatabase } from "../support/pg";

// One after the other in one worker (they share this file's PostgreSQL), each going on if another failed.
test.describe.configure({ mode: "default" });

const ZONE = "Europe/London";
const CLIENTS = 10;
const SECRET = randomBytes(32).toString("hex");

let postgres: EmbeddedDatabase;
const dataDir = path.join(os.tmpdir(), uniqueDatabaseName("centurion-faults-pg"));
let port: number;
const servers: AppServer[] = [];

/** (Re)starts this file's cluster on its one port, so the app's DATABASE_URL stays right across a restart. */
async function startPostgres(): Promise<void> {
  postgres = await startEmbeddedPostgres({ dataDir, persistent: true, port: port || undefined });
  port = Number(new URL(postgres.url("postgres")).port);
}

test.beforeAll(async () => {
  test.setTimeout(180_000);
  await startPostgres();
});

test.afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop(true)));
  await postgres?.stop().catch(() => {});
  rmSync(dataDir, { recursive: true, force: true });
});

/** A new database on the cluster, migrated by the app itself as it starts. */
async function newDatabase(): Promise<string> {
  const name = uniqueDatabaseName("centurion_faults");
  await createDatabase(postgres.url("postgres"), name);
  return withDatabase(postgres.url("postgres"), name);
}

async function startServer(databaseUrl: string): Promise<AppServer> {
  const server = await startAppServer({ DATABASE_URL: databaseUrl, SESSION_SECRET: SECRET, LOG_LEVEL: "warn" });
  servers.push(server);
  try {
    await waitForHealthy(server, 120_000);
  } catch (error) {
    await server.stop(true);
    throw error;
  }
  return server;
}

type World = { sessionIds: number[]; userIds: number[]; emails: string[] };

/**
 * Four sessions of three places: three in a few days (a cancel there is free and refunds a pack) and one
 * starting within the studio's late-cancel cut-off (a cancel there is late and keeps the charge). Ten
 * clients: eight with a pack of 20 sessions, two with a recurring plan of two sessions a week.
 */
async function makeWorld(databaseUrl: string): Promise<World> {
  const orm = await MikroORM.init(ormConfig(databaseUrl, { pool: { min: 0, max: 2 } }));
  try {
    const em = orm.em.fork();
    const coach = await createUser(em, { role: "COACH" });
    const day = addDays(todayIn(ZONE), 3);
    const starts = [toInstant(day, "10:00", ZONE), toInstant(day, "11:00", ZONE), toInstant(day, "12:00", ZONE), new Date(Date.now() + 90 * 60_000)];
    const sessionIds: number[] = [];
    for (const start of starts) sessionIds.push((await createSession(em, { coach, start, capacity: 3 })).id);
    const pack = await createPlan(em, { type: "PACK", totalSessions: 20 });
    const recurring = await createPlan(em, { type: "RECURRING", sessionsPerWeek: 2 });
    const userIds: number[] = [];
    const emails: string[] = [];
    for (let i = 0; i < CLIENTS; i++) {
      const user = await createUser(em);
      await createMembership(em, { user, plan: i < 8 ? pack : recurring, startDate: addDays(todayIn(ZONE), -7) });
      userIds.push(user.id);
      emails.push(user.email);
    }
    return { sessionIds, userIds, emails };
  } finally {
    await orm.close();
  }
}

async function signInAll(baseUrl: string, world: World): Promise<string[]> {
  const cookies: string[] = [];
  for (const email of world.emails) cookies.push(await signInCookie(baseUrl, email, TEST_PASSWORD));
  return cookies;
}

async function invariants(databaseUrl: string, world: World) {
  return withClient(databaseUrl, async (client) => ({
    violations: await bookingInvariantViolations(client, world),
    totals: await bookingTotals(client, world),
  }));
}

const isChange = (o: Outcome) => o.status === 303;
const isAnswered = (o: Outcome) => o.status === 303 || o.status === 400;

/** A request outside the load while the database is down: it must be the 503 page (or a 503 of data), promptly. */
async function expectUnavailable(url: string, init: RequestInit = {}, kind: "html" | "json" = "html") {
  const response = await fetch(url, { redirect: "manual", signal: AbortSignal.timeout(60_000), ...init });
  const body = await response.text();
  expect(response.status, `${init.method ?? "GET"} ${url}: ${body.slice(0, 300)}`).toBe(503);
  if (kind === "html") {
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("retry-after")).toBe(String(RETRY_AFTER_SECONDS));
    expect(body).toContain(UNAVAILABLE_TEXT.title);
    expect(body).toContain("Please try again in a minute");
  }
  return body;
}

test("PostgreSQL restarted in the middle of a booking load: a 503 page meanwhile, the app recovers by itself, every invariant holds", async () => {
  test.setTimeout(420_000);
  const databaseUrl = await newDatabase();
  const server = await startServer(databaseUrl);
  const world = await makeWorld(databaseUrl);
  const cookies = await signInAll(server.baseUrl, world);
  const load = new BookingLoad({ baseUrl: server.baseUrl, cookies, sessionIds: world.sessionIds, seed: 15 });
  load.start();
  try {
    await load.until(() => load.count(isChange) >= 40, "40 bookings and cancels before the outage");

    load.phase = "stopping";
    await postgres.stop();
    load.phase = "down";

    // Signed in or not, a page, a form post, a `?_data=` post (JavaScript on) and the health check, all promptly.
    const { base, sessionId } = { base: server.baseUrl, sessionId: world.sessionIds[0] };
    const signedIn = { headers: { Cookie: cookies[0] } };
    await expectUnavailable(`${base}/client`, signedIn);
    await expectUnavailable(`${base}/client/sessions/${sessionId}`, signedIn);
    await expectUnavailable(`${base}/login`);
    const form = { "Content-Type": "application/x-www-form-urlencoded" };
    await expectUnavailable(`${base}/client/sessions/${sessionId}`, { method: "POST", headers: { ...form, Cookie: cookies[1] }, body: "intent=book" });
    await expectUnavailable(`${base}/login`, {
      method: "POST",
      headers: form,
      body: new URLSearchParams({ email: world.emails[2], password: TEST_PASSWORD }).toString(),
    });
    const data = await expectUnavailable(
      `${base}/client/sessions/${sessionId}?_data=${encodeURIComponent("routes/client.sessions.$id")}`,
      { method: "POST", headers: { ...form, Cookie: cookies[3] }, body: "intent=cancel" },
      "json",
    );
    expect(JSON.parse(data)).toEqual({ message: UNAVAILABLE_TEXT.body });
    const health = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(60_000) });
    expect(health.status).toBe(503);

    const inOutage = (o: Outcome) => o.startPhase === "down" && o.endPhase === "down";
    await load.until(() => load.count(inOutage) >= 30, "30 answers of the load while PostgreSQL is down");

    load.phase = "starting";
    await startPostgres();
    load.phase = "up";

    // The same process, never restarted, books again for every client.
    const afterwards = (client: number) => (o: Outcome) => o.client === client && o.startPhase === "up" && isAnswered(o);
    await load.until(
      () => world.userIds.every((_, client) => load.count(afterwards(client)) >= 3),
      "three answered requests from every client after the restart",
    );
    await load.until(() => load.count((o) => o.startPhase === "up" && isChange(o)) >= 20, "20 bookings and cancels after the restart");
    await load.stop();
    expect(server.child.exitCode).toBeNull();
    expect(server.child.signalCode).toBeNull();
    expect((await fetch(`${base}/healthz`)).status).toBe(200);

    const summary = JSON.stringify(load.summary());
    console.log(`[faults] PostgreSQL restart, answers by phase: ${summary}`);
    // Never a 500 nor a hang nor a dropped connection, anywhere in the run.
    expect(
      load.outcomes.filter((o) => ![303, 400, 503].includes(o.status as number)).map((o) => `${o.status}: ${o.body.slice(0, 200)}`),
      summary,
    ).toEqual([]);
    // Inside the outage, only the 503 page.
    const during = load.outcomes.filter(inOutage);
    expect(during.length).toBeGreaterThanOrEqual(30);
    for (const outcome of during) {
      expect(outcome.status, summary).toBe(503);
      expect(outcome.contentType).toMatch(/^text\/html/);
      expect(outcome.retryAfter).toBe(String(RETRY_AFTER_SECONDS));
      expect(outcome.body).toContain(UNAVAILABLE_TEXT.title);
    }
    // Nothing but 503 is the outage's doing: before it and after it, bookings and refusals only.
    expect(load.count((o) => o.startPhase === "before" && o.endPhase === "before" && o.status === 503)).toBe(0);
    expect(load.count((o) => o.startPhase === "up" && o.status === 503)).toBe(0);

    const { violations, totals } = await invariants(databaseUrl, world);
    expect(violations).toEqual([]);
    expect(totals.placesHeld).toBeGreaterThan(0);
    expect(totals.packSessionsUsed).toBeGreaterThan(0);
  } finally {
    await load.stop();
    await server.stop();
  }
});

test("the app killed with SIGKILL in the middle of a booking load: after a restart every invariant holds", async () => {
  test.setTimeout(420_000);
  const databaseUrl = await newDatabase();
  const first = await startServer(databaseUrl);
  const world = await makeWorld(databaseUrl);
  const cookies = await signInAll(first.baseUrl, world);
  const load = new BookingLoad({ baseUrl: first.baseUrl, cookies, sessionIds: world.sessionIds, seed: 16 });
  load.start();
  try {
    await load.until(() => load.count(isChange) >= 60, "60 bookings and cancels before the kill");
    load.phase = "killed";
    await first.stop(true);
    expect(first.child.signalCode).toBe("SIGKILL");
  } finally {
    await load.stop();
  }
  console.log(`[faults] SIGKILL, answers by phase: ${JSON.stringify(load.summary())}`);
  // Requests cut off by the kill fail at the socket; none was answered with an error.
  expect(
    load.outcomes.filter((o) => typeof o.status === "number" && ![303, 400].includes(o.status)).map((o) => `${o.status}: ${o.body.slice(0, 200)}`),
  ).toEqual([]);

  const second = await startServer(databaseUrl);
  try {
    const afterKill = await invariants(databaseUrl, world);
    expect(afterKill.violations).toEqual([]);
    expect(afterKill.totals.placesHeld).toBeGreaterThan(0);

    // The same sign-ins (they live in PostgreSQL) book on the new process, and the invariants still hold.
    const again = new BookingLoad({ baseUrl: second.baseUrl, cookies, sessionIds: world.sessionIds, seed: 17 });
    again.phase = "restarted";
    again.start();
    try {
      await again.until(
        () => world.userIds.every((_, client) => again.count((o) => o.client === client && isAnswered(o)) >= 3),
        "three answers for every client",
      );
    } finally {
      await again.stop();
    }
    expect(again.outcomes.filter((o) => !isAnswered(o)).map((o) => `${o.status}: ${o.body.slice(0, 200)}`)).toEqual([]);
    expect(again.count(isChange)).toBeGreaterThan(0);
    const atEnd = await invariants(databaseUrl, world);
    expect(atEnd.violations).toEqual([]);
  } finally {
    await second.stop();
  }
});
