// What the studio tells a client, one pure function per kind of message: plain text, short, with every
// time of day in the studio's zone and named (formatWhen), signed with the studio's name. The services
// hand the result to notify() in the transaction of the change it reports.
import { formatMoney } from "../memberships/memberships.rules";
import type { MembershipStatus, PlanType } from "../memberships/memberships.entities.server";
import { formatDate, formatDateTime, formatWhen, type LocalDate } from "~/utils/time";
import type { NotificationKind } from "./notifications.entities.server";

/** The studio a message comes from: its name, its time zone and the app's address for links. */
export type Studio = { name: string; zone: string; url: string };

export type Message = { kind: NotificationKind; subject: string; body: string; payload: Record<string, unknown> };

/** A class as a message describes it. */
export type ClassInfo = { sessionId: number; title: string; startTime: Date; location: string | null; coachName: string };

/** What a late cancel costs depends on the plan the booking was charged to. */
export type PlanTerms = { name: string; type: PlanType; sessionsPerWeek?: number | null };

/** A membership as a message describes it. */
export type MembershipInfo = {
  membershipId: number;
  plan: PlanTerms;
  startDate: LocalDate;
  endDate: LocalDate | null;
  sessionsRemaining: number | null;
};

/** A membership row as the messages describe it. */
export function membershipInfo(membership: {
  id: number;
  plan: PlanTerms;
  startDate: LocalDate;
  endDate?: LocalDate | null;
  sessionsRemaining?: number | null;
}): MembershipInfo {
  const { id, plan, startDate } = membership;
  return { membershipId: id, plan, startDate, endDate: membership.endDate ?? null, sessionsRemaining: membership.sessionsRemaining ?? null };
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const day = (date: LocalDate) => formatDate(date, "UTC");
const link = (studio: Studio, path: string) => `${studio.url.replace(/\/+$/, "")}${path}`;
const classLink = (studio: Studio, sessionId: number) => link(studio, `/client/sessions/${sessionId}`);

/** Paragraphs separated by a blank line (empty ones left out), signed with the studio's name. */
function compose(studio: Studio, ...paragraphs: (string | null | false | undefined)[]): string {
  return [...paragraphs.filter((p): p is string => Boolean(p)), studio.name].join("\n\n");
}

const classLabel = (studio: Studio, session: ClassInfo) => `${session.title} on ${formatDateTime(session.startTime, studio.zone)}`;

/** What a late cancel costs on this plan, as one clause: "the session is not refunded to your pack". */
export function lateCancelCost(plan: PlanTerms | null): string {
  if (!plan) return "it is recorded as a late cancel";
  const week = plan.sessionsPerWeek ? `it still counts toward your ${plural(plan.sessionsPerWeek, "class", "classes")} that week` : null;
  if (plan.type === "PACK") return `the session is not refunded to your ${plan.name}${week ? `, and ${week}` : ""}`;
  return week ?? "it is recorded as a late cancel";
}

// ---------- classes ----------

export function bookingConfirmed(studio: Studio, input: { session: ClassInfo; registrationId: number; plan: PlanTerms | null; cutoffHours: number }): Message {
  const { session, cutoffHours } = input;
  const cutoff = new Date(session.startTime.getTime() - cutoffHours * 3_600_000);
  const cancelling =
    cutoffHours > 0
      ? `Can't make it? Cancel on the class page before ${formatWhen(cutoff, studio.zone)} (${plural(cutoffHours, "hour")} before the start) and it's free. ` +
        `After that it's a late cancel: ${lateCancelCost(input.plan)}.`
      : "Can't make it? You can cancel free on the class page at any time before it starts.";
  return {
    kind: "BOOKING_CONFIRMED",
    subject: `Booked: ${classLabel(studio, session)}`,
    body: compose(
      studio,
      `You're booked on ${session.title}.`,
      [`When: ${formatWhen(session.startTime, studio.zone)}`, `Where: ${session.location ?? studio.name}`, `Coach: ${session.coachName}`].join("\n"),
      `${cancelling}\n${classLink(studio, session.sessionId)}`,
    ),
    payload: { sessionId: session.sessionId, registrationId: input.registrationId },
  };
}

/**
 * Stands for the waitlist position in a message composed before the position is known: the booking's
 * locked statement replaces it (booking/register.server.ts). Invisible characters, so no title matches it.
 */
export const WAITLIST_POSITION_SLOT = "\u2063position\u2063";

export function waitlistJoined(
  studio: Studio,
  input: { session: ClassInfo; registrationId: number; position: number | typeof WAITLIST_POSITION_SLOT },
): Message {
  const { session, position } = input;
  return {
    kind: "WAITLIST_JOINED",
    subject: `Waitlist: ${classLabel(studio, session)} (position ${position})`,
    body: compose(
      studio,
      `${session.title} on ${formatWhen(session.startTime, studio.zone)} is full, so you're on the waitlist at position ${position}.`,
      "If a place opens up before the class, we'll book you into it automatically and let you know.",
      `You can leave the waitlist at any time on the class page:\n${classLink(studio, session.sessionId)}`,
    ),
    payload: { sessionId: session.sessionId, registrationId: input.registrationId, position },
  };
}

export function lateCancel(
  studio: Studio,
  input: { session: ClassInfo; registrationId: number; plan: PlanTerms | null; cutoffHours: number; sessionsRemaining: number | null },
): Message {
  const { session, plan } = input;
  const left = plan?.type === "PACK" && input.sessionsRemaining !== null ? `You have ${plural(input.sessionsRemaining, "session")} left.` : null;
  return {
    kind: "LATE_CANCEL",
    subject: `Late cancel: ${classLabel(studio, session)}`,
    body: compose(
      studio,
      `You cancelled ${session.title} on ${formatWhen(session.startTime, studio.zone)} less than ${plural(input.cutoffHours, "hour")} before it starts, ` +
        `so it is a late cancel: ${lateCancelCost(plan)}.${left ? ` ${left}` : ""}`,
      "Thanks for letting us know: your place is free for someone else.",
    ),
    payload: { sessionId: session.sessionId, registrationId: input.registrationId },
  };
}

// ---------- memberships ----------

/** What a membership lets the client do, as a line: "Up to 3 classes a week". */
function includes(membership: MembershipInfo): string {
  const { plan } = membership;
  if (plan.type === "PACK") {
    const sessions = plural(membership.sessionsRemaining ?? 0, "session");
    return plan.sessionsPerWeek ? `${sessions} to book, up to ${plan.sessionsPerWeek} a week` : `${sessions} to book`;
  }
  if (plan.sessionsPerWeek) return `Up to ${plural(plan.sessionsPerWeek, "class", "classes")} a week`;
  return plan.type === "RECURRING" ? "Coaching (no classes)" : "Unlimited classes";
}

export function membershipAssigned(studio: Studio, input: { membership: MembershipInfo; purchased: boolean }): Message {
  const { membership, purchased } = input;
  const { plan } = membership;
  return {
    kind: "MEMBERSHIP_ASSIGNED",
    subject: `Your ${plan.name} membership`,
    body: compose(
      studio,
      purchased ? `Thank you for your purchase: your ${plan.name} membership is ready.` : `Your ${plan.name} membership at ${studio.name} is ready.`,
      [`Starts: ${day(membership.startDate)}`, membership.endDate ? `Ends: ${day(membership.endDate)}` : null, `Includes: ${includes(membership)}`]
        .filter(Boolean)
        .join("\n"),
      `Book a class: ${link(studio, "/client/sessions")}\nYour membership: ${link(studio, "/client/membership")}`,
    ),
    payload: { membershipId: membership.membershipId },
  };
}

const RELEASE_NOTE =
  "Classes booked with it from now on move to another of your memberships that covers them, or are cancelled free of charge (we'll send you the list).";

export function membershipPaused(studio: Studio, input: { membership: MembershipInfo; pausedOn: LocalDate }): Message {
  const { membership } = input;
  const { plan } = membership;
  const kept =
    plan.type === "PREPAID"
      ? "The days it stays paused are added to its end date when it resumes."
      : plan.type === "PACK"
        ? `Sessions left on it: ${membership.sessionsRemaining ?? 0} (kept for when it resumes).`
        : "No payments are taken while it is paused.";
  return {
    kind: "MEMBERSHIP_PAUSED",
    subject: `Membership paused: ${plan.name}`,
    body: compose(
      studio,
      `Your ${plan.name} membership is paused from ${day(input.pausedOn)}, so it can't be used to book classes for now. ${kept}`,
      RELEASE_NOTE,
      `Questions, or ready to come back? Ask us at ${studio.name}.\nYour membership: ${link(studio, "/client/membership")}`,
    ),
    payload: { membershipId: membership.membershipId },
  };
}

export function membershipResumed(studio: Studio, input: { membership: MembershipInfo; resumedOn: LocalDate }): Message {
  const { membership } = input;
  const { plan } = membership;
  return {
    kind: "MEMBERSHIP_RESUMED",
    subject: `Membership resumed: ${plan.name}`,
    body: compose(
      studio,
      `Welcome back! Your ${plan.name} membership is active again from ${day(input.resumedOn)}.` +
        (plan.type === "PREPAID" && membership.endDate ? ` With the paused days added, it now ends on ${day(membership.endDate)}.` : ""),
      `Book a class: ${link(studio, "/client/sessions")}`,
    ),
    payload: { membershipId: membership.membershipId },
  };
}

/** A cancelled membership: ended now (`endDate` its last day), or ending at the end of its billing period. */
export function membershipCancelled(studio: Studio, input: { membership: MembershipInfo; atPeriodEnd: boolean }): Message {
  const { membership, atPeriodEnd } = input;
  const { plan } = membership;
  const last = membership.endDate ? day(membership.endDate) : null;
  const what =
    atPeriodEnd && last
      ? `Your ${plan.name} membership is cancelled and ends after ${last}. Until then you can keep booking classes with it, and no more payments are taken after that.`
      : `Your ${plan.name} membership is cancelled${last ? ` and ended on ${last}` : ""}. ${RELEASE_NOTE}`;
  return {
    kind: "MEMBERSHIP_CANCELLED",
    subject: atPeriodEnd && last ? `Membership cancelled: ${plan.name} ends after ${last}` : `Membership cancelled: ${plan.name}`,
    body: compose(studio, what, `We'd love to see you again. Our plans: ${link(studio, "/client/membership/plans")}`),
    payload: { membershipId: membership.membershipId, atPeriodEnd },
  };
}

/**
 * A membership whose subscription Stripe paused, resumed or cancelled: the message for the change from
 * `before` to `after`, or null when the client has nothing new to hear (a cancel at the period end they were
 * already told of, a cancellation withdrawn, no change).
 */
export function subscriptionChangeMessage(
  studio: Studio,
  before: { status: MembershipStatus; cancelAtPeriodEnd: boolean },
  after: MembershipInfo & { status: MembershipStatus; cancelAtPeriodEnd: boolean; today: LocalDate },
): Message | null {
  if (after.status === "CANCELLED" && before.status !== "CANCELLED") {
    return before.cancelAtPeriodEnd ? null : membershipCancelled(studio, { membership: after, atPeriodEnd: false });
  }
  if (after.status === "PAUSED" && before.status === "ACTIVE") return membershipPaused(studio, { membership: after, pausedOn: after.today });
  if (after.status === "ACTIVE" && before.status === "PAUSED") return membershipResumed(studio, { membership: after, resumedOn: after.today });
  if (after.cancelAtPeriodEnd && !before.cancelAtPeriodEnd) return membershipCancelled(studio, { membership: after, atPeriodEnd: true });
  return null;
}

// ---------- payments ----------

export function paymentFailed(
  studio: Studio,
  input: {
    membershipId: number;
    planName: string;
    amountPence: number;
    currency: string;
    invoiceId: string;
    /** Failed attempts so far, this one included. */
    failures: number;
    /** Failures after which the membership is paused. */
    maxFailures: number;
    /** When the grace period since the first failure runs out (null: no grace period known). */
    graceEndsAt: Date | null;
  },
): Message {
  const left = Math.max(0, input.maxFailures - input.failures);
  const until = [left ? `after ${plural(left, "more failed attempt")}` : null, input.graceEndsAt ? `by ${formatWhen(input.graceEndsAt, studio.zone)}` : null]
    .filter(Boolean)
    .join(", or ");
  return {
    kind: "PAYMENT_FAILED",
    subject: `Payment failed: ${input.planName}`,
    body: compose(
      studio,
      `We couldn't take your payment of ${formatMoney(input.amountPence, input.currency)} for your ${input.planName} membership ` +
        `(attempt ${input.failures} of ${input.maxFailures}).`,
      `Your membership keeps working for now, and we'll try your card again automatically.` +
        (until ? ` If the payment still hasn't gone through ${until}, the membership is paused until it is paid.` : ""),
      `To update your card, use "Manage card and invoices" on your membership page:\n${link(studio, "/client/membership")}`,
    ),
    payload: { membershipId: input.membershipId, invoiceId: input.invoiceId, failures: input.failures, amountPence: input.amountPence },
  };
}
