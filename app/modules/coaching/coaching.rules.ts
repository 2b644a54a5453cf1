// Pure rules of the coach's review: trends between check-ins, what a nudge is about, sorting the compliance table.
import type { LocalDate } from "~/utils/time";
import type { WeightUnit } from "../health/health.rules";
import type { Programme } from "../cohorts/cohorts.rules";
import { weekDates } from "../cohorts/cohorts.rules";

/** A week page exists for weeks 1..M that have begun by `today` (a studio-local date). */
export function isWeekViewable(programme: Programme, week: number, today: LocalDate): boolean {
  return Number.isInteger(week) && week >= 1 && week <= programme.weeks && weekDates(programme, week).first <= today;
}

/** The weeks that have begun by `today`, newest first (none before the start; all M after the end). */
export function weeksBegun(programme: Programme, today: LocalDate): number[] {
  const weeks: number[] = [];
  for (let week = programme.weeks; week >= 1; week--) if (weekDates(programme, week).first <= today) weeks.push(week);
  return weeks;
}

/** The weeks whose published feedback the client's page shows: this week's and last week's (after the end, the last two). */
export function feedbackWeeksToShow(programme: Programme, today: LocalDate): number[] {
  return weeksBegun(programme, today).slice(0, 2);
}

// ---------- trends ----------

/** The metrics whose change from one check-in to the next a coach reads first. */
export const TREND_METRICS = ["weightKg", "bodyFatPct", "waistCm"] as const;
export type TrendMetric = (typeof TREND_METRICS)[number];
export type TrendValues = Partial<Record<TrendMetric, number | null>>;
export type Trend = Partial<Record<TrendMetric, number>>;

const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Each entry (oldest first) with the change of each trend metric since the latest earlier entry that has it;
 * `before` holds the latest values recorded before the first entry (null where there are none).
 */
export function withTrends<E extends TrendValues>(entries: E[], before: TrendValues = {}): (E & { trend: Trend })[] {
  const last: TrendValues = { ...before };
  return entries.map((entry) => {
    const trend: Trend = {};
    for (const metric of TREND_METRICS) {
      const value = entry[metric];
      if (value === null || value === undefined) continue;
      const previous = last[metric];
      if (previous !== null && previous !== undefined) trend[metric] = round1(value - previous);
      last[metric] = value;
    }
    return { ...entry, trend };
  });
}

const KG_PER_LB = 0.45359237;

/** A weight in the client's unit: "80.4 kg" or "12 st 9.3 lb". */
export function formatWeight(kg: number, unit: WeightUnit): string {
  if (unit === "KG") return `${round1(kg)} kg`;
  const pounds = round1(kg / KG_PER_LB);
  const stones = Math.floor(pounds / 14);
  return `${stones} st ${round1(pounds - stones * 14)} lb`;
}

/** A signed change with a real minus sign: "−0.6 kg", "+1.2 cm", "no change". Weights follow the client's unit (lb for st/lb). */
export function formatChange(delta: number, metric: TrendMetric, unit: WeightUnit = "KG"): string {
  const [value, suffix] =
    metric === "weightKg" ? (unit === "KG" ? [round1(delta), "kg"] : [round1(delta / KG_PER_LB), "lb"]) : [round1(delta), metric === "waistCm" ? "cm" : "%"];
  if (value === 0) return "no change";
  return `${value < 0 ? "−" : "+"}${Math.abs(value)}${suffix === "%" ? "%" : ` ${suffix}`}`;
}

// ---------- nudges ----------

export type MissingItem = { kind: "CHECK_IN"; dueBy: LocalDate } | { kind: "QUESTIONNAIRE"; week: number; closesOn: LocalDate };

/** What a member has not done yet: this period's check-in (when one is asked for) and each open questionnaire not submitted. */
export function missingItems(input: {
  checkInPeriod: { from: LocalDate; to: LocalDate } | null;
  entryDates: LocalDate[];
  openQuestionnaires: { week: number; closesOn: LocalDate }[];
  submittedWeeks: number[];
}): MissingItem[] {
  const missing: MissingItem[] = [];
  const period = input.checkInPeriod;
  if (period && !input.entryDates.some((date) => period.from <= date && date <= period.to)) missing.push({ kind: "CHECK_IN", dueBy: period.to });
  for (const open of input.openQuestionnaires) {
    if (!input.submittedWeeks.includes(open.week)) missing.push({ kind: "QUESTIONNAIRE", week: open.week, closesOn: open.closesOn });
  }
  return missing;
}

/** A member's nudge key: one per cohort, member and studio day, held unique by the database. */
export function nudgeDedupeKey(cohortId: number, userId: number, date: LocalDate): string {
  return `nudge:${cohortId}:${userId}:${date}`;
}

/** The reminder's subject and body, with the links to what is missing. */
export function nudgeMessage(cohortName: string, missing: MissingItem[], formatDate: (date: LocalDate) => string): { subject: string; body: string } {
  const lines = missing.map((item) =>
    item.kind === "CHECK_IN"
      ? `- Record your check-in by ${formatDate(item.dueBy)}: /client/health`
      : `- Answer the week ${item.week} questionnaire by ${formatDate(item.closesOn)}: /client/cohort/questionnaire/${item.week}`,
  );
  const what = missing.map((item) => (item.kind === "CHECK_IN" ? "your check-in" : `the week ${item.week} questionnaire`));
  const joined = what.length > 1 ? `${what.slice(0, -1).join(", ")} and ${what.at(-1)}` : what[0];
  return {
    subject: `${cohortName}: a reminder about ${joined}`.slice(0, 200),
    body: [`A quick reminder from your coach in ${cohortName}. Still to do:`, ...lines, "", "Your cohort page: /client/cohort"].join("\n"),
  };
}

export type NudgeCounts = { nudged: number; alreadyNudged: number; upToDate: number };

const members = (n: number) => `${n} member${n === 1 ? "" : "s"}`;

/** "Nudged 3 members; 2 were already nudged today; 7 are up to date." */
export function nudgeSummary(counts: NudgeCounts): string {
  const parts = [`Nudged ${members(counts.nudged)}`];
  if (counts.alreadyNudged) parts.push(`${counts.alreadyNudged} ${counts.alreadyNudged === 1 ? "was" : "were"} already nudged today`);
  if (counts.upToDate) parts.push(`${counts.upToDate} ${counts.upToDate === 1 ? "is" : "are"} up to date`);
  return `${parts.join("; ")}.`;
}

// ---------- the compliance table ----------

export const REVIEW_SORTS = ["name", "check-ins", "questionnaires", "classes"] as const;
export type ReviewSort = (typeof REVIEW_SORTS)[number];

type Tally = { done: number; due: number };
export type SortableRow = { name: string; programme: { checkIns: Tally; questionnaires: Tally; classesAttended: number } };

/** Nothing due counts as fully done, so those who are behind come first. */
const ratio = (tally: Tally) => (tally.due === 0 ? 1 : tally.done / tally.due);

/** By name, or by who is furthest behind over the programme (ties by name). */
export function sortReviewRows<R extends SortableRow>(rows: R[], sort: ReviewSort): R[] {
  const byName = (a: R, b: R) => a.name.localeCompare(b.name, "en");
  const key: Record<ReviewSort, (row: R) => number> = {
    name: () => 0,
    "check-ins": (row) => ratio(row.programme.checkIns),
    questionnaires: (row) => ratio(row.programme.questionnaires),
    classes: (row) => row.programme.classesAttended,
  };
  return [...rows].sort((a, b) => key[sort](a) - key[sort](b) || byName(a, b));
}
