// Two cancels on two sessions whose waitlists share clients, at once. Each cancel locks its session, then the
// memberships it refunds and the waitlist's it promotes: taken one client at a time in waitlist order, the
// two transactions locked the same memberships in opposite orders, PostgreSQL broke the deadlock by failing
// one of them, and the client got a 500. They are taken together, by id, now (ADR 8), so neither ever fails.
import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { cancelRegistration } from "~/modules/booking/booking.service.server";
import type { IMembershipPlan } from "~/modules/memberships/memberships.entities.server";
import { toInstant } from "~/utils/time";
import { createTestOrm } from "../support/db";
import { createMembership, createPlan, createRegistration, createSession, createUser } from "../support/factories";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London. */
const NOW = new Date("2026-03-10T12:00:00Z");
const ROUNDS = 20;

let orm: MikroORM;
let coach: IUser;
let weekly: IMembershipPlan;
let emptyPack: IMembershipPlan;

beforeAll(async () => {
  orm = await createTestOrm({ pool: { min: 0, max: 10 } });
  const em = orm.em.fork();
  coach = await createUser(em, { role: "COACH" });
  weekly = await createPlan(em, { type: "RECURRING", sessionsPerWeek: 10 });
  emptyPack = await createPlan(em, { type: "PACK", totalSessions: 5 });
});
afterAll(async () => {
  await orm.close();
});

let minutes = 0;
const nextStart = () => new Date(toInstant("2026-03-12", "18:00", ZONE).getTime() + minutes++ * 60_000);

/**
 * Two full one-place sessions: X holds the first's place and waits on the second, Y the other way round.
 * A and B wait on both, in opposite orders, ahead of them, with used-up packs: promotion skips them (and
 * locks their memberships on the way) before it reaches X or Y.
 */
async function twoSessionsSharingTheirWaitlists() {
  const em = orm.em.fork();
  const [x, y, a, b] = [await createUser(em), await createUser(em), await createUser(em), await createUser(em)];
  const mx = await createMembership(em, { user: x, plan: weekly });
  const my = await createMembership(em, { user: y, plan: weekly });
  for (const client of [a, b]) await createMembership(em, { user: client, plan: emptyPack, sessionsRemaining: 0 });
  const first = await createSession(em, { coach, start: nextStart(), capacity: 1 });
  const second = await createSession(em, { coach, start: nextStart(), capacity: 1 });
  await createRegistration(em, { session: first, user: x, membership: mx });
  await createRegistration(em, { session: second, user: y, membership: my });
  const waiting = (session: { id: number }, queue: IUser[]) =>
    queue.reduce(
      (done, user, i) => done.then(() => createRegistration(em, { session, user, status: "WAITLISTED", waitlistPosition: i + 1 }).then(() => {})),
      Promise.resolve(),
    );
  await waiting(first, [a, b, y]);
  await waiting(second, [b, a, x]);
  return { x, y, first, second };
}

describe("cancels on two sessions that share waitlisted clients", () => {
  it(`never deadlock: both succeed and each place goes to the other canceller, ${ROUNDS} rounds`, { timeout: 120_000 }, async () => {
    const failures: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const { x, y, first, second } = await twoSessionsSharingTheirWaitlists();
      const results = await Promise.allSettled([
        cancelRegistration(orm.em.fork(), { sessionId: first.id, userId: x.id }, NOW),
        cancelRegistration(orm.em.fork(), { sessionId: second.id, userId: y.id }, NOW),
      ]);
      for (const result of results) {
        if (result.status === "rejected") failures.push(`round ${round}: ${String(result.reason).slice(0, 200)}`);
        else expect(result.value).toEqual({ ok: true, late: false });
      }
      if (results.some((result) => result.status === "rejected")) continue;
      const em = orm.em.fork();
      const held = async (session: { id: number }) => (await em.find(SessionRegistration, { session: session.id, status: "REGISTERED" })).map((r) => r.user.id);
      expect(await held(first)).toEqual([y.id]);
      expect(await held(second)).toEqual([x.id]);
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
});
