import type { EntityManager } from "@mikro-orm/postgresql";
import { enqueueDelivery } from "../jobs/enqueue.server";
import type { NotificationKind } from "./notifications.entities.server";

export type NotifyInput = {
  userId: number;
  kind: NotificationKind;
  subject: string;
  /** Plain text; dates in it are the studio's, with its zone named (see formatWhen in ~/utils/time). */
  body: string;
  payload?: Record<string, unknown>;
  /** At most one notification per key, across requests and instances (e.g. "nudge:<cohort>:<user>:<date>"). */
  dedupeKey?: string;
};

/**
 * Records a notification for one user in the caller's transaction and enqueues its delivery in the same
 * transaction, so a change and its message commit (or roll back) together. Returns the notification's id,
 * or null when `dedupeKey` was used before (nothing recorded, nothing enqueued).
 */
export async function notify(tx: EntityManager, input: NotifyInput): Promise<number | null> {
  const rows = await tx.execute<{ id: number }[]>(
    `insert into notification (user_id, kind, subject, body, payload, dedupe_key, created_at)
     values (?, ?, ?, ?, ?, ?, ?)
     on conflict (dedupe_key) do nothing
     returning id`,
    [input.userId, input.kind, input.subject, input.body, JSON.stringify(input.payload ?? {}), input.dedupeKey ?? null, new Date()],
  );
  if (rows.length === 0) return null;
  await enqueueDelivery(tx, rows[0].id);
  return rows[0].id;
}
