// The client's recent notifications in the app, and which of them they have not read yet.
import type { EntityManager } from "@mikro-orm/postgresql";
import { formatDateTime } from "~/utils/time";
import { NOTIFICATION_KINDS, Notification, type NotificationKind } from "./notifications.entities.server";
import { showsInApp } from "./notifications.rules";

const IN_APP_KINDS = NOTIFICATION_KINDS.filter(showsInApp);

export type InAppNotification = { id: number; kind: NotificationKind; subject: string; body: string; when: string; unread: boolean };

/** The user's last `limit` notifications that belong in the app, newest first, with their times in `zone`. */
export async function recentNotifications(em: EntityManager, input: { userId: number; zone: string; limit?: number }): Promise<InAppNotification[]> {
  const rows = await em.find(
    Notification,
    { user: input.userId, kind: { $in: IN_APP_KINDS } },
    { orderBy: { createdAt: "desc", id: "desc" }, limit: input.limit ?? 20, fields: ["kind", "subject", "body", "createdAt", "readAt"] },
  );
  return rows.map((n) => ({
    id: n.id,
    kind: n.kind,
    subject: n.subject,
    body: n.body,
    when: formatDateTime(n.createdAt, input.zone),
    unread: !n.readAt,
  }));
}

/** How many of the user's in-app notifications are unread: one count on the user's index. */
export async function unreadCount(em: EntityManager, userId: number): Promise<number> {
  return em.count(Notification, { user: userId, readAt: null, kind: { $in: IN_APP_KINDS } });
}

/** Marks the user's notifications up to `upToId` (the newest the page showed) read; answers how many changed. */
export async function markRead(em: EntityManager, input: { userId: number; upToId: number }, now = new Date()): Promise<number> {
  return em.nativeUpdate(Notification, { user: input.userId, id: { $lte: input.upToId }, readAt: null }, { readAt: now });
}
