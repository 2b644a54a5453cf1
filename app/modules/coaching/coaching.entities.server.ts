import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";
import { Cohort } from "../cohorts/cohorts.entities.server";

export const FEEDBACK_STATUSES = ["DRAFT", "PUBLISHED"] as const;
export type FeedbackStatus = (typeof FEEDBACK_STATUSES)[number];

/** A coach's feedback on one member's week: one per member per week, seen by the client once published. */
export const WeeklyCoachResponse = defineEntity({
  name: "WeeklyCoachResponse",
  tableName: "weekly_coach_response",
  uniques: [{ name: "weekly_coach_response_cohort_user_week_unique", properties: ["cohort", "user", "weekNumber"] }],
  checks: [
    { name: "weekly_coach_response_week_check", expression: `week_number >= 1` },
    { name: "weekly_coach_response_published_check", expression: `(status = 'PUBLISHED') = (published_at is not null)` },
  ],
  properties: {
    id: p.integer().primary(),
    cohort: () => p.manyToOne(Cohort).deleteRule("cascade").index(),
    /** The member the feedback is for. */
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    weekNumber: p.integer(),
    /** The coach who last wrote it. */
    coach: () => p.manyToOne(User).deleteRule("cascade"),
    body: p.text(),
    status: p.enum(FEEDBACK_STATUSES).default("DRAFT"),
    publishedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IWeeklyCoachResponse = InferEntity<typeof WeeklyCoachResponse>;

/** A coach's private note about a client (never shown to the client), optionally about one cohort week. */
export const CoachNote = defineEntity({
  name: "CoachNote",
  tableName: "coach_note",
  properties: {
    id: p.integer().primary(),
    client: () => p.manyToOne(User).deleteRule("cascade").index(),
    coach: () => p.manyToOne(User).deleteRule("cascade"),
    cohort: () => p.manyToOne(Cohort).nullable().deleteRule("cascade").index(),
    weekNumber: p.integer().nullable(),
    body: p.text(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ICoachNote = InferEntity<typeof CoachNote>;
