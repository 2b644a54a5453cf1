import { isStaff } from "./auth.rules";
import type { Role } from "./auth.entities.server";

// A second factor at sign-in: a TOTP code from an authenticator app (RFC 6238), or a single-use recovery
// code. Pure rules; the service (two-factor.service.server.ts) keeps the state and the locks.

/** What authenticator apps expect by default (Google Authenticator ignores anything else). */
export const TOTP = { algorithm: "SHA1", digits: 6, period: 30, secretBytes: 20 } as const;
/** Codes one step either side of now are accepted, for a phone whose clock is up to 30 s out. */
export const TOTP_DRIFT_STEPS = 1;

/** Recovery codes given at a time; each 12 characters of a 32-letter alphabet (60 random bits). */
export const RECOVERY_CODE_COUNT = 10;
/** Crockford's base 32: no I, L, O or U, and what is typed for them is read as 1, 1, 0 (readSecondFactor). */
const RECOVERY_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
const RECOVERY_LENGTH = 12;

/** Wrong codes for one account in the window before further codes are refused for the rest of it. */
export const CODE_THROTTLE = { windowMs: 15 * 60 * 1000, maxFailures: 5 } as const;

/** After the password, the code must follow within this long (the signed "pending second factor" cookie). */
export const PENDING_SIGN_IN_MS = 10 * 60 * 1000;

/** `bytes` random bytes (from a CSPRNG) as one recovery code, `XXXX-XXXX-XXXX`. */
export function recoveryCodeFrom(bytes: Uint8Array): string {
  if (bytes.length < RECOVERY_LENGTH) throw new RangeError(`a recovery code needs ${RECOVERY_LENGTH} random bytes`);
  // Five bits of each byte pick one of the 32 characters, evenly.
  let code = "";
  for (let i = 0; i < RECOVERY_LENGTH; i++) code += RECOVERY_ALPHABET[bytes[i] & 31];
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
}

export type SecondFactorInput = { kind: "totp"; token: string } | { kind: "recovery"; code: string };

/**
 * What was typed: six digits (spaces allowed, as apps show "123 456") are an authenticator code; anything
 * else that could be a recovery code is one, in any case and with or without its dashes.
 */
export function readSecondFactor(typed: string): SecondFactorInput | null {
  const compact = typed.replace(/[\s-]/g, "");
  if (new RegExp(`^\\d{${TOTP.digits}}$`).test(compact)) return { kind: "totp", token: compact };
  const upper = compact.toUpperCase().replace(/O/g, "0").replace(/[IL]/g, "1");
  if (upper.length !== RECOVERY_LENGTH || [...upper].some((c) => !RECOVERY_ALPHABET.includes(c))) return null;
  return { kind: "recovery", code: `${upper.slice(0, 4)}-${upper.slice(4, 8)}-${upper.slice(8)}` };
}

/** A code's time step may be used once: only a step later than the last one accepted counts. */
export function isFreshStep(step: number, lastUsedStep: number | null): boolean {
  return lastUsedStep === null || step > lastUsedStep;
}

export type CodeFailures = { failures: number; since: Date | null };

/** Failures that still count at `now` (the window starts at the first failure and then runs out). */
function current(state: CodeFailures, now: Date): CodeFailures {
  if (!state.since || now.getTime() - state.since.getTime() >= CODE_THROTTLE.windowMs) return { failures: 0, since: null };
  return state;
}

export function codeGuessAllowed(state: CodeFailures, now: Date): boolean {
  return current(state, now).failures < CODE_THROTTLE.maxFailures;
}

/** The state after one more wrong code. */
export function afterWrongCode(state: CodeFailures, now: Date): CodeFailures {
  const counted = current(state, now);
  return { failures: counted.failures + 1, since: counted.since ?? now };
}

/** Minutes until codes are accepted again (for the message), at least 1. */
export function minutesUntilCodesAllowed(state: CodeFailures, now: Date): number {
  const since = current(state, now).since;
  if (!since) return 0;
  return Math.max(1, Math.ceil((since.getTime() + CODE_THROTTLE.windowMs - now.getTime()) / 60_000));
}

/** A coach or admin without a second factor, in a studio that requires one, may only set it up. */
export function mustEnrolSecondFactor(user: { role: Role; twoFactor: boolean }, settings: { staffTwoFactorRequired: boolean }): boolean {
  return settings.staffTwoFactorRequired && isStaff(user.role) && !user.twoFactor;
}

export function isPendingSignInFresh(issuedAt: number, now: Date): boolean {
  return Number.isFinite(issuedAt) && issuedAt <= now.getTime() && now.getTime() - issuedAt <= PENDING_SIGN_IN_MS;
}
