// What a member sees of their cohort (read models): the week they are in, what is due now, the coach's
// published feedback (never drafts, never notes), the cohort's coaches and sessions, and past weeks.
import type { EntityManager } from "@mikro-orm/postgresql";
import { formatDate, formatDayHeading, todayIn, type LocalDate } from "~/utils/time";
import { User } from "../auth/auth.entities.server";
import { activeCohortMembershipOf } from "../cohorts/cohort-access.server";
import {
  CoachCohortMembership,
  CohortCheckInConfig,
  CohortMembership,
  QuestionnaireBundle,
  WeeklyQuestionnaireResponse,
  type ICohort,
} from "../cohorts/cohorts.entities.server";
import {
  currentCheckInPeriod,
  lastDayOf,
  openQuestionnaireWeeks,
  programmeDay,
  questionnaireWindow,
  questionnaireWindowState,
  weekDates,
  type Programme,
  type ProgrammeDay,
} from "../cohorts/cohorts.rules";
import type { Answers, Question } from "../cohorts/questionnaire.rules";
import { Entry } from "../health/health.entities.server";
import type { HealthMetric, WeightUnit } from "../health/health.rules";
import { Session } from "../sessions/sessions.entities.server";
import { sessionLabels } from "../sessions/sessions.rules";
import { getSettings } from "../settings/settings.service.server";
import { WeeklyCoachResponse } from "./coaching.entities.server";
import { feedbackWeeksToShow, isWeekViewable, weeksBegun } from "./coaching.rules";
import { checkInsBetween, weekFeedback, weekQuestionnaire, type CheckInRow, type WeekFeedback } from "./cohort-week.server";

/**
 * The cohort a client's page is about: their one ACTIVE membership, or else the latest they completed
 * (read-only, for its past weeks). A membership they LEFT shows nothing.
 */
export async function memberCohortOf(em: EntityManager, userId: number) {
  const active = await activeCohortMembershipOf(em, userId);
  if (active) return active;
  return em.findOne(CohortMembership, { user: userId, status: "COMPLETED" }, { populate: ["cohort"], orderBy: { cohort: { startDate: "desc" }, id: "desc" } });
}

const programmeOf = (cohort: Pick<ICohort, "startDate" | "weeks">): Programme => ({ startDate: cohort.startDate, weeks: cohort.weeks });

/** "Mon 2 Nov 2026 – Sun 8 Nov 2026". */
function weekLabel(programme: Programme, week: number, zone: string): string {
  const { first, last } = weekDates(programme, week);
  return `${formatDate(first, zone)} – ${formatDate(last, zone)}`;
}

export type DueCheckIn = { metrics: HealthMetric[]; frequencyDays: number; from: LocalDate; to: LocalDate; dueLabel: string; done: boolean };
export type DueQuestionnaire = { week: number; title: string; closesOn: LocalDate; closesLabel: string; state: "NOT_STARTED" | "DRAFT" | "SUBMITTED" };

export type ClientCohortPage =
  | { member: false }
  | {
      member: true;
      cohort: { id: number; name: string; description: string | null; weeks: number; startLabel: string; endLabel: string };
      /** ACTIVE: the current programme; COMPLETED: a finished one, shown read-only. */
      membershipStatus: "ACTIVE" | "COMPLETED";
      today: LocalDate;
      day: ProgrammeDay;
      /** This check-in period's check-in, when the cohort asks for check-ins and today is in the programme. */
      checkIn: DueCheckIn | null;
      /** Every questionnaire open today, whatever its state. */
      questionnaires: DueQuestionnaire[];
      /** This week's and last week's published feedback, newest first. */
      feedback: (WeekFeedback & { week: number })[];
      coaches: { id: number; name: string }[];
      sessions: { id: number; title: string; dayLabel: string; startLabel: string; endLabel: string; coachName: string; location: string | null }[];
      /** The weeks begun so far, newest first, each with what happened in it. */
      pastWeeks: { week: number; label: string; current: boolean; submitted: boolean; feedback: boolean; checkIns: number }[];
    };

/** The client's `/client/cohort` page on `now`, in the studio's zone. */
export async function clientCohortPage(em: EntityManager, userId: number, now = new Date()): Promise<ClientCohortPage> {
  const membership = await memberCohortOf(em, userId);
  if (!membership) return { member: false };
  const cohort = membership.cohort;
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const today = todayIn(zone, now);
  const programme = programmeOf(cohort);
  const active = membership.status === "ACTIVE";

  const [config, bundles, responses, published, coaches, sessions, entries] = await Promise.all([
    em.findOne(CohortCheckInConfig, { cohort: cohort.id }),
    em.find(QuestionnaireBundle, { cohort: cohort.id }, { fields: ["id", "weekNumber", "title"], orderBy: { weekNumber: "asc" } }),
    em.find(WeeklyQuestionnaireResponse, { user: userId, bundle: { cohort: cohort.id } }, { fields: ["bundle", "status"] }),
    em.find(WeeklyCoachResponse, { cohort: cohort.id, user: userId, status: "PUBLISHED" }, { fields: ["weekNumber"] }),
    em.find(CoachCohortMembership, { cohort: cohort.id }, { populate: ["coach"], orderBy: { coach: { name: "asc" } } }),
    active
      ? em.find(
          Session,
          { cohort: cohort.id, status: "SCHEDULED", startTime: { $gte: now } },
          { populate: ["coach", "classType"], orderBy: { startTime: "asc" }, limit: 10 },
        )
      : Promise.resolve([]),
    em.find(Entry, { user: userId, date: { $gte: cohort.startDate, $lte: lastDayOf(programme) } }, { fields: ["date"] }),
  ]);
  const entryDates = entries.map((entry) => entry.date);
  const stateOfWeek = new Map<number, "DRAFT" | "SUBMITTED">();
  const bundleWeek = new Map(bundles.map((bundle) => [bundle.id, bundle.weekNumber]));
  for (const response of responses) {
    const week = bundleWeek.get(response.bundle.id);
    if (week !== undefined) stateOfWeek.set(week, response.status);
  }
  const publishedWeeks = new Set(published.map((feedback) => feedback.weekNumber));

  let checkIn: DueCheckIn | null = null;
  const period = active && config ? currentCheckInPeriod(programme, config.frequencyDays, today) : null;
  if (config && period) {
    checkIn = {
      metrics: config.metrics,
      frequencyDays: config.frequencyDays,
      ...period,
      dueLabel: formatDayHeading(period.to),
      done: entryDates.some((date) => period.from <= date && date <= period.to),
    };
  }

  const openWeeks = active ? openQuestionnaireWeeks(programme, settings, today) : [];
  const questionnaires = bundles
    .filter((bundle) => openWeeks.includes(bundle.weekNumber))
    .map((bundle): DueQuestionnaire => {
      const { closesOn } = questionnaireWindow(programme, bundle.weekNumber, settings);
      return {
        week: bundle.weekNumber,
        title: bundle.title,
        closesOn,
        closesLabel: formatDayHeading(closesOn),
        state: stateOfWeek.get(bundle.weekNumber) ?? "NOT_STARTED",
      };
    });

  const feedback: (WeekFeedback & { week: number })[] = [];
  for (const week of feedbackWeeksToShow(programme, today)) {
    if (!publishedWeeks.has(week)) continue;
    const found = await weekFeedback(em, { cohortId: cohort.id, userId, week, publishedOnly: true }, zone);
    if (found) feedback.push({ ...found, week });
  }

  const current = programmeDay(programme, today);
  return {
    member: true,
    cohort: {
      id: cohort.id,
      name: cohort.name,
      description: cohort.description ?? null,
      weeks: cohort.weeks,
      startLabel: formatDate(cohort.startDate, zone),
      endLabel: formatDate(lastDayOf(programme), zone),
    },
    membershipStatus: active ? "ACTIVE" : "COMPLETED",
    today,
    day: current,
    checkIn,
    questionnaires,
    feedback,
    coaches: coaches.map((row) => ({ id: row.coach.id, name: row.coach.name })),
    sessions: sessions.map((session) => {
      const labels = sessionLabels(session, zone);
      return {
        id: session.id,
        title: labels.title,
        dayLabel: formatDayHeading(labels.date),
        startLabel: labels.startLabel,
        endLabel: labels.endLabel,
        coachName: labels.coachName,
        location: session.location ?? null,
      };
    }),
    pastWeeks: weeksBegun(programme, today).map((week) => {
      const { first, last } = weekDates(programme, week);
      return {
        week,
        label: weekLabel(programme, week, zone),
        current: current.phase === "RUNNING" && current.week === week,
        submitted: stateOfWeek.get(week) === "SUBMITTED",
        feedback: publishedWeeks.has(week),
        checkIns: entryDates.filter((date) => first <= date && date <= last).length,
      };
    }),
  };
}

export type ClientCohortWeek = {
  cohort: { id: number; name: string; weeks: number };
  week: number;
  label: string;
  current: boolean;
  questionnaire: {
    title: string;
    questions: Question[];
    state: "NOT_STARTED" | "DRAFT" | "SUBMITTED";
    /** The answers as submitted (with a coach's corrections); null until submitted. */
    answers: Answers | null;
    submittedLabel: string | null;
    correctedIds: string[];
    /** The questionnaire can still be answered (then the page links to it). */
    open: boolean;
  } | null;
  /** Published feedback only. */
  feedback: WeekFeedback | null;
  checkIns: CheckInRow[];
  weightUnit: WeightUnit;
};

/**
 * One week of the client's own cohort, read-only: null (a 404) for a week outside 1..M, one that has not
 * begun, or a client without a cohort. There is no other member's week to ask for: the user is the session's.
 */
export async function clientCohortWeek(em: EntityManager, userId: number, week: number, now = new Date()): Promise<ClientCohortWeek | null> {
  const membership = await memberCohortOf(em, userId);
  if (!membership) return null;
  const cohort = membership.cohort;
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const today = todayIn(zone, now);
  const programme = programmeOf(cohort);
  if (!isWeekViewable(programme, week, today)) return null;
  const { first, last } = weekDates(programme, week);
  const [questionnaire, feedback, checkIns, user] = await Promise.all([
    weekQuestionnaire(em, cohort.id, userId, week, zone),
    weekFeedback(em, { cohortId: cohort.id, userId, week, publishedOnly: true }, zone),
    checkInsBetween(em, userId, first, last, zone),
    em.findOneOrFail(User, userId, { fields: ["weightUnit"] }),
  ]);
  const response = questionnaire?.response;
  const submitted = response?.status === "SUBMITTED";
  return {
    cohort: { id: cohort.id, name: cohort.name, weeks: cohort.weeks },
    week,
    label: weekLabel(programme, week, zone),
    current: first <= today && today <= last,
    questionnaire: questionnaire
      ? {
          title: questionnaire.title,
          questions: questionnaire.questions,
          state: response ? response.status : "NOT_STARTED",
          answers: submitted ? response.answers : null,
          submittedLabel: submitted ? response.submittedLabel : null,
          correctedIds: submitted ? response.correctedIds : [],
          open: membership.status === "ACTIVE" && questionnaireWindowState(programme, week, settings, today) === "OPEN",
        }
      : null,
    feedback,
    checkIns,
    weightUnit: user.weightUnit,
  };
}
