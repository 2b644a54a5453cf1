// What clients and coaches see of appointments: lists, one appointment's page, calendar items (read models;
// the commands are in appointments.service.server.ts).
import type { EntityManager } from "@mikro-orm/postgresql";
import { addDays, dayRange, formatDateTime, formatTime, localDateOf, todayIn, type LocalDate } from "~/utils/time";
import { attendanceWindow, isAttendanceEditable } from "../sessions/sessions.rules";
import { ClassType } from "../sessions/sessions.entities.server";
import { defaultLocation, listCoaches } from "../sessions/lookups.server";
import { getSettings } from "../settings/settings.service.server";
import { AppointmentBooking, AppointmentSlot, type AppointmentBookingStatus, type IAppointmentSlot } from "./appointments.entities.server";
import { chooseAppointmentMembership, clientCancelOutcome, freeCancelUntil, HOLDS_SLOT, mayManageSlot, slotState, type SlotState } from "./appointments.rules";
import { appointmentCandidates, type Actor } from "./appointments.service.server";

/** How far ahead clients see open slots. */
export const CLIENT_DAYS_AHEAD = 28;

export type SlotLabels = {
  slotId: number;
  classTypeName: string;
  color: string;
  coachId: number;
  coachName: string;
  date: LocalDate;
  startLabel: string;
  endLabel: string;
  location: string | null;
};

function labels(slot: IAppointmentSlot, zone: string): SlotLabels {
  return {
    slotId: slot.id,
    classTypeName: slot.classType.name,
    color: slot.classType.color,
    coachId: slot.coach.id,
    coachName: slot.coach.name,
    date: localDateOf(slot.startTime, zone),
    startLabel: formatTime(slot.startTime, zone),
    endLabel: formatTime(slot.endTime, zone),
    location: slot.location ?? null,
  };
}

/** The bookings that hold each slot (at most one per slot), by slot id. */
async function holdingBySlot(em: EntityManager, slotIds: number[]) {
  if (!slotIds.length) return new Map<number, { id: number; status: AppointmentBookingStatus; client: { id: number; name: string; email: string } }>();
  const bookings = await em.find(AppointmentBooking, { slot: { $in: slotIds }, status: { $in: [...HOLDS_SLOT] } }, { populate: ["client"] });
  return new Map(bookings.map((b) => [b.slot.id, { id: b.id, status: b.status, client: { id: b.client.id, name: b.client.name, email: b.client.email } }]));
}

// ---------- the client's page ----------

export type OpenSlotItem = SlotLabels & { classTypeId: number; notes: string | null; refusal: string | null };
export type MyAppointmentItem = SlotLabels & { bookingId: number; status: AppointmentBookingStatus; planName: string | null; slotCancelled: boolean };

/**
 * /client/appointments: the open slots of the next four weeks (not started, not booked), optionally of
 * one coach or class type, each with why this client cannot book it (null: they can); and the client's
 * own appointments, upcoming (booked, not yet over) and past (the 20 latest of the rest).
 */
export async function clientAppointments(em: EntityManager, input: { userId: number; coachId?: number; classTypeId?: number }, now = new Date()) {
  const zone = (await getSettings(em)).studioTimeZone;
  const today = todayIn(zone, now);
  const until = dayRange(addDays(today, CLIENT_DAYS_AHEAD - 1), zone).end;
  const slots = await em.find(
    AppointmentSlot,
    { status: "OPEN", startTime: { $gt: now, $lt: until } },
    { populate: ["classType", "coach"], orderBy: { startTime: "asc", id: "asc" } },
  );
  const holding = await holdingBySlot(
    em,
    slots.map((s) => s.id),
  );
  const free = slots.filter((s) => !holding.has(s.id));
  const coaches = unique(free.map((s) => ({ id: s.coach.id, name: s.coach.name })));
  const classTypes = unique(free.map((s) => ({ id: s.classType.id, name: s.classType.name })));
  const { candidates } = await appointmentCandidates(em, input.userId, today);
  const open: OpenSlotItem[] = free
    .filter((s) => (!input.coachId || s.coach.id === input.coachId) && (!input.classTypeId || s.classType.id === input.classTypeId))
    .map((s) => {
      const choice = chooseAppointmentMembership(candidates, {
        classTypeId: s.classType.id,
        classTypeName: s.classType.name,
        date: localDateOf(s.startTime, zone),
      });
      return { ...labels(s, zone), classTypeId: s.classType.id, notes: s.notes ?? null, refusal: choice.ok ? null : choice.message };
    });

  const mine = await em.find(
    AppointmentBooking,
    { client: input.userId },
    { populate: ["slot.classType", "slot.coach", "membership.plan"], orderBy: { slot: { startTime: "desc" }, id: "desc" } },
  );
  const item = (b: (typeof mine)[number]): MyAppointmentItem => ({
    ...labels(b.slot, zone),
    bookingId: b.id,
    status: b.status,
    planName: b.membership?.plan.name ?? null,
    slotCancelled: b.slot.status === "CANCELLED",
  });
  const isUpcoming = (b: (typeof mine)[number]) => b.status === "BOOKED" && b.slot.endTime.getTime() > now.getTime();
  return {
    zone,
    days: [...new Set(open.map((s) => s.date))].map((date) => ({ date, slots: open.filter((s) => s.date === date) })),
    coaches,
    classTypes,
    upcoming: mine.filter(isUpcoming).reverse().map(item),
    past: mine
      .filter((b) => !isUpcoming(b))
      .slice(0, 20)
      .map(item),
  };
}

function unique(items: { id: number; name: string }[]) {
  return [...new Map(items.map((i) => [i.id, i])).values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** One of the client's own appointments, with what cancelling it now would do; null when not theirs. */
export async function clientAppointment(em: EntityManager, input: { userId: number; bookingId: number }, now = new Date()) {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const booking = await em.findOne(
    AppointmentBooking,
    { id: input.bookingId, client: input.userId },
    { populate: ["slot.classType", "slot.coach", "membership.plan"] },
  );
  if (!booking) return null;
  const slot = booking.slot;
  const cutoffHours = booking.membership?.plan.lateCancelCutoffHours ?? settings.defaultLateCancelCutoffHours;
  const canCancel = booking.status === "BOOKED" && now.getTime() < slot.startTime.getTime();
  const outcome = clientCancelOutcome(slot.startTime, cutoffHours, now);
  return {
    ...labels(slot, zone),
    bookingId: booking.id,
    status: booking.status,
    notes: slot.notes ?? null,
    slotCancelled: slot.status === "CANCELLED",
    planName: booking.membership?.plan.name ?? null,
    planType: booking.membership?.plan.type ?? null,
    canCancel,
    lateCancel: canCancel && outcome.status === "LATE_CANCELLED",
    cutoffHours,
    freeUntilLabel: formatDateTime(freeCancelUntil(slot.startTime, cutoffHours), zone),
  };
}

export type ClientAppointmentInRange = SlotLabels & { bookingId: number; status: AppointmentBookingStatus };

/** The client's appointments that hold a slot between two instants (their calendar). */
export async function clientAppointmentsInRange(em: EntityManager, userId: number, range: { start: Date; end: Date }): Promise<ClientAppointmentInRange[]> {
  const zone = (await getSettings(em)).studioTimeZone;
  const bookings = await em.find(
    AppointmentBooking,
    { client: userId, status: { $in: [...HOLDS_SLOT] }, slot: { startTime: { $gte: range.start, $lt: range.end } } },
    { populate: ["slot.classType", "slot.coach"], orderBy: { slot: { startTime: "asc" } } },
  );
  return bookings.map((b) => ({ ...labels(b.slot, zone), bookingId: b.id, status: b.status }));
}

// ---------- the coach's pages ----------

export type CoachSlotItem = SlotLabels & { state: SlotState; clientName: string | null };

function coachItem(slot: IAppointmentSlot, holding: Awaited<ReturnType<typeof holdingBySlot>>, zone: string): CoachSlotItem {
  const booking = holding.get(slot.id) ?? null;
  return { ...labels(slot, zone), state: slotState(slot, booking), clientName: booking?.client.name ?? null };
}

/**
 * /coach/appointments: the coach's upcoming slots (an admin sees every coach's) with their state, and the
 * booked slots that have started and whose attendance can still be marked.
 */
export async function coachAppointments(em: EntityManager, actor: Actor, now = new Date()) {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const mine = actor.role === "ADMIN" ? {} : { coach: actor.id };
  const upcoming = await em.find(
    AppointmentSlot,
    { ...mine, startTime: { $gte: now } },
    { populate: ["classType", "coach"], orderBy: { startTime: "asc", id: "asc" }, limit: 200 },
  );
  const since = dayRange(addDays(todayIn(zone, now), -(settings.attendanceEditDays + 1)), zone).start;
  const recent = await em.find(
    AppointmentSlot,
    { ...mine, status: "OPEN", startTime: { $gte: since, $lt: now } },
    { populate: ["classType", "coach"], orderBy: { startTime: "desc", id: "desc" } },
  );
  const holding = await holdingBySlot(
    em,
    [...upcoming, ...recent].map((s) => s.id),
  );
  return {
    zone,
    showCoach: actor.role === "ADMIN",
    upcoming: upcoming.map((s) => coachItem(s, holding, zone)),
    toMark: recent.filter((s) => holding.has(s.id) && isAttendanceEditable(s, zone, now, settings.attendanceEditDays)).map((s) => coachItem(s, holding, zone)),
  };
}

export type CoachSlotAccess = { kind: "missing" } | { kind: "forbidden" } | { kind: "ok"; slot: Awaited<ReturnType<typeof describeSlot>> };

async function describeSlot(em: EntityManager, slot: IAppointmentSlot, now: Date) {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const bookings = await em.find(AppointmentBooking, { slot: slot.id }, { populate: ["client", "membership.plan", "cancelledBy"], orderBy: { id: "asc" } });
  const holding = bookings.find((b) => (HOLDS_SLOT as readonly string[]).includes(b.status)) ?? null;
  const started = now.getTime() >= slot.startTime.getTime();
  return {
    ...labels(slot, zone),
    notes: slot.notes ?? null,
    status: slot.status,
    state: slotState(slot, holding),
    canCancel: slot.status === "OPEN" && !started,
    attendanceEditable: slot.status === "OPEN" && holding !== null && isAttendanceEditable(slot, zone, now, settings.attendanceEditDays),
    attendanceLastDay: attendanceWindow(slot, zone, settings.attendanceEditDays).lastDay,
    started,
    booking: holding
      ? {
          id: holding.id,
          status: holding.status,
          clientName: holding.client.name,
          clientEmail: holding.client.email,
          planName: holding.membership?.plan.name ?? null,
        }
      : null,
    history: bookings
      .filter((b) => b !== holding)
      .map((b) => ({
        id: b.id,
        status: b.status,
        clientName: b.client.name,
        cancelledAt: b.cancelledAt ? formatDateTime(b.cancelledAt, zone) : null,
        byStudio: b.cancelledBy ? b.cancelledBy.id !== b.client.id : false,
      })),
  };
}

/** One slot for its coach or an admin: its booking, earlier cancelled bookings and what can be done now. */
export async function coachSlot(em: EntityManager, input: { slotId: number; actor: Actor }, now = new Date()): Promise<CoachSlotAccess> {
  const slot = await em.findOne(AppointmentSlot, input.slotId, { populate: ["classType", "coach"] });
  if (!slot) return { kind: "missing" };
  if (!mayManageSlot(input.actor, { coachId: slot.coach.id })) return { kind: "forbidden" };
  return { kind: "ok", slot: await describeSlot(em, slot, now) };
}

/** The choices the slot forms offer: active class types (with their length), coaches for an admin, the studio's place. */
export async function slotFormOptions(em: EntityManager, actor: Actor, now = new Date()) {
  const [classTypes, coaches, location, settings] = await Promise.all([
    em.find(ClassType, { isActive: true }, { orderBy: { name: "asc" } }),
    actor.role === "ADMIN" ? listCoaches(em) : Promise.resolve([]),
    defaultLocation(em),
    getSettings(em),
  ]);
  const zone = settings.studioTimeZone;
  return {
    zone,
    tomorrow: addDays(todayIn(zone, now), 1),
    defaultLocation: location,
    classTypes: classTypes.map((c) => ({ id: c.id, name: c.name, defaultDurationMins: c.defaultDurationMins })),
    coaches: coaches.map((c) => ({ id: c.id, name: c.name })),
  };
}

/** Every coach's slots that are not cancelled between two instants (or one coach's), for the coach calendar. */
export async function coachAppointmentsInRange(em: EntityManager, input: { start: Date; end: Date; coachId?: number }, zone: string) {
  const slots = await em.find(
    AppointmentSlot,
    { status: "OPEN", startTime: { $gte: input.start, $lt: input.end }, ...(input.coachId ? { coach: input.coachId } : {}) },
    { populate: ["classType", "coach"], orderBy: { startTime: "asc", id: "asc" } },
  );
  const holding = await holdingBySlot(
    em,
    slots.map((s) => s.id),
  );
  return slots.map((s) => coachItem(s, holding, zone));
}
