import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { cancelRegistration, registerForSession } from "~/modules/booking/booking.service.server";
import { UserMembership, type IMembershipPlan, type IUserMembership, type PlanType } from "~/modules/memberships/memberships.entities.server";
import { Session } from "~/modules/sessions/sessions.entities.server";
import { toInstant } from "~/utils/time";
import { createTestOrm, testDatabaseUrl } from "../support/db";
import { createMembership, createPlan, createSession, createUser } from "../support/factories";
import { refused } from "../support/results";
import { withClient, type PgClient } from "../support/pg";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London (GMT). */
const NOW = new Date("2026-03-10T12:00:00Z");
const at = (date: string, time: string) => toInstant(date, time, ZONE);

let orm: MikroORM;
const fork = () => orm.em.fork();

beforeAll(async () => {
  orm = await createTestOrm({ pool: { min: 0, max: 20 } });
});
afterAll(async () => {
  await orm.close();
});

// ---------- fixtures (tests/support/factories.ts) ----------

let coach: IUser;

beforeAll(async () => {
  coach = await createUser(fork(), { role: "COACH" });
});

async function makeUsers(count: number) {
  const em = fork();
  const users: IUser[] = [];
  for (let i = 0; i < count; i++) users.push(await createUser(em));
  return users;
}

const makePlan = (type: PlanType, fields: { sessionsPerWeek?: number; totalSessions?: number } = {}) =>
  createPlan(fork(), { type, pricePence: 1000, ...fields });

async function giveMemberships(users: { id: number }[], plan: IMembershipPlan, sessionsRemaining?: number) {
  const em = fork();
  const memberships: IUserMembership[] = [];
  for (const user of users)
    memberships.push(await createMembership(em, { user, plan, startDate: "2026-03-01", ...(sessionsRemaining === undefined ? {} : { sessionsRemaining }) }));
  return memberships;
}

let minutes = 0;
/** Distinct start instants by default, on Thursday 12 March 2026 from 18:00 London. */
const makeSession = (capacity: number, start?: Date) =>
  createSession(fork(), { coach, start: start ?? new Date(at("2026-03-12", "18:00").getTime() + minutes++ * 60_000), capacity, title: "Race" });

const book = (sessionId: number, userId: number, now = NOW) => registerForSession(fork(), { sessionId, userId }, now);
const cancel = (sessionId: number, userId: number, now = NOW) => cancelRegistration(fork(), { sessionId, userId }, now);

/**
 * Settles every promise. Whenever they have made no progress for `stallMs` (then 500 ms once one
 * stall is seen), the statements stuck waiting on a row lock are cancelled, so a deadlock between
 * a transaction and a query it started outside itself cannot hang the file; `stalls` says how
 * often that was needed and `backends` what the database was doing each time.
 */
async function settleAll<T>(promises: Promise<T>[], stallMs = 5_000) {
  let pending = promises.length;
  let progress = 0;
  const tracked = promises.map((p) =>
    p.then(
      (value) => {
        pending--;
        progress++;
        return { ok: true as const, value };
      },
      (error: unknown) => {
        pending--;
        progress++;
        return { ok: false as const, error };
      },
    ),
  );
  const all = Promise.all(tracked);
  let stalls = 0;
  const backends: string[] = [];
  for (;;) {
    const seen = progress;
    const wait = stalls === 0 ? stallMs : 500;
    const done = await Promise.race([all.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), wait))]);
    if (done || pending === 0) break;
    if (progress !== seen) continue;
    stalls++;
    await withClient(testDatabaseUrl(), async (client) => {
      const { rows } = await client.query<{ state: string; wait: string | null; query: string }>(
        `select state, wait_event_type as wait, query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
      );
      backends.push(...rows.map((r) => `${r.state}${r.wait ? ` [waiting on ${r.wait}]` : ""}: ${r.query.replace(/\s+/g, " ").slice(0, 90)}`));
      await client.query(`select pg_cancel_backend(pid) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
    });
  }
  const results = await all;
  return { results, stalls, backends: [...new Set(backends)] };
}

function summarise(backends: string[]) {
  return backends.length ? `stuck backends:\n${backends.slice(0, 6).join("\n")}` : "";
}

/** The database's view of a session: places, queue and the pack balances the invariants need. */
async function stateOf(sessionId: number) {
  const em = fork();
  const session = await em.findOneOrFail(Session, sessionId);
  const rows = await em.find(SessionRegistration, { session: sessionId }, { orderBy: { waitlistPosition: "asc", id: "asc" } });
  const registered = rows.filter((r) => ["REGISTERED", "ATTENDED", "NO_SHOW"].includes(r.status));
  const waitlisted = rows.filter((r) => r.status === "WAITLISTED");
  return {
    capacity: session.maxOccupancy,
    registered: registered.length,
    positions: waitlisted.map((r) => r.waitlistPosition).sort((a, b) => a! - b!),
    waitlistedUsers: waitlisted.map((r) => r.user.id),
    registeredUsers: registered.map((r) => r.user.id),
  };
}

const oneToN = (n: number) => Array.from({ length: n }, (_, i) => i + 1);

// ---------- the races ----------

describe("concurrent bookings", () => {
  async function hundredAtOnce(client: MikroORM, stallMs: number) {
    const users = await makeUsers(100);
    const plan = await makePlan("RECURRING", { sessionsPerWeek: 3 });
    await giveMemberships(users, plan);
    const session = await makeSession(10);

    const started = Date.now();
    const { results, stalls, backends } = await settleAll(
      users.map((u) => registerForSession(client.em.fork(), { sessionId: session.id, userId: u.id }, NOW)),
      stallMs,
    );
    const elapsed = Date.now() - started;

    const errors = results.filter((r) => !r.ok).map((r) => String((r as { error: unknown }).error).slice(0, 160));
    expect.soft(stalls, `the bookings never stall (took ${elapsed} ms); ${summarise(backends)}`).toBe(0);
    expect.soft(errors.length, `no booking throws: ${[...new Set(errors)].join("; ")}`).toBe(0);

    const outcomes = results.filter((r) => r.ok).map((r) => (r as { value: Awaited<ReturnType<typeof book>> }).value);
    const registered = outcomes.filter((o) => o?.ok && o.status === "REGISTERED");
    const waitlisted = outcomes.filter((o) => o?.ok && o.status === "WAITLISTED");
    expect(registered).toHaveLength(10);
    expect(waitlisted).toHaveLength(90);
    expect(waitlisted.map((o) => (o && o.ok ? o.position : null)).sort((a, b) => a! - b!)).toEqual(oneToN(90));

    const state = await stateOf(session.id);
    expect(state.registered).toBe(10);
    expect(state.positions).toEqual(oneToN(90));
    expect(new Set([...state.registeredUsers, ...state.waitlistedUsers]).size).toBe(100);
  }

  it("100 clients booking one 10-place session at once (pool of 20): 10 registered, 90 waitlisted at 1..90", { timeout: 60_000 }, async () => {
    await hundredAtOnce(orm, 4_000);
  });

  it("control: the same race with a pool as wide as the server can spare (up to one connection per request)", { timeout: 90_000 }, async () => {
    // Embedded PostgreSQL allows 300 connections; a stock server (PostgreSQL 15 in CI) allows 100, shared
    // with the other test files running alongside, so take what is free and leave room for them.
    // Another file's own burst of connections (a concurrency test of its own) passes within seconds: wait for it.
    const spareNow = () =>
      withClient(testDatabaseUrl(), async (client) => {
        const { rows } = await client.query<{ spare: number }>(
          `select current_setting('max_connections')::int - current_setting('superuser_reserved_connections')::int - (select count(*) from pg_stat_activity)::int as spare`,
        );
        return rows[0].spare;
      });
    let spare = await spareNow();
    for (let wait = 0; spare - 40 <= 20 && wait < 60; wait++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      spare = await spareNow();
    }
    const poolSize = Math.min(120, spare - 40);
    expect(poolSize, "the server can spare a pool wider than the other race's 20 connections").toBeGreaterThan(20);
    const big = await createTestOrm({ pool: { min: 0, max: poolSize } });
    try {
      // A generous stall limit: opening ~100 connections on a busy machine takes a while.
      await hundredAtOnce(big, 10_000);
    } finally {
      await big.close();
    }
  });

  it("a recurring plan of 2 a week with 1 booking used: two more bookings that week at once, exactly one succeeds", { timeout: 60_000 }, async () => {
    const plan = await makePlan("RECURRING", { sessionsPerWeek: 2 });
    for (let round = 0; round < 5; round++) {
      const [user] = await makeUsers(1);
      const [membership] = await giveMemberships([user], plan);
      const day = (time: string) => makeSession(10, at(`2026-03-1${round % 2 === 0 ? 1 : 3}`, time));
      // Distinct start times per round; every session in the week of 9–15 March.
      const first = await makeSession(10, at("2026-03-11", `0${round}:05`));
      const a = await day(`1${round}:10`);
      const b = await day(`1${round}:20`);
      expect(await book(first.id, user.id)).toMatchObject({ ok: true, status: "REGISTERED" });

      const { results, stalls } = await settleAll([book(a.id, user.id), book(b.id, user.id)]);
      expect(stalls).toBe(0);
      const outcomes = results.map((r) => (r.ok ? r.value : refused(String(r.error))));
      const succeeded = outcomes.filter((o) => o?.ok);
      const refusals = outcomes.filter((o) => o && !o.ok);
      expect(succeeded, `round ${round}`).toHaveLength(1);
      expect(refusals, `round ${round}`).toEqual([refused(`You have used all 2 sessions of your ${plan.name} in that week.`)]);
      const counted = await fork().count(SessionRegistration, { membership: membership.id, status: "REGISTERED" });
      expect(counted).toBe(2);
    }
  });

  it("a pack with 1 session left booking two sessions at once: one succeeds, 0 left, never negative", { timeout: 60_000 }, async () => {
    const plan = await makePlan("PACK", { totalSessions: 5 });
    for (let round = 0; round < 5; round++) {
      const [user] = await makeUsers(1);
      const [membership] = await giveMemberships([user], plan, 1);
      const a = await makeSession(10);
      const b = await makeSession(10);
      const { results, stalls } = await settleAll([book(a.id, user.id), book(b.id, user.id)]);
      expect(stalls).toBe(0);
      const outcomes = results.map((r) => (r.ok ? r.value : refused(String(r.error))));
      expect(
        outcomes.filter((o) => o?.ok),
        `round ${round}`,
      ).toHaveLength(1);
      expect(
        outcomes.filter((o) => o && !o.ok),
        `round ${round}`,
      ).toEqual([refused(`Your ${plan.name} has no sessions left.`)]);
      const left = (await fork().findOneOrFail(UserMembership, membership.id)).sessionsRemaining;
      expect(left).toBe(0);
      expect(await fork().count(SessionRegistration, { membership: membership.id, status: "REGISTERED" })).toBe(1);
    }
  });

  it("concurrent cancels and bookings on a full session keep the registered count within capacity", { timeout: 60_000 }, async () => {
    const plan = await makePlan("PACK", { totalSessions: 5 });
    const capacity = 6;
    const session = await makeSession(capacity);
    const holders = await makeUsers(capacity);
    const waiting = await makeUsers(4);
    const newcomers = await makeUsers(12);
    await giveMemberships([...holders, ...waiting, ...newcomers], plan);
    for (const u of [...holders, ...waiting]) await book(session.id, u.id);
    expect(await stateOf(session.id)).toMatchObject({ registered: capacity, positions: [1, 2, 3, 4] });

    // Half the holders cancel while the newcomers book, all at once.
    const work = [...holders.slice(0, 3).map((u) => cancel(session.id, u.id)), ...newcomers.map((u) => book(session.id, u.id))];
    const { results, stalls, backends } = await settleAll(work as Promise<unknown>[], 4_000);
    const errors = results.filter((r) => !r.ok).map((r) => String((r as { error: unknown }).error).slice(0, 160));
    expect.soft(stalls, `no operation stalls; ${summarise(backends)}`).toBe(0);
    expect.soft(errors, "no operation throws").toEqual([]);

    const state = await stateOf(session.id);
    expect(state.registered).toBeLessThanOrEqual(capacity);
    // Three places were freed and the queue was never empty, so the session is full again.
    expect(state.registered).toBe(capacity);
    expect.soft(state.positions, "waitlist positions are 1..n").toEqual(oneToN(state.positions.length));
    // Nobody lost: 3 holders left, the 4 waiting and 12 newcomers are all placed or queued.
    if (errors.length === 0) expect(state.registered + state.positions.length).toBe(capacity - 3 + 4 + 12);

    // Every pack is charged exactly for the places it holds.
    const em = fork();
    for (const u of [...holders, ...waiting, ...newcomers]) {
      const m = await em.findOneOrFail(UserMembership, { user: u.id });
      const charged = await em.count(SessionRegistration, { membership: m.id, status: { $in: ["REGISTERED", "ATTENDED", "NO_SHOW", "LATE_CANCELLED"] } });
      expect(m.sessionsRemaining, `pack of user ${u.id}`).toBe(5 - charged);
    }
  });
});

// A booking decides from what it read before taking its locks, and checks under them that all of it is still
// so (booking_place, ADR 8 and 31). These tests change what it read at the worst moment: after its read,
// while it waits for a lock held by the change's own transaction.
describe("a change committed while a booking waits for its lock", () => {
  /** Runs `change` in a transaction that holds its locks until the booking waits for them, then commits. */
  async function bookDuring(sessionId: number, userId: number, change: (client: PgClient) => Promise<void>) {
    return withClient(testDatabaseUrl(), async (client) => {
      await client.query("begin");
      await change(client);
      const booking = book(sessionId, userId);
      await waitUntilABackendWaitsOnALock(client);
      await client.query("commit");
      return booking;
    });
  }

  async function waitUntilABackendWaitsOnALock(client: PgClient) {
    for (let tries = 0; tries < 200; tries++) {
      const { rows } = await client.query<{ n: number }>(
        `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and pid <> pg_backend_pid()`,
      );
      if (rows[0].n > 0) return;
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    throw new Error("the booking never waited for the lock");
  }

  it("a coach cancels the session: the booking reads again and is refused, and nothing is written", { timeout: 30_000 }, async () => {
    const [user] = await makeUsers(1);
    await giveMemberships([user], await makePlan("PACK", { totalSessions: 5 }), 5);
    const session = await makeSession(10);
    const result = await bookDuring(session.id, user.id, async (client) => {
      await client.query(`update session set status = 'CANCELLED', cancellation_reason = 'Coach ill' where id = $1`, [session.id]);
    });
    expect(result).toMatchObject({ ok: false, formError: expect.stringMatching(/cancelled/i) });
    expect(await stateOf(session.id)).toMatchObject({ registered: 0, positions: [] });
    const membership = await fork().findOneOrFail(UserMembership, { user: user.id });
    expect(membership.sessionsRemaining).toBe(5);
  });

  it("the client's pack is used up meanwhile: the booking reads again and is refused, and the pack stays at 0", { timeout: 30_000 }, async () => {
    const [user] = await makeUsers(1);
    const [membership] = await giveMemberships([user], await makePlan("PACK", { totalSessions: 5 }), 1);
    const session = await makeSession(10);
    const result = await bookDuring(session.id, user.id, async (client) => {
      await client.query(`update user_membership set sessions_remaining = 0 where id = $1`, [membership.id]);
    });
    expect(result).toMatchObject({ ok: false, formError: expect.stringMatching(/no sessions left|used up|pack/i) });
    expect(await stateOf(session.id)).toMatchObject({ registered: 0, positions: [] });
    expect((await fork().findOneOrFail(UserMembership, membership.id)).sessionsRemaining).toBe(0);
  });

  it("the class is renamed meanwhile: the booking reads again, books, and its message names the class as it is now", { timeout: 30_000 }, async () => {
    const [user] = await makeUsers(1);
    await giveMemberships([user], await makePlan("PACK", { totalSessions: 5 }), 5);
    const session = await makeSession(10);
    const result = await bookDuring(session.id, user.id, async (client) => {
      await client.query(`update session set title = 'Renamed Race' where id = $1`, [session.id]);
    });
    expect(result).toEqual({ ok: true, status: "REGISTERED", position: null });
    const [notification] = await fork().execute<{ subject: string; body: string }[]>(
      `select subject, body from notification where user_id = ? order by id desc limit 1`,
      [user.id],
    );
    expect(`${notification.subject} ${notification.body}`).toContain("Renamed Race");
  });
});
