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

/**
 * Password checks (signing in, and the current password when changing it) are throttled without locking
 * anybody out (docs/decisions/0024-throttling-without-lockouts.md). Each check counts one attempt, recorded
 * before the password is checked, so racing requests cannot overtake the count:
 *
 * - one address guessing at one account: `freeFailures` failures, then it waits `firstDelayMs`, doubled with
 *   every further failure up to `maxDelayMs`; a success there starts afresh. Other addresses (the owner's)
 *   are not held back.
 * - one address guessing across accounts: at most `maxFailuresPerAddress` failures in `addressWindowMs`
 *   (high on purpose: a studio's front desk is one address for sixty members; successes never count).
 * - many addresses guessing at one account: after `maxFailuresPerAccount` failures in `accountWindowMs`,
 *   only addresses the account signed in from lately (`knownAddressMs`) may try; the owner elsewhere can
 *   still choose a new password by email.
 */
export const THROTTLE = {
  freeFailures: 5,
  firstDelayMs: 60 * 1000,
  maxDelayMs: 60 * 60 * 1000,
  /** How far back one address's failures at one account count (and how long failed attempts are kept). */
  pairWindowMs: 24 * 60 * 60 * 1000,
  maxFailuresPerAddress: 100,
  addressWindowMs: 60 * 60 * 1000,
  maxFailuresPerAccount: 50,
  accountWindowMs: 60 * 60 * 1000,
  knownAddressMs: 30 * 24 * 60 * 60 * 1000,
} as const;

/** What the attempts table says about one check: account `email` from `ipAddress`. */
export type AttemptHistory = {
  /** Failures of this address at this account in the pair window, since its last success there. */
  pairFailures: number;
  pairLastFailureAt: Date | null;
  /** The `maxFailuresPerAddress`-th most recent failure from this address in its window (null: fewer). */
  addressLimitFailureAt: Date | null;
  /** The `maxFailuresPerAccount`-th most recent failure at this account in its window (null: fewer). */
  accountLimitFailureAt: Date | null;
  /** This address signed in to this account lately. */
  knownAddress: boolean;
};

export type ThrottleVerdict = { allowed: true } | { allowed: false; reason: "pair" | "address" | "account"; retryAt: Date };

/** How long one address waits after its `failures`-th failure at one account (0 while under the free ones). */
export function pairDelayMs(failures: number): number {
  if (failures < THROTTLE.freeFailures) return 0;
  return Math.min(THROTTLE.firstDelayMs * 2 ** Math.min(failures - THROTTLE.freeFailures, 30), THROTTLE.maxDelayMs);
}

/** Whether one more password check may run now, and if not, why and from when. */
export function throttleVerdict(history: AttemptHistory, now: Date): ThrottleVerdict {
  const refusals: { reason: "pair" | "address" | "account"; retryAt: Date }[] = [];
  if (history.pairLastFailureAt) {
    const retryAt = new Date(history.pairLastFailureAt.getTime() + pairDelayMs(history.pairFailures));
    if (retryAt > now) refusals.push({ reason: "pair", retryAt });
  }
  if (history.addressLimitFailureAt) {
    const retryAt = new Date(history.addressLimitFailureAt.getTime() + THROTTLE.addressWindowMs);
    if (retryAt > now) refusals.push({ reason: "address", retryAt });
  }
  if (history.accountLimitFailureAt && !history.knownAddress) {
    const retryAt = new Date(history.accountLimitFailureAt.getTime() + THROTTLE.accountWindowMs);
    if (retryAt > now) refusals.push({ reason: "account", retryAt });
  }
  if (!refusals.length) return { allowed: true };
  // The longest wait is the one that matters.
  return { allowed: false, ...refusals.reduce((a, b) => (b.retryAt > a.retryAt ? b : a)) };
}

/** "1 minute", "14 minutes": the wait, rounded up to whole minutes. */
export function minutesUntil(retryAt: Date, now: Date): string {
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000));
  return `${minutes} ${minutes === 1 ? "minute" : "minutes"}`;
}

/** What a throttled password check tells the person, with how long to wait. */
export function throttledMessage(verdict: { reason: "pair" | "address" | "account"; retryAt: Date }, now: Date): string {
  const wait = minutesUntil(verdict.retryAt, now);
  const reset = "or choose a new password with “Forgot your password?”.";
  if (verdict.reason === "address") return `Too many failed sign-ins from your network. Try again in ${wait}.`;
  if (verdict.reason === "account") return `Too many failed sign-ins for this account from elsewhere. Try again in ${wait}, ${reset}`;
  return `Too many attempts with the wrong password. Try again in ${wait}, ${reset}`;
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

// ---------- sign-up (docs/decisions/0024-throttling-without-lockouts.md) ----------

/**
 * The one answer to every accepted sign-up, whether or not the address has an account: the email says
 * which it is, only to whoever reads that inbox.
 */
export const SIGNUP_REQUESTED =
  "Check your email: we have sent a message to that address to finish creating your account. Its link works once, within 24 hours. If nothing arrives in a few minutes, check your spam folder.";

/** A sign-up's emailed link (which sets the password and so makes the account) works for a day. */
export const SIGNUP_LINK_MS = 24 * 60 * 60 * 1000;

/**
 * Sign-ups in the last hour for one email address (whoever asks: each sends that address an email) and
 * from one network address (a front desk signing up a class's worth of newcomers stays well under it).
 */
export const SIGNUP_THROTTLE = { windowMs: 60 * 60 * 1000, maxPerEmail: 3, maxPerAddress: 20 } as const;

export type SignupHistory = {
  /** The `maxPerEmail`-th most recent sign-up for the email in the window (null: fewer). */
  emailLimitAt: Date | null;
  /** The `maxPerAddress`-th most recent sign-up from the network address in the window (null: fewer). */
  addressLimitAt: Date | null;
};

export type SignupVerdict = { allowed: true } | { allowed: false; reason: "email" | "address"; retryAt: Date };

export function signupVerdict(history: SignupHistory, now: Date): SignupVerdict {
  const waits = (
    [
      ["email", history.emailLimitAt],
      ["address", history.addressLimitAt],
    ] as const
  )
    .filter((entry): entry is ["email" | "address", Date] => entry[1] !== null)
    .map(([reason, at]) => ({ reason, retryAt: new Date(at.getTime() + SIGNUP_THROTTLE.windowMs) }))
    .filter((wait) => wait.retryAt > now);
  if (!waits.length) return { allowed: true };
  return { allowed: false, ...waits.reduce((a, b) => (b.retryAt > a.retryAt ? b : a)) };
}

export function signupThrottledMessage(verdict: { reason: "email" | "address"; retryAt: Date }, now: Date): string {
  const wait = minutesUntil(verdict.retryAt, now);
  return verdict.reason === "email"
    ? `Too many sign-ups for this email address. Check its inbox (and spam folder) for our email, or try again in ${wait}.`
    : `Too many sign-ups from your network. Try again in ${wait}.`;
}
