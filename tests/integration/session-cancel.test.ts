// A studio-cancelled session releases every registration on it (issue 10).
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { cancelRegistration, registerForSession } from "~/modules/booking/booking.service.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import { usedInWeek } from "~/modules/booking/registration-counts.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { cancelSession } from "~/modules/sessions/scheduling.service.server";
import { toInstant } from "~/utils/time";
import { forkEm } from "../support/db";
import { createMember, createRegistration, createSession, createUser } from "../support/factories";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London (GMT). */
const NOW = new Date("2026-03-10T12:00:00Z");
const START = toInstant("2026-03-12", "18:00", ZONE);
const HOUR = 3_600_000;

let coach: IUser;
beforeAll(async () => {
  coach = await createUser(await forkEm(), { role: "COACH" });
});

async function remaining(membership: { id: number }) {
  return (await (await forkEm()).findOneOrFail(UserMembership, membership.id)).sessionsRemaining;
}

async function notified(user: { id: number }) {
  return (await (await forkEm()).find(Notification, { user: user.id, kind: "SESSION_CANCELLED" })).length;
}

describe("cancelSession releases every registration on the session", () => {
  it("a late-cancelled pack booking: refunded, no longer counted toward the week, not told again", async () => {
    const session = await createSession(await forkEm(), { coach, start: START, capacity: 5 });
    const pack = await createMember(await forkEm(), { type: "PACK", totalSessions: 5, sessionsPerWeek: 3 });
    const booked = await createMember(await forkEm(), { type: "PACK", totalSessions: 5 });
    for (const m of [pack, booked])
      expect(await registerForSession(await forkEm(), { sessionId: session.id, userId: m.user.id }, NOW)).toMatchObject({ ok: true });
    // Inside the default 2-hour cut-off: a late cancel, the session stays paid for and counted.
    expect(await cancelRegistration(await forkEm(), { sessionId: session.id, userId: pack.user.id }, new Date(START.getTime() - HOUR))).toEqual({
      ok: true,
      late: true,
    });
    expect(await remaining(pack.membership)).toBe(4);
    expect((await usedInWeek(await forkEm(), [pack.membership.id], "2026-03-12", ZONE)).get(pack.membership.id)).toBe(1);

    expect(await cancelSession(await forkEm(), session.id, "Heating broken", new Date(START.getTime() - HOUR / 2))).toEqual({ ok: true, notified: 1 });

    const rows = await (await forkEm()).find(SessionRegistration, { session: session.id });
    expect(rows.map((r) => r.status)).toEqual(["CANCELLED", "CANCELLED"]);
    expect(await remaining(pack.membership)).toBe(5);
    expect(await remaining(booked.membership)).toBe(5);
    expect((await usedInWeek(await forkEm(), [pack.membership.id], "2026-03-12", ZONE)).get(pack.membership.id)).toBeUndefined();
    // The late canceller had already left the class; the booked client is told as before.
    expect(await notified(pack.user)).toBe(0);
    expect(await notified(booked.user)).toBe(1);
  });

  it("a session cancelled while it runs: attended and no-show bookings are released and refunded too, and told", async () => {
    const session = await createSession(await forkEm(), { coach, start: new Date(START.getTime() + 24 * HOUR), capacity: 5 });
    const attended = await createMember(await forkEm(), { type: "PACK", totalSessions: 5 }, { sessionsRemaining: 4 });
    const noShow = await createMember(await forkEm(), { type: "PACK", totalSessions: 5 }, { sessionsRemaining: 4 });
    const cancelled = await createMember(await forkEm(), { type: "PACK", totalSessions: 5 });
    await createRegistration(await forkEm(), { session, user: attended.user, membership: attended.membership, status: "ATTENDED" });
    await createRegistration(await forkEm(), { session, user: noShow.user, membership: noShow.membership, status: "NO_SHOW" });
    // Already freely cancelled (and refunded then): left alone.
    await createRegistration(await forkEm(), { session, user: cancelled.user, membership: cancelled.membership, status: "CANCELLED" });

    const during = new Date(session.startTime.getTime() + 10 * 60_000);
    expect(await cancelSession(await forkEm(), session.id, "Fire alarm", during)).toEqual({ ok: true, notified: 2 });
    const rows = await (await forkEm()).find(SessionRegistration, { session: session.id });
    expect(rows.map((r) => r.status)).toEqual(["CANCELLED", "CANCELLED", "CANCELLED"]);
    expect([await remaining(attended.membership), await remaining(noShow.membership), await remaining(cancelled.membership)]).toEqual([5, 5, 5]);
    expect([await notified(attended.user), await notified(noShow.user), await notified(cancelled.user)]).toEqual([1, 1, 0]);
  });
});
