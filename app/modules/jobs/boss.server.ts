import type { PgBoss } from "pg-boss";

/** What the jobs log through (pino's logger fits). */
export type JobLog = {
  info(details: object, message?: string): void;
  warn(details: object, message?: string): void;
  error(details: object, message?: string): void;
};

type ProcessQueue = { boss: PgBoss; log: JobLog };

// The one started pg-boss of this process (startJobs in runner.server.ts), which notify() enqueues through.
let processQueue: ProcessQueue | null = null;

export function setProcessQueue(queue: ProcessQueue | null): void {
  processQueue = queue;
}

/** The process's started queue, or null (a script or a test that runs no queue). */
export function processQueueOrNull(): ProcessQueue | null {
  return processQueue;
}
