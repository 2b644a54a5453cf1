// The job queue on PostgreSQL (pg-boss): delivery enqueued in the caller's transaction, and each job done
// once with two instances running the workers (two PgBoss objects on this file's database).
import type Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { startCheckout, syncCheckoutSession } from "~/modules/billing/checkout.service.server";
import { syncPlan } from "~/modules/billing/plan-sync.service.server";
import { createStripe } from "~/modules/billing/stripe.server";
import { handleStripeEvent } from "~/modules/billing/webhooks.service.server";
import { cancelRegistration, registerForSession } from "~/modules/booking/booking.service.server";
import { processQueueOrNull } from "~/modules/jobs/boss.server";
import { CLASS_REMINDERS, DELIVER_NOTIFICATION, deliveryKey, PURGE_EXPIRED, SWEEP_NOTIFICATIONS } from "~/modules/jobs/queues";
import { launchJobs, startJobs, stopJobs, syncSchedules, type RunningJobs } from "~/modules/jobs/runner.server";
import { sweepUndelivered } from "~/modules/jobs/scheduled-jobs.server";
import { EmailMessage, Notification } from "~/modules/notifications/notifications.entities.server";
import { notify } from "~/modules/notifications/notify.server";
import { cancelSession } from "~/modules/sessions/scheduling.service.server";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { toInstant } from "~/utils/time";
import { createTestOrm, forkEm, testDatabaseUrl } from "../support/db";
import * as factories from "../support/factories";
import { testLog, waitFor } from "../support/jobs";
import { startLocalStripe } from "../../tools/stripe-local/server";

const NOW = new Date("2026-03-10T12:00:00Z");
const THURSDAY = toInstant("2026-03-12", "18:00", "Europe/London");
let minutes = 0;

let coach: IUser;
beforeAll(async () => {
  coach = await factories.createUser(await forkEm(), { role: "COACH" });
});

const log = testLog();
const fast = { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1 };

const queue = () => {
  const running = processQueueOrNull();
  if (!running) throw new Error("no queue is running in this process");
  return running.boss;
};

const jobsOf = (notificationId: number) => queue().findJobs<{ notificationId: number }>(DELIVER_NOTIFICATION, { key: deliveryKey(notificationId) });

async function packClient() {
  const em = await forkEm();
  return factories.createMember(em, { type: "PACK", totalSessions: 5 });
}

const makeSession = async (capacity: number) =>
  factories.createSession(await forkEm(), { coach, start: new Date(THURSDAY.getTime() + minutes++ * 60_000), capacity, title: "Circuits" });

async function book(session: { id: number }, user: { id: number }) {
  const result = await registerForSession(await forkEm(), { sessionId: session.id, userId: user.id }, NOW);
  if (!result || !result.ok) throw new Error(`Booking failed: ${JSON.stringify(result)}`);
}

/** Waits until every notification of `userIds` of `kind` is delivered, and answers them. */
async function delivered(userIds: number[], kind: "WAITLIST_PROMOTED" | "SESSION_CANCELLED" | "BOOKING_CONFIRMED" | "PAYMENT_FAILED") {
  return waitFor(`delivery of ${kind} to ${userIds.join(", ")}`, async () => {
    const notes = await (await forkEm()).find(Notification, { user: { $in: userIds }, kind });
    return notes.length === userIds.length && notes.every((n) => n.sentAt) ? notes : null;
  });
}

afterEach(async () => {
  await stopJobs();
  expect(log.errors).toEqual([]);
});

describe("enqueueing a delivery", () => {
  it("happens in the caller's transaction: a rollback leaves neither the notification nor a job, a commit both", async () => {
    await startJobs({ workers: false, log, ...fast });
    const user = await factories.createUser(await forkEm());
    const message = { userId: user.id, kind: "WAITLIST_PROMOTED" as const, subject: "You're in", body: "A place opened up." };

    let rolledBack: number | null = null;
    await expect(
      (await forkEm()).transactional(async (tx) => {
        rolledBack = await notify(tx, message);
        throw new Error("the action failed after notifying");
      }),
    ).rejects.toThrow("the action failed");
    expect(rolledBack).toEqual(expect.any(Number));
    expect(await (await forkEm()).count(Notification, { id: rolledBack! })).toBe(0);
    expect(await jobsOf(rolledBack!)).toEqual([]);
    expect(await queue().findJobs(DELIVER_NOTIFICATION, { data: { notificationId: rolledBack! } })).toEqual([]);

    const committed = await (await forkEm()).transactional((tx) => notify(tx, message));
    expect(committed).toEqual(expect.any(Number));
    const jobs = await jobsOf(committed!);
    expect(jobs).toHaveLength(1);
    expect(jobs[0]).toMatchObject({ data: { notificationId: committed }, state: "created", retryLimit: 5 });
  });

  it("enqueues nothing for a notification whose dedupe key was used, and one job for the first", async () => {
    await startJobs({ workers: false, log, ...fast });
    const user = await factories.createUser(await forkEm());
    const message = { userId: user.id, kind: "COHORT_NUDGE" as const, subject: "Nudge", body: "Check in.", dedupeKey: `test:${user.id}` };
    const first = await (await forkEm()).transactional((tx) => notify(tx, message));
    const second = await (await forkEm()).transactional((tx) => notify(tx, message));
    expect(second).toBeNull();
    expect(await jobsOf(first!)).toHaveLength(1);
  });

  it("leaves the notification for the sweep when no queue runs in the process (scripts, most tests)", async () => {
    const user = await factories.createUser(await forkEm());
    const id = await (await forkEm()).transactional((tx) => notify(tx, { userId: user.id, kind: "PAYMENT_FAILED", subject: "Payment failed", body: "x" }));
    expect(id).toEqual(expect.any(Number));
    expect(await (await forkEm()).findOneOrFail(Notification, id!)).toMatchObject({ sentAt: null });
  });
});

describe("with two instances running the workers (no SMTP: the outbox)", () => {
  let second: RunningJobs;
  let secondOrm: Awaited<ReturnType<typeof createTestOrm>>;

  beforeAll(async () => {
    secondOrm = await createTestOrm();
  });
  afterAll(async () => {
    await secondOrm.close();
  });

  const startBoth = async () => {
    await startJobs({ workers: true, log, mailer: null, ...fast });
    second = await launchJobs({ databaseUrl: testDatabaseUrl(), workers: true, orm: secondOrm, mailer: null, log, ...fast });
  };
  afterEach(async () => {
    await second?.stop();
  });

  it("a waitlist promotion puts exactly one message in the outbox", async () => {
    await startBoth();
    const session = await makeSession(1);
    const [a, b] = [await packClient(), await packClient()];
    await book(session, a.user);
    await book(session, b.user);
    expect(await cancelRegistration(await forkEm(), { sessionId: session.id, userId: a.user.id }, NOW)).toEqual({ ok: true, late: false });

    const [note] = await delivered([b.user.id], "WAITLIST_PROMOTED");
    const emails = await (await forkEm()).find(EmailMessage, { notification: note.id });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ status: "OUTBOX", toAddress: b.user.email, subject: note.subject, attempts: 0 });
    expect(emails[0].textBody).toContain("A place opened up and you are now booked on Circuits on Thu 12 Mar 2026 at 18:00 (Europe/London time).");
    const jobs = await waitFor("the job to complete", async () => {
      const found = await jobsOf(note.id);
      return found.every((j) => j.state === "completed") && found;
    });
    expect(jobs).toHaveLength(1);
    // The client who cancelled got their booking confirmation and nothing about the promotion.
    const toA = await (await forkEm()).find(EmailMessage, { user: a.user.id }, { populate: ["notification"] });
    expect(toA.map((e) => e.notification?.kind)).toEqual(["BOOKING_CONFIRMED"]);
  });

  it("a booking puts exactly one message (its confirmation) in the outbox", async () => {
    await startBoth();
    const session = await makeSession(5);
    const client = await packClient();
    await book(session, client.user);
    // The booking's own transaction enqueued the delivery (a statement prepared on its connection), not the sweep.
    const [recorded] = await (await forkEm()).find(Notification, { user: client.user.id, kind: "BOOKING_CONFIRMED" });
    expect(await jobsOf(recorded.id)).toHaveLength(1);
    const [note] = await delivered([client.user.id], "BOOKING_CONFIRMED");
    const emails = await (await forkEm()).find(EmailMessage, { user: client.user.id });
    expect(emails).toHaveLength(1);
    expect(emails[0]).toMatchObject({ notification: { id: note.id }, status: "OUTBOX", subject: note.subject });
    expect(emails[0].textBody).toContain("Thu 12 Mar 2026 at");
  });

  it("a failed renewal payment puts exactly one message in the outbox, also when Stripe delivers its event twice", async () => {
    await startBoth();
    const local = await startLocalStripe({ port: 0 });
    try {
      const stripe = createStripe({ apiUrl: local.url })!;
      const user = await factories.createUser(await forkEm());
      const created = await factories.createPlan(await forkEm(), { type: "RECURRING", sessionsPerWeek: 3, pricePence: 7500 });
      const plan = (await syncPlan(await forkEm(), stripe, created.id))!;
      if (!plan.ok) throw new Error(JSON.stringify(plan));
      const started = await startCheckout(await forkEm(), stripe, { userId: user.id, planId: plan.plan.id, siteUrl: "http://localhost" });
      if (!started?.ok) throw new Error(JSON.stringify(started));
      const checkoutId = /\/checkout\/([^/?#]+)/.exec(started.url)![1];
      local.controls.completeCheckout(checkoutId);
      const bought = await syncCheckoutSession(await forkEm(), stripe, checkoutId);
      if (!bought?.ok) throw new Error(JSON.stringify(bought));
      local.controls.failPayment(bought.membership.stripeSubscriptionId!);
      const failed = local.controls.listEvents({ type: "invoice.payment_failed" }).at(-1) as unknown as Stripe.Event;
      await handleStripeEvent(await forkEm(), stripe, failed);
      await handleStripeEvent(await forkEm(), stripe, failed);

      const [note] = await delivered([user.id], "PAYMENT_FAILED");
      const emails = await (await forkEm()).find(EmailMessage, { user: user.id, notification: { kind: "PAYMENT_FAILED" } });
      expect(emails).toHaveLength(1);
      expect(emails[0]).toMatchObject({ notification: { id: note.id }, status: "OUTBOX" });
    } finally {
      await local.stop();
    }
  });

  it("a studio cancellation puts exactly one message per booked client in the outbox", async () => {
    await startBoth();
    const session = await makeSession(10);
    const clients = [await packClient(), await packClient(), await packClient(), await packClient()];
    for (const c of clients) await book(session, c.user);
    const cancelled = await cancelSession(await forkEm(), session.id, "Roof leak", NOW);
    expect(cancelled).toEqual({ ok: true, notified: 4 });

    const userIds = clients.map((c) => c.user.id);
    const notes = await delivered(userIds, "SESSION_CANCELLED");
    const emails = await (await forkEm()).find(EmailMessage, { user: { $in: userIds }, notification: { kind: "SESSION_CANCELLED" } });
    expect(emails).toHaveLength(4);
    expect(new Set(emails.map((e) => e.notification!.id))).toEqual(new Set(notes.map((n) => n.id)));
    for (const email of emails) {
      expect(email.status).toBe("OUTBOX");
      expect(email.textBody).toContain("Reason: Roof leak");
    }
  });

  it("delivers every notification recorded before the queue ran, once, and a second sweep adds nothing", async () => {
    // Recorded the old way (no job): the sweep that each worker instance starts with finds them.
    const users = [await factories.createUser(await forkEm()), await factories.createUser(await forkEm())];
    const em = await forkEm();
    for (const user of users) {
      await em.execute(
        `insert into notification (user_id, kind, subject, body, payload, created_at) values (?, 'PAYMENT_FAILED', 'Old', 'From before', '{}', now())`,
        [user.id],
      );
    }
    await startBoth();
    await waitFor("the old notifications to be delivered", async () => {
      const notes = await (await forkEm()).find(Notification, { user: { $in: users.map((u) => u.id) } });
      return notes.length === 2 && notes.every((n) => n.sentAt);
    });
    expect(await (await forkEm()).count(EmailMessage, { user: { $in: users.map((u) => u.id) } })).toBe(2);
    expect(await sweepUndelivered(await forkEm(), queue())).toEqual({ enqueued: 0, undelivered: 0 });
  });
});

describe("the schedules", () => {
  it("run the daily jobs on the studio's clock, follow a change of time zone, and sweep every minute", async () => {
    await startJobs({ workers: true, log, mailer: null, ...fast });
    const schedule = async (name: string) => (await queue().getSchedules()).find((s) => s.name === name);
    expect(await schedule(CLASS_REMINDERS)).toMatchObject({ cron: "0 18 * * *", timezone: "Europe/London" });
    expect(await schedule(PURGE_EXPIRED)).toMatchObject({ cron: "30 3 * * *", timezone: "Europe/London" });
    expect(await schedule(SWEEP_NOTIFICATIONS)).toMatchObject({ cron: "* * * * *", timezone: "UTC" });
    try {
      await updateSettings(await forkEm(), { studioTimeZone: "America/New_York" });
      await syncSchedules(queue(), await forkEm());
      expect(await schedule(CLASS_REMINDERS)).toMatchObject({ cron: "0 18 * * *", timezone: "America/New_York" });
      expect(await schedule(SWEEP_NOTIFICATIONS)).toMatchObject({ timezone: "UTC" });
    } finally {
      await updateSettings(await forkEm(), { studioTimeZone: "Europe/London" });
    }
  });
});
