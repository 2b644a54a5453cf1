import { createTransport } from "nodemailer";
import type SMTPTransport from "nodemailer/lib/smtp-transport";
import { appUrl, env, type Env } from "~/utils/env.server";
import { escapeEmailHtml } from "~/utils/html";

// ---------- the layout: plain text and simple HTML ----------

export type EmailContent = {
  studioName: string;
  subject: string;
  /** The notification's plain text; app paths in it ("/client/cohort") become links to APP_URL. */
  body: string;
  /** APP_URL, without a trailing slash. */
  appUrl: string;
  /** The one-click unsubscribe link of an optional kind of message; null for messages that always go. */
  unsubscribeUrl: string | null;
};
export type RenderedEmail = { subject: string; text: string; html: string };

// An http(s) address, or an app path ("/client/cohort/weeks/2") at the start of a line or after a space.
const LINK = /https?:\/\/[^\s<>"]+|(?<=^|\s)\/[a-z][^\s<>"]*/g;
const TRAILING_PUNCTUATION = /[.,;:!?)]+$/;

type Piece = { text: string } | { href: string };

/** A line cut into text and links, each link absolute; punctuation after a link stays text. */
function pieces(line: string, base: string): Piece[] {
  const out: Piece[] = [];
  let last = 0;
  for (const match of line.matchAll(LINK)) {
    const raw = match[0].replace(TRAILING_PUNCTUATION, "");
    if (!raw) continue;
    const start = match.index;
    if (start > last) out.push({ text: line.slice(last, start) });
    out.push({ href: raw.startsWith("/") ? `${base}${raw}` : raw });
    last = start + raw.length;
  }
  if (last < line.length) out.push({ text: line.slice(last) });
  return out;
}

const textOf = (line: string, base: string) =>
  pieces(line, base)
    .map((p) => ("href" in p ? p.href : p.text))
    .join("");

const htmlOf = (line: string, base: string) =>
  pieces(line, base)
    .map((p) => ("href" in p ? `<a href="${escapeEmailHtml(p.href)}" style="color:#1d4ed8;">${escapeEmailHtml(p.href)}</a>` : escapeEmailHtml(p.text)))
    .join("");

/**
 * An email around a notification's text: the studio's name as header and sign-off, the body, a link to the
 * app and, for a kind the client may turn off, the one-click unsubscribe link. The HTML escapes everything
 * it was given; only the links it makes itself are markup.
 */
export function renderEmail(content: EmailContent): RenderedEmail {
  const base = content.appUrl.replace(/\/+$/, "");
  const body = content.body.replace(/\r\n?/g, "\n").trim();
  const preferences = `${base}/account/notifications`;

  const text = [
    content.studioName,
    "",
    textOf(body, base),
    "",
    `— ${content.studioName}`,
    base,
    ...(content.unsubscribeUrl
      ? ["", `Don't want emails like this? Unsubscribe with one click: ${content.unsubscribeUrl}`, `Choose which emails you get: ${preferences}`]
      : []),
  ].join("\n");

  const paragraphs = body
    .split(/\n\s*\n/)
    .map(
      (paragraph) =>
        `<p style="margin:0 0 16px;">${paragraph
          .split("\n")
          .map((line) => htmlOf(line, base))
          .join("<br>")}</p>`,
    )
    .join("\n");
  const studio = escapeEmailHtml(content.studioName);
  const footer = content.unsubscribeUrl
    ? `<p style="margin:16px 0 0;font-size:12px;color:#475569;">Don't want emails like this? <a href="${escapeEmailHtml(content.unsubscribeUrl)}" style="color:#475569;">Unsubscribe</a> · <a href="${escapeEmailHtml(preferences)}" style="color:#475569;">Choose which emails you get</a></p>`
    : "";
  const html = `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeEmailHtml(content.subject)}</title></head>
<body style="margin:0;padding:0;background:#f1f5f9;font-family:Arial,Helvetica,sans-serif;color:#0f172a;">
<div style="max-width:600px;margin:0 auto;padding:24px;">
<p style="margin:0 0 16px;font-size:20px;font-weight:bold;">${studio}</p>
<div style="background:#ffffff;border-radius:8px;padding:24px;line-height:1.5;">
${paragraphs}
<p style="margin:24px 0 0;">— ${studio}<br><a href="${escapeEmailHtml(base)}" style="color:#1d4ed8;">${escapeEmailHtml(base)}</a></p>
</div>
${footer}
</div>
</body>
</html>`;
  return { subject: content.subject, text, html };
}

// ---------- sending: nodemailer over SMTP ----------

export type OutgoingEmail = { from: string; to: string; subject: string; text: string; html: string; headers?: Record<string, string> };

/** Sends email; `from` is MAIL_FROM (null: the delivery makes one from the studio's name). */
export type Mailer = { from: string | null; send(email: OutgoingEmail): Promise<{ messageId: string }>; close(): void };

// An SMTP server that stops answering must not hold a delivery (and its row lock) for long.
const TIMEOUTS = { connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 };

/** The SMTP settings in the environment (SMTP_URL, or SMTP_HOST with SMTP_PORT/USER/PASS/SECURE), or null. */
export function smtpOptions(source: Env = env()): SMTPTransport.Options | null {
  if (source.SMTP_URL) return { url: source.SMTP_URL };
  if (!source.SMTP_HOST) return null;
  const secure = source.SMTP_SECURE === "true";
  return {
    host: source.SMTP_HOST,
    port: source.SMTP_PORT ?? (secure ? 465 : 587),
    secure,
    ...(source.SMTP_USER ? { auth: { user: source.SMTP_USER, pass: source.SMTP_PASS ?? "" } } : {}),
  };
}

/** Whether email leaves the building (SMTP configured) or stays in the outbox. */
export function smtpConfigured(source: Env = env()): boolean {
  return smtpOptions(source) !== null;
}

/** Where the admin pages say email goes: the SMTP server's host, or null without SMTP. */
export function smtpHost(source: Env = env()): string | null {
  const options = smtpOptions(source);
  if (options === null) return null;
  return options.url ? new URL(options.url).hostname : (options.host ?? null);
}

export function createMailer(options: SMTPTransport.Options, from: string | null = null): Mailer {
  const transport = createTransport({ ...TIMEOUTS, ...options });
  return {
    from,
    async send(email) {
      const info = await transport.sendMail(email);
      return { messageId: info.messageId };
    },
    close: () => transport.close(),
  };
}

/** The environment's mailer, or null when no SMTP is configured (every email then stays in the outbox). */
export function mailerFromEnv(source: Env = env()): Mailer | null {
  const options = smtpOptions(source);
  return options === null ? null : createMailer(options, source.MAIL_FROM ?? null);
}

/** The sender when MAIL_FROM is not set: the studio's name at no-reply@ the app's host. */
export function defaultFrom(studioName: string, base = appUrl()): string {
  const name = studioName.replace(/["\\\r\n]/g, "");
  return `"${name}" <no-reply@${new URL(base).hostname}>`;
}
