import type { RegistrationStatus } from "./booking.entities.server";
import type { MembershipStatus, PlanType } from "../memberships/memberships.entities.server";
import type { LocalDate } from "~/utils/time";
import { addDays, formatDate, toInstant } from "~/utils/time";

/** A membership as the booking rules see it, with this week's count already made. */
export type BookingCandidate = {
  id: number;
  planName: string;
  planType: PlanType;
  /** The effective status (expiry already derived). */
  status: MembershipStatus;
  startDate: LocalDate;
  endDate: LocalDate | null;
  sessionsPerWeek: number | null;
  sessionsRemaining: number | null;
  /** Class types the plan allows; empty = all. */
  allowedClassTypeIds: number[];
  /** Bookings charged to this membership that count toward the week of the session (when it has a weekly limit). */
  usedThisWeek: number;
};

export type Refusal =
  "no-membership" | "class-type-not-included" | "coaching-only" | "weekly-limit-reached" | "no-sessions-left" | "not-started" | "expired" | "paused";

export type Choice = { ok: true; membershipId: number; planType: PlanType } | { ok: false; reason: Refusal; message: string };

// When nothing can book, the message that helps most: the one closest to working.
const REFUSAL_ORDER: Refusal[] = ["weekly-limit-reached", "no-sessions-left", "expired", "not-started", "paused", "class-type-not-included", "coaching-only"];
// Paid packs are used last.
const PREFERENCE: PlanType[] = ["RECURRING", "PREPAID", "PACK"];

/** Why this membership cannot book this session, or null when it can. */
export function refusalFor(candidate: BookingCandidate, session: { classTypeId: number | null; date: LocalDate }): { reason: Refusal; message: string } | null {
  const { planName } = candidate;
  if (candidate.status === "PAUSED") return { reason: "paused", message: `Your ${planName} membership is paused.` };
  if (candidate.status !== "ACTIVE") return { reason: "expired", message: `Your ${planName} membership has ended.` };
  if (session.date < candidate.startDate) return { reason: "not-started", message: `Your ${planName} starts on ${formatDate(candidate.startDate, "UTC")}.` };
  if (candidate.endDate !== null && session.date > candidate.endDate) {
    return { reason: "expired", message: `Your ${planName} ends on ${formatDate(candidate.endDate, "UTC")}, before this session.` };
  }
  if (candidate.allowedClassTypeIds.length > 0 && (session.classTypeId === null || !candidate.allowedClassTypeIds.includes(session.classTypeId))) {
    return { reason: "class-type-not-included", message: `Your ${planName} does not include this class.` };
  }
  if (candidate.planType === "RECURRING" && !candidate.sessionsPerWeek) {
    return { reason: "coaching-only", message: `Your ${planName} is coaching only and does not include classes.` };
  }
  // Any plan type may carry a weekly limit (a recurring plan without one is coaching only, above).
  if (candidate.sessionsPerWeek && candidate.usedThisWeek >= candidate.sessionsPerWeek) {
    return { reason: "weekly-limit-reached", message: `You have used all ${candidate.sessionsPerWeek} sessions of your ${planName} in that week.` };
  }
  if (candidate.planType === "PACK" && !(candidate.sessionsRemaining && candidate.sessionsRemaining > 0)) {
    return { reason: "no-sessions-left", message: `Your ${planName} has no sessions left.` };
  }
  return null;
}

/** Picks the membership that books the session: recurring first, then prepaid, then packs. */
export function chooseMembership(candidates: BookingCandidate[], session: { classTypeId: number | null; date: LocalDate }): Choice {
  if (candidates.length === 0) return { ok: false, reason: "no-membership", message: "You need a membership to book classes. See the plans." };
  const usable = candidates
    .filter((c) => refusalFor(c, session) === null)
    .sort((a, b) => PREFERENCE.indexOf(a.planType) - PREFERENCE.indexOf(b.planType) || a.id - b.id);
  if (usable.length) return { ok: true, membershipId: usable[0].id, planType: usable[0].planType };
  const refusals = candidates.map((c) => refusalFor(c, session)!);
  refusals.sort((a, b) => REFUSAL_ORDER.indexOf(a.reason) - REFUSAL_ORDER.indexOf(b.reason));
  return { ok: false, ...refusals[0] };
}

/** Why the session cannot be booked right now, whoever asks; null when it can. */
export function sessionRefusal(
  session: { status: string; startTime: Date; opensAt: Date; closesAt: Date },
  now: Date,
  formatWhen: (instant: Date) => string,
): string | null {
  if (session.status === "CANCELLED") return "This session has been cancelled.";
  if (now.getTime() >= session.startTime.getTime()) return "This session has already started.";
  if (now.getTime() < session.opensAt.getTime()) return `Booking for this session opens ${formatWhen(session.opensAt)}.`;
  if (now.getTime() >= session.closesAt.getTime()) return "Booking for this session has closed.";
  return null;
}

/** A cancel inside the cut-off is late: it still counts toward the week and a pack is not refunded. */
export function isLateCancel(startTime: Date, cutoffHours: number, now: Date): boolean {
  return now.getTime() >= startTime.getTime() - cutoffHours * 60 * 60 * 1000;
}

/** Statuses that hold a place in the session. */
export const HOLDS_PLACE = ["REGISTERED", "ATTENDED", "NO_SHOW"] as const satisfies readonly RegistrationStatus[];
/** Statuses that count toward a plan's weekly limit ("used this week"): a place held, or given up too late. */
export const COUNTS_TOWARD_WEEK = [...HOLDS_PLACE, "LATE_CANCELLED"] as const satisfies readonly RegistrationStatus[];
/** Statuses a client's own lists show: a place held, or a place in the queue. */
export const ON_THE_LIST = [...HOLDS_PLACE, "WAITLISTED"] as const satisfies readonly RegistrationStatus[];

export const holdsPlace = (status: RegistrationStatus) => (HOLDS_PLACE as readonly RegistrationStatus[]).includes(status);
export const countsTowardWeek = (status: RegistrationStatus) => (COUNTS_TOWARD_WEEK as readonly RegistrationStatus[]).includes(status);

// ---------- a membership that ends or pauses gives its places back (ADR 14) ----------

/**
 * From when a membership, as it stands after a change, can no longer cover bookings: now when it is
 * paused or cancelled; the first instant after its last day (studio time) when it is cancelled at the
 * period end; null when it is not ending.
 */
export function releaseFrom(
  membership: { status: MembershipStatus; endDate: LocalDate | null; cancelAtPeriodEnd: boolean },
  now: Date,
  zone: string,
): Date | null {
  if (membership.status === "PAUSED" || membership.status === "CANCELLED") return now;
  if (membership.cancelAtPeriodEnd && membership.endDate) return toInstant(addDays(membership.endDate, 1), "00:00", zone);
  return null;
}

/**
 * Whether a booking charged to a membership that covers nothing from `from` must be given up: a place
 * held or a place in the queue, on a session that is not cancelled, has not started and starts at or
 * after `from`. Attended, missed and cancelled bookings stay as they are.
 */
export function mustGiveUp(booking: { status: RegistrationStatus; sessionStatus: string; startTime: Date }, release: { from: Date; now: Date }): boolean {
  if (booking.status !== "REGISTERED" && booking.status !== "WAITLISTED") return false;
  if (booking.sessionStatus === "CANCELLED") return false;
  return booking.startTime.getTime() > release.now.getTime() && booking.startTime.getTime() >= release.from.getTime();
}

/** "1 booked class was released", "2 booked classes were released". */
export function releasedPhrase(count: number): string {
  return count === 1 ? "1 booked class was released" : `${count} booked classes were released`;
}
