// The job queue's names and timetable (pg-boss, docs/jobs-and-email.md).

/** `{ notificationId }`: email (or keep in the outbox) one notification. Enqueued by notify() in the caller's transaction. */
export const DELIVER_NOTIFICATION = "deliver-notification";
/** Enqueues delivery of every notification not yet delivered (recorded before the queue, or where no queue ran). */
export const SWEEP_NOTIFICATIONS = "sweep-notifications";
export const CLASS_REMINDERS = "class-reminders";
export const MEMBERSHIP_ENDING = "membership-ending";
export const CHECK_IN_DUE = "check-in-due";
export const PURGE_EXPIRED = "purge-expired";

export const QUEUE_NAMES = [DELIVER_NOTIFICATION, SWEEP_NOTIFICATIONS, CLASS_REMINDERS, MEMBERSHIP_ENDING, CHECK_IN_DUE, PURGE_EXPIRED] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

/**
 * When each scheduled job runs (cron: minute hour day month weekday). `studioTime` ones run on the studio's
 * clock (its time zone from the settings); the sweep runs every minute.
 */
export const SCHEDULES: { name: QueueName; cron: string; studioTime: boolean }[] = [
  { name: CLASS_REMINDERS, cron: "0 18 * * *", studioTime: true },
  { name: CHECK_IN_DUE, cron: "0 8 * * *", studioTime: true },
  { name: MEMBERSHIP_ENDING, cron: "0 9 * * *", studioTime: true },
  { name: PURGE_EXPIRED, cron: "30 3 * * *", studioTime: true },
  { name: SWEEP_NOTIFICATIONS, cron: "* * * * *", studioTime: false },
];

/** At most one delivery job of a notification waiting or running at a time (the queue is `exclusive` per key). */
export function deliveryKey(notificationId: number): string {
  return `notification:${notificationId}`;
}
