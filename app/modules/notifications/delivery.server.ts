import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import { appUrl } from "~/utils/env.server";
import { User } from "../auth/auth.entities.server";
import { getSettings } from "../settings/settings.service.server";
import { defaultFrom, renderEmail, type Mailer } from "./email.server";
import { EmailMessage, Notification, NotificationPreference, type NotificationKind } from "./notifications.entities.server";
import { emailWanted, KIND_INFO } from "./notifications.rules";
import { unsubscribeUrl } from "./unsubscribe-link.server";

/**
 * What delivering a notification did: `sent` by SMTP; kept in the `outbox` (no SMTP configured);
 * `not-wanted` (the client turned the kind off, or the account is deactivated); `delivered-before` (a
 * repeated job: nothing done); `missing` (the notification is gone).
 */
export type DeliveryOutcome = "sent" | "outbox" | "not-wanted" | "delivered-before" | "missing";

export type DeliveryOptions = {
  /** null: no SMTP, the email stays in the outbox. */
  mailer: Mailer | null;
  /** The queue's last try: a send error now leaves the email FAILED instead of QUEUED for a retry. */
  lastAttempt: boolean;
  /** APP_URL (links in the email). */
  appUrl?: string;
  now?: () => Date;
};

/** The message as the email shows it, and the one-click unsubscribe link of an optional kind. */
function unsubscribeLink(userId: number, kind: NotificationKind, base: string): string | null {
  return KIND_INFO[kind].optional ? unsubscribeUrl(userId, kind, { baseUrl: base }) : null;
}

/**
 * Delivers notification `notificationId` (the `deliver-notification` job). Safe to run again and by
 * several workers at once: the notification row is locked while its email row (one per notification) is
 * made, and the email row is locked while it is sent, so a repeated job finds it SENT and sends nothing.
 * A send error is recorded on the email (attempts, last error) and thrown, so the queue retries it later.
 * The notification's `sentAt` is set once the email is sent, kept in the outbox, or not wanted.
 */
export async function deliverNotification(em: EntityManager, notificationId: number, options: DeliveryOptions): Promise<DeliveryOutcome> {
  const now = options.now ?? (() => new Date());
  const base = (options.appUrl ?? appUrl()).replace(/\/+$/, "");

  const prepared = await em.transactional(async (tx) => {
    const notification = await tx.findOne(Notification, notificationId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!notification) return "missing" as const;
    if (notification.sentAt) return "delivered-before" as const;
    const user = await tx.findOneOrFail(User, notification.user.id, { fields: ["email", "deactivatedAt"] });
    const choice = await tx.findOne(NotificationPreference, { user: user.id, kind: notification.kind }, { fields: ["email"] });
    if (user.deactivatedAt || !emailWanted(notification.kind, choice?.email)) {
      notification.sentAt = now();
      await tx.flush();
      return "not-wanted" as const;
    }
    const { studioName } = await getSettings(tx);
    const email = renderEmail({
      studioName,
      subject: notification.subject,
      body: notification.body,
      appUrl: base,
      unsubscribeUrl: unsubscribeLink(user.id, notification.kind, base),
    });
    // One email per notification: a repeated job reuses the row it made.
    await tx.execute(
      `insert into email_message (notification_id, user_id, to_address, subject, text_body, html_body, status, attempts, created_at)
       values (?, ?, ?, ?, ?, ?, ?, 0, ?)
       on conflict (notification_id) do nothing`,
      [notification.id, user.id, user.email, email.subject.slice(0, 300), email.text, email.html, options.mailer ? "QUEUED" : "OUTBOX", now()],
      "run",
    );
    if (!options.mailer) {
      // Without SMTP the outbox is where the email is delivered (also a row left QUEUED by an instance with SMTP).
      await tx.execute(`update email_message set status = 'OUTBOX' where notification_id = ? and status in ('QUEUED', 'FAILED')`, [notification.id], "run");
      notification.sentAt = now();
      await tx.flush();
      return "outbox" as const;
    }
    return "send" as const;
  });
  if (prepared !== "send") return prepared;
  return sendEmail(em, notificationId, options.mailer!, options.lastAttempt, base, now);
}

/** Sends the notification's email under a row lock; a row already SENT is not sent again. */
async function sendEmail(em: EntityManager, notificationId: number, mailer: Mailer, lastAttempt: boolean, base: string, now: () => Date) {
  const result = await em.transactional(async (tx) => {
    const email = await tx.findOneOrFail(EmailMessage, { notification: notificationId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    const notification = await tx.findOneOrFail(Notification, notificationId, { refresh: true });
    if (email.status === "SENT") {
      notification.sentAt ??= email.sentAt ?? now();
      await tx.flush();
      return { outcome: "delivered-before" as const };
    }
    const unsubscribe = unsubscribeLink(notification.user.id, notification.kind, base);
    const from = mailer.from ?? defaultFrom((await getSettings(tx)).studioName, base);
    email.attempts += 1;
    try {
      const sent = await mailer.send({
        from,
        to: email.toAddress,
        subject: email.subject,
        text: email.textBody,
        html: email.htmlBody,
        headers: unsubscribe ? { "List-Unsubscribe": `<${unsubscribe}>`, "List-Unsubscribe-Post": "List-Unsubscribe=One-Click" } : undefined,
      });
      // lastError stays: the admin sees why an email that went on a later attempt was late.
      Object.assign(email, { status: "SENT", sentAt: now(), transportMessageId: sent.messageId?.slice(0, 300) ?? null });
      notification.sentAt = email.sentAt;
      await tx.flush();
      return { outcome: "sent" as const };
    } catch (error) {
      email.lastError = (error instanceof Error ? error.message : String(error)).slice(0, 2_000);
      email.status = lastAttempt ? "FAILED" : "QUEUED";
      await tx.flush();
      return { outcome: "failed" as const, error };
    }
  });
  // Recorded above; thrown now (after the commit) so the queue tries again with backoff.
  if (result.outcome === "failed") throw result.error;
  return result.outcome;
}
