import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";

export const NOTIFICATION_KINDS = [
  "SESSION_CANCELLED",
  "WAITLIST_PROMOTED",
  "WAITLIST_SKIPPED",
  "BOOKINGS_RELEASED",
  "MEMBERSHIP_PAYMENT_PAUSED",
  "COHORT_NUDGE",
  "COACH_FEEDBACK_PUBLISHED",
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
