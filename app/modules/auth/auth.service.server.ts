import type { EntityManager } from "@mikro-orm/postgresql";
import { createHash, randomBytes } from "node:crypto";
import { AuthSession, LoginAttempt, User, type IUser, type Role } from "./auth.entities.server";
import { authSessionLimits, isAuthSessionExpired, normaliseEmail, shouldTouchAuthSession, THROTTLE, throttleVerdict } from "./auth.rules";
import { invalid, isUniqueViolation, refuse, type Result } from "~/utils/result";
import { burnPasswordCheck, hashPassword, verifyPassword } from "./password.server";

export type SignedInUser = { id: number; email: string; name: string; role: Role };

/** The user behind a sign-in cookie, with what the staff rules need of that sign-in. */
export type SignedInSession = SignedInUser & {
  /** The auth_session row's id (the token's hash). */
  authSessionId: string;
  /** When the password was last typed in this sign-in (re-authentication, auth.rules.ts). */
  passwordConfirmedAt: Date;
  /** Whether the account has a confirmed second factor. */
  twoFactor: boolean;
};

export type LoginResult = Result<{ user: SignedInUser }>;

const LOCKED_MINUTES = Math.round(THROTTLE.windowMs / 60_000);
const THROTTLED = {
  account: `Too many failed sign-ins for this account. For your safety it is locked for ${LOCKED_MINUTES} minutes; please try again later.`,
  address: `Too many failed sign-ins from this network. Please wait ${LOCKED_MINUTES} minutes and try again.`,
};
/** Failures name no cause: the same message whether the email has an account or not. */
const NO_MATCH = "That email and password do not match an account. Check them and try again.";

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
export async function verifyLogin(em: EntityManager, input: { email: string; password: string; ipAddress: string }, now = new Date()): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const verdict = throttleVerdict(await countRecentFailures(em, email, input.ipAddress, now));
  if (!verdict.allowed) return refuse(THROTTLED[verdict.reason], {}, "throttled");

  const user = await em.findOne(User, { email }, { populate: ["passwordHash"] });
  const passwordMatches = user ? await verifyPassword(user.passwordHash, input.password) : (await burnPasswordCheck(input.password), false);
  // A deactivated account is refused like a wrong password: the answer tells nothing about the account.
  const valid = passwordMatches && !user?.deactivatedAt;
  await em.insert(LoginAttempt, { email, ipAddress: input.ipAddress, succeeded: valid, attemptedAt: now });
  return valid && user ? { ok: true, user: toSignedIn(user) } : refuse(NO_MATCH, {}, "invalid");
}

const EMAIL_TAKEN = invalid({ email: ["An account with this email already exists. Sign in instead."] });

export async function registerClient(em: EntityManager, input: { name: string; email: string; password: string }): Promise<Result<{ user: SignedInUser }>> {
  const email = normaliseEmail(input.email);
  if (await em.count(User, { email })) return EMAIL_TAKEN;
  const user = em.create(User, { email, name: input.name.trim(), role: "CLIENT", passwordHash: await hashPassword(input.password) });
  try {
    await em.flush();
  } catch (error) {
    // Two sign-ups with one email at once: the unique index decides.
    if (isUniqueViolation(error)) return EMAIL_TAKEN;
    throw error;
  }
  return { ok: true, user: toSignedIn(user) };
}

/** Changes the password and signs the user out everywhere else. */
export async function changePassword(
  em: EntityManager,
  input: { userId: number; currentPassword: string; newPassword: string; keepAuthToken?: string },
): Promise<Result> {
  const user = await em.findOneOrFail(User, input.userId, { populate: ["passwordHash"] });
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) return invalid({ currentPassword: ["That is not your current password."] });
  user.passwordHash = await hashPassword(input.newPassword);
  await em.flush();
  const keep = input.keepAuthToken ? hashToken(input.keepAuthToken) : undefined;
  await em.nativeDelete(AuthSession, { user: user.id, ...(keep ? { id: { $ne: keep } } : {}) });
  return { ok: true };
}

// --- sign-in sessions: the cookie holds a random token, the table its SHA-256 ---

function hashToken(token: string): string {
  return createHash("sha256").update(token).digest("base64url");
}

/** A new sign-in (the password was just checked). `role` sets when housekeeping may delete it; reads check the role of the moment. */
export async function createAuthSession(
  em: EntityManager,
  input: { userId: number; role?: Role; userAgent?: string | null; ipAddress?: string | null },
  now = new Date(),
): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await em.insert(AuthSession, {
    id: hashToken(token),
    user: input.userId,
    createdAt: now,
    lastSeenAt: now,
    passwordConfirmedAt: now,
    passwordFailures: 0,
    expiresAt: new Date(now.getTime() + authSessionLimits(input.role ?? "CLIENT").absoluteMs),
    userAgent: input.userAgent?.slice(0, 255) ?? null,
    ipAddress: input.ipAddress?.slice(0, 255) ?? null,
  });
  return token;
}

/** The user behind a session token, or null when it is unknown, idle too long, too old or its account deactivated. */
export async function findAuthSessionUser(em: EntityManager, token: string, now = new Date()): Promise<SignedInSession | null> {
  // A plain row rather than two entities: every signed-in request asks.
  const [row] = await em.execute<SessionUserRow[]>(`${SESSION_USER_SQL} where s.id = ?`, [hashToken(token)]);
  return signedInFrom(em, row ?? null, now);
}

/**
 * `findAuthSessionUser` and the studio's settings rows in one round trip: a signed-in request needs both
 * (the feature guard, the layouts), and on a small server each round trip costs about as much as the work.
 */
export async function findAuthSessionUserAndSettings(
  em: EntityManager,
  token: string,
  now = new Date(),
): Promise<{ user: SignedInSession | null; settingsRows: { key: string; value: unknown }[] }> {
  const [row] = await em.execute<(Partial<SessionUserRow> & { settings: { key: string; value: unknown }[] | null })[]>(
    `select (select json_agg(json_build_object('key', key, 'value', value)) from system_settings) as settings, signed_in.*
       from (select 1) as one left join (${SESSION_USER_SQL} where s.id = ?) as signed_in on true`,
    [hashToken(token)],
  );
  const { settings, ...session } = row;
  return { user: await signedInFrom(em, session.id ? (session as SessionUserRow) : null, now), settingsRows: settings ?? [] };
}

// Both lookups above share this query and `signedInFrom`, so the expiry (by role) and the second-factor
// state are decided in one place.
const SESSION_USER_SQL = `select s.id, (extract(epoch from s.created_at) * 1000)::float8 as created_ms, (extract(epoch from s.last_seen_at) * 1000)::float8 as last_seen_ms,
            (extract(epoch from s.password_confirmed_at) * 1000)::float8 as password_confirmed_ms,
            u.id as user_id, u.email, u.name, u.role, u.deactivated_at is not null as deactivated,
            exists (select 1 from two_factor t where t.user_id = u.id and t.confirmed_at is not null) as two_factor
       from auth_session s join "user" u on u.id = s.user_id`;

type SessionUserRow = {
  id: string;
  created_ms: number;
  last_seen_ms: number;
  password_confirmed_ms: number;
  user_id: number;
  email: string;
  name: string;
  role: Role;
  deactivated: boolean;
  two_factor: boolean;
};

async function signedInFrom(em: EntityManager, row: SessionUserRow | null, now: Date): Promise<SignedInSession | null> {
  if (!row) return null;
  const session = { createdAt: new Date(row.created_ms), lastSeenAt: new Date(row.last_seen_ms), role: row.role };
  if (isAuthSessionExpired(session, now) || row.deactivated) {
    await em.nativeDelete(AuthSession, { id: row.id });
    return null;
  }
  if (shouldTouchAuthSession(session, now)) await em.nativeUpdate(AuthSession, { id: row.id }, { lastSeenAt: now });
  return {
    id: row.user_id,
    email: row.email,
    name: row.name,
    role: row.role,
    authSessionId: row.id,
    passwordConfirmedAt: new Date(row.password_confirmed_ms),
    twoFactor: row.two_factor,
  };
}

export async function destroyAuthSession(em: EntityManager, token: string): Promise<void> {
  await em.nativeDelete(AuthSession, { id: hashToken(token) });
}

/** Housekeeping: forget expired sessions and sign-in attempts older than the throttle window. */
export async function purgeExpiredAuthData(em: EntityManager, now = new Date()): Promise<void> {
  await em.nativeDelete(AuthSession, { expiresAt: { $lt: now } });
  await em.nativeDelete(LoginAttempt, { attemptedAt: { $lt: new Date(now.getTime() - 24 * 60 * 60 * 1000) } });
}
