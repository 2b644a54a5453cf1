// The job queue (pg-boss on the app's PostgreSQL, schema `pgboss`): one started queue per process, the
// workers and the schedules. See docs/jobs-and-email.md and ADR 0021.
import type { EntityManager, MikroORM } from "@mikro-orm/postgresql";
import { PgBoss, type JobResult, type JobWithMetadata, type Queue } from "pg-boss";
import { env } from "~/utils/env.server";
import { getOrm } from "../db.server";
import { deliverNotification } from "../notifications/delivery.server";
import { mailerFromEnv, type Mailer } from "../notifications/email.server";
import { getSettings } from "../settings/settings.service.server";
import { setProcessQueue, type JobLog } from "./boss.server";
import {
  CHECK_IN_DUE,
  CLASS_REMINDERS,
  DELIVER_NOTIFICATION,
  MEMBERSHIP_ENDING,
  PURGE_EXPIRED,
  QUEUE_NAMES,
  SCHEDULES,
  SWEEP_NOTIFICATIONS,
  type QueueName,
} from "./queues";
import { purgeExpired, sendCheckInDueReminders, sendClassReminders, sendMembershipEndingNotices, sweepUndelivered } from "./scheduled-jobs.server";

export type JobsOptions = {
  databaseUrl: string;
  /** Run the workers and the schedules here; false: this instance only enqueues (a web-only instance). */
  workers: boolean;
  /** The ORM the workers run on. */
  orm: MikroORM;
  /** null: no SMTP, every email stays in the outbox. */
  mailer: Mailer | null;
  log: JobLog;
  /** Seconds before the first retry of a failed delivery (doubling after); tests shorten it. */
  retryDelaySeconds?: number;
  /** How often an idle worker asks for work. */
  pollingIntervalSeconds?: number;
};

export type RunningJobs = { boss: PgBoss; stop(): Promise<void> };

// Every queue is `exclusive`: one job per key waiting or running, so a sweep cannot queue a second
// delivery of a notification, nor a schedule a second run while one is going.
function queueOptions(name: QueueName, retryDelaySeconds: number): Omit<Queue, "name"> {
  if (name === DELIVER_NOTIFICATION) {
    return { policy: "exclusive", retryLimit: 5, retryDelay: retryDelaySeconds, retryBackoff: true, retryDelayMax: 600, expireInSeconds: 120 };
  }
  return { policy: "exclusive", retryLimit: 2, retryDelay: 60, retryBackoff: true, expireInSeconds: 600 };
}

/** Creates the queues (once per database) and brings their retry options up to date. */
async function ensureQueues(boss: PgBoss, retryDelaySeconds: number) {
  for (const name of QUEUE_NAMES) {
    const { policy, ...options } = queueOptions(name, retryDelaySeconds);
    await boss.createQueue(name, { policy, ...options });
    await boss.updateQueue(name, options);
  }
}

/**
 * Puts the schedules in the studio's time zone (read from the settings now, and again on every sweep, so a
 * changed zone applies within a minute). pg-boss keeps schedules in the database: one per name for the
 * whole cluster, each occurrence sent once whatever the number of instances.
 */
export async function syncSchedules(boss: PgBoss, em: EntityManager): Promise<void> {
  const zone = (await getSettings(em)).studioTimeZone;
  const existing = await boss.getSchedules();
  for (const { name, cron, studioTime } of SCHEDULES) {
    const tz = studioTime ? zone : "UTC";
    const found = existing.find((s) => s.name === name);
    if (found && found.cron === cron && found.timezone === tz) continue;
    // A daily job missed while no instance ran (a deploy at 18:00) still runs once; the sweep need not.
    await boss.schedule(name, cron, null, { tz, missed: studioTime ? "once" : "skip" });
  }
}

async function registerWorkers(boss: PgBoss, options: JobsOptions) {
  const { orm, mailer, log } = options;
  const polling = { pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 };

  // Deliveries come in bursts (a class's rush, a studio cancellation): up to 10 a fetch, each settled on its
  // own, and fetched again at once while fetches come back full, instead of one job per poll.
  const deliveryOptions = { ...polling, includeMetadata: true, localConcurrency: 2, batchSize: 10, burstWhenBatchFull: true, perJobResults: true } as const;
  await boss.work(DELIVER_NOTIFICATION, deliveryOptions, async (jobs: JobWithMetadata<{ notificationId: number }>[]) =>
    Promise.all(
      jobs.map(async (job): Promise<JobResult> => {
        try {
          const outcome = await deliverNotification(orm.em.fork(), job.data.notificationId, { mailer, lastAttempt: job.retryCount >= job.retryLimit });
          return { id: job.id, status: "completed", output: { outcome } };
        } catch (error) {
          log.warn({ err: error, notificationId: job.data.notificationId, attempt: job.retryCount + 1 }, "email delivery failed");
          return { id: job.id, status: "failed", output: { message: (error as Error).message } };
        }
      }),
    ),
  );

  const scheduled: [QueueName, (em: EntityManager, now: Date) => Promise<object>][] = [
    [CLASS_REMINDERS, sendClassReminders],
    [MEMBERSHIP_ENDING, sendMembershipEndingNotices],
    [CHECK_IN_DUE, sendCheckInDueReminders],
    [PURGE_EXPIRED, purgeExpired],
    [
      SWEEP_NOTIFICATIONS,
      async (em) => {
        await syncSchedules(boss, em);
        return sweepUndelivered(em, boss);
      },
    ],
  ];
  for (const [name, run] of scheduled) {
    await boss.work(name, polling, async () => {
      const counts = await run(orm.em.fork(), new Date());
      if (name !== SWEEP_NOTIFICATIONS || (counts as { enqueued: number }).enqueued > 0) log.info({ job: name, ...counts }, "scheduled job done");
      return counts;
    });
  }
}

/**
 * Starts a pg-boss on `databaseUrl` (installing its schema on first use): always able to enqueue; with
 * `workers`, it also delivers notifications, runs the schedules and sweeps undelivered notifications once
 * now. `stop()` lets running jobs finish for up to 5 seconds.
 */
export async function launchJobs(options: JobsOptions): Promise<RunningJobs> {
  const boss = new PgBoss({
    connectionString: options.databaseUrl,
    schema: "pgboss",
    application_name: "centurion-jobs",
    max: options.workers ? 5 : 3,
    supervise: options.workers,
    schedule: options.workers,
  });
  boss.on("error", (error) => options.log.error({ err: error }, "job queue error"));
  await boss.start();
  try {
    await ensureQueues(boss, options.retryDelaySeconds ?? 5);
    if (options.workers) {
      await registerWorkers(boss, options);
      await syncSchedules(boss, options.orm.em.fork());
      await boss.send(SWEEP_NOTIFICATIONS, null);
    }
  } catch (error) {
    await boss.stop({ graceful: false });
    throw error;
  }
  return { boss, stop: () => boss.stop({ graceful: true, timeout: 5_000 }) };
}

// ---------- this process's queue ----------

let running: { jobs: RunningJobs; ownMailer: Mailer | null } | null = null;

export type StartJobsOptions = {
  workers: boolean;
  log: JobLog;
  /** Default: SMTP from the environment (null without it). */
  mailer?: Mailer | null;
  retryDelaySeconds?: number;
  pollingIntervalSeconds?: number;
};

/**
 * Starts this process's queue on DATABASE_URL with the app's ORM; notify() enqueues through it from then
 * on. `npm start` and `npm run dev` call it through the build (web and workers, or web only with
 * WORKERS=false), `npm run worker` with workers only.
 */
export async function startJobs(options: StartJobsOptions): Promise<void> {
  if (running) return;
  const databaseUrl = env().DATABASE_URL;
  if (!databaseUrl) throw new Error("DATABASE_URL is not set.");
  const mailer = options.mailer === undefined ? (options.workers ? mailerFromEnv() : null) : options.mailer;
  const jobs = await launchJobs({ ...options, databaseUrl, orm: await getOrm(), mailer });
  running = { jobs, ownMailer: options.mailer === undefined ? mailer : null };
  setProcessQueue({ boss: jobs.boss, log: options.log });
}

/** Stops this process's queue (a no-op when none runs); what is enqueued from now on waits for the sweep. */
export async function stopJobs(): Promise<void> {
  const current = running;
  if (!current) return;
  running = null;
  setProcessQueue(null);
  await current.jobs.stop();
  // A mailer passed in (a test's) is its owner's to close; the environment's is ours.
  current.ownMailer?.close();
}
