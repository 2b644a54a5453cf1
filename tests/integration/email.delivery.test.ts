// Email delivery: through a real SMTP server (smtp-server on a free port) with retries, into the outbox
// without SMTP, and not at all for a kind the client turned off.
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { MikroORM } from "@mikro-orm/postgresql";
import { User, type IUser } from "~/modules/auth/auth.entities.server";
import { launchJobs, startJobs, stopJobs, type RunningJobs } from "~/modules/jobs/runner.server";
import { sweepUndelivered } from "~/modules/jobs/scheduled-jobs.server";
import { processQueueOrNull } from "~/modules/jobs/boss.server";
import { deliverNotification } from "~/modules/notifications/delivery.server";
import type { Mailer } from "~/modules/notifications/email.server";
import { EmailMessage, Notification, NotificationPreference, type NotificationKind } from "~/modules/notifications/notifications.entities.server";
import { notify } from "~/modules/notifications/notify.server";
import { cancelSession } from "~/modules/sessions/scheduling.service.server";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { createTestOrm, forkEm, testDatabaseUrl } from "../support/db";
import * as factories from "../support/factories";
import { startSmtpServer, testLog, waitFor, type TestSmtpServer } from "../support/jobs";

const log = testLog();
const fast = { pollingIntervalSeconds: 0.5, retryDelaySeconds: 1 };

beforeAll(async () => {
  await updateSettings(await forkEm(), { studioName: "Bangor Strength" });
});

const makeClient = async () => factories.createUser(await forkEm());

async function record(user: { id: number }, kind: NotificationKind, body = "Something happened.") {
  const id = await (await forkEm()).transactional((tx) => notify(tx, { userId: user.id, kind, subject: `${kind} for you`, body }));
  if (id === null) throw new Error("not recorded");
  return id;
}

const emailOf = async (notificationId: number) => (await forkEm()).findOne(EmailMessage, { notification: notificationId });
const notificationOf = async (id: number) => (await forkEm()).findOneOrFail(Notification, id);
const sentTo = (smtp: TestSmtpServer, address: string) => smtp.received.filter((m) => m.to.includes(address));

describe("through SMTP, by the queue", () => {
  let smtp: TestSmtpServer;
  let mailer: Mailer;

  beforeAll(async () => {
    smtp = await startSmtpServer({ refuseFirst: 1 });
    mailer = smtp.mailer();
    await startJobs({ workers: true, log, mailer, ...fast });
  });
  afterAll(async () => {
    await stopJobs();
    mailer.close();
    await smtp.close();
  });

  it("retries a message whose send fails and sends it once", async () => {
    const user = await makeClient();
    const id = await record(user, "WAITLIST_PROMOTED", "A place opened up.");
    const email = await waitFor("the email to be sent", async () => {
      const found = await emailOf(id);
      return found?.status === "SENT" && found;
    });
    expect(smtp.refused()).toBe(1);
    expect(sentTo(smtp, user.email)).toHaveLength(1);
    expect(email.attempts).toBe(2);
    expect(email.lastError).toContain("try again later");
    expect(email.sentAt).toBeInstanceOf(Date);
    expect(email.transportMessageId).toMatch(/^<.+>$/);
    expect((await notificationOf(id)).sentAt).toBeInstanceOf(Date);
    expect(log.errors).toEqual([]);
  });

  it("sends plain text and HTML from the studio, with the one-click unsubscribe headers for an optional kind only", async () => {
    const user = await makeClient();
    const optional = await record(user, "LATE_CANCEL", "You cancelled Circuits late.");
    const always = await record(user, "SESSION_CANCELLED", "Circuits is cancelled.");
    await waitFor("both emails", async () => (await emailOf(optional))?.status === "SENT" && (await emailOf(always))?.status === "SENT");

    const [late] = smtp.received.filter((m) => m.to.includes(user.email) && m.raw.includes("LATE_CANCEL for you"));
    expect(late.from).toBe("studio@example.test");
    // Long headers are folded onto the next line.
    expect(late.raw).toMatch(/^List-Unsubscribe:\s+<http:\/\/localhost:\d+\/unsubscribe\/\d+\.LATE_CANCEL\.[\w-]+>/m);
    expect(late.raw).toMatch(/^List-Unsubscribe-Post:\s+List-Unsubscribe=One-Click/m);
    expect(late.raw).toContain("Content-Type: text/plain");
    expect(late.raw).toContain("Content-Type: text/html");
    expect(late.raw).toContain("Bangor Strength");

    const [cancelled] = smtp.received.filter((m) => m.to.includes(user.email) && m.raw.includes("SESSION_CANCELLED for you"));
    expect(cancelled.raw).not.toMatch(/^List-Unsubscribe/m);
    const row = await emailOf(always);
    expect(row!.textBody).not.toMatch(/unsubscribe/i);
    expect((await emailOf(optional))!.textBody).toMatch(/Unsubscribe with one click: http:\/\/localhost:\d+\/unsubscribe\//);
  });

  describe("with a second instance running the workers", () => {
    let second: RunningJobs;
    let secondOrm: MikroORM;
    let secondMailer: Mailer;
    beforeAll(async () => {
      secondOrm = await createTestOrm();
      secondMailer = smtp.mailer();
      second = await launchJobs({ databaseUrl: testDatabaseUrl(), workers: true, orm: secondOrm, mailer: secondMailer, log, ...fast });
    });
    afterAll(async () => {
      await second.stop();
      secondMailer.close();
      await secondOrm.close();
    });

    it("a studio cancellation sends exactly one email to each booked client", async () => {
      const coach = await factories.createUser(await forkEm(), { role: "COACH" });
      const session = await factories.createSession(await forkEm(), { coach, start: new Date("2026-05-04T17:00:00Z"), title: "Cancel Me" });
      const clients = [await makeClient(), await makeClient(), await makeClient()];
      for (const client of clients) await factories.createRegistration(await forkEm(), { session, user: client });
      expect(await cancelSession(await forkEm(), session.id, "Roof leak", new Date("2026-05-01T12:00:00Z"))).toEqual({ ok: true, notified: 3 });

      await waitFor("the three emails", async () => {
        const emails = await (await forkEm()).find(EmailMessage, { user: { $in: clients.map((c) => c.id) } });
        return emails.length === 3 && emails.every((e) => e.status === "SENT");
      });
      for (const client of clients) {
        const received = sentTo(smtp, client.email);
        expect(received).toHaveLength(1);
        expect(received[0].raw).toContain("Cancelled: Cancel Me on Mon 4 May 2026 at 18:00");
      }
      // A sweep now finds nothing to deliver, and nothing more is sent.
      expect(await sweepUndelivered(await forkEm(), processQueueOrNull()!.boss)).toMatchObject({ enqueued: 0 });
      for (const client of clients) expect(sentTo(smtp, client.email)).toHaveLength(1);
    });
  });
});

describe("delivering one notification", () => {
  const failing: Mailer = {
    from: null,
    send: async () => {
      throw new Error("connection refused");
    },
    close: () => {},
  };

  it("without SMTP keeps the email in the outbox (status OUTBOX) and marks the notification delivered", async () => {
    const user = await makeClient();
    const id = await record(user, "PAYMENT_FAILED", "We could not take your payment.");
    expect(await deliverNotification(await forkEm(), id, { mailer: null, lastAttempt: false, appUrl: "https://book.example.com" })).toBe("outbox");
    const email = await emailOf(id);
    expect(email).toMatchObject({ status: "OUTBOX", toAddress: user.email, subject: "PAYMENT_FAILED for you", attempts: 0, sentAt: null });
    expect(email!.textBody).toContain("We could not take your payment.");
    expect(email!.htmlBody).toContain("https://book.example.com");
    expect((await notificationOf(id)).sentAt).toBeInstanceOf(Date);
    // Again (a repeated job): nothing more.
    expect(await deliverNotification(await forkEm(), id, { mailer: null, lastAttempt: false })).toBe("delivered-before");
    expect(await (await forkEm()).count(EmailMessage, { notification: id })).toBe(1);
  });

  it("writes no email for an optional kind the client turned off, and marks the notification delivered", async () => {
    const user = await makeClient();
    const em = await forkEm();
    em.create(NotificationPreference, { user: user.id, kind: "LATE_CANCEL", email: false }, { partial: true });
    await em.flush();
    const id = await record(user, "LATE_CANCEL");
    expect(await deliverNotification(await forkEm(), id, { mailer: failing, lastAttempt: false })).toBe("not-wanted");
    expect(await emailOf(id)).toBeNull();
    expect((await notificationOf(id)).sentAt).toBeInstanceOf(Date);
  });

  it("writes no class reminder email unless the client opted in", async () => {
    const user = await makeClient();
    const id = await record(user, "CLASS_REMINDER");
    expect(await deliverNotification(await forkEm(), id, { mailer: null, lastAttempt: false })).toBe("not-wanted");
    expect(await emailOf(id)).toBeNull();
  });

  it("emails a message that always goes even when the client turned that kind off (it is not theirs to turn off)", async () => {
    const user = await makeClient();
    const em = await forkEm();
    em.create(NotificationPreference, { user: user.id, kind: "SESSION_CANCELLED", email: false }, { partial: true });
    await em.flush();
    const id = await record(user, "SESSION_CANCELLED");
    expect(await deliverNotification(await forkEm(), id, { mailer: null, lastAttempt: false })).toBe("outbox");
  });

  it("emails nobody whose account is deactivated", async () => {
    const user = await makeClient();
    const em = await forkEm();
    (await em.findOneOrFail(User, user.id)).deactivatedAt = new Date();
    await em.flush();
    const id = await record(user, "PAYMENT_FAILED");
    expect(await deliverNotification(await forkEm(), id, { mailer: null, lastAttempt: false })).toBe("not-wanted");
    expect(await emailOf(id)).toBeNull();
  });

  it("records a failed send and throws for the queue to retry; FAILED after the last attempt, which the sweep then leaves alone", async () => {
    const user: IUser = await makeClient();
    const id = await record(user, "PAYMENT_FAILED");
    await expect(deliverNotification(await forkEm(), id, { mailer: failing, lastAttempt: false })).rejects.toThrow("connection refused");
    expect(await emailOf(id)).toMatchObject({ status: "QUEUED", attempts: 1, lastError: "connection refused" });
    expect((await notificationOf(id)).sentAt ?? null).toBeNull();

    await expect(deliverNotification(await forkEm(), id, { mailer: failing, lastAttempt: true })).rejects.toThrow("connection refused");
    expect(await emailOf(id)).toMatchObject({ status: "FAILED", attempts: 2 });
    expect((await notificationOf(id)).sentAt ?? null).toBeNull();
    const undelivered = await (
      await forkEm()
    ).execute<{ id: number }[]>(
      `select n.id from notification n where n.sent_at is null and not exists (select 1 from email_message e where e.notification_id = n.id and e.status = 'FAILED')`,
    );
    expect(undelivered.map((row) => row.id)).not.toContain(id);
  });
});

afterEach(() => {
  expect(log.errors).toEqual([]);
});
