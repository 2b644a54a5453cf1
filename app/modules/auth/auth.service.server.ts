import type { EntityManager } from "@mikro-orm/postgresql";
import { createHash, randomBytes } from "node:crypto";
import { AuthSession, CalendarFeed, LoginAttempt, User, type IUser, type Role } from "./auth.entities.server";
import {
  authSessionLimits,
  isAuthSessionExpired,
  normaliseEmail,
  shouldTouchAuthSession,
  THROTTLE,
  throttledMessage,
  throttleVerdict,
  type ThrottleVerdict,
} from "./auth.rules";
import { invalid, refuse, type Failure, type Result } from "~/utils/result";
import { getSettings } from "../settings/settings.service.server";
import { executePrepared } from "../reads.server";
import { checkPassword, hashPassword } from "./password.server";
import { newPasswordProblem } from "./password-rules.server";

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

export type LoginResult = Result<{ user: SignedInUser }> | Throttled;

/** Failures name no cause: the same message whether the email has an account or not. */
const NO_MATCH = "That email and password do not match an account. Check them and try again.";

/** A password check refused by the throttle: answered 429, with when to try again (Retry-After). */
export type Throttled = Failure & { reason: "throttled"; retryAfterSeconds: number };

function throttled(verdict: Extract<ThrottleVerdict, { allowed: false }>, now: Date): Throttled {
  return {
    ...refuse(throttledMessage(verdict, now), {}, "throttled"),
    reason: "throttled",
    retryAfterSeconds: Math.max(1, Math.ceil((verdict.retryAt.getTime() - now.getTime()) / 1000)),
  };
}

function toSignedIn(user: IUser): SignedInUser {
  return { id: user.id, email: user.email, name: user.name, role: user.role };
}

type AttemptClaim = { allowed: true; attemptId: number } | Extract<ThrottleVerdict, { allowed: false }>;

/**
 * Asks the throttle (auth.rules.ts, THROTTLE) for one password check of account `email` from `ipAddress`,
 * and when it allows one, records the attempt as a failure before the password is even looked at
 * (`attemptSucceeded` corrects it). The count and the record happen under two transaction locks, the
 * address's and then the account's, so of any number of checks sent at once only as many as the throttle
 * allows get through; always taken in that order, they cannot deadlock.
 */
export async function claimPasswordAttempt(em: EntityManager, input: { email: string; ipAddress: string }, now = new Date()): Promise<AttemptClaim> {
  const email = normaliseEmail(input.email);
  const ipAddress = input.ipAddress.slice(0, 255);
  return em.transactional(async (tx) => {
    await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`password-check:address:${ipAddress}`]);
    await tx.execute(`select pg_advisory_xact_lock(hashtextextended(?, 0))`, [`password-check:account:${email}`]);
    const since = (ms: number) => new Date(now.getTime() - ms);
    const [row] = await tx.execute<
      { pair_failures: string; pair_last_failure_at: Date | null; address_limit_at: Date | null; account_limit_at: Date | null; known_address: boolean }[]
    >(
      `with pair as (
         select attempted_at, succeeded from login_attempt where email = ? and ip_address = ? and attempted_at > ?
       ), since_success as (
         select attempted_at from pair
          where not succeeded and attempted_at > coalesce((select max(attempted_at) from pair where succeeded), '-infinity'::timestamptz)
       )
       select (select count(*) from since_success) as pair_failures,
              (select max(attempted_at) from since_success) as pair_last_failure_at,
              (select attempted_at from login_attempt where ip_address = ? and not succeeded and attempted_at > ?
                order by attempted_at desc offset ? limit 1) as address_limit_at,
              (select attempted_at from login_attempt where email = ? and not succeeded and attempted_at > ?
                order by attempted_at desc offset ? limit 1) as account_limit_at,
              exists (select 1 from login_attempt where email = ? and ip_address = ? and succeeded and attempted_at > ?) as known_address`,
      [
        email,
        ipAddress,
        since(THROTTLE.pairWindowMs),
        ipAddress,
        since(THROTTLE.addressWindowMs),
        THROTTLE.maxFailuresPerAddress - 1,
        email,
        since(THROTTLE.accountWindowMs),
        THROTTLE.maxFailuresPerAccount - 1,
        email,
        ipAddress,
        since(THROTTLE.knownAddressMs),
      ],
    );
    const date = (value: Date | string | null) => (value === null ? null : new Date(value));
    const verdict = throttleVerdict(
      {
        pairFailures: Number(row.pair_failures),
        pairLastFailureAt: date(row.pair_last_failure_at),
        addressLimitFailureAt: date(row.address_limit_at),
        accountLimitFailureAt: date(row.account_limit_at),
        knownAddress: row.known_address,
      },
      now,
    );
    if (!verdict.allowed) return verdict;
    const [attempt] = await tx.execute<{ id: string }[]>(
      `insert into login_attempt (email, ip_address, succeeded, attempted_at) values (?, ?, false, ?) returning id`,
      [email, ipAddress, now],
    );
    return { allowed: true as const, attemptId: Number(attempt.id) };
  });
}

/** The password was right: the attempt `claimPasswordAttempt` recorded counts as a success. */
async function attemptSucceeded(em: EntityManager, attemptId: number): Promise<void> {
  await em.execute(`update login_attempt set succeeded = true where id = ?`, [attemptId]);
}

/** Checks a sign-in, within the throttle (claimPasswordAttempt). */
export async function verifyLogin(em: EntityManager, input: { email: string; password: string; ipAddress: string }, now = new Date()): Promise<LoginResult> {
  const email = normaliseEmail(input.email);
  const claim = await claimPasswordAttempt(em, { email, ipAddress: input.ipAddress }, now);
  if (!claim.allowed) return throttled(claim, now);
  const user = await em.findOne(User, { email }, { populate: ["passwordHash"] });
  const passwordMatches = await checkPassword(user?.passwordHash ?? null, input.password);
  // A deactivated account is refused like a wrong password: the answer tells nothing about the account.
  const valid = passwordMatches && !user?.deactivatedAt;
  if (!valid || !user) return refuse(NO_MATCH, {}, "invalid");
  await attemptSucceeded(em, claim.attemptId);
  return { ok: true, user: toSignedIn(user) };
}

/**
 * Changes the password, signs the user out everywhere else and revokes their calendar feed. The current
 * password is checked within the sign-in throttle (a wrong one is a guess at the account like any other),
 * and the new one must pass the password rules (`newPasswordProblem`).
 */
export async function changePassword(
  em: EntityManager,
  input: { userId: number; currentPassword: string; newPassword: string; keepAuthToken?: string; ipAddress: string },
  now = new Date(),
): Promise<Result | Throttled> {
  const user = await em.findOneOrFail(User, input.userId, { populate: ["passwordHash"] });
  // Checked first: a refused new password costs no attempt.
  const problem = newPasswordProblem(input.newPassword, { email: user.email, studioName: (await getSettings(em)).studioName });
  if (problem) return invalid({ newPassword: [problem] });
  const claim = await claimPasswordAttempt(em, { email: user.email, ipAddress: input.ipAddress }, now);
  if (!claim.allowed) return throttled(claim, now);
  if (!(await checkPassword(user.passwordHash, input.currentPassword))) return invalid({ currentPassword: ["That is not your current password."] });
  await attemptSucceeded(em, claim.attemptId);
  user.passwordHash = await hashPassword(input.newPassword);
  await em.flush();
  const keep = input.keepAuthToken ? hashToken(input.keepAuthToken) : undefined;
  await em.nativeDelete(AuthSession, { user: user.id, ...(keep ? { id: { $ne: keep } } : {}) });
  // The calendar feed's URL is a key to the account's bookings too: it goes with the old password.
  await em.nativeDelete(CalendarFeed, { user: user.id });
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
  const [row] = await executePrepared<SessionUserRow>(em, { sql: `${SESSION_USER_SQL} where s.id = ?`, params: [hashToken(token)] });
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
  const [row] = await executePrepared<Partial<SessionUserRow> & { settings: { key: string; value: unknown }[] | null }>(em, {
    sql: `select (select json_agg(json_build_object('key', key, 'value', value)) from system_settings) as settings, signed_in.*
            from (select 1) as one left join (${SESSION_USER_SQL} where s.id = ?) as signed_in on true`,
    params: [hashToken(token)],
  });
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

/**
 * Housekeeping: forget expired sessions, failed password checks older than the throttle looks back, and
 * successful ones older than the time an address stays known to its account.
 */
export async function purgeExpiredAuthData(em: EntityManager, now = new Date()): Promise<void> {
  await em.nativeDelete(AuthSession, { expiresAt: { $lt: now } });
  await em.nativeDelete(LoginAttempt, { succeeded: false, attemptedAt: { $lt: new Date(now.getTime() - THROTTLE.pairWindowMs) } });
  await em.nativeDelete(LoginAttempt, { succeeded: true, attemptedAt: { $lt: new Date(now.getTime() - THROTTLE.knownAddressMs) } });
}
