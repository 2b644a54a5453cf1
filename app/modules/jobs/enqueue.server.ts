import type { EntityManager } from "@mikro-orm/postgresql";

/**
 * Enqueues the delivery of notification `notificationId` on the job queue, inside the caller's
 * transaction. The jobs work (issue 13, item 1) implements it on pg-boss.
 */
export async function enqueueDelivery(_tx: EntityManager, _notificationId: number): Promise<void> {
  // Until the queue lands, a recorded notification waits in the table (as before).
}
