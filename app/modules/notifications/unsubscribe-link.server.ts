import { createHmac, timingSafeEqual } from "node:crypto";
import { appUrl, env } from "~/utils/env.server";
import { MAX_ID } from "~/utils/form-fields";
import { NOTIFICATION_KINDS, type NotificationKind } from "./notifications.entities.server";

// A one-click unsubscribe link names the user and the kind of message, signed with SESSION_SECRET, so it
// works without signing in and cannot be forged for someone else: `<userId>.<KIND>.<HMAC-SHA256, base64url>`.

function mac(userId: number, kind: NotificationKind, secret: string): string {
  return createHmac("sha256", secret).update(`${userId}.${kind}`).digest("base64url");
}

/** The token of the link that turns off `kind` emails for `userId`. */
export function unsubscribeToken(userId: number, kind: NotificationKind, secret = env().SESSION_SECRET): string {
  return `${userId}.${kind}.${mac(userId, kind, secret)}`;
}

/** `${APP_URL}/unsubscribe/<token>`: the link in an optional email and its List-Unsubscribe header. */
export function unsubscribeUrl(userId: number, kind: NotificationKind, options: { baseUrl?: string; secret?: string } = {}): string {
  return `${options.baseUrl ?? appUrl()}/unsubscribe/${unsubscribeToken(userId, kind, options.secret)}`;
}

/** Who and what a token unsubscribes, or null when it is malformed or its signature does not match. */
export function readUnsubscribeToken(token: string, secret = env().SESSION_SECRET): { userId: number; kind: NotificationKind } | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [id, kind, signature] = parts;
  if (!/^[1-9]\d{0,9}$/.test(id) || Number(id) > MAX_ID) return null;
  if (!(NOTIFICATION_KINDS as readonly string[]).includes(kind)) return null;
  const userId = Number(id);
  const expected = Buffer.from(mac(userId, kind as NotificationKind, secret));
  const given = Buffer.from(signature);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId, kind: kind as NotificationKind };
}
