import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";
import { MembershipPlan } from "../memberships/memberships.entities.server";
import type { Answers, Question } from "./questionnaire.rules";
import type { HealthMetric } from "../health/health.rules";

export const COHORT_STATUSES = ["DRAFT", "ACTIVE", "COMPLETED", "ARCHIVED"] as const;
export type CohortStatus = (typeof COHORT_STATUSES)[number];

/**
 * A fixed-week group programme (the PRD's Cohort, which absorbs the old Bootcamp): week 1 starts on
 * `startDate`, a Monday in the studio's zone. Registration dates are the studio's local dates, inclusive.
 */
export const Cohort = defineEntity({
  name: "Cohort",
  tableName: "cohort",
  checks: [
    { name: "cohort_weeks_check", expression: `weeks >= 1 and weeks <= 52` },
    { name: "cohort_capacity_check", expression: `capacity >= 1` },
    { name: "cohort_start_monday_check", expression: `extract(isodow from start_date) = 1` },
    {
      name: "cohort_registration_window_check",
      expression: `registration_opens_on is null or registration_closes_on is null or registration_closes_on >= registration_opens_on`,
    },
  ],
  properties: {
    id: p.integer().primary(),
    name: p.string().length(100),
    description: p.text().nullable(),
    startDate: p.string().columnType("date"),
    weeks: p.integer(),
    capacity: p.integer().default(15),
    registrationOpensOn: p.string().columnType("date").nullable(),
    registrationClosesOn: p.string().columnType("date").nullable(),
    status: p.enum(COHORT_STATUSES).default("DRAFT").index(),
    /** Anyone may join while registration is open; otherwise only holders of one of its plans. */
    isFree: p.boolean().default(false),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type ICohort = InferEntity<typeof Cohort>;

export const COHORT_MEMBERSHIP_STATUSES = ["ACTIVE", "LEFT", "COMPLETED"] as const;
export type CohortMembershipStatus = (typeof COHORT_MEMBERSHIP_STATUSES)[number];

/**
 * A client in a cohort. ACTIVE while the cohort is DRAFT or ACTIVE; COMPLETED when it ends; LEFT when
 * removed or leaving. The partial unique index keeps a client in at most one active cohort, also when
 * two requests race.
 */
export const CohortMembership = defineEntity({
  name: "CohortMembership",
  tableName: "cohort_membership",
  uniques: [
    { name: "cohort_membership_cohort_user_unique", properties: ["cohort", "user"] },
    { name: "cohort_membership_one_active_per_user", properties: ["user"], where: `"status" = 'ACTIVE'` },
  ],
  properties: {
    id: p.integer().primary(),
    cohort: () => p.manyToOne(Cohort).deleteRule("cascade").index(),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    status: p.enum(COHORT_MEMBERSHIP_STATUSES).default("ACTIVE"),
    joinedAt: p.datetime().onCreate(() => new Date()),
    /** The coach or admin who added them; null when they joined themselves. */
    addedBy: () => p.manyToOne(User).nullable().deleteRule("set null"),
    leftAt: p.datetime().nullable(),
  },
});
export type ICohortMembership = InferEntity<typeof CohortMembership>;

/** A coach running a cohort (one or more per cohort). */
export const CoachCohortMembership = defineEntity({
  name: "CoachCohortMembership",
  tableName: "coach_cohort_membership",
  uniques: [{ name: "coach_cohort_membership_cohort_coach_unique", properties: ["cohort", "coach"] }],
  properties: {
    id: p.integer().primary(),
    cohort: () => p.manyToOne(Cohort).deleteRule("cascade").index(),
    coach: () => p.manyToOne(User).deleteRule("cascade").index(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ICoachCohortMembership = InferEntity<typeof CoachCohortMembership>;

/** A plan whose holders may join the cohort themselves (e.g. Kickstarter → the Kickstarter programme). */
export const CohortPlan = defineEntity({
  name: "CohortPlan",
  tableName: "cohort_plan",
  uniques: [{ name: "cohort_plan_cohort_plan_unique", properties: ["cohort", "plan"] }],
  properties: {
    id: p.integer().primary(),
    cohort: () => p.manyToOne(Cohort).deleteRule("cascade").index(),
    plan: () => p.manyToOne(MembershipPlan).deleteRule("cascade").index(),
  },
});
export type ICohortPlan = InferEntity<typeof CohortPlan>;

/** Which health metrics a cohort's members are asked for, and every how many days (PRD: checkInFrequencyDays). */
export const CohortCheckInConfig = defineEntity({
  name: "CohortCheckInConfig",
  tableName: "cohort_check_in_config",
  checks: [{ name: "cohort_check_in_config_frequency_check", expression: `frequency_days >= 1 and frequency_days <= 28` }],
  properties: {
    id: p.integer().primary(),
    cohort: () => p.oneToOne(Cohort).owner().deleteRule("cascade").unique(),
    metrics: p.json<HealthMetric[]>(),
    frequencyDays: p.integer().default(7),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type ICohortCheckInConfig = InferEntity<typeof CohortCheckInConfig>;

/** The questionnaire of one week of a cohort; its questions live in the row (see questionnaire.rules.ts). */
export const QuestionnaireBundle = defineEntity({
  name: "QuestionnaireBundle",
  tableName: "questionnaire_bundle",
  uniques: [{ name: "questionnaire_bundle_cohort_week_unique", properties: ["cohort", "weekNumber"] }],
  checks: [{ name: "questionnaire_bundle_week_check", expression: `week_number >= 1` }],
  properties: {
    id: p.integer().primary(),
    cohort: () => p.manyToOne(Cohort).deleteRule("cascade").index(),
    weekNumber: p.integer(),
    title: p.string().length(120),
    intro: p.text().nullable(),
    questions: p.json<Question[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IQuestionnaireBundle = InferEntity<typeof QuestionnaireBundle>;

export const RESPONSE_STATUSES = ["DRAFT", "SUBMITTED"] as const;
export type ResponseStatus = (typeof RESPONSE_STATUSES)[number];

/** A correction a coach made to a submitted answer: who, when, and what it was before. */
export type AnswerCorrection = {
  questionId: string;
  before: Answers[string] | null;
  after: Answers[string] | null;
  byUserId: number;
  byName: string;
  at: string;
};

/** A member's answers to one week's questionnaire: a draft until submitted, then locked (only a coach corrects it). */
export const WeeklyQuestionnaireResponse = defineEntity({
  name: "WeeklyQuestionnaireResponse",
  tableName: "weekly_questionnaire_response",
  uniques: [{ name: "weekly_questionnaire_response_user_bundle_unique", properties: ["user", "bundle"] }],
  checks: [{ name: "weekly_questionnaire_response_submitted_check", expression: `(status = 'SUBMITTED') = (submitted_at is not null)` }],
  properties: {
    id: p.integer().primary(),
    bundle: () => p.manyToOne(QuestionnaireBundle).deleteRule("cascade").index(),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    answers: p.json<Answers>(),
    status: p.enum(RESPONSE_STATUSES).default("DRAFT"),
    submittedAt: p.datetime().nullable().index(),
    corrections: p.json<AnswerCorrection[]>(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IWeeklyQuestionnaireResponse = InferEntity<typeof WeeklyQuestionnaireResponse>;
