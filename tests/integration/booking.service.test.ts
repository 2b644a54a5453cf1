import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { SessionRegistration, type RegistrationStatus } from "~/modules/booking/booking.entities.server";
import { cancelRegistration, leaveWaitlist, registerForSession } from "~/modules/booking/booking.service.server";
import { clientTimetable, myRegistrations, upcomingBookings } from "~/modules/booking/client-views.server";
import type { ISession } from "~/modules/sessions/sessions.entities.server";
import { MembershipPlan, UserMembership, type PlanType } from "~/modules/memberships/memberships.entities.server";
import { adminCancelMembership, assignMembership, pauseMembership } from "~/modules/memberships/lifecycle.service.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { cancelSession, updateSession } from "~/modules/sessions/scheduling.service.server";
import { getSessionDetail } from "~/modules/sessions/session-views.server";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { localDateOf, localTimeOf, toInstant } from "~/utils/time";
import { refused } from "../support/results";
import { forkEm, testDatabaseUrl } from "../support/db";
import * as factories from "../support/factories";
import { withClient } from "../support/pg";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London (GMT). */
const NOW = new Date("2026-03-10T12:00:00Z");
const at = (date: string, time: string) => toInstant(date, time, ZONE);
const HOUR = 3_600_000;
const before = (instant: Date, ms: number) => new Date(instant.getTime() - ms);

// ---------- fixtures (tests/support/factories.ts) ----------

let admin: IUser;
let coach: IUser;

const makeUser = async (role: "CLIENT" | "COACH" | "ADMIN" = "CLIENT") => factories.createUser(await forkEm(), { role });

beforeAll(async () => {
  admin = await makeUser("ADMIN");
  coach = await makeUser("COACH");
});

const makeClassType = async () => factories.createClassType(await forkEm());

type PlanFields = {
  type: PlanType;
  name?: string;
  sessionsPerWeek?: number | null;
  totalSessions?: number | null;
  durationDays?: number | null;
  lateCancelCutoffHours?: number | null;
  classTypeIds?: number[];
};

/** A plan; a RECURRING one without `sessionsPerWeek` is coaching only. */
const makePlan = async ({ classTypeIds = [], ...fields }: PlanFields) =>
  factories.createPlan(await forkEm(), { ...fields, sessionsPerWeek: fields.sessionsPerWeek ?? null, classTypes: classTypeIds.map((id) => ({ id })) });

/** Gives the user the plan from `startDate` through the admin's service, as the front desk does. */
async function assign(userId: number, planId: number, startDate = "2026-03-01") {
  const result = await assignMembership(await forkEm(), { userId, planId, startDate, actorId: admin.id });
  if (!result || !result.ok) throw new Error(`Could not assign: ${JSON.stringify(result)}`);
  return result.membership;
}

/** A new client holding a new plan of the given kind. */
async function member(fields: PlanFields, startDate = "2026-03-01") {
  const user = await makeUser();
  const plan = await makePlan(fields);
  const membership = await assign(user.id, plan.id, startDate);
  return { user, plan, membership };
}
const packMember = (totalSessions = 5, extra: Partial<PlanFields> = {}) => member({ type: "PACK", totalSessions, ...extra });
const recurringMember = (sessionsPerWeek = 3, extra: Partial<PlanFields> = {}) => member({ type: "RECURRING", sessionsPerWeek, ...extra });

/** Thursday 12 March 2026, 18:00 London. */
const THURSDAY = at("2026-03-12", "18:00");
let minutes = 0;

const makeSession = async (fields: { start?: Date; capacity?: number; classTypeId?: number; closesMinutes?: number; opensDays?: number } = {}) =>
  factories.createSession(await forkEm(), {
    coach,
    // Distinct start instants by default, so the (class type, coach, start) index never clashes.
    start: fields.start ?? new Date(THURSDAY.getTime() + minutes++ * 60_000),
    capacity: fields.capacity ?? 10,
    classType: fields.classTypeId ? { id: fields.classTypeId } : null,
    title: "Circuits",
    opensDaysBefore: fields.opensDays ?? 14,
    closesMinutesBefore: fields.closesMinutes ?? 0,
  });

const book = async (session: { id: number }, user: { id: number }, now = NOW) =>
  registerForSession(await forkEm(), { sessionId: session.id, userId: user.id }, now);
const cancel = async (session: { id: number }, user: { id: number }, now = NOW) =>
  cancelRegistration(await forkEm(), { sessionId: session.id, userId: user.id }, now);
const leave = async (session: { id: number }, user: { id: number }, now = NOW) =>
  leaveWaitlist(await forkEm(), { sessionId: session.id, userId: user.id }, now);

async function bookOk(session: { id: number }, user: { id: number }, now = NOW) {
  const result = await book(session, user, now);
  if (!result || !result.ok) throw new Error(`Booking failed: ${JSON.stringify(result)}`);
  return result;
}

async function registrationOf(session: { id: number }, user: { id: number }) {
  return (await forkEm()).findOne(SessionRegistration, { session: session.id, user: user.id });
}

async function remaining(membership: { id: number }) {
  return (await (await forkEm()).findOneOrFail(UserMembership, membership.id)).sessionsRemaining ?? null;
}

/** The session's rows as [userId, status, position], waitlist by position. */
async function roster(session: { id: number }) {
  const rows = await (await forkEm()).find(SessionRegistration, { session: session.id }, { orderBy: { waitlistPosition: "asc", id: "asc" } });
  return {
    registered: rows
      .filter((r) => r.status === "REGISTERED")
      .map((r) => r.user.id)
      .sort((a, b) => a - b),
    waitlist: rows.filter((r) => r.status === "WAITLISTED").map((r) => [r.user.id, r.waitlistPosition]),
    byUser: new Map(rows.map((r) => [r.user.id, r.status as RegistrationStatus])),
  };
}

/** What the waitlist and cancellations told the user (the confirmations of their own actions are tested in notifications.wiring.test.ts). */
async function notificationsOf(user: { id: number }) {
  const own = ["MEMBERSHIP_ASSIGNED", "BOOKING_CONFIRMED", "WAITLIST_JOINED", "LATE_CANCEL"] as const;
  return (await forkEm()).find(Notification, { user: user.id, kind: { $nin: [...own] } }, { orderBy: { id: "asc" } });
}

async function setStatus(session: { id: number }, user: { id: number }, status: RegistrationStatus) {
  await (await forkEm()).nativeUpdate(SessionRegistration, { session: session.id, user: user.id }, { status });
}

function editOf(session: ISession, fields: { maxOccupancy: number }) {
  return {
    coachId: coach.id,
    date: localDateOf(session.startTime, ZONE),
    startTime: localTimeOf(session.startTime, ZONE),
    endTime: localTimeOf(session.endTime, ZONE),
    maxOccupancy: fields.maxOccupancy,
  };
}

/**
 * Waits for `work` at most `ms`. If it is still running then, lists what this database's backends
 * are doing, cancels the statements stuck waiting on a lock (so the test can finish) and says so.
 */
async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<{ settled: true; value: T } | { settled: false; backends: string[] }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  const outcome = await Promise.race([work.then((value) => ({ value })), timeout]);
  clearTimeout(timer);
  if (outcome !== "timeout") return { settled: true, value: outcome.value };
  const backends = await withClient(testDatabaseUrl(), async (client) => {
    const { rows } = await client.query<{ state: string; wait: string | null; query: string }>(
      `select state, wait_event_type as wait, query from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and state <> 'idle'`,
    );
    await client.query(`select pg_cancel_backend(pid) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`);
    return rows.map((r) => `${r.state}${r.wait ? ` [waiting on ${r.wait}]` : ""}: ${r.query.replace(/\s+/g, " ").slice(0, 100)}`);
  });
  await work.catch(() => undefined);
  return { settled: false, backends };
}

// ---------- booking ----------

describe("registerForSession: booking", () => {
  it("registers the client, charging one session of a pack", async () => {
    const { user, membership } = await packMember(5);
    const session = await makeSession();
    expect(await book(session, user)).toEqual({ ok: true, status: "REGISTERED", position: null });
    const row = await registrationOf(session, user);
    expect(row).toMatchObject({ status: "REGISTERED", waitlistPosition: null, cancelledAt: null, promotedFromWaitlistAt: null });
    expect(row!.membership?.id).toBe(membership.id);
    expect(row!.registeredAt.getTime()).toBe(NOW.getTime());
    expect(await remaining(membership)).toBe(4);
  });

  it("charges nothing to a recurring plan or a prepaid pass", async () => {
    const r = await recurringMember(3);
    const p = await member({ type: "PREPAID", durationDays: 28 });
    const session = await makeSession();
    expect(await book(session, r.user)).toMatchObject({ ok: true, status: "REGISTERED" });
    expect(await book(session, p.user)).toMatchObject({ ok: true, status: "REGISTERED" });
    expect(await remaining(r.membership)).toBeNull();
    expect(await remaining(p.membership)).toBeNull();
  });

  it("uses a recurring plan before a pack the client also holds", async () => {
    const { user, membership: pack } = await packMember(5);
    const recurringPlan = await makePlan({ type: "RECURRING", sessionsPerWeek: 1 });
    const recurring = await assign(user.id, recurringPlan.id);
    const first = await makeSession();
    const second = await makeSession();
    await bookOk(first, user);
    expect((await registrationOf(first, user))!.membership?.id).toBe(recurring.id);
    expect(await remaining(pack)).toBe(5);
    // The week is used up, so the pack pays for the next one.
    await bookOk(second, user);
    expect((await registrationOf(second, user))!.membership?.id).toBe(pack.id);
    expect(await remaining(pack)).toBe(4);
  });

  it("puts clients on the waitlist in order once the session is full, charging nobody", async () => {
    const session = await makeSession({ capacity: 2 });
    const clients = await Promise.all([1, 2, 3, 4, 5].map(() => packMember(3)));
    expect(await book(session, clients[0].user)).toEqual({ ok: true, status: "REGISTERED", position: null });
    expect(await book(session, clients[1].user)).toEqual({ ok: true, status: "REGISTERED", position: null });
    expect(await book(session, clients[2].user)).toEqual({ ok: true, status: "WAITLISTED", position: 1 });
    expect(await book(session, clients[3].user)).toEqual({ ok: true, status: "WAITLISTED", position: 2 });
    expect(await book(session, clients[4].user)).toEqual({ ok: true, status: "WAITLISTED", position: 3 });
    const r = await roster(session);
    expect(r.waitlist).toEqual([
      [clients[2].user.id, 1],
      [clients[3].user.id, 2],
      [clients[4].user.id, 3],
    ]);
    expect(await Promise.all(clients.map((c) => remaining(c.membership)))).toEqual([2, 2, 3, 3, 3]);
  });
});

describe("registerForSession: refusals", () => {
  async function expectRefused(session: { id: number }, user: { id: number }, message: string, now = NOW) {
    const before = await roster(session);
    expect(await book(session, user, now)).toEqual(refused(message));
    const after = await roster(session);
    expect(after.byUser.get(user.id)).toBe(before.byUser.get(user.id));
  }

  it("refuses a cancelled session", async () => {
    const { user } = await packMember();
    const session = await makeSession();
    expect(await cancelSession(await forkEm(), session.id, "Coach ill", NOW)).toMatchObject({ ok: true });
    await expectRefused(session, user, "This session has been cancelled.");
  });

  it("refuses a session that has started", async () => {
    const { user, membership } = await packMember();
    const session = await makeSession();
    await expectRefused(session, user, "This session has already started.", session.startTime);
    await expectRefused(session, user, "This session has already started.", new Date(session.startTime.getTime() + 60_000));
    expect(await remaining(membership)).toBe(5);
  });

  it("refuses before the booking window opens and after it closes", async () => {
    const { user } = await packMember();
    const session = await makeSession({ start: at("2026-03-12", "18:30"), closesMinutes: 30 });
    // Opens 14 days before at the same local time: Thursday 26 February 18:30.
    await expectRefused(session, user, "Booking for this session opens Thu 26 Feb 2026 at 18:30.", at("2026-02-26", "18:29"));
    await expectRefused(session, user, "Booking for this session has closed.", at("2026-03-12", "18:00"));
    await expectRefused(session, user, "Booking for this session has closed.", at("2026-03-12", "18:10"));
    // The first and last moments it is open.
    expect(await book(session, user, at("2026-02-26", "18:30"))).toMatchObject({ ok: true, status: "REGISTERED" });
  });

  it("opens the window 14 local calendar days before, across the change to summer time", async () => {
    const { user } = await packMember();
    // Saturday 4 April 2026 10:00 BST (09:00 UTC); 14 days earlier at 10:00 is Saturday 21 March 10:00 GMT (10:00 UTC).
    const session = await makeSession({ start: at("2026-04-04", "10:00") });
    expect(session.startTime.toISOString()).toBe("2026-04-04T09:00:00.000Z");
    await expectRefused(session, user, "Booking for this session opens Sat 21 Mar 2026 at 10:00.", new Date("2026-03-21T09:59:59.999Z"));
    expect(await book(session, user, new Date("2026-03-21T10:00:00Z"))).toMatchObject({ ok: true, status: "REGISTERED" });
  });

  it("refuses a second booking, a second waitlist place and a booking after a late cancel", async () => {
    const session = await makeSession({ capacity: 1 });
    const a = await packMember();
    const b = await packMember();
    await bookOk(session, a.user);
    await expectRefused(session, a.user, "You are already booked on this session.");
    await bookOk(session, b.user);
    await expectRefused(session, b.user, "You are already on the waitlist (position 1).");
    expect(await remaining(a.membership)).toBe(4);
    expect(await remaining(b.membership)).toBe(5);

    const late = await makeSession();
    await bookOk(late, a.user);
    expect(await cancel(late, a.user, before(late.startTime, HOUR))).toEqual({ ok: true, late: true });
    await expectRefused(late, a.user, "You late-cancelled this session, so it cannot be booked again.");
  });

  it("refuses a client without a membership, or with only a cancelled one", async () => {
    const session = await makeSession();
    const nobody = await makeUser();
    await expectRefused(session, nobody, "You need a membership to book classes. See the plans.");
    expect(await (await forkEm()).count(SessionRegistration, { user: nobody.id })).toBe(0);

    const { user, membership } = await packMember(5);
    expect(await adminCancelMembership(await forkEm(), { membershipId: membership.id, userId: user.id, actorId: admin.id }, NOW)).toEqual({
      ok: true,
      released: 0,
    });
    await expectRefused(session, user, "You need a membership to book classes. See the plans.");
  });

  it("refuses a class type the plan does not include", async () => {
    const yoga = await makeClassType();
    const hiit = await makeClassType();
    const { user } = await packMember(5, { name: "Yoga ten", classTypeIds: [yoga.id] });
    await expectRefused(await makeSession({ classTypeId: hiit.id }), user, "Your Yoga ten does not include this class.");
    await expectRefused(await makeSession(), user, "Your Yoga ten does not include this class.");
    expect(await book(await makeSession({ classTypeId: yoga.id }), user)).toMatchObject({ ok: true, status: "REGISTERED" });
  });

  it("refuses a coaching-only plan", async () => {
    const { user } = await member({ type: "RECURRING", name: "Nutrition", sessionsPerWeek: null });
    await expectRefused(await makeSession(), user, "Your Nutrition is coaching only and does not include classes.");
  });

  it("refuses an empty pack", async () => {
    const { user, membership } = await packMember(1, { name: "Single" });
    await bookOk(await makeSession(), user);
    expect(await remaining(membership)).toBe(0);
    await expectRefused(await makeSession(), user, "Your Single has no sessions left.");
    expect(await remaining(membership)).toBe(0);
  });

  it("refuses a prepaid pass that does not cover the session's date", async () => {
    // 10 days from 1 March: the last day is 10 March, before Thursday 12 March.
    const ended = await member({ type: "PREPAID", name: "Ten days", durationDays: 10 });
    await expectRefused(await makeSession(), ended.user, "Your Ten days ends on Tue 10 Mar 2026, before this session.");
    const later = await member({ type: "PREPAID", name: "From Friday", durationDays: 10 }, "2026-03-13");
    await expectRefused(await makeSession(), later.user, "Your From Friday starts on Fri 13 Mar 2026.");
    // The first and last days are covered.
    const first = await member({ type: "PREPAID", durationDays: 10 }, "2026-03-12");
    expect(await book(await makeSession(), first.user)).toMatchObject({ ok: true });
    const last = await member({ type: "PREPAID", durationDays: 12 });
    expect(await book(await makeSession(), last.user)).toMatchObject({ ok: true });
  });

  it("refuses a paused membership", async () => {
    const { user, membership } = await packMember(5, { name: "Paused pack" });
    expect(await pauseMembership(await forkEm(), { membershipId: membership.id, userId: user.id, actorId: admin.id }, NOW)).toEqual({ ok: true, released: 0 });
    await expectRefused(await makeSession(), user, "Your Paused pack membership is paused.");
  });

  describe("the weekly limit (Mon–Sun in Europe/London)", () => {
    // Friday 10 April 2026, British Summer Time: London is UTC+1, so local Monday 00:30 is Sunday 23:30 UTC.
    const APRIL_NOW = new Date("2026-04-10T12:00:00Z");

    it("counts the London week containing the session, not the UTC one", async () => {
      const { user } = await recurringMember(2, { name: "Twice weekly" });
      const lastSunday = await makeSession({ start: at("2026-04-12", "23:30") });
      const monday = await makeSession({ start: at("2026-04-13", "00:30") });
      const sunday = await makeSession({ start: at("2026-04-19", "23:30") });
      const wednesday = await makeSession({ start: at("2026-04-15", "18:00") });
      const nextMonday = await makeSession({ start: at("2026-04-20", "00:30") });
      expect(monday.startTime.toISOString()).toBe("2026-04-12T23:30:00.000Z");

      await bookOk(lastSunday, user, APRIL_NOW);
      await bookOk(monday, user, APRIL_NOW);
      await bookOk(sunday, user, APRIL_NOW);
      expect(await book(wednesday, user, APRIL_NOW)).toEqual(refused("You have used all 2 sessions of your Twice weekly in that week."));
      expect(await book(nextMonday, user, APRIL_NOW)).toMatchObject({ ok: true, status: "REGISTERED" });
    });

    it("counts REGISTERED, ATTENDED, NO_SHOW and LATE_CANCELLED, but not CANCELLED or WAITLISTED", async () => {
      const { user } = await recurringMember(4, { name: "Four weekly" });
      const day = (d: string) => makeSession({ start: at(d, "18:00") });
      const [s1, s2, s3, s4, s5, s6] = [
        await day("2026-04-13"),
        await day("2026-04-14"),
        await day("2026-04-15"),
        await day("2026-04-16"),
        await day("2026-04-17"),
        await day("2026-04-18"),
      ];
      const full = await makeSession({ start: at("2026-04-18", "09:00"), capacity: 1 });
      const other = await packMember();
      await bookOk(full, other.user, APRIL_NOW);
      // Waitlisted: does not count.
      expect(await book(full, user, APRIL_NOW)).toMatchObject({ ok: true, status: "WAITLISTED" });

      await bookOk(s1, user, APRIL_NOW);
      await bookOk(s2, user, APRIL_NOW);
      await bookOk(s3, user, APRIL_NOW);
      // A free cancel gives the week's place back.
      expect(await cancel(s3, user, APRIL_NOW)).toEqual({ ok: true, late: false });
      await bookOk(s4, user, APRIL_NOW);
      await bookOk(s5, user, APRIL_NOW);
      await setStatus(s1, user, "ATTENDED");
      await setStatus(s2, user, "NO_SHOW");
      // A late cancel keeps it: REGISTERED s5, ATTENDED s1, NO_SHOW s2, LATE_CANCELLED s4.
      expect(await cancel(s4, user, at("2026-04-16", "17:00"))).toEqual({ ok: true, late: true });
      const refusal = refused("You have used all 4 sessions of your Four weekly in that week.");
      expect(await book(s6, user, APRIL_NOW)).toEqual(refusal);
      expect(await book(s3, user, APRIL_NOW)).toEqual(refusal);
      // One less counted, one more allowed.
      await setStatus(s2, user, "CANCELLED");
      expect(await book(s6, user, APRIL_NOW)).toMatchObject({ ok: true, status: "REGISTERED" });
    });
  });
});

// ---------- cancelling ----------

describe("cancelRegistration", () => {
  it("before the cut-off: CANCELLED, the pack refunded, the week not counted", async () => {
    const { user, membership } = await packMember(3);
    const session = await makeSession();
    await bookOk(session, user);
    expect(await remaining(membership)).toBe(2);
    const when = before(session.startTime, 2 * HOUR + 1);
    expect(await cancel(session, user, when)).toEqual({ ok: true, late: false });
    expect(await registrationOf(session, user)).toMatchObject({ status: "CANCELLED", waitlistPosition: null });
    expect((await registrationOf(session, user))!.cancelledAt?.getTime()).toBe(when.getTime());
    expect(await remaining(membership)).toBe(3);

    const r = await recurringMember(1);
    const a = await makeSession();
    const b = await makeSession();
    await bookOk(a, r.user);
    expect(await cancel(a, r.user)).toEqual({ ok: true, late: false });
    expect(await book(b, r.user)).toMatchObject({ ok: true, status: "REGISTERED" });
  });

  it("inside the studio's default 2-hour cut-off (from exactly 2 hours): LATE_CANCELLED, no refund, still counted", async () => {
    const { user, membership } = await packMember(3);
    const session = await makeSession();
    await bookOk(session, user);
    expect(await cancel(session, user, before(session.startTime, 2 * HOUR))).toEqual({ ok: true, late: true });
    expect(await registrationOf(session, user)).toMatchObject({ status: "LATE_CANCELLED" });
    expect(await remaining(membership)).toBe(2);

    const r = await recurringMember(1, { name: "Once weekly" });
    const a = await makeSession();
    const b = await makeSession();
    await bookOk(a, r.user);
    expect(await cancel(a, r.user, before(a.startTime, HOUR))).toEqual({ ok: true, late: true });
    expect(await book(b, r.user)).toEqual(refused("You have used all 1 sessions of your Once weekly in that week."));
  });

  it("reads the studio default cut-off from the settings", async () => {
    await updateSettings(await forkEm(), { defaultLateCancelCutoffHours: 5 });
    try {
      const { user, membership } = await packMember(3);
      const a = await makeSession();
      const b = await makeSession();
      await bookOk(a, user);
      await bookOk(b, user);
      expect(await cancel(a, user, before(a.startTime, 4 * HOUR))).toEqual({ ok: true, late: true });
      expect(await cancel(b, user, before(b.startTime, 5 * HOUR + 1))).toEqual({ ok: true, late: false });
      expect(await remaining(membership)).toBe(2);
    } finally {
      await updateSettings(await forkEm(), { defaultLateCancelCutoffHours: 2 });
    }
  });

  it("uses the plan's own cut-off when it has one", async () => {
    const { user, membership } = await packMember(3, { lateCancelCutoffHours: 24 });
    const a = await makeSession();
    const b = await makeSession();
    await bookOk(a, user);
    await bookOk(b, user);
    expect(await cancel(a, user, before(a.startTime, 3 * HOUR))).toEqual({ ok: true, late: true });
    expect(await cancel(b, user, before(b.startTime, 24 * HOUR + 1))).toEqual({ ok: true, late: false });
    expect(await remaining(membership)).toBe(2);

    // A zero cut-off is a real value, not "use the default".
    const zero = await packMember(3, { lateCancelCutoffHours: 0 });
    const c = await makeSession();
    await bookOk(c, zero.user);
    expect(await cancel(c, zero.user, before(c.startTime, 60_000))).toEqual({ ok: true, late: false });
    expect(await remaining(zero.membership)).toBe(3);
  });

  it("refuses when not booked, when only waitlisted and once the session has started", async () => {
    const session = await makeSession({ capacity: 1 });
    const a = await packMember();
    const b = await packMember();
    expect(await cancel(session, a.user)).toEqual(refused("You are not booked on this session."));
    await bookOk(session, a.user);
    await bookOk(session, b.user);
    expect(await cancel(session, b.user)).toEqual(refused("You are not booked on this session."));
    expect(await cancel(session, a.user, session.startTime)).toEqual(refused("This session has started, so the booking can no longer be cancelled."));
    const r = await roster(session);
    expect(r.registered).toEqual([a.user.id]);
    expect(r.waitlist).toEqual([[b.user.id, 1]]);
  });

  it("promotes the first waitlisted client, charges their pack, notifies them, and closes up the queue", async () => {
    const session = await makeSession({ capacity: 1, start: at("2026-03-11", "07:15") });
    const [a, b, c, d] = await Promise.all([packMember(3), packMember(3), packMember(3), packMember(3)]);
    await bookOk(session, a.user);
    await bookOk(session, b.user);
    await bookOk(session, c.user);
    await bookOk(session, d.user);
    const when = new Date(NOW.getTime() + HOUR);
    expect(await cancel(session, a.user, when)).toEqual({ ok: true, late: false });

    const promoted = await registrationOf(session, b.user);
    expect(promoted).toMatchObject({ status: "REGISTERED", waitlistPosition: null });
    expect(promoted!.promotedFromWaitlistAt?.getTime()).toBe(when.getTime());
    expect(promoted!.membership?.id).toBe(b.membership.id);
    expect(await remaining(b.membership)).toBe(2);
    expect(await remaining(a.membership)).toBe(3);
    expect(await remaining(c.membership)).toBe(3);

    const r = await roster(session);
    expect(r.registered).toEqual([b.user.id]);
    expect.soft(r.waitlist, "the queue closes up to 1..n").toEqual([
      [c.user.id, 1],
      [d.user.id, 2],
    ]);
    const notes = await notificationsOf(b.user);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "WAITLIST_PROMOTED", subject: "You're in: Circuits on Wed 11 Mar 2026 at 07:15", sentAt: null });
    expect(notes[0].payload).toEqual({ sessionId: session.id, registrationId: promoted!.id });
    expect(await notificationsOf(c.user)).toEqual([]);
  });

  it("promotes after someone at the front has left the waitlist (and does not hang)", async () => {
    const session = await makeSession({ capacity: 1 });
    const [a, x, b, c] = await Promise.all([packMember(3), packMember(3), packMember(3), packMember(3)]);
    for (const m of [a, x, b, c]) await bookOk(session, m.user);
    expect(await leave(session, x.user)).toEqual({ ok: true });
    const outcome = await withinDeadline(cancel(session, a.user), 5_000);
    expect(outcome, "cancelRegistration finishes within 5 s").toEqual({ settled: true, value: { ok: true, late: false } });
    const r = await roster(session);
    expect(r.registered).toEqual([b.user.id]);
    expect.soft(r.waitlist, "the queue closes up to 1..n").toEqual([[c.user.id, 1]]);
  });

  it("a late cancel frees the place for the waitlist too", async () => {
    const session = await makeSession({ capacity: 1 });
    const a = await packMember(3);
    const b = await packMember(3);
    await bookOk(session, a.user);
    await bookOk(session, b.user);
    expect(await cancel(session, a.user, before(session.startTime, HOUR))).toEqual({ ok: true, late: true });
    expect((await roster(session)).registered).toEqual([b.user.id]);
    expect(await remaining(a.membership)).toBe(2);
    expect(await remaining(b.membership)).toBe(2);
  });

  it("skips a waitlisted client who can no longer book, telling them why, and promotes the next", async () => {
    const session = await makeSession({ capacity: 1 });
    const a = await packMember(3);
    const b = await packMember(1, { name: "Last one" });
    const c = await packMember(3);
    const d = await packMember(3);
    await bookOk(session, a.user);
    await bookOk(session, b.user);
    await bookOk(session, c.user);
    await bookOk(session, d.user);
    // b spends the pack's last session elsewhere while waiting.
    await bookOk(await makeSession(), b.user);
    expect(await remaining(b.membership)).toBe(0);

    expect(await cancel(session, a.user)).toEqual({ ok: true, late: false });
    const skipped = await registrationOf(session, b.user);
    expect(skipped).toMatchObject({ status: "CANCELLED", waitlistPosition: null });
    expect(skipped!.cancelledAt?.getTime()).toBe(NOW.getTime());
    expect(await remaining(b.membership)).toBe(0);
    const notes = await notificationsOf(b.user);
    expect(notes).toHaveLength(1);
    expect(notes[0].kind).toBe("WAITLIST_SKIPPED");
    expect(notes[0].body).toContain("Your Last one has no sessions left.");
    expect(notes[0].payload).toEqual({ sessionId: session.id, registrationId: skipped!.id, reason: "no-sessions-left" });

    const r = await roster(session);
    expect(r.registered).toEqual([c.user.id]);
    expect.soft(r.waitlist, "the queue closes up to 1..n").toEqual([[d.user.id, 1]]);
    expect(await remaining(c.membership)).toBe(2);
    expect((await notificationsOf(c.user)).map((n) => n.kind)).toEqual(["WAITLIST_PROMOTED"]);
  });
});

describe("leaveWaitlist", () => {
  it("takes the client off, free, and closes up the places behind", async () => {
    const session = await makeSession({ capacity: 1 });
    const [a, b, c, d] = await Promise.all([packMember(3), packMember(3), packMember(3), packMember(3)]);
    for (const m of [a, b, c, d]) await bookOk(session, m.user);
    expect(await leave(session, c.user)).toEqual({ ok: true });
    expect(await registrationOf(session, c.user)).toMatchObject({ status: "CANCELLED", waitlistPosition: null });
    expect.soft((await roster(session)).waitlist, "the queue closes up to 1..n").toEqual([
      [b.user.id, 1],
      [d.user.id, 2],
    ]);
    expect(await leave(session, b.user)).toEqual({ ok: true });
    expect.soft((await roster(session)).waitlist, "the queue closes up to 1..n").toEqual([[d.user.id, 1]]);
    expect(await Promise.all([b, c, d].map((m) => remaining(m.membership)))).toEqual([3, 3, 3]);
    expect((await roster(session)).registered).toEqual([a.user.id]);
  });

  it("refuses a client who is not on the waitlist", async () => {
    const session = await makeSession({ capacity: 1 });
    const a = await packMember();
    expect(await leave(session, a.user)).toEqual(refused("You are not on the waitlist for this session."));
    await bookOk(session, a.user);
    expect(await leave(session, a.user)).toEqual(refused("You are not on the waitlist for this session."));
    expect(await registrationOf(session, a.user)).toMatchObject({ status: "REGISTERED" });
  });

  it("closes up when two clients leave from the front one after the other (and does not hang)", async () => {
    const session = await makeSession({ capacity: 1 });
    const [a, x, b, c] = await Promise.all([packMember(3), packMember(3), packMember(3), packMember(3)]);
    for (const m of [a, x, b, c]) await bookOk(session, m.user);
    expect(await leave(session, x.user)).toEqual({ ok: true });
    const outcome = await withinDeadline(leave(session, b.user), 5_000);
    expect(outcome, "the second leaveWaitlist finishes within 5 s").toEqual({ settled: true, value: { ok: true } });
    expect.soft((await roster(session)).waitlist, "the queue closes up to 1..n").toEqual([[c.user.id, 1]]);
  });

  it("lets the client join again, at the back", async () => {
    const session = await makeSession({ capacity: 1 });
    const [a, b, c] = await Promise.all([packMember(3), packMember(3), packMember(3)]);
    for (const m of [a, b, c]) await bookOk(session, m.user);
    const rowId = (await registrationOf(session, b.user))!.id;
    await leave(session, b.user);
    expect.soft(await book(session, b.user), "back of a queue of one is position 2").toEqual({ ok: true, status: "WAITLISTED", position: 2 });
    expect((await registrationOf(session, b.user))!.id).toBe(rowId);
    expect.soft((await roster(session)).waitlist, "the queue closes up to 1..n").toEqual([
      [c.user.id, 1],
      [b.user.id, 2],
    ]);
  });
});

describe("rebooking and the waitlist over time", () => {
  it("re-booking after a free cancel reuses the same row", async () => {
    const { user, membership } = await packMember(3);
    const session = await makeSession();
    await bookOk(session, user);
    const first = await registrationOf(session, user);
    await cancel(session, user);
    const later = new Date(NOW.getTime() + HOUR);
    expect(await book(session, user, later)).toEqual({ ok: true, status: "REGISTERED", position: null });
    const again = await registrationOf(session, user);
    expect(again!.id).toBe(first!.id);
    expect(again).toMatchObject({ status: "REGISTERED", cancelledAt: null, waitlistPosition: null });
    expect(again!.registeredAt.getTime()).toBe(later.getTime());
    expect(await (await forkEm()).count(SessionRegistration, { session: session.id, user: user.id })).toBe(1);
    expect(await remaining(membership)).toBe(2);
  });

  it("raising the capacity with updateSession promotes from the waitlist", async () => {
    const session = await makeSession({ capacity: 1 });
    const [a, b, c, d] = await Promise.all([packMember(3), packMember(3), packMember(3), packMember(3)]);
    for (const m of [a, b, c, d]) await bookOk(session, m.user);
    const result = await updateSession(await forkEm(), session.id, editOf(session, { maxOccupancy: 3 }), NOW);
    expect(result).toMatchObject({ ok: true });
    const r = await roster(session);
    expect(r.registered).toEqual([a.user.id, b.user.id, c.user.id].sort((x, y) => x - y));
    expect.soft(r.waitlist, "the queue closes up to 1..n").toEqual([[d.user.id, 1]]);
    expect(await Promise.all([a, b, c, d].map((m) => remaining(m.membership)))).toEqual([2, 2, 2, 3]);
    expect((await notificationsOf(b.user)).map((n) => n.kind)).toEqual(["WAITLIST_PROMOTED"]);
    expect((await notificationsOf(c.user)).map((n) => n.kind)).toEqual(["WAITLIST_PROMOTED"]);
    expect((await registrationOf(session, c.user))!.promotedFromWaitlistAt?.getTime()).toBe(NOW.getTime());
  });

  it("promotes nobody once the session has started", async () => {
    const session = await makeSession({ capacity: 1 });
    const [a, b] = await Promise.all([packMember(3), packMember(3)]);
    await bookOk(session, a.user);
    await bookOk(session, b.user);
    const started = new Date(session.startTime.getTime() + 60_000);
    expect(await updateSession(await forkEm(), session.id, editOf(session, { maxOccupancy: 2 }), started)).toMatchObject({ ok: true });
    const r = await roster(session);
    expect(r.registered).toEqual([a.user.id]);
    expect(r.waitlist).toEqual([[b.user.id, 1]]);
    expect(await remaining(b.membership)).toBe(3);
    expect(await notificationsOf(b.user)).toEqual([]);
  });

  it("cancelSession refunds the packs of booked clients and promotes nobody", async () => {
    const session = await makeSession({ capacity: 2 });
    const a = await packMember(3);
    const b = await recurringMember(3);
    const c = await packMember(3);
    const d = await packMember(3);
    for (const m of [a, b, c, d]) await bookOk(session, m.user);
    expect(await remaining(a.membership)).toBe(2);
    expect(await cancelSession(await forkEm(), session.id, "Heating broken", NOW)).toEqual({ ok: true, notified: 4 });
    expect(await Promise.all([a, c, d].map((m) => remaining(m.membership)))).toEqual([3, 3, 3]);
    const rows = await (await forkEm()).find(SessionRegistration, { session: session.id });
    expect(rows.map((r) => [r.status, r.waitlistPosition, r.promotedFromWaitlistAt])).toEqual(rows.map(() => ["CANCELLED", null, null]));
    for (const m of [a, b, c, d]) expect((await notificationsOf(m.user)).map((n) => n.kind)).toEqual(["SESSION_CANCELLED"]);
  });
});

// ---------- what the client sees ----------

describe("clientTimetable and myRegistrations", () => {
  it("show the client's own state, the counts, and whether a cancel would be late", async () => {
    const type = await makeClassType();
    const session = await makeSession({ capacity: 1, classTypeId: type.id, start: at("2026-03-13", "07:00") });
    const a = await packMember(3);
    const b = await packMember(3);
    await bookOk(session, a.user);
    await bookOk(session, b.user);

    const forA = await clientTimetable(await forkEm(), { userId: a.user.id, from: "2026-03-13", days: 1, classTypeId: type.id }, NOW);
    expect(forA.items).toHaveLength(1);
    expect(forA.items[0]).toMatchObject({
      id: session.id,
      capacity: 1,
      registered: 1,
      waitlisted: 1,
      mine: { status: "REGISTERED", position: null },
      closedReason: null,
      lateCancel: false,
    });
    const forB = await clientTimetable(await forkEm(), { userId: b.user.id, from: "2026-03-13", days: 1, classTypeId: type.id }, NOW);
    expect(forB.items[0]).toMatchObject({ mine: { status: "WAITLISTED", position: 1 }, lateCancel: false });
    const lateForA = await clientTimetable(await forkEm(), { userId: a.user.id, from: "2026-03-13", days: 1, classTypeId: type.id }, at("2026-03-13", "06:00"));
    expect(lateForA.items[0].lateCancel).toBe(true);

    const range = { start: at("2026-03-13", "00:00"), end: at("2026-03-14", "00:00") };
    expect((await myRegistrations(await forkEm(), b.user.id, range)).map((r) => [r.session.id, r.status])).toEqual([[session.id, "WAITLISTED"]]);
    await leave(session, b.user);
    expect(await myRegistrations(await forkEm(), b.user.id, range)).toEqual([]);
  });

  it("count each session's own registrations, and show the client's own state only on the days asked for", async () => {
    const type = await makeClassType();
    const dayBefore = await makeSession({ classTypeId: type.id, start: at("2026-03-12", "07:00") });
    const booked = await makeSession({ classTypeId: type.id, start: at("2026-03-13", "07:00") });
    const empty = await makeSession({ classTypeId: type.id, start: at("2026-03-13", "08:00") });
    const [a, b, c] = [await packMember(3), await packMember(3), await packMember(3)];
    await bookOk(dayBefore, a.user);
    await bookOk(dayBefore, c.user);
    await bookOk(booked, a.user);
    await bookOk(booked, b.user);
    await bookOk(booked, c.user);
    await cancel(booked, c.user);

    const timetableOf = async (user: { id: number }) =>
      (await clientTimetable(await forkEm(), { userId: user.id, from: "2026-03-13", days: 1, classTypeId: type.id }, NOW)).items.map((item) => ({
        id: item.id,
        registered: item.registered,
        waitlisted: item.waitlisted,
        mine: item.mine?.status ?? null,
      }));
    expect(await timetableOf(a.user)).toEqual([
      { id: booked.id, registered: 2, waitlisted: 0, mine: "REGISTERED" },
      { id: empty.id, registered: 0, waitlisted: 0, mine: null },
    ]);
    // A cancelled booking holds no place and is no state of the client's; their booking the day before is not on this day.
    expect(await timetableOf(c.user)).toEqual([
      { id: booked.id, registered: 2, waitlisted: 0, mine: null },
      { id: empty.id, registered: 0, waitlisted: 0, mine: null },
    ]);
  });
});

describe("upcomingBookings (the client's home page)", () => {
  it("lists the next booked and waitlisted sessions soonest first, without past, cancelled or late-cancelled ones", async () => {
    const { user } = await packMember(10);
    const other = await packMember(10);
    const later = await makeSession({ start: at("2026-03-13", "09:00") });
    const full = await makeSession({ capacity: 1, start: at("2026-03-12", "07:00") });
    const soonest = await makeSession({ start: at("2026-03-11", "06:30") });
    const freedUp = await makeSession({ start: at("2026-03-11", "18:00") });
    const lateOne = await makeSession({ start: at("2026-03-10", "13:00") });
    const fourth = await makeSession({ start: at("2026-03-14", "09:00") });
    await bookOk(full, other.user);
    for (const session of [later, full, soonest, freedUp, lateOne, fourth]) await bookOk(session, user);
    expect(await cancel(freedUp, user)).toEqual({ ok: true, late: false });
    expect(await cancel(lateOne, user)).toEqual({ ok: true, late: true });

    const upcoming = await upcomingBookings(await forkEm(), user.id, NOW);
    expect(upcoming.map((b) => [b.sessionId, b.status, b.position])).toEqual([
      [soonest.id, "REGISTERED", null],
      [full.id, "WAITLISTED", 1],
      [later.id, "REGISTERED", null],
    ]);
    expect(upcoming[0]).toMatchObject({ date: "2026-03-11", startLabel: "06:30", endLabel: "07:15", title: "Circuits" });
    // Once the first has started it is no longer "next".
    expect((await upcomingBookings(await forkEm(), user.id, at("2026-03-11", "06:31"))).map((b) => b.sessionId)).toEqual([full.id, later.id, fourth.id]);
  });
});

describe("the coach's session detail", () => {
  it("lists late cancellations apart from the registered clients and the waitlist", async () => {
    const session = await makeSession({ capacity: 1, start: at("2026-03-10", "13:00") });
    const a = await packMember(3);
    const b = await packMember(3);
    await bookOk(session, a.user);
    await bookOk(session, b.user);
    expect(await cancel(session, a.user)).toEqual({ ok: true, late: true });

    const detail = await getSessionDetail(await forkEm(), session.id, NOW);
    expect(detail!.registered.map((r) => r.userId)).toEqual([b.user.id]);
    expect(detail!.waitlist).toEqual([]);
    expect(detail!.lateCancelled.map((r) => [r.userId, r.cancelledAt])).toEqual([[a.user.id, "Tue 10 Mar 2026 at 12:00"]]);
  });
});

describe("fixtures", () => {
  it("plans are stored as asked", async () => {
    const plan = await makePlan({ type: "PACK", totalSessions: 4, lateCancelCutoffHours: 6 });
    expect(await (await forkEm()).findOneOrFail(MembershipPlan, plan.id)).toMatchObject({ type: "PACK", totalSessions: 4, lateCancelCutoffHours: 6 });
  });
});
