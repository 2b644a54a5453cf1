import type { Role } from "./auth.entities.server";

/** The shortest password a person may choose. */
export const PASSWORD_MIN = 10;

/** A client's sign-in ends after this long unused, and after this long in all. */
export const AUTH_SESSION_IDLE_MS = 14 * 24 * 60 * 60 * 1000;
export const AUTH_SESSION_ABSOLUTE_MS = 60 * 24 * 60 * 60 * 1000;
/** Coaches and admins reach everyone's data, so their sign-ins end much sooner (a working day at most). */
export const STAFF_SESSION_IDLE_MS = 30 * 60 * 1000;
export const STAFF_SESSION_ABSOLUTE_MS = 12 * 60 * 60 * 1000;
/** How often a live session's last-seen time is written back (avoids a write per request). */
export const AUTH_SESSION_TOUCH_MS = 5 * 60 * 1000;

export const THROTTLE = {
  windowMs: 15 * 60 * 1000,
  /** Failed sign-ins for one account in the window before it is locked for the rest of the window. */
  maxFailuresPerAccount: 10,
  /**
   * Failed sign-ins from one address. High on purpose: a studio's front desk is one address for
   * sixty members, and only failures count, so successful sign-ins never lock anybody out.
   */
  maxFailuresPerAddress: 100,
} as const;

export type ThrottleVerdict = { allowed: true } | { allowed: false; reason: "account" | "address" };

export function throttleVerdict(failures: { account: number; address: number }): ThrottleVerdict {
  if (failures.account >= THROTTLE.maxFailuresPerAccount) return { allowed: false, reason: "account" };
  if (failures.address >= THROTTLE.maxFailuresPerAddress) return { allowed: false, reason: "address" };
  return { allowed: true };
}

export type AuthSessionTimes = { createdAt: Date; lastSeenAt: Date };

/** Coaches and admins: the roles whose sign-ins are held to the staff rules (shorter sessions, a second factor). */
export function isStaff(role: Role): boolean {
  return role === "COACH" || role === "ADMIN";
}

/** How long a sign-in of `role` lasts unused (idle) and in all (absolute). */
export function authSessionLimits(role: Role): { idleMs: number; absoluteMs: number } {
  return isStaff(role)
    ? { idleMs: STAFF_SESSION_IDLE_MS, absoluteMs: STAFF_SESSION_ABSOLUTE_MS }
    : { idleMs: AUTH_SESSION_IDLE_MS, absoluteMs: AUTH_SESSION_ABSOLUTE_MS };
}

/** By the account's role now: someone made a coach is held to the staff limits from their next request on. */
export function isAuthSessionExpired(session: AuthSessionTimes & { role: Role }, now: Date): boolean {
  const { idleMs, absoluteMs } = authSessionLimits(session.role);
  return now.getTime() - session.lastSeenAt.getTime() > idleMs || now.getTime() - session.createdAt.getTime() > absoluteMs;
}

/** Changing settings, plans or roles asks for the password again once it was last typed longer ago than this. */
export const REAUTH_AFTER_MS = 15 * 60 * 1000;
/** Wrong passwords typed into a signed-in session (to confirm a change) before that session is ended. */
export const REAUTH_MAX_FAILURES = 5;

export function needsPasswordAgain(passwordConfirmedAt: Date, now: Date): boolean {
  return now.getTime() - passwordConfirmedAt.getTime() > REAUTH_AFTER_MS;
}

export function shouldTouchAuthSession(session: AuthSessionTimes, now: Date): boolean {
  return now.getTime() - session.lastSeenAt.getTime() > AUTH_SESSION_TOUCH_MS;
}

/** Where a user lands after signing in when no (valid) redirectTo was given. */
export function homePathFor(role: Role): string {
  return role === "ADMIN" ? "/admin" : role === "COACH" ? "/coach" : "/client";
}

const SAME_ORIGIN = "http://same-origin.invalid";

/**
 * Only our own absolute paths may be redirect targets: "/x" yes; "//evil", "/\\evil", "https://…",
 * or anything with control characters, no. The answer is ASCII, fit for a Location header: characters
 * outside it are percent-encoded ("/client/sessions/ü" → "/client/sessions/%C3%BC").
 */
export function safeRedirect(to: unknown, fallback: string): string {
  if (typeof to !== "string" || to.length === 0 || to.length > 2048) return fallback;
  if (!to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f\\]/.test(to)) return fallback;
  let url: URL;
  try {
    url = new URL(to, SAME_ORIGIN);
  } catch {
    return fallback;
  }
  const path = `${url.pathname}${url.search}${url.hash}`;
  // Dot segments can fold a path into "//host" ("/..//evil.example"), which would lead off the site.
  return url.origin === SAME_ORIGIN && !path.startsWith("//") ? path : fallback;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

// ---------- password links (forgotten password, invitations) ----------

/** A forgotten-password link works for an hour; an invitation for a week. */
export const RESET_LINK_MS = 60 * 60 * 1000;
export const INVITE_LINK_MS = 7 * 24 * 60 * 60 * 1000;

/** Reset links sent in the last hour, per account and per requesting address, before further requests send nothing. */
export const RESET_THROTTLE = { windowMs: 60 * 60 * 1000, maxPerAccount: 3, maxPerAddress: 10 } as const;

export function resetAllowed(sent: { account: number; address: number }): boolean {
  return sent.account < RESET_THROTTLE.maxPerAccount && sent.address < RESET_THROTTLE.maxPerAddress;
}
