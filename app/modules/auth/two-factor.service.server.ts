// A second factor for any account: setting up an authenticator (TOTP, RFC 6238, with the `otpauth`
// library), checking its codes at sign-in (each at most once, guesses throttled per account), and the
// single-use recovery codes. ADR 0026.
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { Secret, TOTP as Totp } from "otpauth";
import { renderSVG } from "uqr";
import { deriveKey, open, seal } from "~/utils/secret-box.server";
import { refuse, type Result } from "~/utils/result";
import {
  afterWrongCode,
  codeGuessAllowed,
  isFreshStep,
  minutesUntilCodesAllowed,
  readSecondFactor,
  RECOVERY_CODE_COUNT,
  recoveryCodeFrom,
  TOTP,
  TOTP_DRIFT_STEPS,
} from "./two-factor.rules";
import { User } from "./auth.entities.server";
import type { SignedInUser } from "./auth.service.server";
import { RecoveryCode, TwoFactor, type ITwoFactor } from "./two-factor.entities.server";

export type TwoFactorState = { status: "off" } | { status: "pending"; secret: string; uri: string } | { status: "on"; since: Date; recoveryCodesLeft: number };

let key: Buffer | undefined;
const secretKey = () => (key ??= deriveKey("totp"));
const sealContext = (userId: number) => `two-factor user ${userId}`;

function sealSecret(userId: number, base32: string): string {
  return seal(base32, sealContext(userId), secretKey());
}

function openSecret(row: ITwoFactor): string | null {
  return open(row.secret, sealContext(row.user.id), secretKey());
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function otpauthUri(input: { secret: string; issuer: string; account: string }): string {
  return new Totp({
    issuer: input.issuer,
    label: input.account,
    algorithm: TOTP.algorithm,
    digits: TOTP.digits,
    period: TOTP.period,
    secret: Secret.fromBase32(input.secret),
  }).toString();
}

/** The QR code of an otpauth:// address, as an SVG drawn on the server (the page needs no script). */
export function qrCodeSvg(uri: string): string {
  return renderSVG(uri, { ecc: "M", border: 2, pixelSize: 1 });
}

/** The account a pending sign-in names, if it may still sign in. */
export async function userForSecondStep(em: EntityManager, userId: number): Promise<SignedInUser | null> {
  const user = await em.findOne(User, userId, { refresh: true });
  if (!user || user.deactivatedAt) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

/** Where `userId` stands: no second factor, one being set up (with its secret), or one in use. */
export async function twoFactorState(em: EntityManager, user: { id: number; email: string }, issuer: string): Promise<TwoFactorState> {
  const row = await em.findOne(TwoFactor, { user: user.id }, { refresh: true });
  if (!row) return { status: "off" };
  if (row.confirmedAt) {
    const recoveryCodesLeft = await em.count(RecoveryCode, { user: user.id, usedAt: null });
    return { status: "on", since: row.confirmedAt, recoveryCodesLeft };
  }
  const secret = openSecret(row);
  // A secret sealed under an older SESSION_SECRET cannot be shown: setting up starts again.
  if (!secret) return { status: "off" };
  return { status: "pending", secret, uri: otpauthUri({ secret, issuer, account: user.email }) };
}

export async function hasTwoFactor(em: EntityManager, userId: number): Promise<boolean> {
  return (await em.count(TwoFactor, { user: userId, confirmedAt: { $ne: null } })) > 0;
}

const ALREADY_ON = "Two-step sign-in is already on for your account.";

/** Starts setting up an authenticator: a new secret, not yet in use (a previous unfinished one is replaced). */
export async function startEnrolment(em: EntityManager, userId: number): Promise<Result> {
  return em.transactional(async (tx) => {
    const existing = await tx.findOne(TwoFactor, { user: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (existing?.confirmedAt) return refuse(ALREADY_ON);
    const secret = new Secret({ size: TOTP.secretBytes }).base32;
    if (existing) {
      existing.secret = sealSecret(userId, secret);
      existing.lastUsedStep = null;
    } else {
      tx.create(TwoFactor, { user: userId, secret: sealSecret(userId, secret), failedCodes: 0 });
    }
    return { ok: true };
  });
}

/** Drops an authenticator that was never confirmed. */
export async function cancelEnrolment(em: EntityManager, userId: number): Promise<void> {
  await em.nativeDelete(TwoFactor, { user: userId, confirmedAt: null });
}

export type CodeCheck = Result<{ method: "totp" | "recovery"; recoveryCodesLeft: number }>;

const WRONG_CODE = "That code is not right. Check the code in your authenticator app (it changes every 30 seconds) and try again.";
const NOT_A_CODE = "Enter the 6-digit code from your authenticator app, or one of your recovery codes.";
const UNREADABLE =
  "Your authenticator cannot be checked any more (the server's key has changed). Sign in with one of your recovery codes, then set up two-step sign-in again.";

/**
 * Checks a code typed for `userId`: a current authenticator code not used before, or an unused recovery
 * code (then used up). The account's row is locked for the check, so simultaneous guesses are counted one
 * by one and the same code cannot be accepted twice. A set-up's first code must come from the app.
 */
async function checkCode(tx: EntityManager, row: ITwoFactor, typed: string, now: Date, options: { recoveryCodes: boolean }): Promise<CodeCheck> {
  const failures = { failures: row.failedCodes, since: row.failedSince ?? null };
  if (!codeGuessAllowed(failures, now)) {
    const minutes = minutesUntilCodesAllowed(failures, now);
    return refuse(
      `Too many wrong codes. For your safety codes are refused for ${minutes} minute${minutes === 1 ? "" : "s"}; please try again later.`,
      {},
      "throttled",
    );
  }
  const input = readSecondFactor(typed);
  let accepted: CodeCheck | null = null;
  if (input?.kind === "totp") {
    const secret = openSecret(row);
    if (!secret) return refuse(UNREADABLE, {}, "unreadable");
    const delta = Totp.validate({
      token: input.token,
      secret: Secret.fromBase32(secret),
      algorithm: TOTP.algorithm,
      digits: TOTP.digits,
      period: TOTP.period,
      timestamp: now.getTime(),
      window: TOTP_DRIFT_STEPS,
    });
    const step = delta === null ? null : Totp.counter({ period: TOTP.period, timestamp: now.getTime() }) + delta;
    if (step !== null && isFreshStep(step, row.lastUsedStep ?? null)) {
      row.lastUsedStep = step;
      accepted = { ok: true, method: "totp", recoveryCodesLeft: 0 };
    }
  } else if (input?.kind === "recovery" && options.recoveryCodes) {
    const unused = await tx.find(RecoveryCode, { user: row.user.id, usedAt: null }, { refresh: true });
    const match = unused.find((candidate) => recoveryCodeMatches(candidate.codeHash, input.code));
    if (match) {
      match.usedAt = now;
      accepted = { ok: true, method: "recovery", recoveryCodesLeft: unused.length - 1 };
    }
  }
  if (accepted) {
    row.failedCodes = 0;
    row.failedSince = null;
    if (accepted.method === "totp" && options.recoveryCodes) accepted.recoveryCodesLeft = await tx.count(RecoveryCode, { user: row.user.id, usedAt: null });
    return accepted;
  }
  const next = afterWrongCode(failures, now);
  row.failedCodes = next.failures;
  row.failedSince = next.since;
  return refuse(input ? WRONG_CODE : NOT_A_CODE, { code: [input ? WRONG_CODE : NOT_A_CODE] }, "invalid");
}

/** Confirms a set-up with a first code from the app: from then on sign-in asks for codes. Answers the recovery codes, to show once. */
export async function confirmEnrolment(em: EntityManager, userId: number, typed: string, now = new Date()): Promise<Result<{ recoveryCodes: string[] }>> {
  return em.transactional(async (tx) => {
    const row = await tx.findOne(TwoFactor, { user: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!row) return refuse("Start setting up two-step sign-in first.", {}, "not-started");
    if (row.confirmedAt) return refuse(ALREADY_ON, {}, "already-on");
    const checked = await checkCode(tx, row, typed, now, { recoveryCodes: false });
    if (!checked.ok) return checked;
    row.confirmedAt = now;
    return { ok: true, recoveryCodes: await replaceRecoveryCodes(tx, userId) };
  });
}

/** The second step of a sign-in (or of turning two-step sign-in off): a code for an account that has it on. */
export async function verifySecondFactor(em: EntityManager, userId: number, typed: string, now = new Date()): Promise<CodeCheck> {
  return em.transactional(async (tx) => {
    const row = await tx.findOne(TwoFactor, { user: userId, confirmedAt: { $ne: null } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!row) return refuse("Two-step sign-in is not on for this account.", {}, "off");
    return checkCode(tx, row, typed, now, { recoveryCodes: true });
  });
}

/** New recovery codes for an account with two-step sign-in on; the old ones stop working. */
export async function regenerateRecoveryCodes(em: EntityManager, userId: number): Promise<Result<{ recoveryCodes: string[] }>> {
  return em.transactional(async (tx) => {
    const row = await tx.findOne(TwoFactor, { user: userId, confirmedAt: { $ne: null } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!row) return refuse("Two-step sign-in is not on for your account.", {}, "off");
    return { ok: true, recoveryCodes: await replaceRecoveryCodes(tx, userId) };
  });
}

/** Turns two-step sign-in off, given a current code (or a recovery code); the caller has checked the password. */
export async function disableTwoFactor(em: EntityManager, userId: number, typed: string, now = new Date()): Promise<CodeCheck> {
  return em.transactional(async (tx) => {
    const row = await tx.findOne(TwoFactor, { user: userId, confirmedAt: { $ne: null } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!row) return refuse("Two-step sign-in is not on for your account.", {}, "off");
    const checked = await checkCode(tx, row, typed, now, { recoveryCodes: true });
    if (!checked.ok) return checked;
    await tx.flush();
    await tx.nativeDelete(RecoveryCode, { user: userId });
    await tx.nativeDelete(TwoFactor, { user: userId });
    return checked;
  });
}

/**
 * Forgets `userId`'s authenticator and recovery codes, inside the caller's transaction, without a code: for an
 * admin's reset (people.service.server.ts). False when two-step sign-in was not on.
 */
export async function forgetSecondFactor(tx: EntityManager, userId: number): Promise<boolean> {
  const row = await tx.findOne(TwoFactor, { user: userId, confirmedAt: { $ne: null } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
  if (!row) return false;
  await tx.nativeDelete(RecoveryCode, { user: userId });
  await tx.nativeDelete(TwoFactor, { user: userId });
  return true;
}

// ---------- recovery codes: only a salted SHA-256 of each is kept ----------

function hashRecoveryCode(code: string, salt: Buffer): Buffer {
  return createHash("sha256").update(salt).update(code).digest();
}

function recoveryCodeMatches(stored: string, code: string): boolean {
  const [saltText, hashText] = stored.split(".");
  if (!saltText || !hashText) return false;
  const expected = Buffer.from(hashText, "base64url");
  const actual = hashRecoveryCode(code, Buffer.from(saltText, "base64url"));
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

async function replaceRecoveryCodes(tx: EntityManager, userId: number): Promise<string[]> {
  await tx.nativeDelete(RecoveryCode, { user: userId });
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => recoveryCodeFrom(randomBytes(16)));
  for (const code of codes) {
    const salt = randomBytes(16);
    tx.create(RecoveryCode, { user: userId, codeHash: `${salt.toString("base64url")}.${hashRecoveryCode(code, salt).toString("base64url")}` });
  }
  return codes;
}
