// The studio's people as admins manage them (/admin/people): staff, search, invitations, roles,
// deactivation; and the first admin of a new studio (`npm run create-admin`).
import type { EntityManager } from "@mikro-orm/postgresql";
import { randomBytes } from "node:crypto";
import { formatWhen } from "~/utils/time";
import { invalid, isUniqueViolation, refuse, type Result } from "~/utils/result";
import { SessionRegistration } from "../booking/booking.entities.server";
import { mustGiveUp } from "../booking/booking.rules";
import { promoteFromWaitlist, ReleaseRaced, withRelease } from "../booking/booking.service.server";
import { UserMembership } from "../memberships/memberships.entities.server";
import { notify } from "../notifications/notify.server";
import type { ISession } from "../sessions/sessions.entities.server";
import { getSettings } from "../settings/settings.service.server";
import { AuthSession, User, type Role } from "./auth.entities.server";
import { normaliseEmail } from "./auth.rules";
import { createPasswordToken, invalidatePasswordTokens, passwordLink } from "./password-tokens.service.server";
import { hashPassword } from "./password.server";
import { forgetSecondFactor } from "./two-factor.service.server";
import { deactivationRefusal, roleChangeRefusal } from "./people.rules";
import type { InviteInput, PeopleSearch } from "./people.schema";

/** An invitation whose link is still open ("pending"), or that lapsed unused ("expired"). */
export type Invitation = "pending" | "expired" | null;

export type PersonRow = {
  id: number;
  name: string;
  email: string;
  role: Role;
  deactivatedAt: string | null;
  invitation: Invitation;
  /** Two-step sign-in is on (an authenticator confirmed). */
  twoFactor: boolean;
};

type PersonSqlRow = { id: number; name: string; email: string; role: Role; deactivated_at: Date | null; invitation: Invitation; two_factor: boolean };

// The latest invitation link decides: open, lapsed unused, or used (or closed): accepted.
const PERSON_COLUMNS = `u.id, u.name, u.email, u.role, u.deactivated_at,
  (select case when t.used_at is null and t.expires_at > ? then 'pending' when t.used_at is null then 'expired' end
     from password_token t where t.user_id = u.id and t.purpose = 'INVITE' order by t.created_at desc, t.id desc limit 1) as invitation,
  exists (select 1 from two_factor f where f.user_id = u.id and f.confirmed_at is not null) as two_factor`;

function toRow(row: PersonSqlRow): PersonRow {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    role: row.role,
    deactivatedAt: row.deactivated_at ? new Date(row.deactivated_at).toISOString() : null,
    invitation: row.invitation,
    twoFactor: row.two_factor,
  };
}

/** Coaches and admins, admins first, then by name. */
export async function listStaff(em: EntityManager, now = new Date()): Promise<PersonRow[]> {
  const rows = await em.execute<PersonSqlRow[]>(
    `select ${PERSON_COLUMNS} from "user" u where u.role in ('COACH', 'ADMIN') order by u.role = 'ADMIN' desc, u.name, u.id`,
    [now],
  );
  return rows.map(toRow);
}

export const PEOPLE_PAGE_SIZE = 25;

/** Everyone whose name or email contains `q`, any role, deactivated too. */
export async function searchPeople(em: EntityManager, search: PeopleSearch, now = new Date()) {
  const pattern = `%${(search.q ?? "").replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const page = search.page ?? 1;
  const where = `(u.name ilike ? or u.email ilike ?)`;
  const [{ total }] = await em.execute<{ total: string }[]>(`select count(*) as total from "user" u where ${where}`, [pattern, pattern]);
  const rows = await em.execute<PersonSqlRow[]>(`select ${PERSON_COLUMNS} from "user" u where ${where} order by u.name, u.id limit ? offset ?`, [
    now,
    pattern,
    pattern,
    PEOPLE_PAGE_SIZE,
    (page - 1) * PEOPLE_PAGE_SIZE,
  ]);
  return { people: rows.map(toRow), total: Number(total), page, pageCount: Math.max(1, Math.ceil(Number(total) / PEOPLE_PAGE_SIZE)) };
}

/** One person with how many classes they hold or wait for that have not started; null when unknown. */
export async function findPerson(em: EntityManager, userId: number, now = new Date()) {
  const [row] = await em.execute<PersonSqlRow[]>(`select ${PERSON_COLUMNS} from "user" u where u.id = ?`, [now, userId]);
  if (!row) return null;
  const [{ count }] = await em.execute<{ count: string }[]>(
    `select count(*) as count from session_registration r join session s on s.id = r.session_id
      where r.user_id = ? and r.status in ('REGISTERED', 'WAITLISTED') and s.status <> 'CANCELLED' and s.start_time > ?`,
    [userId, now],
  );
  return { ...toRow(row), futureBookings: Number(count) };
}

// ---------- invitations ----------

const EMAIL_TAKEN = invalid({ email: ["An account with this email already exists. Find it below to change its role."] });

/** A password hash nobody knows (the invitation link sets the real one); a real hash, so sign-in takes as long. */
async function unusablePasswordHash(): Promise<string> {
  return hashPassword(randomBytes(32).toString("base64url"));
}

async function sendInvitation(tx: EntityManager, user: { id: number; name: string; role: Role }, invitedBy: string, now: Date) {
  const settings = await getSettings(tx);
  const { token, expiresAt } = await createPasswordToken(tx, { userId: user.id, purpose: "INVITE" }, now);
  const link = passwordLink(token);
  const as = user.role === "ADMIN" ? "an admin" : user.role === "COACH" ? "a coach" : "a member";
  await notify(tx, {
    userId: user.id,
    kind: "ACCOUNT_INVITE",
    subject: `You're invited to ${settings.studioName}`,
    body:
      `Hello ${user.name},\n\n${invitedBy} has invited you to ${settings.studioName} as ${as}. Choose your password to sign in:\n\n${link}\n\n` +
      `The link works once and expires at ${formatWhen(expiresAt, settings.studioTimeZone)}.`,
    payload: { link, purpose: "INVITE", expiresAt: expiresAt.toISOString() },
  });
  return { link, expiresAt };
}

export type Invited = Result<{ user: { id: number; name: string; email: string; role: Role } }>;

/** Makes a coach or admin account without a usable password and emails them the link that sets one. */
export async function invitePerson(em: EntityManager, input: InviteInput & { invitedBy: { name: string } }, now = new Date()): Promise<Invited> {
  const email = normaliseEmail(input.email);
  const passwordHash = await unusablePasswordHash();
  try {
    return await em.transactional(async (tx) => {
      if (await tx.count(User, { email })) return EMAIL_TAKEN;
      const user = tx.create(User, { email, name: input.name.trim(), role: input.role, passwordHash });
      await tx.flush();
      await sendInvitation(tx, user, input.invitedBy.name, now);
      return { ok: true as const, user: { id: user.id, name: user.name, email: user.email, role: user.role } };
    });
  } catch (error) {
    // Two invitations of one address at once: the unique index decides.
    if (isUniqueViolation(error)) return EMAIL_TAKEN;
    throw error;
  }
}

/** A new invitation link for someone who has not accepted theirs; the old link closes. */
export async function resendInvitation(em: EntityManager, input: { userId: number; invitedBy: { name: string } }, now = new Date()): Promise<Result | null> {
  const person = await findPerson(em, input.userId, now);
  if (!person) return null;
  if (!person.invitation) return refuse("This person has no open invitation: they can use “Forgot your password?” on the sign-in page.");
  if (person.deactivatedAt) return refuse("Reactivate this account before inviting them again.");
  await em.transactional(async (tx) => {
    await invalidatePasswordTokens(tx, person.id, now);
    await sendInvitation(tx, person, input.invitedBy.name, now);
  });
  return { ok: true };
}

// ---------- roles and deactivation ----------

/** Locks the person's row and every admin's (one order for every caller), and counts the other active admins. */
async function lockPeople(tx: EntityManager, userId: number) {
  const rows = await tx.execute<{ id: number; role: Role; deactivated_at: Date | null }[]>(
    `select id, role, deactivated_at from "user" where id = ? or role = 'ADMIN' order by id for update`,
    [userId],
  );
  const person = rows.find((r) => r.id === userId);
  const otherActiveAdmins = rows.filter((r) => r.id !== userId && r.role === "ADMIN" && !r.deactivated_at).length;
  return { person, otherActiveAdmins };
}

export async function changeRole(em: EntityManager, input: { userId: number; role: Role; actorId: number }): Promise<Result<{ name: string }> | null> {
  return em.transactional(async (tx) => {
    const { person, otherActiveAdmins } = await lockPeople(tx, input.userId);
    if (!person) return null;
    const refusal = roleChangeRefusal({ actorId: input.actorId, targetId: person.id, from: person.role, to: input.role, otherActiveAdmins });
    if (refusal) return refuse(refusal, { role: [refusal] });
    const user = await tx.findOneOrFail(User, input.userId, { refresh: true });
    user.role = input.role;
    await tx.flush();
    return { ok: true as const, name: user.name };
  });
}

export type Deactivated = Result<{ name: string; released: number; promoted: number }>;

/**
 * Deactivates an account: it cannot sign in, its sign-ins end, its open links close, and the classes it
 * holds or waits for that have not started are given back (free, a pack refunded), each session's waitlist
 * moving up. Everything else it did stays. One transaction (again if a booking raced the locks).
 */
export async function deactivatePerson(em: EntityManager, input: { userId: number; actorId: number }, now = new Date()): Promise<Deactivated | null> {
  const zone = (await getSettings(em)).studioTimeZone;
  return withRelease(em, async (tx) => {
    const { person, otherActiveAdmins } = await lockPeople(tx, input.userId);
    if (!person) return null;
    const refusal = deactivationRefusal({
      actorId: input.actorId,
      targetId: person.id,
      role: person.role,
      deactivated: !!person.deactivated_at,
      otherActiveAdmins,
    });
    if (refusal) return refuse(refusal);
    const user = await tx.findOneOrFail(User, input.userId, { refresh: true });
    user.deactivatedAt = now;
    await tx.flush();
    await tx.nativeDelete(AuthSession, { user: user.id });
    await invalidatePasswordTokens(tx, user.id, now);
    const { released, promoted } = await releaseFutureBookings(tx, user.id, zone, now);
    return { ok: true as const, name: user.name, released, promoted };
  });
}

/**
 * Turns off someone else's two-step sign-in, for a person who has lost both their authenticator and their
 * recovery codes (ADR 26): both are forgotten, every sign-in of theirs ends, and they are told by email. If
 * the studio requires it of their role, they set it up again at their next sign-in. Null: no such person.
 */
export async function resetTwoFactor(
  em: EntityManager,
  input: { userId: number; actor: { id: number; name: string } },
): Promise<Result<{ name: string }> | null> {
  return em.transactional(async (tx) => {
    const user = await tx.findOne(User, input.userId, { refresh: true });
    if (!user) return null;
    if (user.id === input.actor.id) return refuse("Your own two-step sign-in is on your Security page, where a code from your authenticator turns it off.");
    if (!(await forgetSecondFactor(tx, user.id))) return refuse("Two-step sign-in is not on for this account.");
    await tx.nativeDelete(AuthSession, { user: user.id });
    const { studioName } = await getSettings(tx);
    await notify(tx, {
      userId: user.id,
      kind: "ACCOUNT_SECURITY",
      subject: `Your two-step sign-in at ${studioName} was reset`,
      body:
        `Hello ${user.name},\n\n${input.actor.name} has reset two-step sign-in on your ${studioName} account. ` +
        `The codes of your authenticator app and your recovery codes no longer work, and you have been signed out everywhere.\n\n` +
        `Sign in again with your email and password. If the studio asks for two-step sign-in, you will set it up again then.\n\n` +
        `If you did not ask for this, tell the studio straight away.`,
    });
    return { ok: true as const, name: user.name };
  });
}

/**
 * Gives back every place `userId` holds or waits for in a session that has not started, inside the
 * caller's transaction. Locks as a booking does: the sessions (by id), then the memberships of the person
 * and of everyone waiting on those sessions (by id); the booking service's promotion then fills the places.
 */
async function releaseFutureBookings(tx: EntityManager, userId: number, zone: string, now: Date) {
  const sessionIds = (
    await tx.execute<{ session_id: number }[]>(
      `select distinct r.session_id from session_registration r join session s on s.id = r.session_id
        where r.user_id = ? and r.status in ('REGISTERED', 'WAITLISTED') and s.status <> 'CANCELLED' and s.start_time > ?`,
      [userId, now],
    )
  ).map((row) => row.session_id);
  if (!sessionIds.length) return { released: 0, promoted: 0 };
  await tx.execute(`select id from session where id = any(array[?]::int[]) order by id for update`, [sessionIds]);
  const membershipIds = (
    await tx.execute<{ id: number }[]>(
      `select id from user_membership
        where user_id = ? or user_id in (select user_id from session_registration where session_id = any(array[?]::int[]) and status = 'WAITLISTED')
        order by id for update`,
      [userId, sessionIds],
    )
  ).map((row) => row.id);
  // Loaded after the locks, so the pack balances refunded below are current.
  const memberships = await tx.find(UserMembership, { id: { $in: membershipIds }, user: userId }, { populate: ["plan"], refresh: true });
  const bookings = await tx.find(
    SessionRegistration,
    { user: userId, status: { $in: ["REGISTERED", "WAITLISTED"] } },
    { populate: ["session"], refresh: true, orderBy: { session: { startTime: "asc" }, id: "asc" } },
  );
  const givingUp = bookings.filter((r) =>
    mustGiveUp({ status: r.status, sessionStatus: r.session.status, startTime: r.session.startTime }, { from: now, now }),
  );
  // A booking made between the read and the locks: run the transaction again (withRelease).
  if (givingUp.some((r) => !sessionIds.includes(r.session.id))) throw new ReleaseRaced();
  const sessions = new Map<number, ISession>();
  for (const registration of givingUp) {
    const membership = memberships.find((m) => m.id === registration.membership?.id);
    // The place a pack paid for goes back to it, as a free cancel does.
    if (registration.status === "REGISTERED" && membership?.plan.type === "PACK") membership.sessionsRemaining = (membership.sessionsRemaining ?? 0) + 1;
    Object.assign(registration, { status: "CANCELLED", cancelledAt: now, waitlistPosition: null });
    sessions.set(registration.session.id, registration.session);
  }
  await tx.flush();
  let promoted = 0;
  for (const session of sessions.values()) promoted += await promoteFromWaitlist(tx, session, zone, now);
  return { released: givingUp.length, promoted };
}

export async function reactivatePerson(em: EntityManager, input: { userId: number }): Promise<Result<{ name: string }> | null> {
  const user = await em.findOne(User, input.userId);
  if (!user) return null;
  if (!user.deactivatedAt) return refuse("This account is already active.");
  user.deactivatedAt = null;
  await em.flush();
  return { ok: true, name: user.name };
}

// ---------- the first admin (`npm run create-admin`) ----------

export type FirstAdmin = Result<{ user: { id: number; email: string; name: string }; link: string | null; expiresAt: Date | null }>;

/** How long the link printed by `npm run create-admin` (without ADMIN_PASSWORD) works. */
export const FIRST_ADMIN_LINK_MS = 24 * 60 * 60 * 1000;

/**
 * Makes an admin, refusing when the studio has an admin already (unless `force`). With a password the admin
 * can sign in at once; without one the answer holds a single-use link that sets it.
 */
export async function createFirstAdmin(
  em: EntityManager,
  input: { email: string; name: string; password?: string; force?: boolean },
  now = new Date(),
): Promise<FirstAdmin> {
  const email = normaliseEmail(input.email);
  const passwordHash = input.password ? await hashPassword(input.password) : await unusablePasswordHash();
  return em.transactional(async (tx) => {
    const admins = await tx.find(User, { role: "ADMIN", deactivatedAt: null }, { orderBy: { id: "asc" }, limit: 3 });
    if (admins.length && !input.force) {
      return refuse(
        `The studio already has an admin (${admins.map((a) => a.email).join(", ")}). Sign in as them and invite people at /admin/people, ` +
          `or run again with --force to add this admin anyway.`,
        {},
        "admin-exists",
      );
    }
    if (await tx.count(User, { email })) return refuse(`An account with the email ${email} already exists.`, {}, "email-taken");
    const user = tx.create(User, { email, name: input.name.trim(), role: "ADMIN", passwordHash });
    await tx.flush();
    const made = input.password ? null : await createPasswordToken(tx, { userId: user.id, purpose: "INVITE", validForMs: FIRST_ADMIN_LINK_MS }, now);
    return {
      ok: true as const,
      user: { id: user.id, email: user.email, name: user.name },
      link: made ? passwordLink(made.token) : null,
      expiresAt: made?.expiresAt ?? null,
    };
  });
}
