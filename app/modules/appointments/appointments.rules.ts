// The rules of 1-on-1 appointments, as pure functions: which membership books a slot, whether a cancel is
// late, who may manage a slot, and the times of a "several slots" series.
import type { Role } from "../auth/auth.entities.server";
import { chooseMembership, isLateCancel, type BookingCandidate, type Choice } from "../booking/booking.rules";
import type { AppointmentBookingStatus, AppointmentSlotStatus } from "./appointments.entities.server";
import { toInstant, type LocalDate, type LocalTime } from "~/utils/time";

/** Statuses that hold the slot (the partial unique index allows one per slot). */
export const HOLDS_SLOT = ["BOOKED", "ATTENDED", "NO_SHOW"] as const satisfies readonly AppointmentBookingStatus[];
export const holdsSlot = (status: AppointmentBookingStatus) => (HOLDS_SLOT as readonly AppointmentBookingStatus[]).includes(status);

/**
 * The membership that pays for an appointment, by the booking rules (`chooseMembership`): ACTIVE and in
 * its dates on the appointment's day, allowing its class type (a plan with no allowances allows every
 * type), a pack with a session left; recurring first, then prepaid, then packs. Weekly limits are about
 * group classes: an appointment neither counts toward them nor is refused by them, so each candidate's
 * `usedThisWeek` is ignored here. The messages name the appointment rather than a class.
 */
export function chooseAppointmentMembership(candidates: BookingCandidate[], slot: { classTypeId: number; classTypeName: string; date: LocalDate }): Choice {
  const choice = chooseMembership(
    candidates.map((c) => ({ ...c, usedThisWeek: 0 })),
    { classTypeId: slot.classTypeId, date: slot.date },
  );
  if (choice.ok) return choice;
  if (choice.reason === "no-membership" || choice.reason === "class-type-not-included" || choice.reason === "coaching-only") {
    return { ...choice, message: `You need a membership that includes ${slot.classTypeName} to book this appointment. See the plans.` };
  }
  return choice;
}

/** Why a slot cannot be booked now, whoever asks; null when it can. */
export function slotRefusal(slot: { status: AppointmentSlotStatus; startTime: Date }, now: Date): string | null {
  if (slot.status === "CANCELLED") return "This appointment slot has been cancelled.";
  if (now.getTime() >= slot.startTime.getTime()) return "This appointment has already started.";
  return null;
}

/**
 * What a client's own cancel does: inside the cut-off (the plan's, else the studio's) it is late — the
 * appointment stays charged (a pack session is not refunded); before it, it is free and refunded.
 * A cancel by the coach or the studio is never late (`studioCancel`).
 */
export function clientCancelOutcome(startTime: Date, cutoffHours: number, now: Date): { status: "CANCELLED" | "LATE_CANCELLED"; refund: boolean } {
  return isLateCancel(startTime, cutoffHours, now) ? { status: "LATE_CANCELLED", refund: false } : { status: "CANCELLED", refund: true };
}

/** The last instant a client's cancel is free: `cutoffHours` before the start. */
export function freeCancelUntil(startTime: Date, cutoffHours: number): Date {
  return new Date(startTime.getTime() - cutoffHours * 60 * 60 * 1000);
}

/** A slot is managed by its own coach and by admins; other coaches may not touch it. */
export function mayManageSlot(actor: { id: number; role: Role }, slot: { coachId: number }): boolean {
  return actor.role === "ADMIN" || (actor.role === "COACH" && actor.id === slot.coachId);
}

/** Whether two time ranges overlap (touching ends do not). */
export function overlaps(a: { start: Date; end: Date }, b: { start: Date; end: Date }): boolean {
  return a.start.getTime() < b.end.getTime() && b.start.getTime() < a.end.getTime();
}

/** The most slots one "several slots" form may create. */
export const MAX_SERIES_SLOTS = 48;

/**
 * The slots of a series on one studio day: from `from`, each `lengthMins` long with `gapMins` between, as
 * many as end by `to`. Elapsed minutes from the first start, so a clock change inside the span is honest.
 */
export function seriesSlots(
  input: { date: LocalDate; from: LocalTime; to: LocalTime; lengthMins: number; gapMins: number },
  zone: string,
): { start: Date; end: Date }[] {
  if (!(input.lengthMins > 0) || !(input.gapMins >= 0)) throw new RangeError("The length must be positive and the gap not negative.");
  const first = toInstant(input.date, input.from, zone).getTime();
  const last = toInstant(input.date, input.to, zone).getTime();
  const slots: { start: Date; end: Date }[] = [];
  for (let start = first; start + input.lengthMins * 60_000 <= last; start += (input.lengthMins + input.gapMins) * 60_000) {
    slots.push({ start: new Date(start), end: new Date(start + input.lengthMins * 60_000) });
    if (slots.length > MAX_SERIES_SLOTS) break;
  }
  return slots;
}

export type SlotState = "OPEN" | "BOOKED" | "ATTENDED" | "NO_SHOW" | "CANCELLED";

/** A slot's state as its lists show it: cancelled, open, or the state of the booking holding it. */
export function slotState(slot: { status: AppointmentSlotStatus }, holding: { status: AppointmentBookingStatus } | null): SlotState {
  if (slot.status === "CANCELLED") return "CANCELLED";
  if (!holding || !holdsSlot(holding.status)) return "OPEN";
  return holding.status as SlotState;
}

/** How each booking status reads on the pages. */
export const BOOKING_STATUS_LABEL: Record<AppointmentBookingStatus, string> = {
  BOOKED: "Booked",
  CANCELLED: "Cancelled",
  LATE_CANCELLED: "Cancelled late",
  ATTENDED: "Attended",
  NO_SHOW: "No-show",
};
