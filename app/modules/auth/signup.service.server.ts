// Joining the studio (/signup) without telling anyone which addresses have accounts
// (docs/decisions/0024-throttling-without-lockouts.md). The form asks only a name and an email address, and
// every accepted request gets one answer: "check your email". What the email says depends on the address:
// - new: a client account without a password is made, and the email carries a link (an invitation the
//   visitor sent themselves) where they choose their password, which signs them in;
// - an account that never chose a password (an earlier sign-up): the same email again, with a new link;
// - an active account: an email saying someone tried to sign up with it, with a sign-in link and a link
//   to choose a new password;
// - a deactivated account: nothing.
// No password is hashed here, so a sign-up costs no Argon2 work; requests are throttled per email address
// and per network address, counted under locks.
import type { EntityManager } from "@mikro-orm/postgresql";
import { formatWhen } from "~/utils/time";
import { isUniqueViolation, refuse } from "~/utils/result";
import { notify } from "../notifications/notify.server";
import { getSettings } from "../settings/settings.service.server";
import { User } from "./auth.entities.server";
import { normaliseEmail, SIGNUP_LINK_MS, SIGNUP_THROTTLE, signupThrottledMessage, signupVerdict } from "./auth.rules";
import type { Throttled } from "./auth.service.server";
import { appUrl, createPasswordToken, passwordLink } from "./password-tokens.service.server";
import { NO_PASSWORD } from "./password.server";

/** What happened, for tests and logs only: the person is told the same whatever it is. */
export type SignupOutcome = "created" | "link-sent-again" | "already-registered" | "deactivated";

export type SignupResult = { ok: true; outcome: SignupOutcome } | Throttled;

type Studio = { name: string; zone: string };

async function emailSignupLink(tx: EntityManager, user: { id: number; name: string; email: string }, studio: Studio, now: Date) {
  const { token, expiresAt } = await createPasswordToken(tx, { userId: user.id, purpose: "INVITE", validForMs: SIGNUP_LINK_MS }, now);
  const link = passwordLink(token);
  await notify(tx, {
    userId: user.id,
    kind: "ACCOUNT_INVITE",
    subject: `Finish creating your ${studio.name} account`,
    body:
      `Hello ${user.name},\n\nThank you for signing up to ${studio.name} as ${user.email}. Choose your password here to finish creating your account:\n\n${link}\n\n` +
      `The link works once and expires at ${formatWhen(expiresAt, studio.zone)}. If you did not sign up, ignore this email: nothing happens unless the link is used.`,
    payload: { link, purpose: "SIGNUP", expiresAt: expiresAt.toISOString() },
  });
}

async function emailAlreadyRegistered(tx: EntityManager, user: { id: number; name: string; email: string }, studio: Studio, ipAddress: string, now: Date) {
  const { token, expiresAt } = await createPasswordToken(tx, { userId: user.id, purpose: "RESET", requestedIp: ipAddress }, now);
  const link = passwordLink(token);
  // A password-reset message: its link signs its holder in, so the outbox hides it (notifications.rules.ts).
  await notify(tx, {
    userId: user.id,
    kind: "PASSWORD_RESET",
    subject: `Someone tried to sign up to ${studio.name} with your address`,
    body:
      `Hello ${user.name},\n\nSomeone (we hope you) tried to create an account at ${studio.name} with this address, ${user.email}. ` +
      `You already have one, so nothing was changed.\n\nSign in here: ${appUrl()}/login\n\nForgotten your password? Choose a new one here:\n\n${link}\n\n` +
      `The link works once and expires at ${formatWhen(expiresAt, studio.zone)}. If it was not you, ignore this email: your account stays as it is.`,
    payload: { link, purpose: "RESET", expiresAt: expiresAt.toISOString() },
  });
}

/** A sign-up request from `ipAddress`: throttled, or handled as the comment at the top of this file says. */
export async function requestSignup(em: EntityManager, input: { name: string; email: string; ipAddress: string }, now = new Date()): Promise<SignupResult> {
  const email = normaliseEmail(input.email);
  const name = input.name.trim();
  const ipAddress = input.ipAddress.slice(0, 255);
  const settings = await getSettings(em);
  const studio = { name: settings.studioName, zone: settings.studioTimeZone };
  const attempt = () =>
    em.transactional(async (tx): Promise<SignupResult> => {
      // The network address's lock, then the email's: one order for every request, so no deadlock.
      await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`signup:address:${ipAddress}`]);
      await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`signup:email:${email}`]);
      const since = new Date(now.getTime() - SIGNUP_THROTTLE.windowMs);
      const [row] = await tx.execute<{ email_limit_at: Date | null; address_limit_at: Date | null }[]>(
        `select (select attempted_at from signup_attempt where email = ? and attempted_at > ? order by attempted_at desc offset ? limit 1) as email_limit_at,
                (select attempted_at from signup_attempt where ip_address = ? and attempted_at > ? order by attempted_at desc offset ? limit 1) as address_limit_at`,
        [email, since, SIGNUP_THROTTLE.maxPerEmail - 1, ipAddress, since, SIGNUP_THROTTLE.maxPerAddress - 1],
      );
      const date = (value: Date | string | null) => (value === null ? null : new Date(value));
      const verdict = signupVerdict({ emailLimitAt: date(row.email_limit_at), addressLimitAt: date(row.address_limit_at) }, now);
      if (!verdict.allowed) {
        return {
          ...refuse(signupThrottledMessage(verdict, now), {}, "throttled"),
          reason: "throttled" as const,
          retryAfterSeconds: Math.max(1, Math.ceil((verdict.retryAt.getTime() - now.getTime()) / 1000)),
        };
      }
      await tx.execute(`insert into signup_attempt (email, ip_address, attempted_at) values (?, ?, ?)`, [email, ipAddress, now]);

      const [existing] = await tx.execute<{ id: number; name: string; email: string; no_password: boolean; deactivated_at: Date | null }[]>(
        `select id, name, email, password_hash = ? as no_password, deactivated_at from "user" where email = ? for update`,
        [NO_PASSWORD, email],
      );
      if (!existing) {
        const user = tx.create(User, { email, name, role: "CLIENT", passwordHash: NO_PASSWORD });
        await tx.flush();
        await emailSignupLink(tx, user, studio, now);
        return { ok: true, outcome: "created" };
      }
      if (existing.deactivated_at) return { ok: true, outcome: "deactivated" };
      if (existing.no_password) {
        await emailSignupLink(tx, existing, studio, now);
        return { ok: true, outcome: "link-sent-again" };
      }
      await emailAlreadyRegistered(tx, existing, studio, ipAddress, now);
      return { ok: true, outcome: "already-registered" };
    });
  try {
    return await attempt();
  } catch (error) {
    // The address was taken between the read and the insert (an invitation, or another sign-up that did not
    // wait for the same lock): once more, now as an existing account. The first try rolled back whole.
    if (isUniqueViolation(error)) return attempt();
    throw error;
  }
}
