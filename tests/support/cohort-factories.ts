// Cohort programme test data, made straight through the entities (see factories.ts).
import type { EntityManager } from "@mikro-orm/postgresql";
import {
  CoachCohortMembership,
  Cohort,
  CohortCheckInConfig,
  CohortMembership,
  CohortPlan,
  QuestionnaireBundle,
  WeeklyQuestionnaireResponse,
  type CohortMembershipStatus,
  type CohortStatus,
  type ICohort,
  type ICohortMembership,
  type IQuestionnaireBundle,
  type IWeeklyQuestionnaireResponse,
} from "~/modules/cohorts/cohorts.entities.server";
import type { Answers, Question } from "~/modules/cohorts/questionnaire.rules";
import { WeeklyCoachResponse, type FeedbackStatus, type IWeeklyCoachResponse } from "~/modules/coaching/coaching.entities.server";
import { Entry, type IEntry } from "~/modules/health/health.entities.server";
import type { HealthMetric } from "~/modules/health/health.rules";
import { addDays, mondayOf, todayIn, type LocalDate } from "~/utils/time";
import { uniqueName } from "./factories";

export type CohortFields = {
  name?: string;
  /** A Monday; by default the Monday of this week (in London), so the cohort is in week 1. */
  startDate?: LocalDate;
  weeks?: number;
  capacity?: number;
  status?: CohortStatus;
  isFree?: boolean;
  registrationOpensOn?: LocalDate | null;
  registrationClosesOn?: LocalDate | null;
  coaches?: { id: number }[];
  members?: { id: number }[];
  plans?: { id: number }[];
  checkIn?: { metrics: HealthMetric[]; frequencyDays: number };
};

/** This week's Monday in the studio's default zone. */
export function thisMonday(now = new Date()): LocalDate {
  return mondayOf(todayIn("Europe/London", now));
}

export async function createCohort(em: EntityManager, fields: CohortFields = {}): Promise<ICohort> {
  const cohort = em.create(
    Cohort,
    {
      name: fields.name ?? uniqueName("Cohort"),
      startDate: fields.startDate ?? thisMonday(),
      weeks: fields.weeks ?? 6,
      capacity: fields.capacity ?? 15,
      status: fields.status ?? "ACTIVE",
      isFree: fields.isFree ?? false,
      registrationOpensOn: fields.registrationOpensOn === undefined ? addDays(fields.startDate ?? thisMonday(), -14) : fields.registrationOpensOn,
      registrationClosesOn: fields.registrationClosesOn ?? null,
    },
    { partial: true },
  );
  for (const coach of fields.coaches ?? []) em.create(CoachCohortMembership, { cohort, coach: coach.id }, { partial: true });
  for (const plan of fields.plans ?? []) em.create(CohortPlan, { cohort, plan: plan.id });
  if (fields.checkIn)
    em.create(CohortCheckInConfig, { cohort, metrics: fields.checkIn.metrics, frequencyDays: fields.checkIn.frequencyDays }, { partial: true });
  await em.flush();
  for (const member of fields.members ?? []) await addCohortMember(em, cohort, member);
  return cohort;
}

export async function addCohortMember(
  em: EntityManager,
  cohort: { id: number },
  user: { id: number },
  status: CohortMembershipStatus = "ACTIVE",
): Promise<ICohortMembership> {
  const membership = em.create(CohortMembership, { cohort: cohort.id, user: user.id, status }, { partial: true });
  await em.flush();
  return membership;
}

export const SAMPLE_QUESTIONS: Question[] = [
  { id: "q-wins", kind: "TEXT", prompt: "What went well this week?", required: true },
  { id: "q-water", kind: "NUMBER", prompt: "Water a day", required: false, unit: "litres" },
  { id: "q-effort", kind: "SCALE", prompt: "How hard did you train?", required: true },
  { id: "q-diet", kind: "SINGLE_CHOICE", prompt: "How was your eating?", required: true, options: ["On plan", "Mostly", "Off plan"] },
  { id: "q-struggles", kind: "MULTIPLE_CHOICE", prompt: "What got in the way?", required: false, options: ["Work", "Sleep", "Travel", "Nothing"] },
];

export async function createQuestionnaire(
  em: EntityManager,
  cohort: { id: number },
  weekNumber: number,
  questions: Question[] = SAMPLE_QUESTIONS,
): Promise<IQuestionnaireBundle> {
  const bundle = em.create(QuestionnaireBundle, { cohort: cohort.id, weekNumber, title: `Week ${weekNumber} check-in`, questions }, { partial: true });
  await em.flush();
  return bundle;
}

export async function createResponse(
  em: EntityManager,
  fields: { bundle: { id: number }; user: { id: number }; answers?: Answers; submittedAt?: Date | null },
): Promise<IWeeklyQuestionnaireResponse> {
  const submittedAt = fields.submittedAt === undefined ? new Date() : fields.submittedAt;
  const response = em.create(
    WeeklyQuestionnaireResponse,
    {
      bundle: fields.bundle.id,
      user: fields.user.id,
      answers: fields.answers ?? { "q-wins": "Three classes", "q-effort": 7, "q-diet": "Mostly" },
      status: submittedAt ? "SUBMITTED" : "DRAFT",
      submittedAt,
      corrections: [],
    },
    { partial: true },
  );
  await em.flush();
  return response;
}

export async function createEntry(
  em: EntityManager,
  fields: { user: { id: number }; date: LocalDate; enteredBy?: { id: number } | null } & Partial<Pick<IEntry, HealthMetric | "note">>,
): Promise<IEntry> {
  const { user, enteredBy, ...values } = fields;
  const entry = em.create(Entry, { ...values, user: user.id, enteredBy: enteredBy?.id ?? null }, { partial: true });
  await em.flush();
  return entry;
}

export async function createFeedback(
  em: EntityManager,
  fields: { cohort: { id: number }; user: { id: number }; coach: { id: number }; weekNumber: number; body?: string; status?: FeedbackStatus },
): Promise<IWeeklyCoachResponse> {
  const status = fields.status ?? "PUBLISHED";
  const feedback = em.create(
    WeeklyCoachResponse,
    {
      cohort: fields.cohort.id,
      user: fields.user.id,
      coach: fields.coach.id,
      weekNumber: fields.weekNumber,
      body: fields.body ?? "Great week — keep it up.",
      status,
      publishedAt: status === "PUBLISHED" ? new Date() : null,
    },
    { partial: true },
  );
  await em.flush();
  return feedback;
}
