import { addDays, formatDate, weekdayOf, type LocalDate } from "~/utils/time";
import type { CohortStatus } from "./cohorts.entities.server";
import { isMonday, isRegistrationOpen, lastDayOf, programmeDay, type Programme, type RegistrationWindow } from "./cohorts.rules";

/**
 * Who may join a cohort and how a cohort reads in lists: pure functions on the studio's local dates
 * (callers turn "now" into the studio's today first).
 */

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/** Why `date` cannot start a programme, or null: weeks run Monday to Sunday, so it must be a Monday. */
export function startDateRefusal(date: LocalDate): string | null {
  if (isMonday(date)) return null;
  const before = addDays(date, 1 - weekdayOf(date));
  const after = addDays(before, 7);
  return `The start date must be a Monday, because programme weeks run Monday to Sunday: ${formatDate(date, "UTC")} is a ${WEEKDAYS[weekdayOf(date) - 1]}. Try ${formatDate(before, "UTC")} or ${formatDate(after, "UTC")}.`;
}

/** Why the registration dates do not make a window, or null (both blank: members are only added by a coach). */
export function registrationWindowRefusal(window: RegistrationWindow): { field: "registrationOpensOn" | "registrationClosesOn"; message: string } | null {
  const { registrationOpensOn: opens, registrationClosesOn: closes } = window;
  if (opens === null && closes !== null) return { field: "registrationOpensOn", message: "Enter the day registration opens too, or leave both dates blank." };
  if (opens !== null && closes !== null && closes < opens)
    return { field: "registrationClosesOn", message: "Registration must close on or after the day it opens." };
  return null;
}

/** A cohort as stored (the entity's nullable dates may read as undefined). */
type StoredWindow = Programme & { status: CohortStatus; registrationOpensOn?: LocalDate | null; registrationClosesOn?: LocalDate | null };
type JoinableCohort = StoredWindow & { name: string; isFree: boolean };

function windowOf<C extends StoredWindow>(cohort: C): C & RegistrationWindow {
  return { ...cohort, registrationOpensOn: cohort.registrationOpensOn ?? null, registrationClosesOn: cohort.registrationClosesOn ?? null };
}

/**
 * Why a client may not join `cohort` themselves on `today`, or null when they may: registration must be
 * open, and the cohort free or one of its plans held (`heldPlanIds`: the plans of the client's memberships
 * that are active today). Capacity and the one-active-cohort rule are checked when joining.
 */
export function selfJoinRefusal(
  cohort: JoinableCohort,
  plans: { id: number; name: string }[],
  heldPlanIds: ReadonlySet<number>,
  today: LocalDate,
): string | null {
  if (!isRegistrationOpen(windowOf(cohort), today)) return registrationClosedMessage(cohort, today);
  if (cohort.isFree) return null;
  if (plans.some((plan) => heldPlanIds.has(plan.id))) return null;
  if (plans.length === 0) return `“${cohort.name}” is not open to self-registration: ask a coach to add you.`;
  return `Joining “${cohort.name}” needs the ${listOr(plans.map((plan) => plan.name))} plan.`;
}

function registrationClosedMessage(cohort: JoinableCohort, today: LocalDate): string {
  const state = registrationState(cohort, today);
  if (state.kind === "NOT_YET") return `Registration for “${cohort.name}” opens on ${formatDate(state.opensOn, "UTC")}.`;
  if (state.kind === "NONE") return `“${cohort.name}” is not open to self-registration: ask a coach to add you.`;
  return `Registration for “${cohort.name}” is closed.`;
}

function listOr(names: string[]): string {
  return names.length <= 1 ? (names[0] ?? "") : `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

export type RegistrationState =
  { kind: "NONE" } | { kind: "NOT_YET"; opensOn: LocalDate } | { kind: "OPEN"; closesOn: LocalDate } | { kind: "CLOSED"; closedOn: LocalDate | null };

/** Whether clients may join on `today` (isRegistrationOpen of a cohort as stored). */
export function registrationOpen(cohort: StoredWindow, today: LocalDate): boolean {
  return isRegistrationOpen(windowOf(cohort), today);
}

/** Where self-registration stands on `today`: none (coaches add members), not yet open, open until…, or closed. */
export function registrationState(stored: StoredWindow, today: LocalDate): RegistrationState {
  const cohort = windowOf(stored);
  if (cohort.registrationOpensOn === null) return { kind: "NONE" };
  const closesOn = cohort.registrationClosesOn ?? lastDayOf(cohort);
  if (isRegistrationOpen(cohort, today)) return { kind: "OPEN", closesOn };
  if (today < cohort.registrationOpensOn && (cohort.status === "DRAFT" || cohort.status === "ACTIVE"))
    return { kind: "NOT_YET", opensOn: cohort.registrationOpensOn };
  return { kind: "CLOSED", closedOn: today > closesOn ? closesOn : null };
}

/** A registration state in words. */
export function registrationLabel(state: RegistrationState): string {
  switch (state.kind) {
    case "NONE":
      return "No self-registration: members are added by a coach.";
    case "NOT_YET":
      return `Opens on ${formatDate(state.opensOn, "UTC")}.`;
    case "OPEN":
      return `Open until ${formatDate(state.closesOn, "UTC")}.`;
    case "CLOSED":
      return state.closedOn ? `Closed on ${formatDate(state.closedOn, "UTC")}.` : "Closed.";
  }
}

/** "Starts Mon 2 Mar 2026", "Week 3 of 8" or "Ended Sun 26 Apr 2026". */
export function programmeLabel(programme: Programme, today: LocalDate): string {
  const day = programmeDay(programme, today);
  if (day.phase === "NOT_STARTED") return `Starts ${formatDate(programme.startDate, "UTC")}`;
  if (day.phase === "RUNNING") return `Week ${day.week} of ${programme.weeks}`;
  return `Ended ${formatDate(lastDayOf(programme), "UTC")}`;
}

const STATUS_LABELS: Record<CohortStatus, string> = { DRAFT: "Draft", ACTIVE: "Active", COMPLETED: "Completed", ARCHIVED: "Archived" };

export function statusLabel(status: CohortStatus): string {
  return STATUS_LABELS[status];
}
