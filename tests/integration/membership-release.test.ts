// A membership that ends or pauses gives its places back (issue 11, point 5; ADR 14): its bookings on
// sessions that have not started move to another membership of the client that can cover them, or are
// cancelled free (a pack refunded), the waitlist moves up, and the client is told which were released.
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { lockForRelease, registerForSession, ReleaseRaced, releaseBookings, withRelease } from "~/modules/booking/booking.service.server";
import { UserMembership, type IUserMembership } from "~/modules/memberships/memberships.entities.server";
import { adminCancelMembership, clientCancelMembership, pauseMembership } from "~/modules/memberships/lifecycle.service.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import type { ISession } from "~/modules/sessions/sessions.entities.server";
import { toInstant } from "~/utils/time";
import { forkEm } from "../support/db";
import * as factories from "../support/factories";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London (GMT). */
const NOW = new Date("2026-03-10T12:00:00Z");
const at = (date: string, time: string) => toInstant(date, time, ZONE);

let admin: IUser;
let coach: IUser;
beforeAll(async () => {
  admin = await factories.createUser(await forkEm(), { role: "ADMIN" });
  coach = await factories.createUser(await forkEm(), { role: "COACH" });
});

let minutes = 0;
/** A session on Thursday 12 March 2026 from 18:00 London (distinct minutes), or at `start`. */
const makeSession = async (fields: { start?: Date; capacity?: number; title?: string } = {}) =>
  factories.createSession(await forkEm(), {
    coach,
    start: fields.start ?? new Date(at("2026-03-12", "18:00").getTime() + minutes++ * 60_000),
    capacity: fields.capacity ?? 10,
    title: fields.title,
    opensDaysBefore: 60,
  });

const packMember = async (totalSessions = 5) => factories.createMember(await forkEm(), { type: "PACK", totalSessions });
const addMembership = async (user: IUser, plan: factories.PlanFields) =>
  factories.createMembership(await forkEm(), { user, plan: await factories.createPlan(await forkEm(), plan) });

async function book(session: ISession, user: IUser) {
  const result = await registerForSession(await forkEm(), { sessionId: session.id, userId: user.id }, NOW);
  if (!result?.ok) throw new Error(`Could not book: ${JSON.stringify(result)}`);
  return result;
}
const registration = async (session: ISession, user: IUser) => (await forkEm()).findOneOrFail(SessionRegistration, { session: session.id, user: user.id });
const remaining = async (membership: IUserMembership) => (await (await forkEm()).findOneOrFail(UserMembership, membership.id)).sessionsRemaining;
const releasedNotes = async (user: IUser) => (await forkEm()).find(Notification, { user: user.id, kind: "BOOKINGS_RELEASED" });
const ref = (user: IUser, membership: IUserMembership) => ({ membershipId: membership.id, userId: user.id, actorId: admin.id });

describe("pausing a membership", () => {
  it("cancels its future bookings free, refunds the pack, promotes the waitlist and tells the client once", async () => {
    const { user, membership } = await packMember(5);
    const full = await makeSession({ capacity: 1, title: "Full HIIT", start: at("2026-03-12", "07:00") });
    const open = await makeSession({ title: "Open Yoga", start: at("2026-03-13", "18:30") });
    await book(full, user);
    await book(open, user);
    const waiting = await packMember(5);
    expect(await book(full, waiting.user)).toMatchObject({ status: "WAITLISTED", position: 1 });
    expect(await remaining(membership)).toBe(3);
    // A booking of a session already finished, and one of a session that has started: left alone.
    const past = await makeSession({ start: at("2026-03-09", "18:00") });
    const started = await makeSession({ start: new Date(NOW.getTime() - 10 * 60_000) });
    await factories.createRegistration(await forkEm(), { session: past, user, membership });
    await factories.createRegistration(await forkEm(), { session: started, user, membership });

    expect(await pauseMembership(await forkEm(), ref(user, membership), NOW)).toEqual({ ok: true, released: 2 });

    expect(await registration(full, user)).toMatchObject({ status: "CANCELLED", cancelledAt: NOW });
    expect(await registration(open, user)).toMatchObject({ status: "CANCELLED" });
    expect(await remaining(membership)).toBe(5);
    expect(await registration(full, waiting.user)).toMatchObject({ status: "REGISTERED", waitlistPosition: null });
    expect(await remaining(waiting.membership)).toBe(4);
    expect(await registration(past, user)).toMatchObject({ status: "REGISTERED" });
    expect(await registration(started, user)).toMatchObject({ status: "REGISTERED" });

    const notes = await releasedNotes(user);
    expect(notes).toHaveLength(1);
    expect(notes[0].body).toContain("Full HIIT on Thu 12 Mar 2026 at 07:00");
    expect(notes[0].body).toContain("Open Yoga on Fri 13 Mar 2026 at 18:30");
    expect(notes[0].subject).toContain("2 booked classes were released");
  });

  it("releases nothing and tells nobody when nothing is booked", async () => {
    const { user, membership } = await packMember(5);
    expect(await pauseMembership(await forkEm(), ref(user, membership), NOW)).toEqual({ ok: true, released: 0 });
    expect(await releasedNotes(user)).toEqual([]);
  });

  it("moves a booking another membership can cover to it: a pack is charged, this one refunded, nothing released", async () => {
    const { user, membership } = await packMember(5);
    const session = await makeSession();
    await book(session, user);
    const other = await addMembership(user, { type: "PACK", totalSessions: 8 });

    expect(await pauseMembership(await forkEm(), ref(user, membership), NOW)).toEqual({ ok: true, released: 0 });

    expect(await registration(session, user)).toMatchObject({ status: "REGISTERED", membership: { id: other.id } });
    expect(await remaining(membership)).toBe(5);
    expect(await remaining(other)).toBe(7);
    expect(await releasedNotes(user)).toEqual([]);
  });

  it("moves bookings to a weekly plan only while its week has room; the rest are released", async () => {
    const { user, membership } = await packMember(5);
    const first = await makeSession({ start: at("2026-03-12", "07:00") });
    const second = await makeSession({ start: at("2026-03-13", "07:00") });
    await book(first, user);
    await book(second, user);
    const weekly = await addMembership(user, { type: "RECURRING", sessionsPerWeek: 1 });

    expect(await pauseMembership(await forkEm(), ref(user, membership), NOW)).toEqual({ ok: true, released: 1 });

    expect(await registration(first, user)).toMatchObject({ status: "REGISTERED", membership: { id: weekly.id } });
    expect(await registration(second, user)).toMatchObject({ status: "CANCELLED" });
    expect(await remaining(membership)).toBe(5);
    const [note] = await releasedNotes(user);
    expect(note.body).toContain("Fri 13 Mar 2026 at 07:00");
    expect(note.body).not.toContain("Thu 12 Mar 2026");
  });

  it("takes a waitlisted client off the queue, closing it up, unless another membership can wait instead", async () => {
    const full = await makeSession({ capacity: 1 });
    const holder = await packMember(5);
    await book(full, holder.user);
    const { user, membership } = await packMember(5);
    const behind = await packMember(5);
    expect(await book(full, user)).toMatchObject({ status: "WAITLISTED", position: 1 });
    expect(await book(full, behind.user)).toMatchObject({ status: "WAITLISTED", position: 2 });
    const otherFull = await makeSession({ capacity: 1 });
    await book(otherFull, holder.user);
    expect(await book(otherFull, user)).toMatchObject({ status: "WAITLISTED", position: 1 });

    expect(await pauseMembership(await forkEm(), ref(user, membership), NOW)).toEqual({ ok: true, released: 2 });

    expect(await registration(full, user)).toMatchObject({ status: "CANCELLED", waitlistPosition: null });
    expect(await registration(full, behind.user)).toMatchObject({ status: "WAITLISTED", waitlistPosition: 1 });
    expect(await registration(full, holder.user)).toMatchObject({ status: "REGISTERED" });
    expect(await remaining(membership)).toBe(5);

    // With another membership, the place in the queue stays and waits on it.
    const second = await packMember(5);
    const backup = await addMembership(second.user, { type: "PACK", totalSessions: 3 });
    expect(await book(full, second.user)).toMatchObject({ status: "WAITLISTED", position: 2 });
    expect(await pauseMembership(await forkEm(), ref(second.user, second.membership), NOW)).toEqual({ ok: true, released: 0 });
    expect(await registration(full, second.user)).toMatchObject({ status: "WAITLISTED", waitlistPosition: 2, membership: { id: backup.id } });
    expect(await remaining(backup)).toBe(3);
  });
});

describe("cancelling a membership", () => {
  it("an admin's cancel releases its future bookings and promotes the waitlist", async () => {
    const { user, membership } = await packMember(5);
    const full = await makeSession({ capacity: 1 });
    await book(full, user);
    const waiting = await packMember(5);
    await book(full, waiting.user);

    expect(await adminCancelMembership(await forkEm(), ref(user, membership), NOW)).toEqual({ ok: true, released: 1 });

    expect(await registration(full, user)).toMatchObject({ status: "CANCELLED" });
    expect(await registration(full, waiting.user)).toMatchObject({ status: "REGISTERED" });
    expect(await remaining(membership)).toBe(5);
    expect(await releasedNotes(user)).toHaveLength(1);
  });

  it("a client's cancel of a pack releases its bookings at once", async () => {
    const { user, membership } = await packMember(5);
    const session = await makeSession();
    await book(session, user);

    expect(await clientCancelMembership(await forkEm(), { membershipId: membership.id, userId: user.id }, NOW)).toMatchObject({
      ok: true,
      kind: "immediate",
      released: 1,
    });

    expect(await registration(session, user)).toMatchObject({ status: "CANCELLED" });
    expect(await remaining(membership)).toBe(5);
  });

  it("a client's cancel of a recurring plan releases only the bookings after the period end", async () => {
    const user = await factories.createUser(await forkEm());
    const membership = await addMembership(user, { type: "RECURRING", sessionsPerWeek: 3 });
    // Started 1 March: the period paid for ends on 31 March.
    const inPeriod = await makeSession({ start: at("2026-03-31", "20:00") });
    const after = await makeSession({ start: at("2026-04-01", "07:00"), title: "April Spin" });
    await book(inPeriod, user);
    await book(after, user);

    expect(await clientCancelMembership(await forkEm(), { membershipId: membership.id, userId: user.id }, NOW)).toEqual({
      ok: true,
      kind: "at-period-end",
      endDate: "2026-03-31",
      released: 1,
    });

    expect(await registration(inPeriod, user)).toMatchObject({ status: "REGISTERED" });
    expect(await registration(after, user)).toMatchObject({ status: "CANCELLED" });
    const [note] = await releasedNotes(user);
    expect(note.body).toContain("April Spin on Wed 1 Apr 2026 at 07:00");
  });
});

describe("a booking that lands while the release takes its locks", () => {
  it("is noticed (ReleaseRaced) when its session was not locked, and withRelease runs the transaction again", async () => {
    const { user, membership } = await packMember(5);
    const first = await makeSession();
    await book(first, user);
    const late = await makeSession();
    const em = await forkEm();
    await expect(
      em.transactional(async (tx) => {
        const locked = await lockForRelease(tx, { membershipId: membership.id, userId: user.id, now: NOW });
        expect(locked?.locks.sessionIds).toEqual([first.id]);
        // As if a booking had committed between reading the sessions and locking them.
        await factories.createRegistration(tx, { session: late, user, membership });
        return releaseBookings(tx, { membershipId: membership.id, from: NOW, now: NOW, zone: ZONE, locks: locked!.locks });
      }),
    ).rejects.toBeInstanceOf(ReleaseRaced);
    expect(await registration(first, user)).toMatchObject({ status: "REGISTERED" });

    let attempts = 0;
    expect(
      await withRelease(await forkEm(), async () => {
        if (++attempts === 1) throw new ReleaseRaced();
        return "done";
      }),
    ).toBe("done");
    expect(attempts).toBe(2);
  });
});
