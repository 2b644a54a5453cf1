import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import { formatDateTime, formatWhen, localDateOf, todayIn } from "~/utils/time";
import {
  MembershipClassTypeAllowance,
  MembershipPlan,
  UserMembership,
  type IMembershipPlan,
  type IUserMembership,
  type PlanType,
} from "../memberships/memberships.entities.server";
import { effectiveMembershipStatus } from "../memberships/memberships.rules";
import { notify } from "../notifications/notify.server";
import { Session, type ISession } from "../sessions/sessions.entities.server";
import { getSettings } from "../settings/settings.service.server";
import { refuse, type Failure } from "~/utils/result";
import { SessionRegistration } from "./booking.entities.server";
import { chooseMembership, HOLDS_PLACE, isLateCancel, mustGiveUp, releasedPhrase, type BookingCandidate } from "./booking.rules";
import { usedInWeek } from "./registration-counts.server";
import { User } from "../auth/auth.entities.server";
import { lateCancel, type ClassInfo } from "../notifications/messages";
import { studioOf } from "../notifications/studio.server";

/** Each plan with the class types it allows (none: every class type). */
type PlanRules = Map<number, { plan: IMembershipPlan; allowedClassTypeIds: number[] }>;

/** Adds to `known` the rules of the plans in `planIds` it lacks (no query when it lacks none). */
async function planRules(em: EntityManager, planIds: number[], known: PlanRules = new Map()): Promise<PlanRules> {
  const missing = [...new Set(planIds)].filter((id) => !known.has(id));
  if (!missing.length) return known;
  const plans = await em.find(MembershipPlan, { id: { $in: missing } });
  const allowances = await em.find(MembershipClassTypeAllowance, { plan: { $in: missing } });
  const rules: PlanRules = new Map(known);
  for (const plan of plans) {
    rules.set(plan.id, { plan, allowedClassTypeIds: allowances.filter((a) => a.plan.id === plan.id).map((a) => a.classType.id) });
  }
  return rules;
}

/**
 * The user's memberships as booking candidates for `session`, locked FOR UPDATE so that two bookings
 * charging the same membership (a pack's last session, a week's last place) run one after the other.
 */
async function lockedCandidates(tx: EntityManager, userId: number, session: ISession, zone: string, now: Date, known?: PlanRules, excludeId?: number) {
  const locked = await tx.find(
    UserMembership,
    { user: userId, status: { $in: ["ACTIVE", "PAUSED"] } },
    { lockMode: LockMode.PESSIMISTIC_WRITE, orderBy: { id: "asc" }, refresh: true },
  );
  const memberships = locked.filter((m) => m.id !== excludeId);
  const rules = await planRules(
    tx,
    memberships.map((m) => m.plan.id),
    known,
  );
  // Only a weekly limit needs the week's bookings counted: the week of the session being booked.
  const limited = memberships.filter((m) => rules.get(m.plan.id)!.plan.sessionsPerWeek);
  const used = await usedInWeek(
    tx,
    limited.map((m) => m.id),
    localDateOf(session.startTime, zone),
    zone,
  );
  const today = todayIn(zone, now);
  const candidates: BookingCandidate[] = memberships.map((m) => {
    const { plan, allowedClassTypeIds } = rules.get(m.plan.id)!;
    return {
      id: m.id,
      planName: plan.name,
      planType: plan.type,
      status: effectiveMembershipStatus({ status: m.status, endDate: m.endDate ?? null, cancelAtPeriodEnd: m.cancelAtPeriodEnd, planType: plan.type }, today),
      startDate: m.startDate,
      endDate: m.endDate ?? null,
      sessionsPerWeek: plan.sessionsPerWeek ?? null,
      sessionsRemaining: m.sessionsRemaining ?? null,
      allowedClassTypeIds,
      usedThisWeek: used.get(m.id) ?? 0,
    };
  });
  return { memberships, candidates };
}

async function choose(tx: EntityManager, userId: number, session: ISession, zone: string, now: Date, known?: PlanRules, excludeId?: number) {
  const { memberships, candidates } = await lockedCandidates(tx, userId, session, zone, now, known, excludeId);
  const choice = chooseMembership(candidates, { classTypeId: session.classType?.id ?? null, date: localDateOf(session.startTime, zone) });
  if (!choice.ok) return choice;
  const candidate = candidates.find((c) => c.id === choice.membershipId)!;
  return { ...choice, membership: memberships.find((m) => m.id === choice.membershipId)!, planType: candidate.planType };
}

/** A pack pays for a place with one session; recurring and prepaid memberships pay nothing per place. */
function charge(membership: IUserMembership, planType: PlanType) {
  if (planType === "PACK") membership.sessionsRemaining = (membership.sessionsRemaining ?? 0) - 1;
}

function refund(membership: IUserMembership, planType: PlanType) {
  if (planType === "PACK") membership.sessionsRemaining = (membership.sessionsRemaining ?? 0) + 1;
}

/** The session row, locked: every change to its places and waitlist queues here. */
async function lockSession(tx: EntityManager, sessionId: number) {
  return tx.findOne(Session, sessionId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
}

/**
 * Locks, in one statement and by id, the memberships of `userId` (when given) and of everyone waiting on
 * the session, whose lock the caller holds (ADR 8: the session, then memberships by id). Promoting the
 * waitlist then waits for no membership, so two transactions that each hold a session and promote clients
 * waiting on both sessions cannot lock the same memberships in opposite orders and deadlock.
 */
async function lockWaitlistMemberships(tx: EntityManager, sessionId: number, userId?: number) {
  await tx.execute(
    `select id from user_membership
      where user_id = ? or user_id in (select user_id from session_registration where session_id = ? and status = 'WAITLISTED')
      order by id for update`,
    [userId ?? null, sessionId],
  );
}

/** How many places are held and the last waitlist position, in one query. */
async function placesOf(tx: EntityManager, sessionId: number) {
  const [row] = await tx.execute<{ taken: string; last: number | null }[]>(
    `select count(*) filter (where status = any(array[?]::text[])) as taken,
            max(waitlist_position) filter (where status = 'WAITLISTED') as last
       from session_registration where session_id = ?`,
    [[...HOLDS_PLACE], sessionId],
  );
  return { taken: Number(row.taken), lastPosition: row.last ?? 0 };
}

// Booking a place has its own module: it takes the session's lock for one round trip (ADR 8).
export { registerForSession, type BookResult } from "./register.server";

/** A session as the booking messages describe it (its coach's name read once). */
async function classInfo(tx: EntityManager, session: ISession): Promise<ClassInfo> {
  const coach = await tx.findOneOrFail(User, session.coach.id, { fields: ["name"] });
  return { sessionId: session.id, title: session.title, startTime: session.startTime, location: session.location ?? null, coachName: coach.name };
}

export type CancelResult = { ok: true; late: boolean } | Failure;

/** C-4: before the cut-off a free cancel (pack refunded); inside it a late cancel. Then the waitlist moves up. */
export async function cancelRegistration(em: EntityManager, input: { sessionId: number; userId: number }, now = new Date()): Promise<CancelResult | null> {
  const settings = await getSettings(em);
  return em.transactional(async (tx) => {
    const session = await lockSession(tx, input.sessionId);
    if (!session) return null;
    // The client's memberships (one is refunded) with those of the waitlist (promoted below), together.
    await lockWaitlistMemberships(tx, session.id, input.userId);
    const registration = await tx.findOne(SessionRegistration, { session, user: input.userId, status: "REGISTERED" });
    if (!registration) return refuse("You are not booked on this session.");
    if (now.getTime() >= session.startTime.getTime()) return refuse("This session has started, so the booking can no longer be cancelled.");
    const membership = registration.membership
      ? await tx.findOne(UserMembership, registration.membership.id, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true })
      : null;
    if (membership) await tx.populate(membership, ["plan"]);
    const cutoff = membership?.plan.lateCancelCutoffHours ?? settings.defaultLateCancelCutoffHours;
    const late = isLateCancel(session.startTime, cutoff, now);
    registration.status = late ? "LATE_CANCELLED" : "CANCELLED";
    registration.cancelledAt = now;
    if (!late && membership) refund(membership, membership.plan.type);
    await tx.flush();
    if (late) {
      const about = { session: await classInfo(tx, session), registrationId: registration.id, cutoffHours: cutoff };
      const message = lateCancel(studioOf(settings), { ...about, plan: membership?.plan ?? null, sessionsRemaining: membership?.sessionsRemaining ?? null });
      await notify(tx, { userId: input.userId, ...message });
    }
    await promoteFromWaitlist(tx, session, settings.studioTimeZone, now);
    return { ok: true as const, late };
  });
}

/** Leaves the waitlist at any time, free; the places behind close up. */
export async function leaveWaitlist(em: EntityManager, input: { sessionId: number; userId: number }, now = new Date()): Promise<{ ok: true } | Failure | null> {
  return em.transactional(async (tx) => {
    const session = await lockSession(tx, input.sessionId);
    if (!session) return null;
    const registration = await tx.findOne(SessionRegistration, { session, user: input.userId, status: "WAITLISTED" });
    if (!registration) return refuse("You are not on the waitlist for this session.");
    registration.status = "CANCELLED";
    registration.waitlistPosition = null;
    registration.cancelledAt = now;
    await tx.flush();
    await closeUpWaitlist(tx, session.id);
    return { ok: true as const };
  });
}

/**
 * Fills open places from the waitlist, first come first served. A client whose memberships can no
 * longer book the session is taken off and told why. Call inside a transaction holding the session lock,
 * and holding no membership's lock unless it took the waitlist's too, in one go by id (as cancelling,
 * `lockForRelease` and releasing a person's bookings do): it locks them all here first, by id, never
 * one client after another in the waitlist's order.
 */
export async function promoteFromWaitlist(tx: EntityManager, session: ISession, zone: string, now: Date): Promise<number> {
  if (session.status === "CANCELLED" || now.getTime() >= session.startTime.getTime()) return 0;
  let promoted = 0;
  let { taken } = await placesOf(tx, session.id);
  if (taken < session.maxOccupancy) await lockWaitlistMemberships(tx, session.id);
  const waiting = await tx.find(SessionRegistration, { session, status: "WAITLISTED" }, { orderBy: { waitlistPosition: "asc" }, populate: ["user"] });
  const label = `${session.title} on ${formatDateTime(session.startTime, zone)}`;
  // The email names the studio's zone with the time (formatWhen); the subject stays short.
  const when = `${session.title} on ${formatWhen(session.startTime, zone)}`;
  for (const registration of waiting) {
    if (taken >= session.maxOccupancy) break;
    const choice = await choose(tx, registration.user.id, session, zone, now);
    registration.waitlistPosition = null;
    if (choice.ok) {
      charge(choice.membership, choice.planType);
      Object.assign(registration, { status: "REGISTERED", membership: choice.membership, promotedFromWaitlistAt: now });
      await notify(tx, {
        userId: registration.user.id,
        kind: "WAITLIST_PROMOTED",
        subject: `You're in: ${label}`,
        body: `A place opened up and you are now booked on ${when}.`,
        payload: { sessionId: session.id, registrationId: registration.id },
      });
      taken++;
      promoted++;
    } else {
      Object.assign(registration, { status: "CANCELLED", cancelledAt: now });
      await notify(tx, {
        userId: registration.user.id,
        kind: "WAITLIST_SKIPPED",
        subject: `Waitlist: ${label}`,
        body: `A place opened up on ${when}, but we could not book it for you: ${choice.message}`,
        payload: { sessionId: session.id, registrationId: registration.id, reason: choice.reason },
      });
    }
    await tx.flush();
  }
  await closeUpWaitlist(tx, session.id);
  return promoted;
}

/** Renumbers the waitlist 1..n in order (the unique position constraint is deferred to commit). */
async function closeUpWaitlist(tx: EntityManager, sessionId: number) {
  await tx.execute(
    `update session_registration r set waitlist_position = o.position
       from (select id, row_number() over (order by waitlist_position, id) as position
               from session_registration where session_id = ? and status = 'WAITLISTED') o
      where r.id = o.id and r.waitlist_position <> o.position`,
    [sessionId],
    "run",
  );
}

// ---------- a membership that ends or pauses gives its places back (ADR 14) ----------

/** The sessions and memberships a release holds locked, as `lockForRelease` took them. */
export type ReleaseLocks = { membershipId: number; sessionIds: number[] };

/**
 * A booking charged to the membership landed between `lockForRelease` reading its sessions and locking
 * them, so a session the release needs is not locked: run the whole transaction again (`withRelease`).
 */
export class ReleaseRaced extends Error {
  constructor() {
    super("A booking charged to the membership arrived while its sessions were being locked; try again.");
  }
}

/**
 * Takes the locks a membership change that releases bookings needs, in the booking's order (ADR 8, 14):
 * first the sessions of the membership's bookings that have not started (by id), then the memberships of
 * the client and of everyone waiting on those sessions (by id), so a release never holds a membership
 * while it waits for a session, and promoting a waitlist takes no lock it does not hold already. The
 * sessions are read before they are locked; `releaseBookings` notices (`ReleaseRaced`) a booking that
 * arrived in between. Answers the membership, locked and with its plan, or null when it is not found
 * (or not `userId`'s). Call it first in the transaction, instead of locking the membership.
 */
export async function lockForRelease(
  tx: EntityManager,
  input: { membershipId: number; userId?: number; now: Date },
): Promise<{ membership: IUserMembership; locks: ReleaseLocks } | null> {
  const found = await tx.findOne(UserMembership, { id: input.membershipId, ...(input.userId ? { user: input.userId } : {}) }, { fields: ["user"] });
  if (!found) return null;
  const sessionIds = (
    await tx.execute<{ session_id: number }[]>(
      `select distinct r.session_id from session_registration r join session s on s.id = r.session_id
        where r.membership_id = ? and r.status in ('REGISTERED', 'WAITLISTED') and s.start_time > ?`,
      [input.membershipId, input.now],
    )
  ).map((row) => row.session_id);
  // Sorted before FOR UPDATE, so the rows are locked one after the other in id order.
  if (sessionIds.length) await tx.execute(`select id from session where id = any(array[?]::int[]) order by id for update`, [sessionIds]);
  await tx.execute(
    `select id from user_membership
      where user_id = ? or user_id in (select user_id from session_registration where session_id = any(array[?]::int[]) and status = 'WAITLISTED')
      order by id for update`,
    [found.user.id, sessionIds],
  );
  const membership = await tx.findOneOrFail(UserMembership, input.membershipId, { refresh: true, populate: ["plan"] });
  return { membership, locks: { membershipId: input.membershipId, sessionIds } };
}

/**
 * Runs `work` in a transaction, again (at most three times) when a booking raced the release's locks.
 * What `work` changes must be undone by a rollback alone (no calls out of the database).
 */
export async function withRelease<T>(em: EntityManager, work: (tx: EntityManager) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await em.transactional(work);
    } catch (error) {
      if (!(error instanceof ReleaseRaced) || attempt >= 3) throw error;
    }
  }
}

export type Released = { released: number; moved: number; promoted: number };

/**
 * Gives back the places of a membership that covers nothing from `from` (paused or cancelled: now; ending
 * at its period end: the day after its last), inside the caller's transaction, which took `locks` with
 * `lockForRelease` and has flushed the membership's change. Each of its bookings that `mustGiveUp`, in
 * the order the sessions start, moves to another membership of the client that can cover it (the booking's
 * own choice and limits; a pack is charged for a place), or else is cancelled free: CANCELLED, never late,
 * a pack refunded. Then each session's waitlist moves up, and the client gets one notification listing the
 * classes released (none when nothing was).
 */
export async function releaseBookings(
  tx: EntityManager,
  input: { membershipId: number; from: Date; now: Date; zone: string; locks: ReleaseLocks },
): Promise<Released> {
  const { membershipId, from, now, zone, locks } = input;
  if (locks.membershipId !== membershipId) throw new Error("releaseBookings needs the locks lockForRelease took for this membership.");
  const membership = await tx.findOneOrFail(UserMembership, membershipId, { populate: ["plan"] });
  const bookings = await tx.find(
    SessionRegistration,
    { membership: membershipId, status: { $in: ["REGISTERED", "WAITLISTED"] } },
    { populate: ["session"], refresh: true },
  );
  const givingUp = bookings
    .filter((r) => mustGiveUp({ status: r.status, sessionStatus: r.session.status, startTime: r.session.startTime }, { from, now }))
    .sort((a, b) => a.session.startTime.getTime() - b.session.startTime.getTime() || a.id - b.id);
  if (givingUp.some((r) => !locks.sessionIds.includes(r.session.id))) throw new ReleaseRaced();

  const userId = membership.user.id;
  const released: { title: string; startTime: Date; sessionId: number; registrationId: number }[] = [];
  const touched = new Map<number, ISession>();
  let moved = 0;
  for (const registration of givingUp) {
    const session = registration.session;
    const waiting = registration.status === "WAITLISTED";
    const choice = await choose(tx, userId, session, zone, now, undefined, membershipId);
    // A place held was paid for by this membership: a pack gets its session back either way.
    if (!waiting) refund(membership, membership.plan.type);
    if (choice.ok) {
      if (!waiting) charge(choice.membership, choice.planType);
      registration.membership = choice.membership;
      moved++;
    } else {
      Object.assign(registration, { status: "CANCELLED", cancelledAt: now, waitlistPosition: null });
      released.push({ title: session.title, startTime: session.startTime, sessionId: session.id, registrationId: registration.id });
      touched.set(session.id, session);
    }
    await tx.flush();
  }
  let promoted = 0;
  for (const session of touched.values()) promoted += await promoteFromWaitlist(tx, session, zone, now);

  if (released.length) {
    const lines = released.map((r) => `- ${r.title} on ${formatWhen(r.startTime, zone)}`);
    await notify(tx, {
      userId,
      kind: "BOOKINGS_RELEASED",
      subject: `${membership.plan.name}: ${releasedPhrase(released.length)}`,
      body: `Your ${membership.plan.name} membership no longer covers these classes, so your places were given back (no late-cancel charge):\n${lines.join("\n")}`,
      payload: { membershipId, sessionIds: released.map((r) => r.sessionId), registrationIds: released.map((r) => r.registrationId) },
    });
  }
  return { released: released.length, moved, promoted };
}
