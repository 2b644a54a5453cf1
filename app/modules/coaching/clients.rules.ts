// "My clients": the pure parts — sort keys and directions, and the short labels of the list and the client page.
import type { SessionUsage } from "../memberships/memberships.rules";
import type { WindowState } from "../cohorts/cohorts.rules";
import type { Compliance } from "./compliance.server";

export const CLIENT_SORTS = ["name", "lastAttended", "attendance", "compliance"] as const;
export type ClientSort = (typeof CLIENT_SORTS)[number];
export const SORT_DIRECTIONS = ["asc", "desc"] as const;
export type SortDirection = (typeof SORT_DIRECTIONS)[number];

/**
 * The direction a column sorts in when first chosen: names A–Z, the most recent visit first, and the
 * lowest attendance and compliance first (the clients who need a word from their coach).
 */
export function defaultDirection(sort: ClientSort): SortDirection {
  return sort === "lastAttended" ? "desc" : "asc";
}

/** Where a column header's link goes: its column in its default direction, or the other way round if already sorted by it. */
export function nextSort(current: { sort: ClientSort; dir: SortDirection }, column: ClientSort): { sort: ClientSort; dir: SortDirection } {
  if (current.sort !== column) return { sort: column, dir: defaultDirection(column) };
  return { sort: column, dir: current.dir === "asc" ? "desc" : "asc" };
}

/** "2 of 3 this week", "5 sessions left", "12 days left", "Coaching only". */
export function usageLabel(usage: SessionUsage): string {
  switch (usage.type) {
    case "recurring":
      return `${usage.used} of ${usage.limit} this week`;
    case "pack":
      return `${usage.sessionsRemaining} session${usage.sessionsRemaining === 1 ? "" : "s"} left`;
    case "prepaid":
      return `${usage.daysRemaining} day${usage.daysRemaining === 1 ? "" : "s"} left`;
    case "coaching":
      return "Coaching only";
  }
}

export type Attendance = { attended: number; booked: number };

/** "6 of 7", or "—" when nothing booked has happened yet. */
export function attendanceLabel(attendance: Attendance): string {
  return attendance.booked === 0 ? "—" : `${attendance.attended} of ${attendance.booked}`;
}

/** Attended of booked, 0–1, or null when nothing was booked (such clients sort last). */
export function attendanceRatio(attendance: Attendance): number | null {
  return attendance.booked === 0 ? null : attendance.attended / attendance.booked;
}

/** Check-ins and questionnaires done of due over the programme so far, 0–1, or null when nothing is due yet. */
export function complianceRatio(compliance: Pick<Compliance["programme"], "checkIns" | "questionnaires">): number | null {
  const due = compliance.checkIns.due + compliance.questionnaires.due;
  return due === 0 ? null : (compliance.checkIns.done + compliance.questionnaires.done) / due;
}

/**
 * Orders by a nullable number in `dir`, nulls last either way, then by name (case-insensitive) and id,
 * so a page boundary never moves between two requests.
 */
export function compareByRatio<T extends { name: string; id: number }>(ratio: (row: T) => number | null, dir: SortDirection) {
  return (a: T, b: T): number => {
    const x = ratio(a);
    const y = ratio(b);
    if (x !== y) {
      if (x === null) return 1;
      if (y === null) return -1;
      return dir === "asc" ? x - y : y - x;
    }
    return a.name.localeCompare(b.name, "en", { sensitivity: "base" }) || a.id - b.id;
  };
}

/** Where one week's questionnaire stands for a member, as the coach reads it. */
export type WeekQuestionnaireState = "NONE" | "NOT_OPEN" | "OPEN" | "DRAFT" | "SUBMITTED" | "MISSED";

/**
 * NONE: the week has no questionnaire; NOT_OPEN: its window has not opened; OPEN / DRAFT: open and not
 * submitted (nothing saved / a draft saved); SUBMITTED; MISSED: the window closed without a submission.
 */
export function weekQuestionnaireState(hasQuestionnaire: boolean, response: "DRAFT" | "SUBMITTED" | null, window: WindowState): WeekQuestionnaireState {
  if (!hasQuestionnaire) return "NONE";
  if (response === "SUBMITTED") return "SUBMITTED";
  if (window === "NOT_YET_OPEN") return "NOT_OPEN";
  if (window === "OPEN") return response === "DRAFT" ? "DRAFT" : "OPEN";
  return "MISSED";
}

export const WEEK_STATE_LABELS: Record<WeekQuestionnaireState, string> = {
  NONE: "No questionnaire",
  NOT_OPEN: "Not open yet",
  OPEN: "Open, not started",
  DRAFT: "Draft saved",
  SUBMITTED: "Submitted",
  MISSED: "Missed",
};
