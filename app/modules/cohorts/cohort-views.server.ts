// What coaches, admins and clients see of cohorts (read models; the commands are in cohorts.service.server.ts).
import type { EntityManager } from "@mikro-orm/postgresql";
import { addDays, formatDate, mondayOf, todayIn, type LocalDate } from "~/utils/time";
import { User } from "../auth/auth.entities.server";
import { registrationCounts } from "../booking/registration-counts.server";
import { MembershipPlan } from "../memberships/memberships.entities.server";
import { Session, type ISession } from "../sessions/sessions.entities.server";
import { effectiveStatus, sessionLabels, type SessionStatus } from "../sessions/sessions.rules";
import { listCoaches } from "../sessions/lookups.server";
import { getSettings } from "../settings/settings.service.server";
import { cohortIdsCoachedBy, type Viewer } from "./cohort-access.server";
import { programmeLabel, registrationLabel, registrationOpen, registrationState, selfJoinRefusal, statusLabel } from "./cohort-membership.rules";
import { CoachCohortMembership, Cohort, CohortMembership, COHORT_STATUSES, type CohortStatus, type ICohort } from "./cohorts.entities.server";
import { nextStatus } from "./cohorts.rules";
import { heldPlanIds, plansByCohort } from "./cohorts.service.server";

/** Active members per cohort (cohorts without any are absent). */
async function activeMemberCounts(em: EntityManager, cohortIds: number[]): Promise<Map<number, number>> {
  const counts = new Map<number, number>();
  if (!cohortIds.length) return counts;
  const rows = await em.execute<{ cohort_id: number; members: string }[]>(
    `select cohort_id, count(*) as members from cohort_membership where status = 'ACTIVE' and cohort_id = any(array[?]::int[]) group by cohort_id`,
    [cohortIds],
  );
  for (const row of rows) counts.set(row.cohort_id, Number(row.members));
  return counts;
}

async function coachesByCohort(em: EntityManager, cohortIds: number[]): Promise<Map<number, { id: number; name: string; email: string }[]>> {
  const byCohort = new Map<number, { id: number; name: string; email: string }[]>();
  if (!cohortIds.length) return byCohort;
  const links = await em.find(CoachCohortMembership, { cohort: { $in: cohortIds } }, { populate: ["coach"], orderBy: { coach: { name: "asc" } } });
  for (const link of links) {
    const list = byCohort.get(link.cohort.id) ?? [];
    list.push({ id: link.coach.id, name: link.coach.name, email: link.coach.email });
    byCohort.set(link.cohort.id, list);
  }
  return byCohort;
}

export type CohortSummary = {
  id: number;
  name: string;
  status: CohortStatus;
  statusLabel: string;
  startDate: LocalDate;
  weeks: number;
  /** "Week 3 of 8", "Starts Mon 2 Mar 2026" or "Ended …". */
  when: string;
  members: number;
  capacity: number;
  coaches: string[];
};

/** The cohorts a coach runs (every cohort for an admin), newest start first, with how many of each status. */
export async function listCohortsFor(em: EntityManager, viewer: Viewer, filters: { status?: CohortStatus } = {}, now = new Date()) {
  const today = todayIn((await getSettings(em)).studioTimeZone, now);
  const visible = viewer.role === "ADMIN" ? {} : { id: { $in: await cohortIdsCoachedBy(em, viewer.id) } };
  const all = await em.find(Cohort, visible, { orderBy: { startDate: "desc", id: "desc" } });
  const cohorts = filters.status ? all.filter((c) => c.status === filters.status) : all;
  const ids = cohorts.map((c) => c.id);
  const [members, coaches] = await Promise.all([activeMemberCounts(em, ids), coachesByCohort(em, ids)]);
  const items: CohortSummary[] = cohorts.map((c) => ({
    id: c.id,
    name: c.name,
    status: c.status,
    statusLabel: statusLabel(c.status),
    startDate: c.startDate,
    weeks: c.weeks,
    when: programmeLabel(c, today),
    members: members.get(c.id) ?? 0,
    capacity: c.capacity,
    coaches: (coaches.get(c.id) ?? []).map((coach) => coach.name),
  }));
  const totals = Object.fromEntries(COHORT_STATUSES.map((status) => [status, all.filter((c) => c.status === status).length])) as Record<CohortStatus, number>;
  return { cohorts: items, totals };
}

export type CohortSessionItem = {
  id: number;
  title: string;
  date: LocalDate;
  dateLabel: string;
  startLabel: string;
  endLabel: string;
  coachName: string;
  status: SessionStatus;
  registered: number;
  capacity: number;
  waitlisted: number;
};

async function describeSessions(em: EntityManager, sessions: ISession[], zone: string, now: Date): Promise<CohortSessionItem[]> {
  const counts = await registrationCounts(
    em,
    sessions.map((s) => s.id),
  );
  return sessions.map((s) => {
    const labels = sessionLabels(s, zone);
    return {
      id: s.id,
      title: labels.title,
      date: labels.date,
      dateLabel: formatDate(labels.date, zone),
      startLabel: labels.startLabel,
      endLabel: labels.endLabel,
      coachName: labels.coachName,
      status: effectiveStatus(s, now),
      registered: counts.get(s.id)?.registered ?? 0,
      capacity: s.maxOccupancy,
      waitlisted: counts.get(s.id)?.waitlisted ?? 0,
    };
  });
}

/** A cohort's page for its coaches: details, coaches, members, registration, linked sessions and the next status. */
export async function cohortOverview(em: EntityManager, cohort: ICohort, now = new Date(), limits = { sessions: 10 }) {
  const zone = (await getSettings(em)).studioTimeZone;
  const today = todayIn(zone, now);
  const [coaches, plans, memberships, upcoming, recent, allCoaches] = await Promise.all([
    coachesByCohort(em, [cohort.id]),
    plansByCohort(em, [cohort.id]),
    em.find(CohortMembership, { cohort }, { populate: ["user", "addedBy"], orderBy: { user: { name: "asc" } } }),
    em.find(
      Session,
      { cohort, startTime: { $gte: now } },
      { populate: ["classType", "coach"], orderBy: { startTime: "asc", id: "asc" }, limit: limits.sessions },
    ),
    em.find(
      Session,
      { cohort, startTime: { $lt: now } },
      { populate: ["classType", "coach"], orderBy: { startTime: "desc", id: "desc" }, limit: limits.sessions },
    ),
    listCoaches(em),
  ]);
  const cohortCoaches = coaches.get(cohort.id) ?? [];
  const member = (m: (typeof memberships)[number]) => ({
    userId: m.user.id,
    name: m.user.name,
    email: m.user.email,
    joinedOn: formatDate(m.joinedAt, zone),
    leftOn: m.leftAt ? formatDate(m.leftAt, zone) : null,
    addedBy: m.addedBy?.name ?? null,
    status: m.status,
  });
  const next = nextStatus(cohort.status);
  return {
    zone,
    cohort: {
      id: cohort.id,
      name: cohort.name,
      description: cohort.description ?? null,
      status: cohort.status,
      statusLabel: statusLabel(cohort.status),
      startDate: cohort.startDate,
      startLabel: formatDate(cohort.startDate, zone),
      weeks: cohort.weeks,
      capacity: cohort.capacity,
      isFree: cohort.isFree,
      when: programmeLabel(cohort, today),
      registration: registrationLabel(registrationState(cohort, today)),
      registrationOpen: registrationOpen(cohort, today),
      plans: (plans.get(cohort.id) ?? []).map((plan) => plan.name),
    },
    next: next ? { status: next, label: statusLabel(next) } : null,
    coaches: cohortCoaches,
    coachCandidates: allCoaches.filter((c) => !cohortCoaches.some((own) => own.id === c.id)).map((c) => ({ id: c.id, name: c.name })),
    members: memberships.filter((m) => m.status !== "LEFT").map(member),
    formerMembers: memberships.filter((m) => m.status === "LEFT").map(member),
    acceptsMembers: cohort.status === "DRAFT" || cohort.status === "ACTIVE",
    upcomingSessions: await describeSessions(em, upcoming, zone, now),
    recentSessions: await describeSessions(em, recent, zone, now),
  };
}

/** Clients matching `q` by name or email (at most `limit`), each with the active cohort they are in, if any. */
export async function searchClientsForCohort(em: EntityManager, q: string, limit = 10) {
  const pattern = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const clients = await em.find(
    User,
    { role: "CLIENT", $or: [{ name: { $ilike: pattern } }, { email: { $ilike: pattern } }] },
    { orderBy: { name: "asc", id: "asc" }, limit, fields: ["id", "name", "email"] },
  );
  const active = clients.length ? await em.find(CohortMembership, { user: { $in: clients.map((c) => c.id) }, status: "ACTIVE" }, { populate: ["cohort"] }) : [];
  return clients.map((c) => ({
    id: c.id,
    name: c.name,
    email: c.email,
    activeCohort: active.find((m) => m.user.id === c.id)?.cohort.name ?? null,
  }));
}

/** The choices of the new-cohort form: coaches, active plans, and the cohorts whose programme can be copied. */
export async function cohortFormOptions(em: EntityManager, viewer: Viewer, now = new Date()) {
  const zone = (await getSettings(em)).studioTimeZone;
  const visible = viewer.role === "ADMIN" ? {} : { id: { $in: await cohortIdsCoachedBy(em, viewer.id) } };
  const [coaches, plans, cohorts] = await Promise.all([
    listCoaches(em),
    em.find(MembershipPlan, { isActive: true }, { orderBy: { name: "asc" }, fields: ["id", "name"] }),
    em.find(Cohort, visible, { orderBy: { startDate: "desc", id: "desc" }, fields: ["id", "name", "weeks"] }),
  ]);
  return {
    zone,
    nextMonday: addDays(mondayOf(todayIn(zone, now)), 7),
    coaches: coaches.map((c) => ({ id: c.id, name: c.name })),
    plans: plans.map((p) => ({ id: p.id, name: p.name })),
    copyFrom: cohorts.map((c) => ({ id: c.id, name: c.name, weeks: c.weeks })),
  };
}

/** The edit form's values and choices: active plans plus any inactive one still linked. */
export async function cohortEditForm(em: EntityManager, cohort: ICohort) {
  const [plans, linked] = await Promise.all([
    em.find(MembershipPlan, { isActive: true }, { orderBy: { name: "asc" }, fields: ["id", "name"] }),
    plansByCohort(em, [cohort.id]),
  ]);
  const linkedPlans = linked.get(cohort.id) ?? [];
  const choices = [...plans.map((p) => ({ id: p.id, name: p.name })), ...linkedPlans.filter((l) => !plans.some((p) => p.id === l.id))];
  return {
    cohort: {
      id: cohort.id,
      name: cohort.name,
      description: cohort.description ?? "",
      startDate: cohort.startDate,
      weeks: cohort.weeks,
      capacity: cohort.capacity,
      registrationOpensOn: cohort.registrationOpensOn ?? "",
      registrationClosesOn: cohort.registrationClosesOn ?? "",
      isFree: cohort.isFree,
      planIds: linkedPlans.map((p) => p.id),
      status: cohort.status,
    },
    plans: choices,
  };
}

export type JoinableCohortItem = {
  id: number;
  name: string;
  description: string | null;
  when: string;
  registration: string;
  placesLeft: number;
  isFree: boolean;
  plans: string[];
  /** Why the client cannot join it now, or null. */
  refusal: string | null;
};

/** /client/cohorts: the client's active cohort, and the cohorts open for registration with whether they may join each. */
export async function clientCohorts(em: EntityManager, userId: number, now = new Date()) {
  const zone = (await getSettings(em)).studioTimeZone;
  const today = todayIn(zone, now);
  const mine = await em.findOne(CohortMembership, { user: userId, status: "ACTIVE" }, { populate: ["cohort"] });
  const candidates = await em.find(
    Cohort,
    { status: { $in: ["DRAFT", "ACTIVE"] }, registrationOpensOn: { $ne: null, $lte: today } },
    { orderBy: { startDate: "asc", id: "asc" } },
  );
  const open = candidates.filter((c) => registrationOpen(c, today) && c.id !== mine?.cohort.id);
  const ids = open.map((c) => c.id);
  const [plans, members, held] = await Promise.all([plansByCohort(em, ids), activeMemberCounts(em, ids), heldPlanIds(em, userId, today)]);
  const items: JoinableCohortItem[] = open.map((c) => {
    const cohortPlans = plans.get(c.id) ?? [];
    const placesLeft = Math.max(0, c.capacity - (members.get(c.id) ?? 0));
    const refusal =
      selfJoinRefusal(c, cohortPlans, held, today) ??
      (mine ? `You are already in “${mine.cohort.name}”: leave it first to join another.` : null) ??
      (placesLeft === 0 ? `“${c.name}” is full.` : null);
    return {
      id: c.id,
      name: c.name,
      description: c.description ?? null,
      when: programmeLabel(c, today),
      registration: registrationLabel(registrationState(c, today)),
      placesLeft,
      isFree: c.isFree,
      plans: cohortPlans.map((p) => p.name),
      refusal,
    };
  });
  return {
    mine: mine
      ? {
          id: mine.cohort.id,
          name: mine.cohort.name,
          description: mine.cohort.description ?? null,
          status: mine.cohort.status,
          when: programmeLabel(mine.cohort, today),
        }
      : null,
    open: items,
  };
}
