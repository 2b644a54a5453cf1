import { addDays, plainDate, weekdayOf, type LocalDate } from "~/utils/time";
import type { CohortStatus } from "./cohorts.entities.server";

/**
 * Week arithmetic of a cohort programme, in the studio's local dates: week k (1-based) runs from
 * startDate + 7(k−1) (a Monday) to the Sunday six days later. Callers turn "now" into the studio's
 * local date first (todayIn), so a clock change never moves a day or a week.
 */

export type Programme = { startDate: LocalDate; weeks: number };

export function isMonday(date: LocalDate): boolean {
  return weekdayOf(date) === 1;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: LocalDate, to: LocalDate): number {
  return plainDate(from).until(plainDate(to), { largestUnit: "days" }).days;
}

/** The first and last day of week `week` of the programme. */
export function weekDates(programme: Programme, week: number): { first: LocalDate; last: LocalDate } {
  const first = addDays(programme.startDate, 7 * (week - 1));
  return { first, last: addDays(first, 6) };
}

export function lastDayOf(programme: Programme): LocalDate {
  return weekDates(programme, programme.weeks).last;
}

export type ProgrammeDay = { phase: "NOT_STARTED"; startsInDays: number } | { phase: "RUNNING"; week: number } | { phase: "FINISHED" };

/** Where `today` falls in the programme: before it, in week N, or after its last day. */
export function programmeDay(programme: Programme, today: LocalDate): ProgrammeDay {
  const offset = daysBetween(programme.startDate, today);
  if (offset < 0) return { phase: "NOT_STARTED", startsInDays: -offset };
  const week = Math.floor(offset / 7) + 1;
  return week > programme.weeks ? { phase: "FINISHED" } : { phase: "RUNNING", week };
}

/** The week `today` falls in, or null outside the programme. */
export function currentWeek(programme: Programme, today: LocalDate): number | null {
  const day = programmeDay(programme, today);
  return day.phase === "RUNNING" ? day.week : null;
}

export type QuestionnaireWindowSettings = { questionnaireOpensDaysBeforeWeekEnd: number; questionnaireClosesDaysAfterWeekEnd: number };

/**
 * The days (inclusive) a week's questionnaire can be answered: by default from the week's last day
 * until the next week ends. Both ends are studio settings.
 */
export function questionnaireWindow(programme: Programme, week: number, settings: QuestionnaireWindowSettings): { opensOn: LocalDate; closesOn: LocalDate } {
  const { last } = weekDates(programme, week);
  return {
    opensOn: addDays(last, 1 - settings.questionnaireOpensDaysBeforeWeekEnd),
    closesOn: addDays(last, settings.questionnaireClosesDaysAfterWeekEnd),
  };
}

export type WindowState = "NOT_YET_OPEN" | "OPEN" | "CLOSED";

export function questionnaireWindowState(programme: Programme, week: number, settings: QuestionnaireWindowSettings, today: LocalDate): WindowState {
  const { opensOn, closesOn } = questionnaireWindow(programme, week, settings);
  if (today < opensOn) return "NOT_YET_OPEN";
  return today > closesOn ? "CLOSED" : "OPEN";
}

/** The weeks whose questionnaire is open on `today` (at most two with the default window). */
export function openQuestionnaireWeeks(programme: Programme, settings: QuestionnaireWindowSettings, today: LocalDate): number[] {
  const weeks: number[] = [];
  for (let week = 1; week <= programme.weeks; week++) {
    if (questionnaireWindowState(programme, week, settings, today) === "OPEN") weeks.push(week);
  }
  return weeks;
}

/**
 * Check-in periods: the programme cut into runs of `frequencyDays` days from its start (the last one
 * shorter when the length does not divide). A member is asked for one check-in in each period.
 */
export function checkInPeriods(programme: Programme, frequencyDays: number): { from: LocalDate; to: LocalDate }[] {
  const end = lastDayOf(programme);
  const periods: { from: LocalDate; to: LocalDate }[] = [];
  for (let from = programme.startDate; from <= end; from = addDays(from, frequencyDays)) {
    const to = addDays(from, frequencyDays - 1);
    periods.push({ from, to: to > end ? end : to });
  }
  return periods;
}

/** The periods that have begun by `today` (the current one included): the check-ins due so far. */
export function checkInPeriodsDue(programme: Programme, frequencyDays: number, today: LocalDate): { from: LocalDate; to: LocalDate }[] {
  return checkInPeriods(programme, frequencyDays).filter((period) => period.from <= today);
}

/** The period containing `today`, or null outside the programme. */
export function currentCheckInPeriod(programme: Programme, frequencyDays: number, today: LocalDate): { from: LocalDate; to: LocalDate } | null {
  return checkInPeriods(programme, frequencyDays).find((period) => period.from <= today && today <= period.to) ?? null;
}

/** Check-ins done of due: the due periods with at least one entry dated inside them. */
export function checkInCompliance(periods: { from: LocalDate; to: LocalDate }[], entryDates: LocalDate[]): { done: number; due: number } {
  const done = periods.filter((period) => entryDates.some((date) => period.from <= date && date <= period.to)).length;
  return { done, due: periods.length };
}

/** The status moves a coach may make: forward only, one step at a time. */
const NEXT_STATUS: Record<CohortStatus, CohortStatus | null> = { DRAFT: "ACTIVE", ACTIVE: "COMPLETED", COMPLETED: "ARCHIVED", ARCHIVED: null };

export function nextStatus(status: CohortStatus): CohortStatus | null {
  return NEXT_STATUS[status];
}

/** Whether a cohort still holds its members as "active" (the one-active-cohort rule counts these). */
export function holdsMembersActive(status: CohortStatus): boolean {
  return status === "DRAFT" || status === "ACTIVE";
}

export type RegistrationWindow = { registrationOpensOn: LocalDate | null; registrationClosesOn: LocalDate | null };

/** Self-registration is open on `today`: an ACTIVE or DRAFT cohort within its (inclusive) window; a missing end means "until its last day". */
export function isRegistrationOpen(cohort: RegistrationWindow & Programme & { status: CohortStatus }, today: LocalDate): boolean {
  if (!holdsMembersActive(cohort.status)) return false;
  if (cohort.registrationOpensOn === null) return false;
  const closesOn = cohort.registrationClosesOn ?? lastDayOf(cohort);
  return cohort.registrationOpensOn <= today && today <= closesOn;
}
