import type { EntityManager } from "@mikro-orm/postgresql";
import { invalid, refuse, type Result } from "~/utils/result";
import { AuthSession, User } from "./auth.entities.server";
import { REAUTH_MAX_FAILURES } from "./auth.rules";
import { verifyPassword } from "./password.server";

export const SIGNED_OUT_AFTER_WRONG_PASSWORDS = "Too many wrong passwords: for your safety you have been signed out. Sign in again to continue.";

/**
 * Checks the password typed in a signed-in session (to confirm a change): right, and the session records
 * the time; wrong, and it counts. An attempt is counted before the (slow) check, so however many arrive at
 * once, at most REAUTH_MAX_FAILURES are ever checked; then the session ends ("signed-out"). A thief of the
 * session cookie can therefore not guess the password through these forms.
 */
export async function confirmPassword(
  em: EntityManager,
  input: { authSessionId: string; userId: number; password: string },
  now = new Date(),
): Promise<Result> {
  const [counted] = await em.execute<{ password_failures: number }[]>(
    `update auth_session set password_failures = password_failures + 1 where id = ? and password_failures < ? returning password_failures`,
    [input.authSessionId, REAUTH_MAX_FAILURES],
  );
  if (!counted) return signOut(em, input.authSessionId);
  const user = await em.findOne(User, input.userId, { populate: ["passwordHash"] });
  if (user && (await verifyPassword(user.passwordHash, input.password))) {
    await em.nativeUpdate(AuthSession, { id: input.authSessionId }, { passwordConfirmedAt: now, passwordFailures: 0 });
    return { ok: true };
  }
  if (counted.password_failures >= REAUTH_MAX_FAILURES) return signOut(em, input.authSessionId);
  return invalid({ password: ["That is not your password."] });
}

async function signOut(em: EntityManager, authSessionId: string): Promise<Result> {
  await em.nativeDelete(AuthSession, { id: authSessionId });
  return refuse(SIGNED_OUT_AFTER_WRONG_PASSWORDS, {}, "signed-out");
}
