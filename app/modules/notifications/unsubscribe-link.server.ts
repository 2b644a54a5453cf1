import { createHmac, timingSafeEqual } from "node:crypto";
import { env } from "~/utils/env.server";
import { NOTIFICATION_KINDS, type NotificationKind } from "./notifications.entities.server";

// An unsubscribe link names a user and a kind of message, signed with SESSION_SECRET so nobody can make one
// for someone else: `${userId}.${kind}.${base64url(HMAC-SHA256(secret, `${userId}.${kind}`))}`.

function mac(userId: number, kind: NotificationKind): Buffer {
  return createHmac("sha256", env().SESSION_SECRET).update(`${userId}.${kind}`).digest();
}

/** The one-click unsubscribe address for `kind` emails to `userId`. */
export function unsubscribeUrl(userId: number, kind: NotificationKind): string {
  const base = (process.env.APP_URL ?? "http://localhost:3000").replace(/\/+$/, "");
  return `${base}/unsubscribe/${userId}.${kind}.${mac(userId, kind).toString("base64url")}`;
}

/** The user and kind a token names, or null when it is malformed or its signature does not match. */
export function readUnsubscribeToken(token: string): { userId: number; kind: NotificationKind } | null {
  const parts = token.split(".");
  if (parts.length !== 3) return null;
  const [rawUserId, rawKind, signature] = parts;
  if (!/^[1-9]\d{0,9}$/.test(rawUserId) || Number(rawUserId) > 2_147_483_647) return null;
  if (!(NOTIFICATION_KINDS as readonly string[]).includes(rawKind)) return null;
  const userId = Number(rawUserId);
  const kind = rawKind as NotificationKind;
  const expected = mac(userId, kind);
  const given = Buffer.from(signature, "base64url");
  // Buffer.from ignores stray characters: only the canonical spelling of the signature is accepted.
  if (given.toString("base64url") !== signature || given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return { userId, kind };
}
