// "Used this week" has one meaning for booking and for the usage bar, and every plan type may carry a
// weekly limit (issue 10).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MikroORM } from "@mikro-orm/postgresql";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { registerForSession } from "~/modules/booking/booking.service.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import { getSessionUsage } from "~/modules/memberships/membership-views.server";
import { usedInWeek } from "~/modules/booking/registration-counts.server";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { toInstant } from "~/utils/time";
import { createTestOrm, forkEm } from "../support/db";
import { createMember, createMembership, createPlan, createRegistration, createSession, createUser } from "../support/factories";
import { refused } from "../support/results";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London (GMT); its studio week is Mon 9 – Sun 15 March. */
const NOW = new Date("2026-03-10T12:00:00Z");
const at = (date: string, time: string) => toInstant(date, time, ZONE);

let coach: IUser;
let minutes = 0;
beforeAll(async () => {
  coach = await createUser(await forkEm(), { role: "COACH" });
});

/** A session on `date` at a start no other session of this file has. */
async function sessionOn(date: string) {
  minutes++;
  return createSession(await forkEm(), { coach, start: new Date(at(date, "06:00").getTime() + minutes * 60_000) });
}

async function book(session: { id: number }, user: { id: number }, now = NOW) {
  return registerForSession(await forkEm(), { sessionId: session.id, userId: user.id }, now);
}

async function chargedTo(session: { id: number }, user: { id: number }) {
  const row = await (await forkEm()).findOneOrFail(SessionRegistration, { session: session.id, user: user.id });
  return row.membership?.id ?? null;
}

describe("used this week: one meaning for booking and the usage bar", () => {
  it("a recurring plan and a pack: the booking charged to the pack is not counted against the recurring week", async () => {
    const em = await forkEm();
    const { user, membership: recurring } = await createMember(em, { type: "RECURRING", sessionsPerWeek: 2 });
    const pack = await createMembership(em, { user, plan: await createPlan(em, { type: "PACK", totalSessions: 10 }) });
    const sessions = [await sessionOn("2026-03-11"), await sessionOn("2026-03-12"), await sessionOn("2026-03-13")];
    for (const s of sessions) expect(await book(s, user)).toMatchObject({ ok: true, status: "REGISTERED" });
    expect(await Promise.all(sessions.map((s) => chargedTo(s, user)))).toEqual([recurring.id, recurring.id, pack.id]);

    expect(await getSessionUsage(await forkEm(), user.id, NOW)).toEqual([
      { membershipId: recurring.id, planName: expect.any(String), type: "recurring", used: 2, limit: 2, remaining: 0 },
      { membershipId: pack.id, planName: expect.any(String), type: "pack", sessionsRemaining: 9, totalSessions: 10 },
    ]);
  });

  it("counts only bookings charged to the membership, with a status that counts, in the studio week containing the date", async () => {
    const em = await forkEm();
    const { user, membership } = await createMember(em, { type: "RECURRING", sessionsPerWeek: 5 });
    const other = await createMembership(em, { user, plan: await createPlan(em, { type: "PACK" }) });
    const counted = ["REGISTERED", "ATTENDED", "NO_SHOW", "LATE_CANCELLED"] as const;
    for (const status of counted) await createRegistration(em, { session: await sessionOn("2026-03-12"), user, membership, status });
    // Not counted: a free cancel, a waitlist place, another membership's booking, an unlinked booking, other weeks.
    await createRegistration(em, { session: await sessionOn("2026-03-12"), user, membership, status: "CANCELLED" });
    await createRegistration(em, { session: await sessionOn("2026-03-12"), user, membership, status: "WAITLISTED" });
    await createRegistration(em, { session: await sessionOn("2026-03-12"), user, membership: other });
    await createRegistration(em, { session: await sessionOn("2026-03-12"), user, membership: null });
    await createRegistration(em, { session: await sessionOn("2026-03-08"), user, membership });
    await createRegistration(em, { session: await sessionOn("2026-03-16"), user, membership });

    const used = await usedInWeek(await forkEm(), [membership.id, other.id], "2026-03-15", ZONE);
    expect(used.get(membership.id)).toBe(4);
    expect(used.get(other.id)).toBe(1);
    expect((await usedInWeek(await forkEm(), [membership.id], "2026-03-16", ZONE)).get(membership.id)).toBe(1);
    expect(await usedInWeek(await forkEm(), [], "2026-03-16", ZONE)).toEqual(new Map());
    expect(await getSessionUsage(await forkEm(), user.id, NOW)).toMatchObject([{ membershipId: membership.id, used: 4, limit: 5 }, { membershipId: other.id }]);
  });
});

describe("a weekly limit on every plan type", () => {
  it("a prepaid pass with a weekly limit books up to it in each week, and shows this week's use", async () => {
    const { user, membership, plan } = await createMember(
      await forkEm(),
      { type: "PREPAID", durationDays: 42, sessionsPerWeek: 2 },
      { startDate: "2026-03-02" },
    );
    expect(await book(await sessionOn("2026-03-11"), user)).toMatchObject({ ok: true, status: "REGISTERED" });
    expect(await book(await sessionOn("2026-03-15"), user)).toMatchObject({ ok: true, status: "REGISTERED" });
    expect(await book(await sessionOn("2026-03-13"), user)).toEqual(refused(`You have used all 2 sessions of your ${plan.name} in that week.`));
    // The next week is a new week.
    expect(await book(await sessionOn("2026-03-16"), user)).toMatchObject({ ok: true, status: "REGISTERED" });

    expect(await getSessionUsage(await forkEm(), user.id, NOW)).toEqual([
      {
        membershipId: membership.id,
        planName: plan.name,
        type: "prepaid",
        startDate: "2026-03-02",
        endDate: "2026-04-12",
        daysRemaining: 34,
        weekly: { used: 2, limit: 2, remaining: 0 },
      },
    ]);
  });

  it("a pack with a weekly limit: refused past the limit without being charged, sessions left and the week both shown", async () => {
    const { user, membership, plan } = await createMember(await forkEm(), { type: "PACK", totalSessions: 10, sessionsPerWeek: 1 });
    expect(await book(await sessionOn("2026-03-11"), user)).toMatchObject({ ok: true, status: "REGISTERED" });
    expect(await book(await sessionOn("2026-03-12"), user)).toEqual(refused(`You have used all 1 sessions of your ${plan.name} in that week.`));
    expect((await (await forkEm()).findOneOrFail(UserMembership, membership.id)).sessionsRemaining).toBe(9);
    expect(await getSessionUsage(await forkEm(), user.id, NOW)).toEqual([
      { membershipId: membership.id, planName: plan.name, type: "pack", sessionsRemaining: 9, totalSessions: 10, weekly: { used: 1, limit: 1, remaining: 0 } },
    ]);
  });

  it("a recurring plan without a limit is still coaching only", async () => {
    const { user, plan } = await createMember(await forkEm(), { type: "RECURRING", sessionsPerWeek: null });
    expect(await book(await sessionOn("2026-03-11"), user)).toEqual(refused(`Your ${plan.name} is coaching only and does not include classes.`));
  });

  describe("under concurrency", () => {
    let orm: MikroORM;
    beforeAll(async () => {
      orm = await createTestOrm({ pool: { min: 0, max: 10 } });
    });
    afterAll(async () => {
      await orm.close();
    });

    it("a prepaid pass of 1 a week: four bookings of that week at once, exactly one succeeds", { timeout: 60_000 }, async () => {
      for (let round = 0; round < 3; round++) {
        const { user, membership } = await createMember(orm.em.fork(), { type: "PREPAID", durationDays: 28, sessionsPerWeek: 1 });
        const sessions = [await sessionOn("2026-03-11"), await sessionOn("2026-03-12"), await sessionOn("2026-03-13"), await sessionOn("2026-03-14")];
        const results = await Promise.all(sessions.map((s) => registerForSession(orm.em.fork(), { sessionId: s.id, userId: user.id }, NOW)));
        expect(
          results.filter((r) => r?.ok),
          `round ${round}`,
        ).toHaveLength(1);
        expect(await orm.em.fork().count(SessionRegistration, { membership: membership.id, status: "REGISTERED" })).toBe(1);
      }
    });
  });
});
