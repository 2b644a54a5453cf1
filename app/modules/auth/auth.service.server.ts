import type { EntityManager } from "@mikro-orm/postgresql";
import { createHash, randomBytes } from "node:crypto";
import { AuthSession, LoginAttempt, User, type IUser, type Role } from "./auth.entities.server";
import { isSessionExpired, normaliseEmail, SESSION_ABSOLUTE_MS, shouldTouchSession, THROTTLE, throttleVerdict } from "./auth.rules";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password.server";

export type SignedInUser = { id: number; email: string; name: string; role: Role };

export type LoginResult =
  | { ok: true; user: SignedInUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; scope: "account" | "address" };

function toSignedIn(user: IUser): SignedInUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

export async function countRecentFailures(em: EntityManager, email: string, ipAddress: string, now = new Date()) {
  const since = new Date(now.getTime() - THROTTLE.windowMs);
  const [account, address] = await Promise.all([
    em.count(LoginAttempt, { email, succeeded: false, attemptedAt: { $gt: since } }),
    em.count(LoginAttempt, { ipAddress, succeeded: false, attemptedAt: { $gt: since } }),
  ]);
  return { account, address };
}

/** Checks a sign-in; failures are recorded so that repeated guessing is throttled per account and per address. */
export async function verifyLogin(
  em: EntityManager,
  input: { email: string; password: string; ipAddress: string },
  now = new Date(),
): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const verdict = throttleVerdict(await countRecentFailures(em, email, input.ipAddress, now));
  if (!verdict.allowed) return { ok: false, reason: "throttled", scope: verdict.reason };

  const user = await em.findOne(User, { email }, { populate: ["passwordHash"] });
  const valid = user ? await verifyPassword(user.passwordHash, input.password) : (await burnPasswordCheck(input.password), false);
  await em.insert(LoginAttempt, { email, ipAddress: input.ipAddress, succeeded: valid, attemptedAt: now });
  return valid && user ? { ok: true, user: toSignedIn(user) } : { ok: false, reason: "invalid" };
}

export type RegisterResult = { ok: true; user: SignedInUser } | { ok: false; reason: "email-taken" };

export async function registerClient(
  em: EntityManager,
  input: { name: string; email: string; password: string },
): Promise<RegisterResult> {
  const email = normaliseEmail(input.email);
  if (await em.count(User, { email })) return { ok: false, reason: "email-taken" };
  const user = em.create(User, { email, name: input.name.trim(), role: "CLIENT", passwordHash: await hashPassword(input.password) });
  try {
    await em.flush();
  } catch (error) {
    // Two sign-ups with one email at once: the unique index decides.
    if (error instanceof Error && error.name === "UniqueConstraintViolationException") return { ok: false, reason: "email-taken" };
    throw error;
  }
  return { ok: true, user: toSignedIn(user) };
}

export type ChangePasswordResult = { ok: true } | { ok: false; reason: "wrong-password" };

/** Changes the password and signs the user out everywhere else. */
export async function changePassword(
  em: EntityManager,
  input: { userId: number; currentPassword: string; newPassword: string; keepSessionToken?: string },
): Promise<ChangePasswordResult> {
  const user = await em.findOneOrFail(User, input.userId, { populate: ["passwordHash"] });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) return { ok: false, reason: "wrong-password" };
  user.passwordHash = await hashPassword(input.newPassword);
  await em.flush();
  const keep = input.keepSessionToken ? hashToken(input.keepSessionToken) : undefined;
  await em.nativeDelete(AuthSession, { user: user.id, ...(keep ? { id: { $ne: keep } } : {}) });
  return { ok: true };
}

// --- sign-in sessions: the cookie holds a random token, the table its SHA-256 ---

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

export async function createAuthSession(
  em: EntityManager,
  input: { userId: number; userAgent?: string | null; ipAddress?: string | null },
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await em.insert(AuthSession, {
    id: hashToken(token),
    user: input.userId,
    createdAt: now,
    lastSeenAt: now,
    expiresAt: new Date(now.getTime() + SESSION_ABSOLUTE_MS),
    userAgent: input.userAgent?.slice(0, 255) ?? null,
    ipAddress: input.ipAddress?.slice(0, 255) ?? null,
  });
  return token;
}

/** The user behind a session token, or null when it is unknown, idle too long or too old. */
export async function findSessionUser(em: EntityManager, token: string, now = new Date()): Promise<SignedInUser | null> {
  const session = await em.findOne(AuthSession, { id: hashToken(token) }, { populate: ["user"] });
  if (!session) return null;
  if (isSessionExpired(session, now)) {
    await em.nativeDelete(AuthSession, { id: session.id });
    return null;
  }
  if (shouldTouchSession(session, now)) await em.nativeUpdate(AuthSession, { id: session.id }, { lastSeenAt: now });
  return toSignedIn(session.user);
}

export async function destroyAuthSession(em: EntityManager, token: string): Promise<void> {
  await em.nativeDelete(AuthSession, { id: hashToken(token) });
}

/** Housekeeping: forget expired sessions and sign-in attempts older than the throttle window. */
export async function purgeExpiredAuthData(em: EntityManager, now = new Date()): Promise<void> {
  await em.nativeDelete(AuthSession, { expiresAt: { $lt: now } });
  await em.nativeDelete(LoginAttempt, { attemptedAt: { $lt: new Date(now.getTime() - 24 * 60 * 60 * 1000) } });
}
