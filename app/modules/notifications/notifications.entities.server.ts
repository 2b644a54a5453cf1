import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";

export const NOTIFICATION_KINDS = [
  "BOOKING_CONFIRMED",
  "WAITLIST_JOINED",
  "WAITLIST_PROMOTED",
  "WAITLIST_SKIPPED",
  "SESSION_CANCELLED",
  "LATE_CANCEL",
  "CLASS_REMINDER",
  "MEMBERSHIP_ASSIGNED",
  "MEMBERSHIP_PAUSED",
  "MEMBERSHIP_RESUMED",
  "MEMBERSHIP_CANCELLED",
  "MEMBERSHIP_ENDING",
  "BOOKINGS_RELEASED",
  "PAYMENT_FAILED",
  "MEMBERSHIP_PAYMENT_PAUSED",
  "COHORT_NUDGE",
  "COACH_FEEDBACK_PUBLISHED",
  "CHECK_IN_DUE",
  "PASSWORD_RESET",
  "ACCOUNT_INVITE",
  "APPOINTMENT_BOOKED",
  "APPOINTMENT_CANCELLED",
  "ACCOUNT_SECURITY",
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** An outbox row: a message for one user, written in the same transaction as the change it reports. */
export const Notification = defineEntity({
  name: "Notification",
  tableName: "notification",
  indexes: [{ properties: ["sentAt"] }, { name: "notification_unsent_index", properties: ["createdAt"], where: `"sent_at" is null` }],
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).index().deleteRule("cascade"),
    kind: p.enum(NOTIFICATION_KINDS),
    subject: p.string().length(200),
    body: p.text(),
    payload: p.json<Record<string, unknown>>(),
    /** Set for messages that must go at most once (e.g. "nudge:<user>:<date>"): a second insert fails on the unique index. */
    dedupeKey: p.string().length(200).nullable().unique(),
    createdAt: p.datetime().onCreate(() => new Date()),
    readAt: p.datetime().nullable(),
    sentAt: p.datetime().nullable(),
  },
});
export type INotification = InferEntity<typeof Notification>;

export const EMAIL_STATUSES = ["OUTBOX", "QUEUED", "SENT", "FAILED"] as const;
export type EmailStatus = (typeof EMAIL_STATUSES)[number];

/**
 * An email as it was (or is to be) sent: one per notification. Without SMTP it stays OUTBOX, where admins
 * read it at /admin/outbox; with SMTP it goes QUEUED → SENT (or FAILED after the last retry), and the row
 * records what was sent and when.
 */
export const EmailMessage = defineEntity({
  name: "EmailMessage",
  tableName: "email_message",
  indexes: [{ properties: ["createdAt"] }, { properties: ["status"] }],
  properties: {
    id: p.integer().primary(),
    notification: () => p.manyToOne(Notification).nullable().unique().deleteRule("set null"),
    user: () => p.manyToOne(User).nullable().index().deleteRule("set null"),
    toAddress: p.string().length(320),
    subject: p.string().length(300),
    textBody: p.text(),
    htmlBody: p.text(),
    status: p.enum(EMAIL_STATUSES).default("QUEUED"),
    attempts: p.integer().default(0),
    lastError: p.text().nullable(),
    /** The SMTP server's message id, once sent. */
    transportMessageId: p.string().length(300).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    sentAt: p.datetime().nullable(),
  },
});
export type IEmailMessage = InferEntity<typeof EmailMessage>;

/** A client's choice for one optional kind of email; no row means the kind's default (notifications.rules.ts). */
export const NotificationPreference = defineEntity({
  name: "NotificationPreference",
  tableName: "notification_preference",
  uniques: [{ name: "notification_preference_user_kind_unique", properties: ["user", "kind"] }],
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    kind: p.enum(NOTIFICATION_KINDS),
    email: p.boolean(),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type INotificationPreference = InferEntity<typeof NotificationPreference>;
