// Single-use links that set a password: a forgotten-password reset (an hour) and an invitation (a week).
// The link carries 32 random bytes; only their SHA-256 is stored, so the table alone opens nothing.
import type { EntityManager } from "@mikro-orm/postgresql";
import { createHash, randomBytes } from "node:crypto";
import { formatWhen } from "~/utils/time";
import { invalid, refuse, type Result } from "~/utils/result";
import { notify } from "../notifications/notify.server";
import { getSettings } from "../settings/settings.service.server";
import { AuthSession, CalendarFeed, PasswordToken, User, type PasswordTokenPurpose } from "./auth.entities.server";
import { INVITE_LINK_MS, normaliseEmail, RESET_LINK_MS, RESET_THROTTLE, resetAllowed } from "./auth.rules";
import type { SignedInUser } from "./auth.service.server";
import { hashPassword } from "./password.server";
import { newPasswordProblem } from "./password-rules.server";

/** Where the app is reached from outside, for links in emails (no trailing slash). */
export function appUrl(): string {
  return (process.env.APP_URL ?? "http://localhost:3000").replace(/\/+$/, "");
}

export function passwordLink(token: string): string {
  return `${appUrl()}/reset-password/${token}`;
}

export function hashPasswordToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

/** Makes a link for `userId` and answers its token (the only time it exists in clear) and expiry. */
export async function createPasswordToken(
  tx: EntityManager,
  input: { userId: number; purpose: PasswordTokenPurpose; requestedIp?: string | null; validForMs?: number },
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + (input.validForMs ?? (input.purpose === "RESET" ? RESET_LINK_MS : INVITE_LINK_MS)));
  await tx.insert(PasswordToken, {
    user: input.userId,
    purpose: input.purpose,
    tokenHash: hashPasswordToken(token),
    expiresAt,
    usedAt: null,
    requestedIp: input.requestedIp?.slice(0, 64) ?? null,
    createdAt: now,
  });
  return { token, expiresAt };
}

/** Closes every link of the user that is still open (another was used, or the account was deactivated). */
export async function invalidatePasswordTokens(tx: EntityManager, userId: number, now = new Date()): Promise<void> {
  await tx.nativeUpdate(PasswordToken, { user: userId, usedAt: null }, { usedAt: now });
}

export type ResetRequestOutcome = "sent" | "no-account" | "throttled";

/**
 * A forgotten-password request. The caller answers the same whatever the outcome (which is for tests and
 * logs only), and known and unknown addresses do the same queries. For an active account, within the
 * limits, it makes a reset link and records the email that carries it, in one transaction.
 */
export async function requestPasswordReset(em: EntityManager, input: { email: string; ipAddress: string }, now = new Date()): Promise<ResetRequestOutcome> {
  const email = normaliseEmail(input.email);
  const ipAddress = input.ipAddress.slice(0, 64);
  const settings = await getSettings(em);
  return em.transactional(async (tx) => {
    // Locking the account's row makes its per-account count exact when requests race.
    const [user] = await tx.execute<{ id: number; name: string; deactivated_at: Date | null }[]>(
      `select id, name, deactivated_at from "user" where email = ? for update`,
      [email],
    );
    const [sent] = await tx.execute<{ account: string; address: string }[]>(
      `select count(*) filter (where user_id = ?) as account, count(*) filter (where requested_ip = ?) as address
         from password_token where purpose = 'RESET' and created_at > ? and (user_id = ? or requested_ip = ?)`,
      [user?.id ?? 0, ipAddress, new Date(now.getTime() - RESET_THROTTLE.windowMs), user?.id ?? 0, ipAddress],
    );
    if (!resetAllowed({ account: Number(sent.account), address: Number(sent.address) })) return "throttled";
    if (!user || user.deactivated_at) return "no-account";
    const { token, expiresAt } = await createPasswordToken(tx, { userId: user.id, purpose: "RESET", requestedIp: ipAddress }, now);
    const link = passwordLink(token);
    await notify(tx, {
      userId: user.id,
      kind: "PASSWORD_RESET",
      subject: `Reset your ${settings.studioName} password`,
      body:
        `Hello ${user.name},\n\nSomeone (we hope you) asked to reset the password of your ${settings.studioName} account, ${email}. ` +
        `Choose a new password here:\n\n${link}\n\nThe link works once and expires at ${formatWhen(expiresAt, settings.studioTimeZone)}. ` +
        `If you did not ask for it, ignore this email: your password stays as it is.`,
      payload: { link, purpose: "RESET", expiresAt: expiresAt.toISOString() },
    });
    return "sent";
  });
}

export type PasswordLinkView = { purpose: PasswordTokenPurpose; name: string; email: string };

/**
 * What a link opens: null when no link has this token ("unknown"), "spent" when it was used, closed or has
 * expired, else whose password it sets.
 */
export async function findPasswordLink(em: EntityManager, token: string, now = new Date()): Promise<PasswordLinkView | "spent" | null> {
  const row = await em.findOne(PasswordToken, { tokenHash: hashPasswordToken(token) }, { populate: ["user"] });
  if (!row) return null;
  if (row.usedAt || row.expiresAt.getTime() <= now.getTime() || row.user.deactivatedAt) return "spent";
  return { purpose: row.purpose, name: row.user.name, email: row.user.email };
}

export type PasswordSet = Result<{ user: SignedInUser; purpose: PasswordTokenPurpose }>;

export const LINK_SPENT = "This link has expired or was already used.";

/**
 * Sets the password through a link: marks the link used (only one request can, even at once), closes the
 * user's other links, signs the user out everywhere and revokes their calendar feed. The caller then signs
 * them in afresh.
 */
export async function setPasswordWithToken(em: EntityManager, input: { token: string; password: string }, now = new Date()): Promise<PasswordSet> {
  // The password rules need whose link it is; a spent or unknown link is refused at the claim below.
  const link = await findPasswordLink(em, input.token, now);
  if (link && link !== "spent") {
    const problem = newPasswordProblem(input.password, { email: link.email, studioName: (await getSettings(em)).studioName });
    if (problem) return invalid({ password: [problem] });
  }
  const passwordHash = await hashPassword(input.password);
  return em
    .transactional(async (tx) => {
      const claimed = await tx.execute<{ user_id: number; purpose: PasswordTokenPurpose }[]>(
        `update password_token set used_at = ? where token_hash = ? and used_at is null and expires_at > ? returning user_id, purpose`,
        [now, hashPasswordToken(input.token), now],
      );
      if (!claimed.length) return refuse(LINK_SPENT, {}, "spent");
      const { user_id: userId, purpose } = claimed[0];
      const user = await tx.findOneOrFail(User, userId);
      // A deactivated account keeps its links closed; the claim above rolls back with the refusal.
      if (user.deactivatedAt) throw new SpentLink();
      user.passwordHash = passwordHash;
      await tx.flush();
      await invalidatePasswordTokens(tx, userId, now);
      await tx.nativeDelete(AuthSession, { user: userId });
      await tx.nativeDelete(CalendarFeed, { user: userId });
      return { ok: true as const, purpose, user: { id: user.id, email: user.email, name: user.name, role: user.role } };
    })
    .catch((error: unknown) => {
      if (error instanceof SpentLink) return refuse(LINK_SPENT, {}, "spent");
      throw error;
    });
}

class SpentLink extends Error {}
