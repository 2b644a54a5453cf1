// Appointments against a real PostgreSQL: offering slots (one and several), booking with a membership that
// allows the class type (a pack charged), refusals, two clients racing for one slot, the client's early and
// late cancels, the studio's cancel (refunded, client notified), attendance, and the read models.
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { AppointmentBooking, AppointmentSlot } from "~/modules/appointments/appointments.entities.server";
import { clientAppointment, clientAppointments, clientAppointmentsInRange, coachAppointments } from "~/modules/appointments/appointment-views.server";
import {
  bookAppointment,
  cancelBookingAsStudio,
  cancelMyAppointment,
  cancelSlot,
  createSlot,
  createSlotSeries,
  markAppointmentAttendance,
} from "~/modules/appointments/appointments.service.server";
import type { IClassType } from "~/modules/sessions/sessions.entities.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { calendar } from "~/modules/sessions/session-views.server";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { toInstant, weekRange } from "~/utils/time";
import { forkEm } from "../support/db";
import { createClassType, createMember, createMembership, createPlan, createRegistration, createSession, createUser } from "../support/factories";
import { refused } from "../support/results";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London (GMT). */
const NOW = new Date("2026-03-10T12:00:00Z");
const at = (date: string, time: string) => toInstant(date, time, ZONE);
const HOUR = 3_600_000;

let coach: IUser;
let otherCoach: IUser;
let admin: IUser;
let massage: IClassType;
let hiit: IClassType;

beforeAll(async () => {
  const em = await forkEm();
  coach = await createUser(em, { role: "COACH" });
  otherCoach = await createUser(em, { role: "COACH" });
  admin = await createUser(em, { role: "ADMIN" });
  massage = await createClassType(em, { defaultCapacity: 1, defaultDurationMins: 45 });
  hiit = await createClassType(em);
});

const actor = (user: IUser) => ({ id: user.id, role: user.role });

let minute = 0;
/** An open slot of `coach` (45 minutes), by default on Thursday 12 March at a start no other test uses. */
async function makeSlot(fields: { date?: string; time?: string; coachUser?: IUser; classType?: IClassType } = {}) {
  const date = fields.date ?? "2026-03-12";
  const time = fields.time ?? `${String(8 + Math.floor(minute / 60)).padStart(2, "0")}:${String(minute % 60).padStart(2, "0")}`;
  if (!fields.time) minute += 50;
  const result = await createSlot(
    await forkEm(),
    { actor: actor(fields.coachUser ?? coach), classTypeId: (fields.classType ?? massage).id, date, startTime: time, durationMins: 45 },
    NOW,
  );
  if (!result.ok) throw new Error(`Could not offer a slot: ${JSON.stringify(result)}`);
  return result.slot;
}

/** A client with a 3-massage pack limited to the massage class type (cut-off: the studio's 2 hours unless given). */
const massagePack = async (fields: { sessions?: number; cutoff?: number } = {}) =>
  createMember(
    await forkEm(),
    { type: "PACK", totalSessions: 3, classTypes: [massage], lateCancelCutoffHours: fields.cutoff ?? null },
    { startDate: "2026-03-01", sessionsRemaining: fields.sessions ?? 3 },
  );

const remaining = async (membershipId: number) => (await (await forkEm()).findOneOrFail(UserMembership, membershipId)).sessionsRemaining;
const bookingOf = async (id: number) => (await forkEm()).findOneOrFail(AppointmentBooking, id);
const notificationsOf = async (userId: number, kind: string) =>
  (await forkEm()).find(Notification, { user: userId, kind: kind as never }, { orderBy: { id: "asc" } });

async function bookOk(slotId: number, userId: number, now = NOW) {
  const result = await bookAppointment(await forkEm(), { slotId, userId }, now);
  if (!result?.ok) throw new Error(`Could not book: ${JSON.stringify(result)}`);
  return result;
}

describe("offering slots", () => {
  it("offers one slot and refuses one that overlaps another open slot of the coach, or lies in the past", async () => {
    const slot = await makeSlot({ date: "2026-03-16", time: "10:00" });
    expect(slot).toMatchObject({ status: "OPEN", location: null, startTime: at("2026-03-16", "10:00"), endTime: at("2026-03-16", "10:45") });
    const input = { actor: actor(coach), classTypeId: massage.id, date: "2026-03-16", durationMins: 45 };
    expect(await createSlot(await forkEm(), { ...input, startTime: "10:30" }, NOW)).toEqual({
      ok: false,
      fieldErrors: { startTime: ["This overlaps an open slot from 10:00 to 10:45 that day."] },
    });
    expect(await createSlot(await forkEm(), { ...input, date: "2026-03-09", startTime: "10:00" }, NOW)).toEqual({
      ok: false,
      fieldErrors: { startTime: ["Choose a start time in the future."] },
    });
    // Another coach may offer the same time; the first coach may after their slot is cancelled.
    expect((await createSlot(await forkEm(), { ...input, actor: actor(otherCoach), startTime: "10:00" }, NOW)).ok).toBe(true);
    expect((await cancelSlot(await forkEm(), { slotId: slot.id, actor: actor(coach) }, NOW))?.ok).toBe(true);
    expect((await createSlot(await forkEm(), { ...input, startTime: "10:00" }, NOW)).ok).toBe(true);
  });

  it("refuses an inactive class type and, from a coach, offers the slot as their own whatever coach is sent", async () => {
    const inactive = await createClassType(await forkEm(), { isActive: false });
    const input = { actor: actor(coach), date: "2026-03-17", startTime: "09:00", durationMins: 30 };
    expect(await createSlot(await forkEm(), { ...input, classTypeId: inactive.id }, NOW)).toEqual({
      ok: false,
      fieldErrors: { classTypeId: ["Choose an active class type from the list."] },
    });
    const own = await createSlot(await forkEm(), { ...input, classTypeId: massage.id, coachId: otherCoach.id }, NOW);
    expect(own.ok && own.slot.coach.id).toBe(coach.id);
    const byAdmin = await createSlot(await forkEm(), { ...input, actor: actor(admin), classTypeId: massage.id, coachId: otherCoach.id }, NOW);
    expect(byAdmin.ok && byAdmin.slot.coach.id).toBe(otherCoach.id);
  });

  it("creates several slots on a day, skipping those that clash with the coach's open slots and those in the past", async () => {
    const series = await makeSlot({ coachUser: otherCoach, date: "2026-03-18", time: "10:00" });
    const result = await createSlotSeries(
      await forkEm(),
      { actor: actor(otherCoach), classTypeId: massage.id, date: "2026-03-18", from: "09:00", to: "12:00", lengthMins: 45, gapMins: 15 },
      NOW,
    );
    expect(result).toEqual({ ok: true, created: 2, clashed: 1, past: 0 });
    const slots = await (
      await forkEm()
    ).find(
      AppointmentSlot,
      { coach: otherCoach.id, startTime: { $gte: at("2026-03-18", "00:00"), $lt: at("2026-03-19", "00:00") } },
      { orderBy: { startTime: "asc" } },
    );
    expect(slots.map((s) => s.startTime)).toEqual([at("2026-03-18", "09:00"), at("2026-03-18", "10:00"), at("2026-03-18", "11:00")]);
    expect(slots.map((s) => s.id)).toContain(series.id);

    const today = await createSlotSeries(
      await forkEm(),
      { actor: actor(otherCoach), classTypeId: massage.id, date: "2026-03-10", from: "10:00", to: "14:00", lengthMins: 60, gapMins: 0 },
      NOW,
    );
    // NOW is 12:00: the 10:00, 11:00 and 12:00 slots have started.
    expect(today).toEqual({ ok: true, created: 1, clashed: 0, past: 3 });
    expect(
      await createSlotSeries(
        await forkEm(),
        { actor: actor(otherCoach), classTypeId: massage.id, date: "2026-03-19", from: "10:00", to: "10:30", lengthMins: 45, gapMins: 0 },
        NOW,
      ),
    ).toEqual({ ok: false, fieldErrors: { to: ["No slot of that length fits between the two times."] } });
  });
});

describe("booking", () => {
  it("books with a membership that allows the class type and charges the pack one session; the client and coach are told", async () => {
    const slot = await makeSlot();
    const { user, membership, plan } = await massagePack();
    const result = await bookAppointment(await forkEm(), { slotId: slot.id, userId: user.id }, NOW);
    expect(result).toEqual({ ok: true, bookingId: expect.any(Number), planName: plan.name, charged: true });
    expect(await remaining(membership.id)).toBe(2);
    expect(await bookingOf(result!.ok ? result!.bookingId : 0)).toMatchObject({ status: "BOOKED", membership: { id: membership.id } });
    expect((await notificationsOf(user.id, "APPOINTMENT_BOOKED")).map((n) => n.subject)).toEqual([
      `Appointment booked: ${massage.name} on Thu 12 Mar 2026 at ${slot.startTime.toISOString().slice(11, 16)} (Europe/London time)`,
    ]);
    expect((await notificationsOf(coach.id, "APPOINTMENT_BOOKED")).some((n) => n.subject.startsWith(`${user.name} booked`))).toBe(true);
  });

  it("books with a recurring plan without allowances, charging nothing", async () => {
    const slot = await makeSlot();
    const { user, membership } = await createMember(await forkEm(), { type: "RECURRING", sessionsPerWeek: 3 }, { startDate: "2026-03-01" });
    expect(await bookAppointment(await forkEm(), { slotId: slot.id, userId: user.id }, NOW)).toMatchObject({ ok: true, charged: false });
    expect(await remaining(membership.id)).toBeNull();
  });

  it("refuses without a membership, with one for other class types, and with an empty pack (nothing written)", async () => {
    const slot = await makeSlot();
    const message = `You need a membership that includes ${massage.name} to book this appointment. See the plans.`;
    const nobody = await createUser(await forkEm());
    expect(await bookAppointment(await forkEm(), { slotId: slot.id, userId: nobody.id }, NOW)).toEqual(refused(message));
    const hiitOnly = await createMember(await forkEm(), { type: "PACK", totalSessions: 5, classTypes: [hiit] }, { startDate: "2026-03-01" });
    expect(await bookAppointment(await forkEm(), { slotId: slot.id, userId: hiitOnly.user.id }, NOW)).toEqual(refused(message));
    const empty = await massagePack({ sessions: 0 });
    expect(await bookAppointment(await forkEm(), { slotId: slot.id, userId: empty.user.id }, NOW)).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/no sessions left/),
    });
    expect(await (await forkEm()).count(AppointmentBooking, { slot: slot.id })).toBe(0);
    expect(await remaining(hiitOnly.membership.id)).toBe(5);
  });

  it("refuses a cancelled slot, a slot that has started, one already booked, and a missing one", async () => {
    const { user } = await massagePack();
    const cancelled = await makeSlot();
    await cancelSlot(await forkEm(), { slotId: cancelled.id, actor: actor(coach) }, NOW);
    expect(await bookAppointment(await forkEm(), { slotId: cancelled.id, userId: user.id }, NOW)).toEqual(refused("This appointment slot has been cancelled."));
    const slot = await makeSlot();
    expect(await bookAppointment(await forkEm(), { slotId: slot.id, userId: user.id }, slot.startTime)).toEqual(
      refused("This appointment has already started."),
    );
    await bookOk(slot.id, user.id);
    expect(await bookAppointment(await forkEm(), { slotId: slot.id, userId: user.id }, NOW)).toEqual(refused("You have already booked this appointment."));
    const other = await massagePack();
    expect(await bookAppointment(await forkEm(), { slotId: slot.id, userId: other.user.id }, NOW)).toEqual(
      refused("Someone else has just booked this slot. Please choose another time."),
    );
    expect(await bookAppointment(await forkEm(), { slotId: 2_000_000_000, userId: user.id }, NOW)).toBeNull();
  });

  it("refuses a slot that overlaps the client's own appointment or booked class", async () => {
    const { user } = await massagePack();
    const first = await makeSlot({ date: "2026-03-13", time: "10:00" });
    const overlapping = await makeSlot({ coachUser: otherCoach, date: "2026-03-13", time: "10:30" });
    await bookOk(first.id, user.id);
    expect(await bookAppointment(await forkEm(), { slotId: overlapping.id, userId: user.id }, NOW)).toEqual(
      refused(`You already have a ${massage.name} appointment at that time.`),
    );
    const session = await createSession(await forkEm(), { coach, start: at("2026-03-13", "14:00"), title: "Clashing HIIT" });
    await createRegistration(await forkEm(), { session, user });
    const afternoon = await makeSlot({ date: "2026-03-13", time: "14:15" });
    expect(await bookAppointment(await forkEm(), { slotId: afternoon.id, userId: user.id }, NOW)).toEqual(
      refused("You are booked on Clashing HIIT at that time."),
    );
  });

  it("two clients racing for one slot: one gets it, the others are told it was taken", async () => {
    const slot = await makeSlot();
    const members = [];
    for (let i = 0; i < 4; i++) members.push(await massagePack());
    const results = await Promise.all(members.map(async (m) => bookAppointment(await forkEm(), { slotId: slot.id, userId: m.user.id }, NOW)));
    expect(results.filter((r) => r?.ok)).toHaveLength(1);
    expect(results.filter((r) => !r?.ok)).toEqual(Array(3).fill(refused("Someone else has just booked this slot. Please choose another time.")));
    expect(await (await forkEm()).count(AppointmentBooking, { slot: slot.id, status: "BOOKED" })).toBe(1);
    // Only the winner's pack was charged.
    const left = await Promise.all(members.map((m) => remaining(m.membership.id)));
    expect(left.sort()).toEqual([2, 3, 3, 3]);
  });
});

describe("cancelling", () => {
  it("the client's early cancel is free: the pack refunded and the slot open again", async () => {
    const slot = await makeSlot();
    const { user, membership } = await massagePack();
    const { bookingId } = await bookOk(slot.id, user.id);
    expect(await cancelMyAppointment(await forkEm(), { bookingId, userId: user.id }, NOW)).toEqual({ ok: true, late: false, refunded: true });
    expect(await remaining(membership.id)).toBe(3);
    expect(await bookingOf(bookingId)).toMatchObject({ status: "CANCELLED", cancelledBy: { id: user.id } });
    expect((await notificationsOf(coach.id, "APPOINTMENT_CANCELLED")).some((n) => n.subject.startsWith(`${user.name} cancelled`))).toBe(true);
    const other = await massagePack();
    expect((await bookAppointment(await forkEm(), { slotId: slot.id, userId: other.user.id }, NOW))?.ok).toBe(true);
    // Cancelling twice is refused.
    expect(await cancelMyAppointment(await forkEm(), { bookingId, userId: user.id }, NOW)).toEqual(
      refused("This appointment is not booked, so there is nothing to cancel."),
    );
  });

  it("the client's cancel inside the cut-off is late: not refunded, and the slot cannot be booked again by them", async () => {
    const slot = await makeSlot();
    const { user, membership } = await massagePack({ cutoff: 24 });
    const { bookingId } = await bookOk(slot.id, user.id);
    const lateNow = new Date(slot.startTime.getTime() - 23 * HOUR);
    expect(await clientAppointment(await forkEm(), { userId: user.id, bookingId }, lateNow)).toMatchObject({
      canCancel: true,
      lateCancel: true,
      cutoffHours: 24,
    });
    expect(await clientAppointment(await forkEm(), { userId: user.id, bookingId }, NOW)).toMatchObject({ canCancel: true, lateCancel: false });
    expect(await cancelMyAppointment(await forkEm(), { bookingId, userId: user.id }, lateNow)).toEqual({ ok: true, late: true, refunded: false });
    expect(await remaining(membership.id)).toBe(2);
    expect(await bookingOf(bookingId)).toMatchObject({ status: "LATE_CANCELLED" });
    expect(await bookAppointment(await forkEm(), { slotId: slot.id, userId: user.id }, lateNow)).toEqual(
      refused("You cancelled this appointment late, so it cannot be booked again."),
    );
  });

  it("uses the studio's default cut-off when the plan has none", async () => {
    const slot = await makeSlot();
    const { user, membership } = await massagePack();
    const { bookingId } = await bookOk(slot.id, user.id);
    // The studio default is 2 hours: 3 hours before is free.
    expect(await cancelMyAppointment(await forkEm(), { bookingId, userId: user.id }, new Date(slot.startTime.getTime() - 3 * HOUR))).toMatchObject({
      late: false,
    });
    expect(await remaining(membership.id)).toBe(3);
  });

  it("a client cannot cancel another client's appointment (not found), nor one that has started", async () => {
    const slot = await makeSlot();
    const { user } = await massagePack();
    const stranger = await massagePack();
    const { bookingId } = await bookOk(slot.id, user.id);
    expect(await cancelMyAppointment(await forkEm(), { bookingId, userId: stranger.user.id }, NOW)).toBeNull();
    expect(await clientAppointment(await forkEm(), { bookingId, userId: stranger.user.id }, NOW)).toBeNull();
    expect(await cancelMyAppointment(await forkEm(), { bookingId, userId: user.id }, slot.startTime)).toEqual(
      refused("This appointment has started, so it can no longer be cancelled."),
    );
  });

  it("the coach's cancel of a booked slot always refunds and notifies the client, even inside the cut-off", async () => {
    const slot = await makeSlot();
    const { user, membership } = await massagePack({ cutoff: 48 });
    const { bookingId } = await bookOk(slot.id, user.id);
    const late = new Date(slot.startTime.getTime() - HOUR);
    expect(await cancelSlot(await forkEm(), { slotId: slot.id, actor: actor(coach), reason: "Coach unwell" }, late)).toEqual({
      ok: true,
      clientName: user.name,
      refunded: true,
    });
    expect(await remaining(membership.id)).toBe(3);
    expect(await bookingOf(bookingId)).toMatchObject({ status: "CANCELLED", cancelledBy: { id: coach.id } });
    expect(await (await forkEm()).findOneOrFail(AppointmentSlot, slot.id)).toMatchObject({ status: "CANCELLED" });
    const [message] = await notificationsOf(user.id, "APPOINTMENT_CANCELLED");
    expect(message.subject).toMatch(/^Appointment cancelled: /);
    expect(message.body).toContain("Reason: Coach unwell");
    expect(message.body).toContain("The session has been given back to your pack.");
    expect(await cancelSlot(await forkEm(), { slotId: slot.id, actor: actor(coach) }, late)).toEqual(refused("This slot is already cancelled."));
  });

  it("the coach may cancel only the booking, leaving the slot open for someone else", async () => {
    const slot = await makeSlot();
    const { user, membership } = await massagePack();
    await bookOk(slot.id, user.id);
    expect(await cancelBookingAsStudio(await forkEm(), { slotId: slot.id, actor: actor(coach) }, NOW)).toEqual({
      ok: true,
      clientName: user.name,
      refunded: true,
    });
    expect(await remaining(membership.id)).toBe(3);
    expect(await (await forkEm()).findOneOrFail(AppointmentSlot, slot.id)).toMatchObject({ status: "OPEN" });
    expect(await notificationsOf(user.id, "APPOINTMENT_CANCELLED")).toHaveLength(1);
    expect(await cancelBookingAsStudio(await forkEm(), { slotId: slot.id, actor: actor(coach) }, NOW)).toEqual(refused("Nobody is booked on this slot."));
  });

  it("another coach may not cancel a slot (forbidden); an admin may", async () => {
    const slot = await makeSlot();
    expect(await cancelSlot(await forkEm(), { slotId: slot.id, actor: actor(otherCoach) }, NOW)).toMatchObject({ ok: false, reason: "forbidden" });
    expect(await cancelBookingAsStudio(await forkEm(), { slotId: slot.id, actor: actor(otherCoach) }, NOW)).toMatchObject({ ok: false, reason: "forbidden" });
    expect(await cancelSlot(await forkEm(), { slotId: slot.id, actor: actor(admin) }, NOW)).toEqual({ ok: true, clientName: null, refunded: false });
    expect(await cancelSlot(await forkEm(), { slotId: 2_000_000_000, actor: actor(admin) }, NOW)).toBeNull();
  });
});

describe("attendance", () => {
  it("is marked from the start on, corrected, and refused before the start, for an empty slot and for another coach", async () => {
    const slot = await makeSlot();
    const { user } = await massagePack();
    const { bookingId } = await bookOk(slot.id, user.id);
    const input = { slotId: slot.id, actor: actor(coach), attendance: "ATTENDED" as const };
    expect(await markAppointmentAttendance(await forkEm(), input, NOW)).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/^Attendance can be marked from the start/),
    });
    expect(await markAppointmentAttendance(await forkEm(), input, slot.startTime)).toEqual({ ok: true });
    expect(await bookingOf(bookingId)).toMatchObject({ status: "ATTENDED" });
    expect(await markAppointmentAttendance(await forkEm(), { ...input, attendance: "NO_SHOW" }, slot.endTime)).toEqual({ ok: true });
    expect(await bookingOf(bookingId)).toMatchObject({ status: "NO_SHOW" });
    expect(await markAppointmentAttendance(await forkEm(), { ...input, actor: actor(otherCoach) }, slot.endTime)).toMatchObject({
      ok: false,
      reason: "forbidden",
    });
    expect(await markAppointmentAttendance(await forkEm(), { ...input, actor: actor(admin) }, slot.endTime)).toEqual({ ok: true });

    const empty = await makeSlot();
    expect(await markAppointmentAttendance(await forkEm(), { ...input, slotId: empty.id }, empty.startTime)).toEqual(refused("Nobody is booked on this slot."));
  });
});

describe("what clients and coaches see", () => {
  it("the client's page lists open slots they can book (or why not) and their own appointments; calendars show them", async () => {
    const date = "2026-03-20";
    const openSlot = await makeSlot({ coachUser: otherCoach, date, time: "09:00" });
    const bookedSlot = await makeSlot({ coachUser: otherCoach, date, time: "10:00" });
    const hiitSlot = await makeSlot({ coachUser: otherCoach, date, time: "11:00", classType: hiit });
    const { user } = await massagePack();
    const { bookingId } = await bookOk(bookedSlot.id, user.id);

    const page = await clientAppointments(await forkEm(), { userId: user.id, coachId: otherCoach.id }, NOW);
    const slots = page.days.find((d) => d.date === date)!.slots;
    expect(slots.map((s) => [s.slotId, s.refusal])).toEqual([
      [openSlot.id, null],
      [hiitSlot.id, `You need a membership that includes ${hiit.name} to book this appointment. See the plans.`],
    ]);
    expect(page.upcoming.map((a) => [a.bookingId, a.status, a.startLabel])).toEqual([[bookingId, "BOOKED", "10:00"]]);
    const onlyHiit = await clientAppointments(await forkEm(), { userId: user.id, coachId: otherCoach.id, classTypeId: hiit.id }, NOW);
    expect(onlyHiit.days.flatMap((d) => d.slots.map((s) => s.slotId))).toEqual([hiitSlot.id]);

    const week = weekRange(date, ZONE);
    expect((await clientAppointmentsInRange(await forkEm(), user.id, week)).map((a) => a.bookingId)).toEqual([bookingId]);

    const coachView = await coachAppointments(await forkEm(), actor(otherCoach), NOW);
    const states = coachView.upcoming.filter((s) => s.date === date).map((s) => [s.startLabel, s.state, s.clientName]);
    expect(states).toEqual([
      ["09:00", "OPEN", null],
      ["10:00", "BOOKED", user.name],
      ["11:00", "OPEN", null],
    ]);
    expect(coachView.showCoach).toBe(false);

    // The coach calendar shows the slots only while appointments are switched on.
    const off = await calendar(await forkEm(), { date, view: "day", coachId: otherCoach.id }, NOW);
    expect(off.days[0].appointments).toEqual([]);
    await updateSettings(await forkEm(), { "features.appointments.enabled": true });
    try {
      const on = await calendar(await forkEm(), { date, view: "day", coachId: otherCoach.id }, NOW);
      expect(on.days[0].appointments.map((a) => [a.startLabel, a.state])).toEqual([
        ["09:00", "OPEN"],
        ["10:00", "BOOKED"],
        ["11:00", "OPEN"],
      ]);
      expect(on.days[0].sessions).toEqual([]);
    } finally {
      await updateSettings(await forkEm(), { "features.appointments.enabled": false });
    }
  });

  it("a membership that ended before the slot's day cannot book it", async () => {
    const slot = await makeSlot({ date: "2026-03-21", time: "09:00" });
    const user = await createUser(await forkEm());
    const plan = await createPlan(await forkEm(), { type: "PREPAID", durationDays: 7, classTypes: [massage] });
    await createMembership(await forkEm(), { user, plan, startDate: "2026-03-10", endDate: "2026-03-16" });
    expect(await bookAppointment(await forkEm(), { slotId: slot.id, userId: user.id }, NOW)).toMatchObject({
      ok: false,
      formError: expect.stringMatching(/ends on Mon 16 Mar 2026/),
    });
  });
});
