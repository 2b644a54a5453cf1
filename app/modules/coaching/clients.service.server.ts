// "My clients" (PRD section 12, CO-5): a coach's clients are derived, never stored on the user — the
// members of the cohorts they run (ACTIVE or COMPLETED; not those who LEFT) and the clients booked into
// their sessions (REGISTERED, ATTENDED, NO_SHOW or LATE_CANCELLED: a booking that held or used a place,
// not a waitlist place nor a cancellation). An admin sees every client. A page costs a few set-based
// queries whatever its size: the union with its attendance figures in one, then memberships, cohorts
// and compliance (four queries per cohort on the page).
import type { EntityManager } from "@mikro-orm/postgresql";
import { addDays, dayRange, localDateOf, todayIn, type LocalDate } from "~/utils/time";
import { COUNTS_TOWARD_WEEK } from "../booking/booking.rules";
import { SessionRegistration, type RegistrationStatus } from "../booking/booking.entities.server";
import { upcomingBookings, type UpcomingBooking } from "../booking/client-views.server";
import { usedInWeek } from "../booking/registration-counts.server";
import { coachesClientInCohort, cohortIdsCoachedBy, type Viewer } from "../cohorts/cohort-access.server";
import {
  CohortMembership,
  QuestionnaireBundle,
  WeeklyQuestionnaireResponse,
  type CohortMembershipStatus,
  type CohortStatus,
  type ICohort,
} from "../cohorts/cohorts.entities.server";
import { questionnaireWindowState, type Programme } from "../cohorts/cohorts.rules";
import { Entry } from "../health/health.entities.server";
import { UserMembership } from "../memberships/memberships.entities.server";
import { effectiveStatusOf, usageFor, type SessionUsage } from "../memberships/memberships.rules";
import { sessionLabels } from "../sessions/sessions.rules";
import type { Settings } from "../settings/settings.rules";
import { getSettings } from "../settings/settings.service.server";
import { WeeklyCoachResponse, type FeedbackStatus } from "./coaching.entities.server";
import { complianceFor, tallyLabel, type Compliance, type Tally } from "./compliance.server";
import {
  compareByRatio,
  complianceRatio,
  defaultDirection,
  usageLabel,
  weekQuestionnaireState,
  type Attendance,
  type ClientSort,
  type SortDirection,
  type WeekQuestionnaireState,
} from "./clients.rules";
import type { ClientSearch } from "./clients.schema";

export const CLIENTS_PAGE_SIZE = 25;
export const HISTORY_PAGE_SIZE = 20;
/** "Attendance over the last 4 weeks": the 28 days up to today. */
export const ATTENDANCE_DAYS = 28;

/** A booking that makes a client the session coach's client, and counts as "booked" in attendance. */
const BOOKED: readonly RegistrationStatus[] = COUNTS_TOWARD_WEEK;

export type ClientMembership = { id: number; planName: string; status: "ACTIVE" | "PAUSED"; usage: SessionUsage | null; usageLabel: string };

export type ClientCompliance = {
  cohortId: number;
  cohortName: string;
  /** The programme week today falls in, or null before the start and after the end. */
  week: number | null;
  checkIns: Tally;
  questionnaires: Tally;
  classesAttended: number;
  /** "5/6" (tallyLabel), ready to show. */
  labels: { checkIns: string; questionnaires: string };
};

export type ClientRow = {
  id: number;
  name: string;
  email: string;
  /** The viewer's cohorts the client is in (every cohort of theirs for an admin), LEFT ones aside. */
  cohorts: { id: number; name: string; status: CohortMembershipStatus }[];
  /** Booked into the viewer's sessions (any session for an admin). */
  inClasses: boolean;
  /** Memberships in effect today (active or paused), with their usage. */
  memberships: ClientMembership[];
  lastAttended: LocalDate | null;
  /** The last 28 days: classes attended of classes booked that have started. */
  attendance: Attendance;
  /** Over the programme so far, in the client's current (or latest) cohort among `cohorts`. */
  compliance: ClientCompliance | null;
};

export type ClientList = { clients: ClientRow[]; total: number; page: number; pageCount: number; sort: ClientSort; dir: SortDirection };

// ---------------------------------------------------------------------------------------------
// The union, in SQL
// ---------------------------------------------------------------------------------------------

type Sql = { sql: string; params: unknown[] };

/** The CTEs `class_clients(user_id)` and `client_ids(user_id)`: the viewer's clients (every client for an admin). */
function clientUnion(viewer: Viewer): Sql {
  if (viewer.role === "ADMIN") {
    return {
      sql: `class_clients as (select distinct user_id from session_registration where status = any(array[?]::text[])),
            client_ids as (select id as user_id from "user" where role = 'CLIENT')`,
      params: [[...BOOKED]],
    };
  }
  return {
    sql: `cohort_clients as (
            select cm.user_id from cohort_membership cm join coach_cohort_membership ccm on ccm.cohort_id = cm.cohort_id
             where ccm.coach_id = ? and cm.status <> 'LEFT'),
          class_clients as (
            select distinct r.user_id from session_registration r join session s on s.id = r.session_id
             where s.coach_id = ? and r.status = any(array[?]::text[])),
          client_ids as (select user_id from cohort_clients union select user_id from class_clients)`,
    params: [viewer.id, viewer.id, [...BOOKED]],
  };
}

/** The CTE `targets(id, name, email)`: the viewer's clients matching the search (and one id, if given). */
function targets(viewer: Viewer, filter: { q?: string; userId?: number }): Sql {
  const union = clientUnion(viewer);
  const conditions: string[] = [`u.role = 'CLIENT'`];
  const params: unknown[] = [...union.params];
  if (filter.q) {
    const pattern = `%${filter.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(`(u.name ilike ? or u.email ilike ?)`);
    params.push(pattern, pattern);
  }
  if (filter.userId !== undefined) {
    conditions.push(`u.id = ?`);
    params.push(filter.userId);
  }
  return {
    sql: `${union.sql},
          targets as (select u.id, u.name, u.email from client_ids i join "user" u on u.id = i.user_id where ${conditions.join(" and ")})`,
    params,
  };
}

type UnionRow = { id: number; name: string; email: string; in_classes: boolean; last_attended: Date | string | null; attended: number; booked: number };

const ORDER: Record<Exclude<ClientSort, "compliance">, Record<SortDirection, string>> = {
  name: { asc: `lower(t.name) asc, t.id asc`, desc: `lower(t.name) desc, t.id desc` },
  // Never attended counts as longest ago.
  lastAttended: {
    asc: `a.last_attended asc nulls first, lower(t.name), t.id`,
    desc: `a.last_attended desc nulls last, lower(t.name), t.id`,
  },
  // Nothing booked sorts last either way.
  attendance: {
    asc: `a.attended::float / nullif(a.booked, 0) asc nulls last, lower(t.name), t.id`,
    desc: `a.attended::float / nullif(a.booked, 0) desc nulls last, lower(t.name), t.id`,
  },
};

/** The viewer's matching clients with their attendance figures, in `order` (a key of ORDER's, never user input). */
async function unionRows(
  em: EntityManager,
  viewer: Viewer,
  filter: { q?: string; userId?: number },
  window: { from: Date; now: Date },
  order: string,
  page?: { limit: number; offset: number },
): Promise<UnionRow[]> {
  const base = targets(viewer, filter);
  return em.execute<UnionRow[]>(
    `with ${base.sql},
     attendance as (
       select r.user_id,
              max(s.start_time) filter (where r.status = 'ATTENDED') as last_attended,
              count(*) filter (where r.status = 'ATTENDED' and s.start_time >= ?)::int as attended,
              count(*) filter (where s.start_time >= ?)::int as booked
         from session_registration r join session s on s.id = r.session_id
        where r.user_id in (select id from targets) and r.status = any(array[?]::text[])
          and s.status <> 'CANCELLED' and s.start_time < ?
        group by r.user_id)
     select t.id, t.name, t.email,
            exists (select 1 from class_clients c where c.user_id = t.id) as in_classes,
            a.last_attended, coalesce(a.attended, 0) as attended, coalesce(a.booked, 0) as booked
       from targets t left join attendance a on a.user_id = t.id
      order by ${order}
      ${page ? "limit ? offset ?" : ""}`,
    [...base.params, window.from, window.from, [...BOOKED], window.now, ...(page ? [page.limit, page.offset] : [])],
  );
}

async function countTargets(em: EntityManager, viewer: Viewer, filter: { q?: string }): Promise<number> {
  const base = targets(viewer, filter);
  const [{ total }] = await em.execute<{ total: number }[]>(`with ${base.sql} select count(*)::int as total from targets`, base.params);
  return total;
}

// ---------------------------------------------------------------------------------------------
// What each row shows beyond the union: cohorts and compliance, memberships and usage
// ---------------------------------------------------------------------------------------------

type CohortLink = { membershipStatus: CohortMembershipStatus; cohort: ICohort };

/** The clients' cohort memberships the viewer may see: in cohorts they coach (any cohort for an admin), LEFT ones aside. */
async function cohortLinksOf(em: EntityManager, viewer: Viewer, userIds: number[]): Promise<Map<number, CohortLink[]>> {
  const links = new Map<number, CohortLink[]>();
  if (!userIds.length) return links;
  const coached = viewer.role === "ADMIN" ? null : await cohortIdsCoachedBy(em, viewer.id);
  if (coached && !coached.length) return links;
  const memberships = await em.find(
    CohortMembership,
    { user: { $in: userIds }, status: { $ne: "LEFT" }, ...(coached ? { cohort: { $in: coached } } : {}) },
    { populate: ["cohort"], orderBy: { cohort: { startDate: "desc" }, id: "desc" } },
  );
  for (const m of memberships) links.set(m.user.id, [...(links.get(m.user.id) ?? []), { membershipStatus: m.status, cohort: m.cohort }]);
  return links;
}

function clientCompliance(cohort: ICohort, c: Compliance): ClientCompliance {
  const { checkIns, questionnaires, classesAttended } = c.programme;
  return {
    cohortId: cohort.id,
    cohortName: cohort.name,
    week: c.week,
    checkIns,
    questionnaires,
    classesAttended,
    labels: { checkIns: tallyLabel(checkIns), questionnaires: tallyLabel(questionnaires) },
  };
}

/** Compliance in each client's current cohort (their ACTIVE membership, else the latest): complianceFor once per cohort. */
async function complianceOf(em: EntityManager, links: Map<number, CohortLink[]>, today: LocalDate, settings: Settings): Promise<Map<number, ClientCompliance>> {
  const byCohort = new Map<number, { cohort: ICohort; userIds: number[] }>();
  for (const [userId, list] of links) {
    const chosen = list.find((l) => l.membershipStatus === "ACTIVE") ?? list[0];
    const group = byCohort.get(chosen.cohort.id) ?? { cohort: chosen.cohort, userIds: [] };
    group.userIds.push(userId);
    byCohort.set(chosen.cohort.id, group);
  }
  const result = new Map<number, ClientCompliance>();
  for (const { cohort, userIds } of byCohort.values()) {
    const compliance = await complianceFor(em, cohort, userIds, today, settings);
    for (const [userId, c] of compliance) result.set(userId, clientCompliance(cohort, c));
  }
  return result;
}

/** The memberships in effect today of each client, with usage (weekly use counted in one query). */
async function currentMemberships(em: EntityManager, userIds: number[], today: LocalDate, zone: string): Promise<Map<number, ClientMembership[]>> {
  const result = new Map<number, ClientMembership[]>();
  if (!userIds.length) return result;
  const stored = await em.find(
    UserMembership,
    { user: { $in: userIds }, status: { $in: ["ACTIVE", "PAUSED"] } },
    { populate: ["plan"], orderBy: { startDate: "asc", id: "asc" } },
  );
  const current = stored.map((m) => ({ m, status: effectiveStatusOf(m, today) })).filter(({ status }) => status === "ACTIVE" || status === "PAUSED");
  const used = await usedInWeek(
    em,
    current.filter(({ m, status }) => status === "ACTIVE" && m.plan.sessionsPerWeek).map(({ m }) => m.id),
    today,
    zone,
  );
  for (const { m, status } of current) {
    const usage =
      status === "ACTIVE"
        ? usageFor(
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
          )
        : null;
    const row: ClientMembership = {
      id: m.id,
      planName: m.plan.name,
      status: status as "ACTIVE" | "PAUSED",
      usage,
      usageLabel: usage ? usageLabel(usage) : "Paused",
    };
    result.set(m.user.id, [...(result.get(m.user.id) ?? []), row]);
  }
  return result;
}

type Context = { settings: Settings; today: LocalDate; window: { from: Date; now: Date } };

async function context(em: EntityManager, now: Date): Promise<Context> {
  const settings = await getSettings(em);
  const today = todayIn(settings.studioTimeZone, now);
  return { settings, today, window: { from: dayRange(addDays(today, 1 - ATTENDANCE_DAYS), settings.studioTimeZone).start, now } };
}

const idsOf = (rows: { id: number }[]) => rows.map((r) => r.id);

function toRow(
  row: UnionRow,
  zone: string,
  links: Map<number, CohortLink[]>,
  compliance: Map<number, ClientCompliance>,
  memberships: Map<number, ClientMembership[]>,
): ClientRow {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    cohorts: (links.get(row.id) ?? []).map((l) => ({ id: l.cohort.id, name: l.cohort.name, status: l.membershipStatus })),
    inClasses: row.in_classes,
    memberships: memberships.get(row.id) ?? [],
    lastAttended: row.last_attended === null ? null : localDateOf(new Date(row.last_attended), zone),
    attendance: { attended: Number(row.attended), booked: Number(row.booked) },
    compliance: compliance.get(row.id) ?? null,
  };
}

// ---------------------------------------------------------------------------------------------
// The list and the client page
// ---------------------------------------------------------------------------------------------

/**
 * The viewer's clients matching `search.q` (name or email, any case), sorted and paginated. Sorting by
 * compliance needs every matching client's compliance (one complianceFor per cohort); the other sorts
 * are done in SQL and only the page is described.
 */
export async function listMyClients(em: EntityManager, viewer: Viewer, search: ClientSearch, now = new Date()): Promise<ClientList> {
  const { settings, today, window } = await context(em, now);
  const zone = settings.studioTimeZone;
  const sort = search.sort ?? "name";
  const dir = search.dir ?? defaultDirection(sort);
  const page = search.page ?? 1;
  const filter = { q: search.q };
  const offset = (page - 1) * CLIENTS_PAGE_SIZE;

  let rows: UnionRow[];
  let total: number;
  let links: Map<number, CohortLink[]>;
  let compliance: Map<number, ClientCompliance>;
  if (sort === "compliance") {
    const all = await unionRows(em, viewer, filter, window, "t.id");
    links = await cohortLinksOf(em, viewer, idsOf(all));
    compliance = await complianceOf(em, links, today, settings);
    const score = (r: UnionRow) => {
      const c = compliance.get(r.id);
      return c ? complianceRatio(c) : null;
    };
    rows = all.sort(compareByRatio(score, dir)).slice(offset, offset + CLIENTS_PAGE_SIZE);
    total = all.length;
  } else {
    [rows, total] = await Promise.all([
      unionRows(em, viewer, filter, window, ORDER[sort][dir], { limit: CLIENTS_PAGE_SIZE, offset }),
      countTargets(em, viewer, filter),
    ]);
    links = await cohortLinksOf(em, viewer, idsOf(rows));
    compliance = await complianceOf(em, links, today, settings);
  }
  const memberships = await currentMemberships(em, idsOf(rows), today, zone);
  return {
    clients: rows.map((r) => toRow(r, zone, links, compliance, memberships)),
    total,
    page,
    pageCount: Math.max(1, Math.ceil(total / CLIENTS_PAGE_SIZE)),
    sort,
    dir,
  };
}

/** Whether `clientId` is one of the viewer's clients (any client, for an admin). */
export async function isMyClient(em: EntityManager, viewer: Viewer, clientId: number): Promise<boolean> {
  const base = targets(viewer, { userId: clientId });
  const rows = await em.execute<{ id: number }[]>(`with ${base.sql} select id from targets`, base.params);
  return rows.length > 0;
}

export type HistoryItem = {
  registrationId: number;
  sessionId: number;
  title: string;
  color: string;
  coachName: string;
  date: LocalDate;
  startLabel: string;
  status: RegistrationStatus;
};

export type CheckInRow = {
  id: number;
  date: LocalDate;
  weightKg: number | null;
  bodyFatPct: number | null;
  waistCm: number | null;
  sleepHours: number | null;
  steps: number | null;
  energy: number | null;
  mood: number | null;
  note: string | null;
  /** The coach who entered it for the client, or null when the client did. */
  enteredBy: string | null;
};

export type CohortWeek = {
  week: number;
  first: LocalDate;
  questionnaire: WeekQuestionnaireState;
  submittedOn: LocalDate | null;
  feedback: FeedbackStatus | null;
};

export type ClientCohort = {
  id: number;
  name: string;
  status: CohortStatus;
  membershipStatus: CohortMembershipStatus;
  startDate: LocalDate;
  weeks: number;
  compliance: ClientCompliance;
  weekRows: CohortWeek[];
};

export type ClientDetail = {
  client: ClientRow;
  upcoming: UpcomingBooking[];
  history: { items: HistoryItem[]; page: number; pageCount: number; total: number };
  /**
   * Health data and answers: only for a coach of one of the client's cohorts (now or before) or an
   * admin; null for anyone else, so a coach who only teaches them classes never receives them.
   */
  coaching: { checkIns: CheckInRow[]; cohorts: ClientCohort[] } | null;
};

export const LATEST_CHECK_INS = 10;

/**
 * One client as the viewer may see them, or null when they are not the viewer's client (routes answer
 * 404, so other clients are not revealed): the row of the list, next bookings, the attendance history
 * (newest first, `historyPage` of HISTORY_PAGE_SIZE), and for a coach of their cohort their latest
 * check-ins and each of those cohorts' weeks.
 */
export async function clientDetail(
  em: EntityManager,
  viewer: Viewer,
  clientId: number,
  options: { historyPage?: number } = {},
  now = new Date(),
): Promise<ClientDetail | null> {
  const { settings, today, window } = await context(em, now);
  const zone = settings.studioTimeZone;
  const [row] = await unionRows(em, viewer, { userId: clientId }, window, "t.id");
  if (!row) return null;

  const links = await cohortLinksOf(em, viewer, [clientId]);
  const [compliance, memberships, upcoming, history, mayCoach] = await Promise.all([
    complianceOf(em, links, today, settings),
    currentMemberships(em, [clientId], today, zone),
    upcomingBookings(em, clientId, now, 10),
    attendanceHistory(em, clientId, options.historyPage ?? 1, zone, now),
    viewer.role === "ADMIN" ? Promise.resolve(true) : coachesClientInCohort(em, viewer.id, clientId),
  ]);
  return {
    client: toRow(row, zone, links, compliance, memberships),
    upcoming,
    history,
    coaching: mayCoach ? await coachingData(em, viewer, clientId, today, settings) : null,
  };
}

/** Classes the client was booked into that have started, newest first. */
async function attendanceHistory(em: EntityManager, clientId: number, page: number, zone: string, now: Date): Promise<ClientDetail["history"]> {
  const where = { user: clientId, status: { $in: [...BOOKED] }, session: { startTime: { $lt: now } } };
  const [registrations, total] = await Promise.all([
    em.find(SessionRegistration, where, {
      populate: ["session.classType", "session.coach"],
      orderBy: { session: { startTime: "desc" }, id: "desc" },
      limit: HISTORY_PAGE_SIZE,
      offset: (page - 1) * HISTORY_PAGE_SIZE,
    }),
    em.count(SessionRegistration, where),
  ]);
  return {
    items: registrations.map((r) => {
      const labels = sessionLabels(r.session, zone);
      return {
        registrationId: r.id,
        sessionId: r.session.id,
        title: labels.title,
        color: labels.color,
        coachName: labels.coachName,
        date: labels.date,
        startLabel: labels.startLabel,
        status: r.status,
      };
    }),
    page,
    pageCount: Math.max(1, Math.ceil(total / HISTORY_PAGE_SIZE)),
    total,
  };
}

/** A double precision column as a number (the driver may hand it over as text). */
const measure = (value: number | string | null | undefined) => (value === null || value === undefined ? null : Number(value));

/** The latest check-ins, and the weeks of each cohort of the client's that the viewer coaches (every one for an admin, those they left too). */
async function coachingData(
  em: EntityManager,
  viewer: Viewer,
  clientId: number,
  today: LocalDate,
  settings: Settings,
): Promise<NonNullable<ClientDetail["coaching"]>> {
  const coached = viewer.role === "ADMIN" ? null : await cohortIdsCoachedBy(em, viewer.id);
  const [entries, memberships] = await Promise.all([
    em.find(Entry, { user: clientId }, { populate: ["enteredBy"], orderBy: { date: "desc" }, limit: LATEST_CHECK_INS }),
    em.find(
      CohortMembership,
      { user: clientId, ...(coached ? { cohort: { $in: coached } } : {}) },
      { populate: ["cohort"], orderBy: { cohort: { startDate: "desc" }, id: "desc" } },
    ),
  ]);
  const cohortIds = memberships.map((m) => m.cohort.id);
  const [bundles, responses, feedback] = cohortIds.length
    ? await Promise.all([
        em.find(QuestionnaireBundle, { cohort: { $in: cohortIds } }, { fields: ["id", "cohort", "weekNumber"] }),
        em.find(WeeklyQuestionnaireResponse, { user: clientId, bundle: { cohort: { $in: cohortIds } } }, { fields: ["bundle", "status", "submittedAt"] }),
        em.find(WeeklyCoachResponse, { user: clientId, cohort: { $in: cohortIds } }, { fields: ["cohort", "weekNumber", "status"] }),
      ])
    : [[], [], []];

  const cohorts: ClientCohort[] = [];
  for (const m of memberships) {
    const cohort = m.cohort;
    const programme: Programme = { startDate: cohort.startDate, weeks: cohort.weeks };
    const compliance = (await complianceFor(em, cohort, [clientId], today, settings)).get(clientId)!;
    const weekRows: CohortWeek[] = [];
    for (let week = 1; week <= cohort.weeks; week++) {
      const bundle = bundles.find((b) => b.cohort.id === cohort.id && b.weekNumber === week);
      const response = bundle ? responses.find((r) => r.bundle.id === bundle.id) : undefined;
      weekRows.push({
        week,
        first: addDays(cohort.startDate, 7 * (week - 1)),
        questionnaire: weekQuestionnaireState(Boolean(bundle), response?.status ?? null, questionnaireWindowState(programme, week, settings, today)),
        submittedOn: response?.submittedAt ? localDateOf(response.submittedAt, settings.studioTimeZone) : null,
        feedback: feedback.find((f) => f.cohort.id === cohort.id && f.weekNumber === week)?.status ?? null,
      });
    }
    cohorts.push({
      id: cohort.id,
      name: cohort.name,
      status: cohort.status,
      membershipStatus: m.status,
      startDate: cohort.startDate,
      weeks: cohort.weeks,
      compliance: clientCompliance(cohort, compliance),
      weekRows,
    });
  }

  return {
    checkIns: entries.map((e) => ({
      id: e.id,
      date: e.date,
      weightKg: measure(e.weightKg),
      bodyFatPct: measure(e.bodyFatPct),
      waistCm: measure(e.waistCm),
      sleepHours: measure(e.sleepHours),
      steps: e.steps ?? null,
      energy: e.energy ?? null,
      mood: e.mood ?? null,
      note: e.note ?? null,
      enteredBy: e.enteredBy?.name ?? null,
    })),
    cohorts,
  };
}
