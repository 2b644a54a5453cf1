// Cohorts themselves: creating and editing them, their status, their coaches and their members
// (added by a coach, or joining and leaving themselves). Read models are in cohort-views.server.ts.
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import type { FieldErrors } from "~/utils/forms";
import { flushUnlessDuplicate, hasErrors, invalid, isUniqueViolation, refuse, type Failure, type Result } from "~/utils/result";
import type { LocalDate } from "~/utils/time";
import { User, type IUser, type Role } from "../auth/auth.entities.server";
import { MembershipPlan, UserMembership } from "../memberships/memberships.entities.server";
import { studioToday } from "../settings/settings.service.server";
import { oncePerFormToken } from "../idempotency/idempotency.service.server";
import { cohortForCoach } from "./cohort-access.server";
import { registrationWindowRefusal, selfJoinRefusal, startDateRefusal, statusLabel } from "./cohort-membership.rules";
import {
  CoachCohortMembership,
  Cohort,
  CohortCheckInConfig,
  CohortMembership,
  CohortPlan,
  QuestionnaireBundle,
  type CohortStatus,
  type ICohort,
} from "./cohorts.entities.server";
import { holdsMembersActive, nextStatus } from "./cohorts.rules";
import type { CohortCreateInput, CohortEditInput } from "./cohorts.schema";

export type Actor = { id: number; role: Role };

// ---------- the cohort's own fields ----------

/** The checks that need more than one field or the database; `keepPlanIds` may stay linked though no longer active. */
async function fieldErrors(em: EntityManager, input: CohortEditInput, keepPlanIds: number[] = []): Promise<FieldErrors> {
  const errors: FieldErrors = {};
  const start = startDateRefusal(input.startDate);
  if (start) errors.startDate = [start];
  const window = registrationWindowRefusal({
    registrationOpensOn: input.registrationOpensOn ?? null,
    registrationClosesOn: input.registrationClosesOn ?? null,
  });
  if (window) errors[window.field] = [window.message];
  const planIds = [...new Set(input.planIds)];
  if (planIds.length) {
    const plans = await em.find(MembershipPlan, { id: { $in: planIds } }, { fields: ["id", "isActive"] });
    const usable = plans.filter((plan) => plan.isActive || keepPlanIds.includes(plan.id));
    if (usable.length !== planIds.length) errors.planIds = ["Choose plans from the list (active plans only)."];
  }
  return errors;
}

function cohortValues(input: CohortEditInput) {
  return {
    name: input.name,
    description: input.description ?? null,
    startDate: input.startDate,
    weeks: input.weeks,
    capacity: input.capacity,
    registrationOpensOn: input.registrationOpensOn ?? null,
    registrationClosesOn: input.registrationClosesOn ?? null,
    isFree: input.isFree,
  };
}

async function allCoaches(em: EntityManager, ids: number[]): Promise<boolean> {
  return (await em.count(User, { id: { $in: ids }, role: { $in: ["COACH", "ADMIN"] } })) === ids.length;
}

export type CreatedCohort = { cohort: ICohort; copied: { questionnaires: number; checkIn: boolean }; replayed: boolean };

/**
 * Creates a DRAFT cohort with its coaches and plans. A coach who creates one always coaches it. With
 * `copyFromCohortId` (a cohort the actor coaches, or any for an admin) its weekly questionnaires that fit
 * the new length and its check-in settings are copied in the same transaction.
 */
export async function createCohort(em: EntityManager, actor: Actor, input: CohortCreateInput & { formToken?: string }): Promise<Result<CreatedCohort>> {
  const errors = await fieldErrors(em, input);
  const coachIds = new Set(input.coachIds);
  if (actor.role === "COACH") coachIds.add(actor.id);
  if (coachIds.size === 0) errors.coachIds = ["Choose at least one coach."];
  else if (!(await allCoaches(em, [...coachIds]))) errors.coachIds = ["Choose coaches from the list."];
  let sourceId: number | null = null;
  if (input.copyFromCohortId !== undefined) {
    const access = await cohortForCoach(em, actor, input.copyFromCohortId);
    if (access.kind === "coach") sourceId = access.cohort.id;
    else errors.copyFromCohortId = ["Choose a cohort to copy from the list."];
  }
  // With a form token, a second submission of the same form creates nothing and answers the first's cohort.
  let copied: CreatedCohort["copied"] = { questionnaires: 0, checkIn: false };
  const result = await oncePerFormToken(
    em,
    { token: input.formToken, purpose: "new-cohort", actorId: actor.id },
    (id) => em.findOne(Cohort, id),
    async (tx) => {
      if (hasErrors(errors)) return invalid(errors);
      const cohort = tx.create(Cohort, { ...cohortValues(input), status: "DRAFT" }, { partial: true });
      for (const coachId of coachIds) tx.create(CoachCohortMembership, { cohort, coach: tx.getReference(User, coachId) }, { partial: true });
      for (const planId of new Set(input.planIds)) tx.create(CohortPlan, { cohort, plan: tx.getReference(MembershipPlan, planId) });
      if (sourceId !== null) copied = await copyProgramme(tx, sourceId, cohort);
      await tx.flush();
      return { ok: true, record: cohort };
    },
  );
  if (!result) return invalid(errors);
  return result.ok ? { ok: true, cohort: result.record, copied, replayed: result.replayed } : result;
}

/** Copies a cohort's weekly questionnaires (the weeks that fit `target`) and its check-in settings into `target`. */
async function copyProgramme(tx: EntityManager, sourceId: number, target: ICohort): Promise<CreatedCohort["copied"]> {
  const bundles = await tx.find(QuestionnaireBundle, { cohort: sourceId, weekNumber: { $lte: target.weeks } }, { orderBy: { weekNumber: "asc" } });
  for (const bundle of bundles) {
    tx.create(
      QuestionnaireBundle,
      { cohort: target, weekNumber: bundle.weekNumber, title: bundle.title, intro: bundle.intro ?? null, questions: structuredClone(bundle.questions) },
      { partial: true },
    );
  }
  const config = await tx.findOne(CohortCheckInConfig, { cohort: sourceId });
  if (config) tx.create(CohortCheckInConfig, { cohort: target, metrics: [...config.metrics], frequencyDays: config.frequencyDays }, { partial: true });
  return { questionnaires: bundles.length, checkIn: config !== null };
}

/**
 * Saves a cohort's fields and plans. Refused for an archived cohort, a capacity below its members, and a
 * length that would leave out a week that already has a questionnaire (its questions and answers).
 */
export async function updateCohort(em: EntityManager, cohortId: number, input: CohortEditInput): Promise<Result<{ cohort: ICohort }> | null> {
  return em.transactional(async (tx) => {
    const cohort = await tx.findOne(Cohort, cohortId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!cohort) return null;
    if (cohort.status === "ARCHIVED") return refuse(`“${cohort.name}” is archived and can no longer be changed.`);
    const linked = await tx.find(CohortPlan, { cohort }, { orderBy: { id: "asc" } });
    const errors = await fieldErrors(
      tx,
      input,
      linked.map((link) => link.plan.id),
    );
    const members = await tx.count(CohortMembership, { cohort, status: "ACTIVE" });
    if (input.capacity < members)
      errors.capacity = [`${members} ${members === 1 ? "client is a member" : "clients are members"}, so the capacity cannot go below ${members}.`];
    const [{ last }] = await tx.execute<{ last: number | null }[]>(`select max(week_number) as last from questionnaire_bundle where cohort_id = ?`, [
      cohort.id,
    ]);
    if (last !== null && input.weeks < last) {
      errors.weeks = [
        `Week ${last} has a questionnaire, so the programme needs at least ${last} weeks. Delete that week's questionnaire first to make it shorter.`,
      ];
    }
    if (hasErrors(errors)) return invalid(errors);
    tx.assign(cohort, cohortValues(input));
    const wanted = new Set(input.planIds);
    for (const link of linked) if (!wanted.has(link.plan.id)) tx.remove(link);
    for (const planId of wanted)
      if (!linked.some((link) => link.plan.id === planId)) tx.create(CohortPlan, { cohort, plan: tx.getReference(MembershipPlan, planId) });
    await tx.flush();
    return { ok: true as const, cohort };
  });
}

export type StatusMove = { cohort: ICohort; from: CohortStatus; to: CohortStatus; completedMembers: number };

/**
 * Moves a cohort one step forward (DRAFT → ACTIVE → COMPLETED → ARCHIVED). The form posts the status it
 * offered (`to`), so a second click or a stale page moves nothing. Completing (or archiving) a cohort turns
 * its active members COMPLETED, which frees them for another cohort.
 */
export async function advanceCohortStatus(em: EntityManager, cohortId: number, to: CohortStatus): Promise<Result<StatusMove> | null> {
  return em.transactional(async (tx) => {
    const cohort = await tx.findOne(Cohort, cohortId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
    if (!cohort) return null;
    const from = cohort.status;
    const next = nextStatus(from);
    if (next === null) return refuse(`“${cohort.name}” is archived: there is no further step.`);
    if (next !== to) return refuse(`“${cohort.name}” is ${statusLabel(from).toLowerCase()} now, so it cannot move to ${statusLabel(to).toLowerCase()}.`);
    cohort.status = next;
    const completedMembers = holdsMembersActive(next) ? 0 : await tx.nativeUpdate(CohortMembership, { cohort, status: "ACTIVE" }, { status: "COMPLETED" });
    await tx.flush();
    return { ok: true as const, cohort, from, to: next, completedMembers };
  });
}

// ---------- coaches ----------

export async function addCohortCoach(em: EntityManager, cohortId: number, coachId: number): Promise<Result<{ coach: IUser }> | null> {
  const cohort = await em.findOne(Cohort, cohortId);
  if (!cohort) return null;
  const coach = await em.findOne(User, { id: coachId, role: { $in: ["COACH", "ADMIN"] } });
  if (!coach) return invalid({ coachId: ["Choose a coach from the list."] });
  const already = refuse(`${coach.name} already coaches “${cohort.name}”.`);
  if (await em.count(CoachCohortMembership, { cohort, coach })) return already;
  em.create(CoachCohortMembership, { cohort, coach }, { partial: true });
  return (await flushUnlessDuplicate(em, already)) ?? { ok: true, coach };
}

/** Removes a coach from a cohort; the last one stays (the cohort row is locked, so two removals cannot leave none). */
export async function removeCohortCoach(em: EntityManager, cohortId: number, coachId: number): Promise<Result<{ coach: IUser }> | null> {
  return em.transactional(async (tx) => {
    const cohort = await tx.findOne(Cohort, cohortId, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!cohort) return null;
    const link = await tx.findOne(CoachCohortMembership, { cohort, coach: coachId }, { populate: ["coach"] });
    if (!link) return refuse("That coach does not coach this cohort.");
    if ((await tx.count(CoachCohortMembership, { cohort })) <= 1) {
      return refuse(`${link.coach.name} is the only coach of “${cohort.name}”: add another coach first.`);
    }
    tx.remove(link);
    await tx.flush();
    return { ok: true as const, coach: link.coach };
  });
}

// ---------- members ----------

/** "<name> is already in the active cohort “<other>”." (or "You are …" when joining oneself). */
function alreadyInAnother(subject: string, otherCohort: string): Failure {
  return refuse(`${subject} already in the active cohort “${otherCohort}”.`);
}

type Enrolment = { cohortId: number; user: IUser; addedById: number | null; subject: string };

/**
 * Makes `user` an active member of the cohort. The cohort row is locked first, so members are counted
 * against the capacity one request at a time; the partial unique index `cohort_membership_one_active_per_user`
 * refuses a second active cohort even when two requests for two cohorts race, and that refusal is
 * answered with the same message as the check before it. `check` adds the caller's own rules.
 */
async function enrol(
  em: EntityManager,
  input: Enrolment,
  now: Date,
  check: (tx: EntityManager, cohort: ICohort) => Promise<string | null> = async () => null,
): Promise<Result<{ cohort: ICohort; member: IUser }> | null> {
  const { user, subject } = input;
  try {
    return await em.transactional(async (tx) => {
      const cohort = await tx.findOne(Cohort, input.cohortId, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!cohort) return null;
      if (!holdsMembersActive(cohort.status)) return refuse(`“${cohort.name}” is ${statusLabel(cohort.status).toLowerCase()}, so nobody can join it.`);
      const refusal = await check(tx, cohort);
      if (refusal) return refuse(refusal);
      const existing = await tx.findOne(CohortMembership, { cohort, user: user.id });
      if (existing?.status === "ACTIVE") return refuse(`${subject} already in “${cohort.name}”.`);
      const elsewhere = await tx.findOne(CohortMembership, { user: user.id, status: "ACTIVE" }, { populate: ["cohort"] });
      if (elsewhere) return alreadyInAnother(subject, elsewhere.cohort.name);
      const members = await tx.count(CohortMembership, { cohort, status: "ACTIVE" });
      if (members >= cohort.capacity) return refuse(`“${cohort.name}” is full (${cohort.capacity} ${cohort.capacity === 1 ? "place" : "places"}).`);
      const addedBy = input.addedById === null ? null : tx.getReference(User, input.addedById);
      // A member who left and comes back keeps their one row (unique per cohort and client).
      if (existing) tx.assign(existing, { status: "ACTIVE", joinedAt: now, leftAt: null, addedBy });
      else tx.create(CohortMembership, { cohort, user: tx.getReference(User, user.id), status: "ACTIVE", joinedAt: now, addedBy }, { partial: true });
      await tx.flush();
      return { ok: true as const, cohort, member: user };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    // Another request made them a member first: say where they are now.
    const fresh = em.fork();
    const active = await fresh.findOne(CohortMembership, { user: user.id, status: "ACTIVE" }, { populate: ["cohort"] });
    if (active && active.cohort.id === input.cohortId) return refuse(`${subject} already in “${active.cohort.name}”.`);
    if (active) return alreadyInAnother(subject, active.cohort.name);
    return refuse("Someone changed this cohort at the same moment. Please try again.");
  }
}

export type MemberToAdd = { userId?: number; email?: string };

/** A coach or admin adds a client, found by id or by email. */
export async function addCohortMember(
  em: EntityManager,
  input: { cohortId: number; client: MemberToAdd; addedById: number },
  now = new Date(),
): Promise<Result<{ cohort: ICohort; member: IUser }> | null> {
  const { client } = input;
  const user =
    client.userId !== undefined
      ? await em.findOne(User, client.userId)
      : client.email !== undefined
        ? await em.findOne(User, { email: client.email.trim().toLowerCase() })
        : null;
  if (!user) return refuse(client.email !== undefined ? `Nobody has the email address ${client.email}.` : "We could not find that client.");
  if (user.role !== "CLIENT") return refuse(`${user.name} is not a client: only clients can be members of a cohort.`);
  return enrol(em, { cohortId: input.cohortId, user, addedById: input.addedById, subject: `${user.name} is` }, now);
}

/** Marks an active member LEFT (their row, check-ins and answers stay). */
async function endMembership(em: EntityManager, cohortId: number, userId: number, now: Date, notMember: (cohort: ICohort) => string) {
  return em.transactional(async (tx) => {
    const cohort = await tx.findOne(Cohort, cohortId);
    if (!cohort) return null;
    const membership = await tx.findOne(CohortMembership, { cohort, user: userId, status: "ACTIVE" }, { populate: ["user"] });
    if (!membership || !holdsMembersActive(cohort.status)) return refuse(notMember(cohort));
    tx.assign(membership, { status: "LEFT", leftAt: now });
    await tx.flush();
    return { ok: true as const, cohort, member: membership.user };
  });
}

export async function removeCohortMember(
  em: EntityManager,
  input: { cohortId: number; userId: number },
  now = new Date(),
): Promise<Result<{ cohort: ICohort; member: IUser }> | null> {
  return endMembership(em, input.cohortId, input.userId, now, (cohort) => `That client is not an active member of “${cohort.name}”.`);
}

/** The plans of the client's memberships that are ACTIVE and within their dates on `today`. */
export async function heldPlanIds(em: EntityManager, userId: number, today: LocalDate): Promise<Set<number>> {
  const memberships = await em.find(
    UserMembership,
    { user: userId, status: "ACTIVE", startDate: { $lte: today }, $or: [{ endDate: null }, { endDate: { $gte: today } }] },
    { fields: ["plan"] },
  );
  return new Set(memberships.map((m) => m.plan.id));
}

/** The plans whose holders may join each cohort, by cohort id. */
export async function plansByCohort(em: EntityManager, cohortIds: number[]): Promise<Map<number, { id: number; name: string }[]>> {
  const byCohort = new Map<number, { id: number; name: string }[]>();
  if (!cohortIds.length) return byCohort;
  const links = await em.find(CohortPlan, { cohort: { $in: cohortIds } }, { populate: ["plan"], orderBy: { plan: { name: "asc" } } });
  for (const link of links) {
    const list = byCohort.get(link.cohort.id) ?? [];
    list.push({ id: link.plan.id, name: link.plan.name });
    byCohort.set(link.cohort.id, list);
  }
  return byCohort;
}

/** A client joins a cohort themselves: while registration is open, when it is free or they hold one of its plans. */
export async function joinCohort(
  em: EntityManager,
  input: { cohortId: number; userId: number },
  now = new Date(),
): Promise<Result<{ cohort: ICohort }> | null> {
  const user = await em.findOne(User, input.userId);
  if (!user) return null;
  if (user.role !== "CLIENT") return refuse("Only clients can join a cohort.");
  const today = await studioToday(em, now);
  const result = await enrol(em, { cohortId: input.cohortId, user, addedById: null, subject: "You are" }, now, async (tx, cohort) => {
    const plans = (await plansByCohort(tx, [cohort.id])).get(cohort.id) ?? [];
    return selfJoinRefusal(cohort, plans, await heldPlanIds(tx, user.id, today), today);
  });
  return result && (result.ok ? { ok: true, cohort: result.cohort } : result);
}

/** A client leaves their DRAFT or ACTIVE cohort. */
export async function leaveCohort(
  em: EntityManager,
  input: { cohortId: number; userId: number },
  now = new Date(),
): Promise<Result<{ cohort: ICohort }> | null> {
  const result = await endMembership(em, input.cohortId, input.userId, now, (cohort) => `You are not a member of “${cohort.name}”.`);
  return result && (result.ok ? { ok: true, cohort: result.cohort } : result);
}
