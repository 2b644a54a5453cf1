// One member's week of a cohort, read straight from the entities: the check-ins with their trend, the
// questionnaire and its answers, the coach's feedback. Shared by the client's and the coach's read models.
import type { EntityManager } from "@mikro-orm/postgresql";
import { formatDate, formatDateTime, type LocalDate } from "~/utils/time";
import { QuestionnaireBundle, WeeklyQuestionnaireResponse, type ResponseStatus } from "../cohorts/cohorts.entities.server";
import type { Answers, Question } from "../cohorts/questionnaire.rules";
import { Entry } from "../health/health.entities.server";
import { WeeklyCoachResponse, type FeedbackStatus } from "./coaching.entities.server";
import { withTrends, type Trend, type TrendValues } from "./coaching.rules";

export type CheckInRow = {
  id: number;
  date: LocalDate;
  dateLabel: string;
  weightKg: number | null;
  bodyFatPct: number | null;
  waistCm: number | null;
  sleepHours: number | null;
  steps: number | null;
  energy: number | null;
  mood: number | null;
  note: string | null;
  /** The coach who entered it for the client, or null. */
  enteredBy: string | null;
  trend: Trend;
};

// Doubles may come back from the driver as strings.
const numberOrNull = (value: string | number | null | undefined) => (value === null || value === undefined ? null : Number(value));

/** The member's check-ins dated `first`..`last`, oldest first, each with its change since the previous one. */
export async function checkInsBetween(em: EntityManager, userId: number, first: LocalDate, last: LocalDate, zone: string): Promise<CheckInRow[]> {
  const [entries, before] = await Promise.all([
    em.find(Entry, { user: userId, date: { $gte: first, $lte: last } }, { populate: ["enteredBy"], orderBy: { date: "asc" } }),
    em.execute<{ weight_kg: number | null; body_fat_pct: number | null; waist_cm: number | null }[]>(
      `select (select weight_kg from entry where user_id = ? and date < ? and weight_kg is not null order by date desc limit 1) as weight_kg,
              (select body_fat_pct from entry where user_id = ? and date < ? and body_fat_pct is not null order by date desc limit 1) as body_fat_pct,
              (select waist_cm from entry where user_id = ? and date < ? and waist_cm is not null order by date desc limit 1) as waist_cm`,
      [userId, first, userId, first, userId, first],
    ),
  ]);
  const previous: TrendValues = {
    weightKg: numberOrNull(before[0]?.weight_kg),
    bodyFatPct: numberOrNull(before[0]?.body_fat_pct),
    waistCm: numberOrNull(before[0]?.waist_cm),
  };
  const rows = entries.map((entry) => ({
    id: entry.id,
    date: entry.date,
    dateLabel: formatDate(entry.date, zone),
    weightKg: numberOrNull(entry.weightKg),
    bodyFatPct: numberOrNull(entry.bodyFatPct),
    waistCm: numberOrNull(entry.waistCm),
    sleepHours: numberOrNull(entry.sleepHours),
    steps: entry.steps ?? null,
    energy: entry.energy ?? null,
    mood: entry.mood ?? null,
    note: entry.note ?? null,
    enteredBy: entry.enteredBy?.name ?? null,
  }));
  return withTrends(rows, previous);
}

export type WeekQuestionnaire = {
  title: string;
  intro: string | null;
  questions: Question[];
  response: {
    id: number;
    status: ResponseStatus;
    answers: Answers;
    submittedLabel: string | null;
    /** Questions a coach corrected after submission (the answer shown is the corrected one). */
    correctedIds: string[];
  } | null;
};

/** The week's questionnaire with the member's response (draft or submitted), or null when the week has none. */
export async function weekQuestionnaire(em: EntityManager, cohortId: number, userId: number, week: number, zone: string): Promise<WeekQuestionnaire | null> {
  const bundle = await em.findOne(QuestionnaireBundle, { cohort: cohortId, weekNumber: week });
  if (!bundle) return null;
  const response = await em.findOne(WeeklyQuestionnaireResponse, { bundle: bundle.id, user: userId });
  return {
    title: bundle.title,
    intro: bundle.intro ?? null,
    questions: bundle.questions,
    response: response
      ? {
          id: response.id,
          status: response.status,
          answers: response.answers,
          submittedLabel: response.submittedAt ? formatDateTime(response.submittedAt, zone) : null,
          correctedIds: [...new Set(response.corrections.map((c) => c.questionId))],
        }
      : null,
  };
}

export type WeekFeedback = { id: number; body: string; status: FeedbackStatus; coachName: string; publishedLabel: string | null; updatedLabel: string };

/** The coach's feedback on the member's week; with `publishedOnly` (what a client may see) a draft is as good as none. */
export async function weekFeedback(
  em: EntityManager,
  input: { cohortId: number; userId: number; week: number; publishedOnly: boolean },
  zone: string,
): Promise<WeekFeedback | null> {
  const feedback = await em.findOne(
    WeeklyCoachResponse,
    { cohort: input.cohortId, user: input.userId, weekNumber: input.week, ...(input.publishedOnly ? { status: "PUBLISHED" as const } : {}) },
    { populate: ["coach"] },
  );
  if (!feedback) return null;
  return {
    id: feedback.id,
    body: feedback.body,
    status: feedback.status,
    coachName: feedback.coach.name,
    publishedLabel: feedback.publishedAt ? formatDateTime(feedback.publishedAt, zone) : null,
    updatedLabel: formatDateTime(feedback.updatedAt, zone),
  };
}
