import type { EntityManager } from "@mikro-orm/postgresql";
import { fromKysely, type KyselyTransactionLike, type SendOptions } from "pg-boss";
import { processQueueOrNull } from "./boss.server";
import { DELIVER_NOTIFICATION, deliveryKey } from "./queues";

/**
 * MikroORM 7 runs each transaction on a Kysely ControlledTransaction (`em.getTransactionContext()`): pg-boss
 * sends its `$1`-style SQL through it with `fromKysely`, on the transaction's own connection.
 */
type OrmTransaction = KyselyTransactionLike & {
  savepoint(name: string): { execute(): Promise<OrmTransaction> };
  releaseSavepoint(name: string): { execute(): Promise<unknown> };
  rollbackToSavepoint(name: string): { execute(): Promise<unknown> };
};

const SAVEPOINT = "enqueue_delivery";

export function deliveryJobOptions(notificationId: number): SendOptions {
  return { singletonKey: deliveryKey(notificationId) };
}

/**
 * Enqueues the delivery of notification `notificationId` inside the caller's transaction (`tx`), so the
 * job commits or rolls back with the notification and the change behind it. The insert runs under a
 * savepoint: if it fails, the action still commits and the notification waits for the sweep (every minute
 * where workers run), as it does in a process that runs no queue (a script, most tests).
 */
export async function enqueueDelivery(tx: EntityManager, notificationId: number): Promise<void> {
  const queue = processQueueOrNull();
  if (!queue) return;
  const data = { notificationId };
  const trx = tx.getTransactionContext<OrmTransaction>();
  if (!trx) {
    // Not in a transaction: the notification is committed already.
    await queue.boss.send(DELIVER_NOTIFICATION, data, deliveryJobOptions(notificationId)).catch((error: unknown) => {
      queue.log.warn({ err: error, notificationId }, "could not enqueue a delivery; the sweep will");
    });
    return;
  }
  const savepoint = await trx.savepoint(SAVEPOINT).execute();
  try {
    await queue.boss.send(DELIVER_NOTIFICATION, data, { ...deliveryJobOptions(notificationId), db: fromKysely(savepoint) });
    await savepoint.releaseSavepoint(SAVEPOINT).execute();
  } catch (error) {
    await savepoint.rollbackToSavepoint(SAVEPOINT).execute();
    queue.log.warn({ err: error, notificationId }, "could not enqueue a delivery; the sweep will");
  }
}
