import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import type { FieldErrors } from "~/utils/forms";
import { formatDate, formatTime, todayIn, weekRange, type LocalDate } from "~/utils/time";
import { User } from "../auth/auth.entities.server";
import { COUNTS_TOWARD_WEEK } from "../booking/booking.rules";
import { ClassType } from "../sessions/sessions.entities.server";
import { FormAlreadySubmitted, previousSubmission, recordFormSubmission, TOKEN_USED_ELSEWHERE } from "../idempotency/idempotency.service.server";
import { getSettings } from "../settings/settings.service.server";
import {
  MembershipClassTypeAllowance,
  MembershipEvent,
  MembershipPlan,
  UserMembership,
  type IMembershipPlan,
  type IUserMembership,
  type MembershipAction,
  type MembershipStatus,
} from "./memberships.entities.server";
import { clientCancellation, currentBillingPeriod, effectiveMembershipStatus, prepaidEndDate, repeatRefusal, resumeAfterPause, tallyMemberships, usageFor, type MembershipTotals, type SessionUsage } from "./memberships.rules";
import type { MemberSearch, PlanInput } from "./memberships.schema";

type Failure = { ok: false; fieldErrors: FieldErrors; formError?: string };
const fail = (formError: string, fieldErrors: FieldErrors = {}): Failure => ({ ok: false, fieldErrors, formError });

async function studioToday(em: EntityManager, now = new Date()): Promise<LocalDate> {
  return todayIn((await getSettings(em)).studioTimeZone, now);
}

// ---------- plans ----------

export async function listPlans(em: EntityManager, options: { includeInactive?: boolean; purchasableOnly?: boolean } = {}) {
  const where: Record<string, unknown> = {};
  if (!options.includeInactive) where.isActive = true;
  if (options.purchasableOnly) where.purchasableByClient = true;
  const plans = await em.find(MembershipPlan, where, { orderBy: { isActive: "desc", type: "asc", pricePence: "asc", name: "asc" } });
  const allowances = await em.find(MembershipClassTypeAllowance, { plan: { $in: plans.map((p) => p.id) } }, { populate: ["classType"] });
  return plans.map((plan) => ({
    plan,
    classTypes: allowances.filter((a) => a.plan.id === plan.id).map((a) => ({ id: a.classType.id, name: a.classType.name })),
  }));
}

export async function getPlan(em: EntityManager, id: number) {
  const plan = await em.findOne(MembershipPlan, id);
  if (!plan) return null;
  const allowances = await em.find(MembershipClassTypeAllowance, { plan }, { populate: ["classType"] });
  return { plan, classTypeIds: allowances.map((a) => a.classType.id) };
}

async function checkClassTypes(em: EntityManager, ids: number[]): Promise<FieldErrors | null> {
  if (!ids.length) return null;
  const found = await em.count(ClassType, { id: { $in: ids } });
  return found === new Set(ids).size ? null : { classTypeIds: ["Choose class types from the list."] };
}

async function setAllowances(em: EntityManager, plan: IMembershipPlan, classTypeIds: number[]) {
  await em.nativeDelete(MembershipClassTypeAllowance, { plan });
  for (const id of new Set(classTypeIds)) em.create(MembershipClassTypeAllowance, { plan, classType: em.getReference(ClassType, id) });
}

function planData(input: PlanInput, currency: string) {
  const { classTypeIds: _ignored, price, ...rest } = input;
  return { ...rest, pricePence: price, currency };
}

export async function createPlan(em: EntityManager, input: PlanInput): Promise<{ ok: true; plan: IMembershipPlan } | Failure> {
  const invalid = await checkClassTypes(em, input.classTypeIds);
  if (invalid) return { ok: false, fieldErrors: invalid };
  const settings = await getSettings(em);
  return em.transactional(async (tx) => {
    const plan = tx.create(MembershipPlan, { ...planData(input, settings.currency), isActive: true });
    await tx.flush();
    await setAllowances(tx, plan, input.classTypeIds);
    await tx.flush();
    return { ok: true as const, plan };
  });
}

export async function updatePlan(em: EntityManager, id: number, input: PlanInput): Promise<{ ok: true; plan: IMembershipPlan } | Failure | null> {
  const invalid = await checkClassTypes(em, input.classTypeIds);
  if (invalid) return { ok: false, fieldErrors: invalid };
  return em.transactional(async (tx) => {
    const plan = await tx.findOne(MembershipPlan, id);
    if (!plan) return null;
    if (plan.type !== input.type && (await tx.count(UserMembership, { plan }))) {
      return { ok: false as const, fieldErrors: { type: ["Members hold this plan, so its type cannot change. Create a new plan instead."] } };
    }
    tx.assign(plan, planData(input, plan.currency));
    await setAllowances(tx, plan, input.classTypeIds);
    await tx.flush();
    return { ok: true as const, plan };
  });
}

/** Soft delete: existing memberships carry on; the plan can no longer be assigned or bought. */
export async function setPlanActive(em: EntityManager, id: number, active: boolean) {
  const plan = await em.findOne(MembershipPlan, id);
  if (!plan) return null;
  plan.isActive = active;
  await em.flush();
  return plan;
}

// ---------- memberships ----------

function record(em: EntityManager, membership: IUserMembership, action: MembershipAction, actorId: number | null, note?: string) {
  em.create(MembershipEvent, { membership, action, actor: actorId ? em.getReference(User, actorId) : null, note: note ?? null, at: new Date() });
}

/**
 * A-2: an admin gives a user a plan without payment. The member's row is locked first, so two assigns of
 * a one-per-member plan run one after the other and the second sees the first. With a `formToken` the
 * form's second submission creates nothing and answers the first's membership, `replayed`.
 */
export async function assignMembership(
  em: EntityManager,
  input: { userId: number; planId: number; startDate: LocalDate; actorId: number; formToken?: string },
): Promise<{ ok: true; membership: IUserMembership; replayed: boolean } | Failure | null> {
  const { formToken } = input;
  const replay = async () => {
    if (!formToken) return null;
    const previous = await previousSubmission(em, { token: formToken, purpose: "assign-membership", actorId: input.actorId });
    if (previous.kind === "none") return null;
    const membership = previous.kind === "same" ? await em.findOne(UserMembership, { id: previous.resultId, user: input.userId }) : null;
    return membership ? { ok: true as const, membership, replayed: true } : fail(TOKEN_USED_ELSEWHERE);
  };
  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await em.transactional(async (tx) => {
      const user = await tx.findOne(User, input.userId, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!user) return null;
      const plan = await tx.findOne(MembershipPlan, { id: input.planId, isActive: true });
      if (!plan) return fail("Please correct the fields marked below.", { planId: ["Choose an active plan from the list."] });
      const refusal = repeatRefusal(plan, plan.allowRepeatPurchase ? 0 : await tx.count(UserMembership, { user, plan }));
      if (refusal) return fail("Please correct the fields marked below.", { planId: [refusal] });
      const membership = tx.create(UserMembership, {
        user,
        plan,
        startDate: input.startDate,
        endDate: plan.type === "PREPAID" ? prepaidEndDate(input.startDate, plan.durationDays!) : null,
        status: "ACTIVE",
        sessionsRemaining: plan.type === "PACK" ? plan.totalSessions : null,
        cancelAtPeriodEnd: false,
      });
      record(tx, membership, "ASSIGNED", input.actorId, `Assigned by an admin from ${formatDate(input.startDate, "UTC")}`);
      await tx.flush();
      if (formToken) await recordFormSubmission(tx, { token: formToken, purpose: "assign-membership", actorId: input.actorId, resultId: membership.id });
      return { ok: true as const, membership, replayed: false };
    });
  } catch (error) {
    // The same form, submitted again while the first was being saved: that one stands, this one rolled back.
    if (error instanceof FormAlreadySubmitted) return (await replay()) ?? fail(TOKEN_USED_ELSEWHERE);
    throw error;
  }
}

/** A membership as its owner's page names it: another member's id finds nothing. */
export type MembershipRef = { membershipId: number; userId: number; actorId: number };

/**
 * Runs `change` in a transaction on the member's membership, locked and with its plan, and saves what
 * it did; null when the membership is not that member's.
 */
async function changeMembership<T>(
  em: EntityManager,
  ref: { membershipId: number; userId: number },
  change: (membership: IUserMembership, tx: EntityManager) => T | Failure,
): Promise<T | Failure | null> {
  return em.transactional(async (tx) => {
    const membership = await tx.findOne(UserMembership, { id: ref.membershipId, user: ref.userId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!membership) return null;
    await tx.populate(membership, ["plan"]);
    const result = change(membership, tx);
    await tx.flush();
    return result;
  });
}

export async function pauseMembership(em: EntityManager, input: MembershipRef, now = new Date()) {
  const today = await studioToday(em, now);
  return changeMembership(em, input, (membership, tx) => {
    const status = effective(membership, today);
    if (status !== "ACTIVE") return fail(`Only an active membership can be paused; this one is ${status.toLowerCase()}.`);
    membership.status = "PAUSED";
    membership.pausedOn = today;
    record(tx, membership, "PAUSED", input.actorId);
    return { ok: true as const };
  });
}

export async function resumeMembership(em: EntityManager, input: MembershipRef, now = new Date()) {
  const today = await studioToday(em, now);
  return changeMembership(em, input, (membership, tx) => {
    if (membership.status !== "PAUSED" || !membership.pausedOn) return fail("Only a paused membership can be resumed.");
    const { endDate, pausedDays } = resumeAfterPause({ planType: membership.plan.type, endDate: membership.endDate ?? null, pausedOn: membership.pausedOn }, today);
    membership.status = "ACTIVE";
    membership.endDate = endDate;
    membership.pausedOn = null;
    record(tx, membership, "RESUMED", input.actorId, membership.plan.type === "PREPAID" ? `Paused ${pausedDays} day(s); now ends ${endDate ? formatDate(endDate, "UTC") : "—"}` : `Paused ${pausedDays} day(s)`);
    return { ok: true as const };
  });
}

/** An admin ends a membership today, whatever its type. */
export async function adminCancelMembership(em: EntityManager, input: MembershipRef, now = new Date()) {
  const today = await studioToday(em, now);
  return changeMembership(em, input, (membership, tx) => {
    if (effective(membership, today) === "CANCELLED") return fail("This membership is already cancelled.");
    membership.status = "CANCELLED";
    membership.cancelledAt = now;
    membership.pausedOn = null;
    endToday(membership, today);
    record(tx, membership, "CANCELLED", input.actorId, "Cancelled by an admin");
    return { ok: true as const };
  });
}

/** C-8: a client cancels their own membership: RECURRING at the end of the billing period, others at once. */
export async function clientCancelMembership(em: EntityManager, input: { membershipId: number; userId: number }, now = new Date()) {
  const today = await studioToday(em, now);
  return changeMembership(em, input, (membership, tx) => {
    const status = effective(membership, today);
    if (status === "CANCELLED" || status === "EXPIRED" || membership.cancelAtPeriodEnd) return fail("This membership is already ending.");
    const when = clientCancellation({ planType: membership.plan.type, startDate: membership.startDate }, today);
    if (when.kind === "at-period-end") {
      membership.cancelAtPeriodEnd = true;
      membership.endDate = when.endDate;
      membership.cancelledAt = now;
      record(tx, membership, "CANCEL_SCHEDULED", input.userId, `Ends after ${formatDate(when.endDate, "UTC")}`);
    } else {
      membership.status = "CANCELLED";
      membership.cancelledAt = now;
      endToday(membership, today);
      record(tx, membership, "CANCELLED", input.userId, "Cancelled by the member");
    }
    return { ok: true as const, kind: when.kind, endDate: membership.endDate ?? null };
  });
}

/** The last day becomes today (or the start, for one that had not begun). */
function endToday(membership: IUserMembership, today: LocalDate) {
  if (!membership.endDate || membership.endDate > today) membership.endDate = today < membership.startDate ? membership.startDate : today;
}

function effective(m: IUserMembership, today: LocalDate): MembershipStatus {
  return effectiveMembershipStatus({ status: m.status, endDate: m.endDate ?? null, cancelAtPeriodEnd: m.cancelAtPeriodEnd, planType: m.plan.type }, today);
}

// ---------- reading ----------

/**
 * "Used this week", the one definition that booking and the usage bar share: per membership, the bookings
 * charged to it (`session_registration.membership_id`) whose status counts toward the week
 * (`COUNTS_TOWARD_WEEK`) and whose session starts in the studio week (Monday–Sunday, studio time zone)
 * containing `date`. Memberships without such bookings are absent from the map.
 */
export async function usedInWeek(em: EntityManager, membershipIds: number[], date: LocalDate, zone: string): Promise<Map<number, number>> {
  if (!membershipIds.length) return new Map();
  const week = weekRange(date, zone);
  const rows = await em.execute<{ membership_id: number; used: string }[]>(
    `select r.membership_id, count(*) as used
       from session_registration r join session s on s.id = r.session_id
      where r.membership_id = any(array[?]::int[]) and r.status = any(array[?]::text[])
        and s.start_time >= ? and s.start_time < ?
      group by r.membership_id`,
    [membershipIds, [...COUNTS_TOWARD_WEEK], week.start, week.end],
  );
  return new Map(rows.map((row) => [row.membership_id, Number(row.used)]));
}

/** PRD section 6's getSessionUsage: one entry per membership that can be used now. */
export async function getSessionUsage(em: EntityManager, userId: number, now = new Date()): Promise<SessionUsage[]> {
  const zone = (await getSettings(em)).studioTimeZone;
  const today = todayIn(zone, now);
  const memberships = await em.find(UserMembership, { user: userId, status: "ACTIVE" }, { populate: ["plan"], orderBy: { startDate: "asc", id: "asc" } });
  const usable = memberships.filter((m) => effective(m, today) === "ACTIVE");
  const used = await usedInWeek(em, usable.filter((m) => m.plan.sessionsPerWeek).map((m) => m.id), today, zone);
  return usable.map((m) =>
    usageFor(
      {
        membershipId: m.id,
        planName: m.plan.name,
        planType: m.plan.type,
        sessionsPerWeek: m.plan.sessionsPerWeek ?? null,
        totalSessions: m.plan.totalSessions ?? null,
        sessionsRemaining: m.sessionsRemaining ?? null,
        startDate: m.startDate,
        endDate: m.endDate ?? null,
        usedThisWeek: used.get(m.id) ?? 0,
      },
      today,
    ),
  );
}

export type MembershipView = {
  id: number;
  planId: number;
  planName: string;
  planType: IMembershipPlan["type"];
  pricePence: number;
  currency: string;
  startDate: LocalDate;
  endDate: LocalDate | null;
  status: MembershipStatus;
  cancelAtPeriodEnd: boolean;
  sessionsRemaining: number | null;
  nextBillingDate: LocalDate | null;
  pausedOn: LocalDate | null;
  usage: SessionUsage | null;
  events: { action: MembershipAction; at: string; atLabel: string; actorName: string | null; note: string | null }[];
};

/** Every membership of a user, newest first, with its effective status, usage and history. */
export async function listMemberships(em: EntityManager, userId: number, now = new Date()): Promise<MembershipView[]> {
  const zone = (await getSettings(em)).studioTimeZone;
  const today = todayIn(zone, now);
  const memberships = await em.find(UserMembership, { user: userId }, { populate: ["plan"], orderBy: { createdAt: "desc", id: "desc" } });
  const events = await em.find(MembershipEvent, { membership: { $in: memberships.map((m) => m.id) } }, { populate: ["actor"], orderBy: { at: "desc", id: "desc" } });
  const usage = await getSessionUsage(em, userId, now);
  return memberships.map((m) => {
    const status = effective(m, today);
    return {
      id: m.id,
      planId: m.plan.id,
      planName: m.plan.name,
      planType: m.plan.type,
      pricePence: m.plan.pricePence,
      currency: m.plan.currency,
      startDate: m.startDate,
      endDate: m.endDate ?? null,
      status,
      cancelAtPeriodEnd: m.cancelAtPeriodEnd,
      sessionsRemaining: m.sessionsRemaining ?? null,
      nextBillingDate: m.plan.type === "RECURRING" && status === "ACTIVE" && !m.cancelAtPeriodEnd ? currentBillingPeriod(m.startDate, today).nextBillingDate : null,
      pausedOn: m.pausedOn ?? null,
      usage: usage.find((u) => u.membershipId === m.id) ?? null,
      events: events
        .filter((e) => e.membership.id === m.id)
        .map((e) => ({ action: e.action, at: e.at.toISOString(), atLabel: `${formatDate(e.at, zone)} ${formatTime(e.at, zone)}`, actorName: e.actor?.name ?? null, note: e.note ?? null })),
    };
  });
}

/** Memberships in effect today by plan type, and the paused ones (expiry derived as everywhere else). */
export async function membershipTotals(em: EntityManager, now = new Date()): Promise<MembershipTotals> {
  const today = todayIn((await getSettings(em)).studioTimeZone, now);
  const memberships = await em.find(UserMembership, { status: { $in: ["ACTIVE", "PAUSED"] } }, { populate: ["plan"] });
  return tallyMemberships(memberships.map((m) => ({ planType: m.plan.type, status: effective(m, today) })));
}

export const MEMBERS_PAGE_SIZE = 25;

/** Admin member search by name or email, optionally by plan and by effective membership status. */
export async function searchMembers(em: EntityManager, search: MemberSearch, now = new Date()) {
  const today = await studioToday(em, now);
  const conditions: string[] = [`u.role = 'CLIENT'`];
  const params: unknown[] = [];
  if (search.q) {
    conditions.push(`(u.name ilike ? or u.email ilike ?)`);
    const pattern = `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(pattern, pattern);
  }
  // The effective status in SQL, matching effectiveMembershipStatus.
  const effectiveSql = `case
      when m.status = 'CANCELLED' then 'CANCELLED'
      when m.status = 'PAUSED' and exists (select 1 from membership_plan p where p.id = m.plan_id and p.type = 'PREPAID') then 'PAUSED'
      when m.end_date is not null and m.end_date < ?::date then case when m.cancel_at_period_end then 'CANCELLED' else 'EXPIRED' end
      else m.status end`;
  if (search.plan || search.status) {
    if (search.status === "NONE") {
      conditions.push(`not exists (select 1 from user_membership m where m.user_id = u.id and (${effectiveSql}) in ('ACTIVE', 'PAUSED'))`);
      params.push(today);
    } else {
      const inner: string[] = ["m.user_id = u.id"];
      if (search.plan) {
        inner.push("m.plan_id = ?");
        params.push(search.plan);
      }
      if (search.status) {
        inner.push(`(${effectiveSql}) = ?`);
        params.push(today, search.status);
      }
      conditions.push(`exists (select 1 from user_membership m where ${inner.join(" and ")})`);
    }
  }
  const where = conditions.join(" and ");
  const page = search.page ?? 1;
  const connection = em;
  const [{ total }] = await connection.execute<{ total: string }[]>(`select count(*) as total from "user" u where ${where}`, params);
  const rows = await connection.execute<{ id: number; name: string; email: string }[]>(
    `select u.id, u.name, u.email from "user" u where ${where} order by u.name, u.id limit ? offset ?`,
    [...params, MEMBERS_PAGE_SIZE, (page - 1) * MEMBERS_PAGE_SIZE],
  );
  const memberships = await em.find(UserMembership, { user: { $in: rows.map((r) => r.id) } }, { populate: ["plan"] });
  return {
    page,
    total: Number(total),
    pageCount: Math.max(1, Math.ceil(Number(total) / MEMBERS_PAGE_SIZE)),
    members: rows.map((r) => ({
      ...r,
      memberships: memberships
        .filter((m) => m.user.id === r.id)
        .map((m) => ({ id: m.id, planName: m.plan.name, status: effective(m, today) }))
        .filter((m) => m.status === "ACTIVE" || m.status === "PAUSED"),
    })),
  };
}

export async function findMember(em: EntityManager, userId: number) {
  return em.findOne(User, userId, { fields: ["id", "name", "email", "role"] });
}
