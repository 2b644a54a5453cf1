// The commands of 1-on-1 appointments: coaches offer and cancel slots and mark attendance; clients book
// and cancel. Every change to a slot's booking runs in one transaction holding the slot's row lock (then
// the client's memberships), backed by the partial unique index of one holding booking per slot.
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import { formatDate, formatTime, formatWhen, localDateOf, todayIn, toInstant } from "~/utils/time";
import { invalid, isUniqueViolation, refuse, type Failure, type Result } from "~/utils/result";
import { User, type Role } from "../auth/auth.entities.server";
import { SessionRegistration } from "../booking/booking.entities.server";
import { HOLDS_PLACE, type BookingCandidate } from "../booking/booking.rules";
import { MembershipClassTypeAllowance, UserMembership, type IUserMembership } from "../memberships/memberships.entities.server";
import { effectiveMembershipStatus } from "../memberships/memberships.rules";
import { notify } from "../notifications/notify.server";
import { ClassType } from "../sessions/sessions.entities.server";
import { findCoach } from "../sessions/lookups.server";
import { attendanceWindow, isAttendanceEditable } from "../sessions/sessions.rules";
import { getSettings } from "../settings/settings.service.server";
import { AppointmentBooking, AppointmentSlot, type IAppointmentBooking, type IAppointmentSlot } from "./appointments.entities.server";
import { chooseAppointmentMembership, clientCancelOutcome, HOLDS_SLOT, mayManageSlot, seriesSlots, slotRefusal, MAX_SERIES_SLOTS } from "./appointments.rules";
import type { SlotInput, SlotSeriesInput } from "./appointments.schema";

/** Who is acting: the signed-in user. */
export type Actor = { id: number; role: Role };

const TAKEN = "Someone else has just booked this slot. Please choose another time.";
const FORBIDDEN = "Only this slot's coach or an admin can change it.";

// ---------- offering slots ----------

type SlotPlace = { coachId: number; classTypeId: number; location: string | null; notes: string | null };

/** The coach and class type of a new slot, checked: a coach offers their own slots, an admin anyone's. */
async function slotPlace(em: EntityManager, input: { actor: Actor; coachId?: number; classTypeId: number; location?: string; notes?: string }) {
  const coachId = input.actor.role === "ADMIN" ? (input.coachId ?? input.actor.id) : input.actor.id;
  const [coach, classType] = await Promise.all([findCoach(em, coachId), em.findOne(ClassType, { id: input.classTypeId, isActive: true })]);
  if (!coach) return invalid({ coachId: ["Choose a coach from the list."] });
  if (!classType) return invalid({ classTypeId: ["Choose an active class type from the list."] });
  return { ok: true as const, place: { coachId, classTypeId: classType.id, location: input.location ?? null, notes: input.notes ?? null } satisfies SlotPlace };
}

/** One coach's slot creations run one at a time, so two forms cannot offer overlapping slots. */
async function lockCoachSlots(tx: EntityManager, coachId: number) {
  await tx.execute(`select pg_advisory_xact_lock(hashtext('appointment-slots'), ?)`, [coachId]);
}

async function openSlotsBetween(tx: EntityManager, coachId: number, start: Date, end: Date) {
  return tx.find(AppointmentSlot, { coach: coachId, status: "OPEN", startTime: { $lt: end }, endTime: { $gt: start } }, { orderBy: { startTime: "asc" } });
}

/** Offers one slot; refused when it starts in the past or overlaps another open slot of the coach. */
export async function createSlot(em: EntityManager, input: SlotInput & { actor: Actor }, now = new Date()): Promise<Result<{ slot: IAppointmentSlot }>> {
  const zone = (await getSettings(em)).studioTimeZone;
  const checked = await slotPlace(em, input);
  if (!checked.ok) return checked;
  const start = toInstant(input.date, input.startTime, zone);
  const end = new Date(start.getTime() + input.durationMins * 60_000);
  if (start.getTime() <= now.getTime()) return invalid({ startTime: ["Choose a start time in the future."] });
  try {
    return await em.transactional(async (tx) => {
      await lockCoachSlots(tx, checked.place.coachId);
      const [clash] = await openSlotsBetween(tx, checked.place.coachId, start, end);
      if (clash) {
        return invalid({ startTime: [`This overlaps an open slot from ${formatTime(clash.startTime, zone)} to ${formatTime(clash.endTime, zone)} that day.`] });
      }
      const { coachId, classTypeId, ...rest } = checked.place;
      const slot = tx.create(AppointmentSlot, {
        coach: coachId,
        classType: classTypeId,
        ...rest,
        startTime: start,
        endTime: end,
        status: "OPEN",
        cancelledAt: null,
      });
      await tx.flush();
      return { ok: true as const, slot };
    });
  } catch (error) {
    if (isUniqueViolation(error)) return invalid({ startTime: ["You already offer a slot at that time."] });
    throw error;
  }
}

export type SeriesResult = { ok: true; created: number; clashed: number; past: number } | Failure;

/**
 * Offers several slots on one day (from–to, length, gap), skipping those that start in the past or
 * overlap another open slot of the coach, and says how many it made and skipped.
 */
export async function createSlotSeries(em: EntityManager, input: SlotSeriesInput & { actor: Actor }, now = new Date()): Promise<SeriesResult> {
  const zone = (await getSettings(em)).studioTimeZone;
  const checked = await slotPlace(em, input);
  if (!checked.ok) return checked;
  const times = seriesSlots({ date: input.date, from: input.from, to: input.to, lengthMins: input.lengthMins, gapMins: input.gapMins }, zone);
  if (times.length === 0) return invalid({ to: ["No slot of that length fits between the two times."] });
  if (times.length > MAX_SERIES_SLOTS) return invalid({ to: [`That makes more than ${MAX_SERIES_SLOTS} slots; choose a shorter span or longer slots.`] });
  return em.transactional(async (tx) => {
    await lockCoachSlots(tx, checked.place.coachId);
    const existing = await openSlotsBetween(tx, checked.place.coachId, times[0].start, times[times.length - 1].end);
    const taken = existing.map((s) => ({ start: s.startTime, end: s.endTime }));
    let created = 0;
    let clashed = 0;
    let past = 0;
    const { coachId, classTypeId, ...rest } = checked.place;
    for (const time of times) {
      if (time.start.getTime() <= now.getTime()) {
        past++;
        continue;
      }
      if (taken.some((t) => t.start.getTime() < time.end.getTime() && time.start.getTime() < t.end.getTime())) {
        clashed++;
        continue;
      }
      tx.create(AppointmentSlot, {
        coach: coachId,
        classType: classTypeId,
        ...rest,
        startTime: time.start,
        endTime: time.end,
        status: "OPEN",
        cancelledAt: null,
      });
      created++;
    }
    await tx.flush();
    return { ok: true as const, created, clashed, past };
  });
}

// ---------- the slot's lock and its booking ----------

async function lockSlot(tx: EntityManager, slotId: number) {
  const slot = await tx.findOne(AppointmentSlot, slotId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (slot) await tx.populate(slot, ["classType", "coach"]);
  return slot;
}

function holdingBooking(tx: EntityManager, slotId: number) {
  return tx.findOne(AppointmentBooking, { slot: slotId, status: { $in: [...HOLDS_SLOT] } }, { populate: ["client"], refresh: true });
}

async function lockMembership(tx: EntityManager, membershipId: number) {
  const membership = await tx.findOne(UserMembership, membershipId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (membership) await tx.populate(membership, ["plan"]);
  return membership;
}

/** Gives a pack its session back (recurring and prepaid memberships paid nothing per appointment). */
function refund(membership: IUserMembership | null) {
  if (membership?.plan.type === "PACK") {
    membership.sessionsRemaining = (membership.sessionsRemaining ?? 0) + 1;
    return true;
  }
  return false;
}

const slotLabel = (slot: IAppointmentSlot, zone: string) => `${slot.classType.name} with ${slot.coach.name} on ${formatWhen(slot.startTime, zone)}`;

/** The studio cancels a booking: never late, a pack refunded, the client told. Call holding the slot's lock. */
async function cancelAsStudio(
  tx: EntityManager,
  booking: IAppointmentBooking,
  slot: IAppointmentSlot,
  input: { actor: Actor; reason?: string; zone: string; now: Date },
) {
  const membership = booking.membership ? await lockMembership(tx, booking.membership.id) : null;
  Object.assign(booking, { status: "CANCELLED", cancelledAt: input.now, cancelledBy: input.actor.id });
  const refunded = refund(membership);
  await tx.flush();
  const what = slotLabel(slot, input.zone);
  await notify(tx, {
    userId: booking.client.id,
    kind: "APPOINTMENT_CANCELLED",
    subject: `Appointment cancelled: ${slot.classType.name} on ${formatWhen(slot.startTime, input.zone)}`,
    body: [
      `Sorry: the studio cancelled your appointment (${what}).`,
      input.reason ? `Reason: ${input.reason}` : null,
      refunded ? "The session has been given back to your pack." : null,
      "You can book another time at /client/appointments.",
    ]
      .filter(Boolean)
      .join("\n"),
    payload: { slotId: slot.id, bookingId: booking.id, refunded },
  });
  return { clientName: booking.client.name, refunded };
}

// ---------- the coach's side ----------

export type StudioCancelResult = { ok: true; clientName: string | null; refunded: boolean } | Failure;

/**
 * Cancels a slot that has not started (its coach or an admin); a booking on it is cancelled by the studio:
 * the pack refunded and the client notified. Refused with reason "forbidden" for anyone else.
 */
export async function cancelSlot(
  em: EntityManager,
  input: { slotId: number; actor: Actor; reason?: string },
  now = new Date(),
): Promise<StudioCancelResult | null> {
  const zone = (await getSettings(em)).studioTimeZone;
  return em.transactional(async (tx) => {
    const slot = await lockSlot(tx, input.slotId);
    if (!slot) return null;
    if (!mayManageSlot(input.actor, { coachId: slot.coach.id })) return refuse(FORBIDDEN, {}, "forbidden");
    if (slot.status === "CANCELLED") return refuse("This slot is already cancelled.");
    if (now.getTime() >= slot.startTime.getTime())
      return refuse("This appointment has started, so it can no longer be cancelled. Mark the attendance instead.");
    const booking = await holdingBooking(tx, slot.id);
    Object.assign(slot, { status: "CANCELLED", cancelledAt: now });
    await tx.flush();
    const cancelled = booking ? await cancelAsStudio(tx, booking, slot, { actor: input.actor, reason: input.reason, zone, now }) : null;
    return { ok: true as const, clientName: cancelled?.clientName ?? null, refunded: cancelled?.refunded ?? false };
  });
}

/** Cancels the booking on a slot (the studio's cancel: refunded, client notified); the slot stays open to book. */
export async function cancelBookingAsStudio(
  em: EntityManager,
  input: { slotId: number; actor: Actor; reason?: string },
  now = new Date(),
): Promise<StudioCancelResult | null> {
  const zone = (await getSettings(em)).studioTimeZone;
  return em.transactional(async (tx) => {
    const slot = await lockSlot(tx, input.slotId);
    if (!slot) return null;
    if (!mayManageSlot(input.actor, { coachId: slot.coach.id })) return refuse(FORBIDDEN, {}, "forbidden");
    if (now.getTime() >= slot.startTime.getTime())
      return refuse("This appointment has started, so it can no longer be cancelled. Mark the attendance instead.");
    const booking = await holdingBooking(tx, slot.id);
    if (!booking || booking.status !== "BOOKED") return refuse("Nobody is booked on this slot.");
    const cancelled = await cancelAsStudio(tx, booking, slot, { actor: input.actor, reason: input.reason, zone, now });
    return { ok: true as const, ...cancelled };
  });
}

/** Marks the client of a slot ATTENDED or NO_SHOW, from its start until the studio's attendance window closes. */
export async function markAppointmentAttendance(
  em: EntityManager,
  input: { slotId: number; actor: Actor; attendance: "ATTENDED" | "NO_SHOW" },
  now = new Date(),
): Promise<Result | null> {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  return em.transactional(async (tx) => {
    const slot = await lockSlot(tx, input.slotId);
    if (!slot) return null;
    if (!mayManageSlot(input.actor, { coachId: slot.coach.id })) return refuse(FORBIDDEN, {}, "forbidden");
    if (slot.status === "CANCELLED") return refuse("This slot was cancelled.");
    if (!isAttendanceEditable(slot, zone, now, settings.attendanceEditDays)) {
      const { lastDay } = attendanceWindow(slot, zone, settings.attendanceEditDays);
      return refuse(`Attendance can be marked from the start of the appointment until the end of ${formatDate(lastDay, zone)}.`);
    }
    const booking = await holdingBooking(tx, slot.id);
    if (!booking) return refuse("Nobody is booked on this slot.");
    booking.status = input.attendance;
    await tx.flush();
    return { ok: true as const };
  });
}

// ---------- the client's side ----------

/**
 * The user's memberships (ACTIVE or PAUSED) as booking candidates on `date`, with the class types each
 * plan allows. With `lock`, the membership rows are locked FOR UPDATE (inside a booking's transaction),
 * so two bookings charging one pack run one after the other.
 */
export async function appointmentCandidates(em: EntityManager, userId: number, today: string, lock = false) {
  const memberships = await em.find(
    UserMembership,
    { user: userId, status: { $in: ["ACTIVE", "PAUSED"] } },
    { orderBy: { id: "asc" }, ...(lock ? { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true } : {}) },
  );
  await em.populate(memberships, ["plan"]);
  const planIds = [...new Set(memberships.map((m) => m.plan.id))];
  const allowances = planIds.length ? await em.find(MembershipClassTypeAllowance, { plan: { $in: planIds } }) : [];
  const candidates: BookingCandidate[] = memberships.map((m) => ({
    id: m.id,
    planName: m.plan.name,
    planType: m.plan.type,
    status: effectiveMembershipStatus({ status: m.status, endDate: m.endDate ?? null, cancelAtPeriodEnd: m.cancelAtPeriodEnd, planType: m.plan.type }, today),
    startDate: m.startDate,
    endDate: m.endDate ?? null,
    sessionsPerWeek: m.plan.sessionsPerWeek ?? null,
    sessionsRemaining: m.sessionsRemaining ?? null,
    allowedClassTypeIds: allowances.filter((a) => a.plan.id === m.plan.id).map((a) => a.classType.id),
    usedThisWeek: 0,
  }));
  return { memberships, candidates };
}

/** Something else the client has at that time: an appointment they hold or a class they are booked on. */
async function clientClash(tx: EntityManager, userId: number, slot: IAppointmentSlot): Promise<string | null> {
  const appointment = await tx.findOne(
    AppointmentBooking,
    { client: userId, status: "BOOKED", slot: { id: { $ne: slot.id }, status: "OPEN", startTime: { $lt: slot.endTime }, endTime: { $gt: slot.startTime } } },
    { populate: ["slot.classType"] },
  );
  if (appointment) return `You already have a ${appointment.slot.classType.name} appointment at that time.`;
  const registration = await tx.findOne(
    SessionRegistration,
    { user: userId, status: { $in: [...HOLDS_PLACE] }, session: { status: "SCHEDULED", startTime: { $lt: slot.endTime }, endTime: { $gt: slot.startTime } } },
    { populate: ["session"] },
  );
  if (registration) return `You are booked on ${registration.session.title} at that time.`;
  return null;
}

export type BookAppointmentResult = { ok: true; bookingId: number; planName: string; charged: boolean } | Failure;

/**
 * Books a slot for a client with a membership that allows its class type (`chooseAppointmentMembership`);
 * a pack is charged one session. One transaction with the slot locked; when two clients race for one
 * slot, one gets it and the other is told it was taken.
 */
export async function bookAppointment(em: EntityManager, input: { slotId: number; userId: number }, now = new Date()): Promise<BookAppointmentResult | null> {
  const zone = (await getSettings(em)).studioTimeZone;
  try {
    return await em.transactional(async (tx) => {
      const slot = await lockSlot(tx, input.slotId);
      if (!slot) return null;
      const refusal = slotRefusal(slot, now);
      if (refusal) return refuse(refusal);
      const own = await tx.find(AppointmentBooking, { slot: slot.id, client: input.userId }, { refresh: true });
      if (own.some((b) => HOLDS_SLOT.includes(b.status as (typeof HOLDS_SLOT)[number]))) return refuse("You have already booked this appointment.");
      if (own.some((b) => b.status === "LATE_CANCELLED")) return refuse("You cancelled this appointment late, so it cannot be booked again.");
      if (await holdingBooking(tx, slot.id)) return refuse(TAKEN);
      const clash = await clientClash(tx, input.userId, slot);
      if (clash) return refuse(clash);

      const { memberships, candidates } = await appointmentCandidates(tx, input.userId, todayIn(zone, now), true);
      const choice = chooseAppointmentMembership(candidates, {
        classTypeId: slot.classType.id,
        classTypeName: slot.classType.name,
        date: localDateOf(slot.startTime, zone),
      });
      if (!choice.ok) return refuse(choice.message);
      const membership = memberships.find((m) => m.id === choice.membershipId)!;
      const charged = choice.planType === "PACK";
      if (charged) membership.sessionsRemaining = (membership.sessionsRemaining ?? 0) - 1;
      const booking = tx.create(AppointmentBooking, {
        slot,
        client: input.userId,
        membership,
        status: "BOOKED",
        bookedAt: now,
        cancelledAt: null,
        cancelledBy: null,
      });
      await tx.flush();

      const what = slotLabel(slot, zone);
      await notify(tx, {
        userId: input.userId,
        kind: "APPOINTMENT_BOOKED",
        subject: `Appointment booked: ${slot.classType.name} on ${formatWhen(slot.startTime, zone)}`,
        body: [`You're booked: ${what}.`, slot.location ? `Where: ${slot.location}` : null, `Paid with your ${membership.plan.name}.`]
          .filter(Boolean)
          .join("\n"),
        payload: { slotId: slot.id, bookingId: booking.id },
      });
      const client = await tx.findOneOrFail(User, input.userId);
      await notify(tx, {
        userId: slot.coach.id,
        kind: "APPOINTMENT_BOOKED",
        subject: `${client.name} booked ${slot.classType.name} on ${formatWhen(slot.startTime, zone)}`,
        body: `${client.name} (${client.email}) booked your ${slot.classType.name} slot on ${formatWhen(slot.startTime, zone)}.`,
        payload: { slotId: slot.id, bookingId: booking.id },
      });
      return { ok: true as const, bookingId: booking.id, planName: membership.plan.name, charged };
    });
  } catch (error) {
    // The partial unique index: another booking of this slot committed first.
    if (isUniqueViolation(error)) return refuse(TAKEN);
    throw error;
  }
}

export type ClientCancelResult = { ok: true; late: boolean; refunded: boolean } | Failure;

/**
 * The client cancels their own appointment before it starts: inside the cut-off (the plan's, else the
 * studio's default) it is LATE_CANCELLED and the pack is not refunded; before it, CANCELLED and refunded.
 * The coach is told. Null when the booking is missing or not the client's.
 */
export async function cancelMyAppointment(
  em: EntityManager,
  input: { bookingId: number; userId: number },
  now = new Date(),
): Promise<ClientCancelResult | null> {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const found = await em.findOne(AppointmentBooking, { id: input.bookingId, client: input.userId }, { fields: ["slot"] });
  if (!found) return null;
  return em.transactional(async (tx) => {
    const slot = await lockSlot(tx, found.slot.id);
    if (!slot) return null;
    const booking = await tx.findOneOrFail(AppointmentBooking, input.bookingId, { refresh: true, populate: ["client"] });
    if (booking.status !== "BOOKED") return refuse("This appointment is not booked, so there is nothing to cancel.");
    if (now.getTime() >= slot.startTime.getTime()) return refuse("This appointment has started, so it can no longer be cancelled.");
    const membership = booking.membership ? await lockMembership(tx, booking.membership.id) : null;
    const cutoff = membership?.plan.lateCancelCutoffHours ?? settings.defaultLateCancelCutoffHours;
    const outcome = clientCancelOutcome(slot.startTime, cutoff, now);
    Object.assign(booking, { status: outcome.status, cancelledAt: now, cancelledBy: input.userId });
    const refunded = outcome.refund && refund(membership);
    await tx.flush();
    await notify(tx, {
      userId: slot.coach.id,
      kind: "APPOINTMENT_CANCELLED",
      subject: `${booking.client.name} cancelled ${slot.classType.name} on ${formatWhen(slot.startTime, zone)}`,
      body: `${booking.client.name} cancelled their appointment (${slotLabel(slot, zone)})${outcome.status === "LATE_CANCELLED" ? ", late" : ""}. The slot is open to book again.`,
      payload: { slotId: slot.id, bookingId: booking.id, late: outcome.status === "LATE_CANCELLED" },
    });
    return { ok: true as const, late: outcome.status === "LATE_CANCELLED", refunded };
  });
}
