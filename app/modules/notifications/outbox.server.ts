import type { EntityManager, FilterQuery } from "@mikro-orm/postgresql";
import { getSettings } from "../settings/settings.service.server";
import { formatDateTime } from "~/utils/time";
import { EmailMessage, type EmailStatus, type IEmailMessage } from "./notifications.entities.server";
import type { OutboxSearch } from "./outbox.schema";

export const OUTBOX_PAGE_SIZE = 25;

export type OutboxRow = {
  id: number;
  createdAt: string;
  toAddress: string;
  subject: string;
  status: EmailStatus;
  attempts: number;
  sentAt: string | null;
};

/** The email messages, newest first, by status and recipient (address or name), a page at a time; times in the studio's zone. */
export async function listOutbox(em: EntityManager, search: OutboxSearch): Promise<{ messages: OutboxRow[]; total: number; page: number; pageCount: number }> {
  const where: FilterQuery<IEmailMessage> = {};
  if (search.status) where.status = search.status;
  if (search.q) {
    const pattern = `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    where.$or = [{ toAddress: { $ilike: pattern } }, { user: { name: { $ilike: pattern } } }];
  }
  const page = search.page ?? 1;
  const [rows, total] = await em.findAndCount(EmailMessage, where, {
    fields: ["id", "createdAt", "toAddress", "subject", "status", "attempts", "sentAt"],
    orderBy: { createdAt: "desc", id: "desc" },
    limit: OUTBOX_PAGE_SIZE,
    offset: (page - 1) * OUTBOX_PAGE_SIZE,
  });
  const zone = (await getSettings(em)).studioTimeZone;
  return {
    messages: rows.map((m) => ({
      id: m.id,
      createdAt: formatDateTime(m.createdAt, zone),
      toAddress: m.toAddress,
      subject: m.subject,
      status: m.status as EmailStatus,
      attempts: m.attempts,
      sentAt: m.sentAt ? formatDateTime(m.sentAt, zone) : null,
    })),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / OUTBOX_PAGE_SIZE)),
  };
}

/**
 * A password-reset link signs its holder in as the account's owner, so the outbox never shows it, not even
 * to admins (an invitation's link stays: the admin made the account and may pass the link on).
 */
export function hideResetLinks(body: string): string {
  return body.replace(/\/reset-password\/[A-Za-z0-9_-]+/g, "/reset-password/[hidden: only the recipient may use this link]");
}

/** One email message as it was (or is to be) sent, or null. */
export async function getOutboxMessage(em: EntityManager, id: number) {
  const message = await em.findOne(EmailMessage, id, { populate: ["notification"] });
  if (!message) return null;
  const zone = (await getSettings(em)).studioTimeZone;
  return {
    id: message.id,
    createdAt: formatDateTime(message.createdAt, zone),
    sentAt: message.sentAt ? formatDateTime(message.sentAt, zone) : null,
    toAddress: message.toAddress,
    userId: message.user?.id ?? null,
    subject: message.subject,
    status: message.status as EmailStatus,
    attempts: message.attempts,
    lastError: message.lastError ?? null,
    transportMessageId: message.transportMessageId ?? null,
    kind: message.notification?.kind ?? null,
    textBody: message.notification?.kind === "PASSWORD_RESET" ? hideResetLinks(message.textBody) : message.textBody,
    htmlBody: message.notification?.kind === "PASSWORD_RESET" ? hideResetLinks(message.htmlBody) : message.htmlBody,
  };
}
