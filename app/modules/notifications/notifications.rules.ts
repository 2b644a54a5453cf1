import type { NotificationKind } from "./notifications.entities.server";

/**
 * What each kind of message is to a client: its name on /account/notifications, whether they may turn its
 * email off (optional) and whether it is on before they choose. Messages about money, a cancelled class, a
 * changed membership or their account always go. Class reminders are opt-in.
 */
export const KIND_INFO: Record<NotificationKind, { label: string; optional: boolean; emailByDefault: boolean }> = {
  BOOKING_CONFIRMED: { label: "Booking confirmed", optional: true, emailByDefault: true },
  WAITLIST_JOINED: { label: "You joined a waitlist", optional: true, emailByDefault: true },
  WAITLIST_PROMOTED: { label: "You got a place from the waitlist", optional: false, emailByDefault: true },
  WAITLIST_SKIPPED: { label: "Taken off a waitlist", optional: false, emailByDefault: true },
  SESSION_CANCELLED: { label: "A class you booked was cancelled", optional: false, emailByDefault: true },
  LATE_CANCEL: { label: "Late cancellation", optional: true, emailByDefault: true },
  CLASS_REMINDER: { label: "Reminder the evening before a class", optional: true, emailByDefault: false },
  MEMBERSHIP_ASSIGNED: { label: "Membership added", optional: false, emailByDefault: true },
  MEMBERSHIP_PAUSED: { label: "Membership paused", optional: false, emailByDefault: true },
  MEMBERSHIP_RESUMED: { label: "Membership resumed", optional: false, emailByDefault: true },
  MEMBERSHIP_CANCELLED: { label: "Membership cancelled", optional: false, emailByDefault: true },
  MEMBERSHIP_ENDING: { label: "Membership ending in 7 days", optional: true, emailByDefault: true },
  BOOKINGS_RELEASED: { label: "Classes released when a membership ended", optional: false, emailByDefault: true },
  PAYMENT_FAILED: { label: "Payment failed", optional: false, emailByDefault: true },
  MEMBERSHIP_PAYMENT_PAUSED: { label: "Membership paused after failed payments", optional: false, emailByDefault: true },
  COHORT_NUDGE: { label: "Reminders from your coach", optional: true, emailByDefault: true },
  COACH_FEEDBACK_PUBLISHED: { label: "Weekly feedback from your coach", optional: true, emailByDefault: true },
  CHECK_IN_DUE: { label: "Check-in due", optional: true, emailByDefault: true },
  PASSWORD_RESET: { label: "Password reset", optional: false, emailByDefault: true },
  ACCOUNT_INVITE: { label: "Invitation", optional: false, emailByDefault: true },
  APPOINTMENT_BOOKED: { label: "Appointment booked", optional: true, emailByDefault: true },
  APPOINTMENT_CANCELLED: { label: "Appointment cancelled", optional: false, emailByDefault: true },
  ACCOUNT_SECURITY: { label: "Changes to how you sign in", optional: false, emailByDefault: true },
};

/** Whether a message of `kind` is emailed, given the client's stored choice for it (undefined: none made). */
export function emailWanted(kind: NotificationKind, choice: boolean | undefined): boolean {
  const info = KIND_INFO[kind];
  if (!info.optional) return true;
  return choice ?? info.emailByDefault;
}

/** Mail about the account itself (password links, invitations, changes to how one signs in). */
const ACCOUNT_MAIL: ReadonlySet<NotificationKind> = new Set(["PASSWORD_RESET", "ACCOUNT_INVITE", "ACCOUNT_SECURITY"]);

/** Messages that belong in the client's in-app list (not account mail such as password links). */
export function showsInApp(kind: NotificationKind): boolean {
  return !ACCOUNT_MAIL.has(kind);
}
