// A membership paused while its client and others book and cancel the same sessions (ADR 14): no
// deadlock, no error, and the invariants of ADR 8 hold — capacity, waitlist positions 1..n, every pack
// charged exactly for the places it holds — and nothing stays charged to the paused membership.
import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { cancelRegistration, registerForSession } from "~/modules/booking/booking.service.server";
import { adminCancelMembership, pauseMembership } from "~/modules/memberships/lifecycle.service.server";
import { UserMembership, type IUserMembership } from "~/modules/memberships/memberships.entities.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { Session, type ISession } from "~/modules/sessions/sessions.entities.server";
import { toInstant } from "~/utils/time";
import { createTestOrm, testDatabaseUrl } from "../support/db";
import * as factories from "../support/factories";
import { withClient } from "../support/pg";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London (GMT). */
const NOW = new Date("2026-03-10T12:00:00Z");
const PACK = 10;

let orm: MikroORM;
const fork = () => orm.em.fork();
let admin: IUser;
let coach: IUser;

beforeAll(async () => {
  orm = await createTestOrm({ pool: { min: 0, max: 20 } });
  admin = await factories.createUser(fork(), { role: "ADMIN" });
  coach = await factories.createUser(fork(), { role: "COACH" });
});
afterAll(async () => {
  await orm.close();
});

let minutes = 0;
const makeSession = (capacity: number) =>
  factories.createSession(fork(), { coach, start: new Date(toInstant("2026-03-12", "18:00", ZONE).getTime() + minutes++ * 60_000), capacity, title: "Race" });
const packMember = () => factories.createMember(fork(), { type: "PACK", totalSessions: PACK });
const book = (session: ISession, user: IUser) => registerForSession(fork(), { sessionId: session.id, userId: user.id }, NOW);
const cancel = (session: ISession, user: IUser) => cancelRegistration(fork(), { sessionId: session.id, userId: user.id }, NOW);

/**
 * Settles every promise; when none has made progress for `stallMs`, cancels the statements waiting on a
 * row lock (so a lock cycle PostgreSQL cannot see cannot hang the file) and counts a stall.
 */
async function settleAll(promises: Promise<unknown>[], stallMs = 5_000) {
  let progress = 0;
  const tracked = promises.map((p) =>
    p.then(
      (value) => (progress++, { ok: true as const, value }),
      (error: unknown) => (progress++, { ok: false as const, error }),
    ),
  );
  const all = Promise.all(tracked);
  let stalls = 0;
  for (;;) {
    const seen = progress;
    const done = await Promise.race([all.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), stalls ? 500 : stallMs))]);
    if (done || progress === promises.length) break;
    if (progress !== seen) continue;
    stalls++;
    await withClient(testDatabaseUrl(), (client) =>
      client.query(`select pg_cancel_backend(pid) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`),
    );
  }
  return { results: await all, stalls };
}

async function expectInvariants(sessions: ISession[], members: { user: IUser; membership: IUserMembership }[]) {
  const em = fork();
  for (const session of sessions) {
    const { maxOccupancy } = await em.findOneOrFail(Session, session.id);
    const rows = await em.find(SessionRegistration, { session: session.id });
    const held = rows.filter((r) => ["REGISTERED", "ATTENDED", "NO_SHOW"].includes(r.status)).length;
    const positions = rows
      .filter((r) => r.status === "WAITLISTED")
      .map((r) => r.waitlistPosition!)
      .sort((a, b) => a - b);
    expect(held, `session ${session.id} within capacity`).toBeLessThanOrEqual(maxOccupancy);
    expect(positions, `session ${session.id} waitlist 1..n`).toEqual(positions.map((_, i) => i + 1));
    // Nobody waits while a place is free.
    if (positions.length) expect(held, `session ${session.id} full while someone waits`).toBe(maxOccupancy);
  }
  for (const { membership } of members) {
    const m = await em.findOneOrFail(UserMembership, membership.id);
    const charged = await em.count(SessionRegistration, { membership: m.id, status: { $in: ["REGISTERED", "ATTENDED", "NO_SHOW", "LATE_CANCELLED"] } });
    expect(m.sessionsRemaining, `pack ${m.id} charged exactly for its places`).toBe(PACK - charged);
  }
}

describe("releasing a membership's bookings while the same sessions are booked and cancelled", () => {
  for (const [name, end] of [
    ["a pause", pauseMembership],
    ["an admin's cancel", adminCancelMembership],
  ] as const) {
    it(`${name} races the client's own bookings and other clients' bookings and cancels: no deadlock, invariants hold`, { timeout: 90_000 }, async () => {
      for (let round = 0; round < 6; round++) {
        const client = await packMember();
        const holders = [await packMember(), await packMember()];
        const waiting = [await packMember(), await packMember()];
        const newcomers = [await packMember(), await packMember(), await packMember()];
        const full = [await makeSession(3), await makeSession(3), await makeSession(3)];
        const fresh = [await makeSession(3), await makeSession(3)];
        for (const session of full) {
          expect(await book(session, client.user)).toMatchObject({ ok: true, status: "REGISTERED" });
          for (const h of holders) await book(session, h.user);
          for (const w of waiting) expect(await book(session, w.user)).toMatchObject({ ok: true, status: "WAITLISTED" });
        }

        const work: Promise<unknown>[] = [
          end(fork(), { membershipId: client.membership.id, userId: client.user.id, actorId: admin.id }, NOW),
          // The client cancels one of its places and books more while the membership ends: each new one is
          // charged and released, or refused; the cancel frees its place or finds it released already.
          cancel(full[0], client.user),
          ...fresh.map((s) => book(s, client.user)),
          ...full.map((s) => cancel(s, holders[0].user)),
          ...full.flatMap((s) => newcomers.map((n) => book(s, n.user))),
          ...fresh.map((s) => book(s, waiting[0].user)),
        ];
        const { results, stalls } = await settleAll(work);
        const errors = results.filter((r) => !r.ok).map((r) => String((r as { error: unknown }).error).slice(0, 200));
        expect(stalls, `round ${round}: nothing stalls`).toBe(0);
        expect(errors, `round ${round}: nothing throws (no deadlock)`).toEqual([]);
        expect(results[0], `round ${round}: the membership changed`).toMatchObject({ ok: true, value: { ok: true } });

        const all = [client, ...holders, ...waiting, ...newcomers];
        await expectInvariants([...full, ...fresh], all);
        // Nothing on a future session stays charged to the ended membership, and the client is told once.
        const em = fork();
        const left = await em.count(SessionRegistration, { membership: client.membership.id, status: { $in: ["REGISTERED", "WAITLISTED"] } });
        expect(left, `round ${round}: nothing left on the ended membership`).toBe(0);
        const released = (results[0] as { value: { released: number } }).value.released;
        expect(released, `round ${round}: its full sessions, but for the one it may have cancelled first`).toBeGreaterThanOrEqual(2);
        expect(await em.count(Notification, { user: client.user.id, kind: "BOOKINGS_RELEASED" })).toBe(1);
      }
    });
  }
});
