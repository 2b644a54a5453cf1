import { describe, expect, it } from "vitest";
import {
  checkInCompliance,
  checkInPeriods,
  checkInPeriodsDue,
  currentCheckInPeriod,
  currentWeek,
  isMonday,
  isRegistrationOpen,
  nextStatus,
  openQuestionnaireWeeks,
  programmeDay,
  questionnaireWindow,
  questionnaireWindowState,
  weekDates,
} from "~/modules/cohorts/cohorts.rules";
import { todayIn } from "~/utils/time";

// An 8-week programme across the UK's autumn clock change (Sunday 25 October 2026, 02:00 BST → 01:00 GMT).
const programme = { startDate: "2026-10-12", weeks: 8 };
const defaults = { questionnaireOpensDaysBeforeWeekEnd: 1, questionnaireClosesDaysAfterWeekEnd: 7 };

describe("cohort weeks", () => {
  it("runs Monday to Sunday from the start date", () => {
    expect(isMonday(programme.startDate)).toBe(true);
    expect(isMonday("2026-10-13")).toBe(false);
    expect(weekDates(programme, 1)).toEqual({ first: "2026-10-12", last: "2026-10-18" });
    expect(weekDates(programme, 8)).toEqual({ first: "2026-11-30", last: "2026-12-06" });
  });

  it("knows the current week, before and after the programme", () => {
    expect(programmeDay(programme, "2026-10-09")).toEqual({ phase: "NOT_STARTED", startsInDays: 3 });
    expect(currentWeek(programme, "2026-10-12")).toBe(1);
    expect(currentWeek(programme, "2026-10-18")).toBe(1);
    expect(currentWeek(programme, "2026-10-19")).toBe(2);
    expect(currentWeek(programme, "2026-12-06")).toBe(8);
    expect(programmeDay(programme, "2026-12-07")).toEqual({ phase: "FINISHED" });
  });

  it("counts weeks in the studio's zone across the clock change", () => {
    const zone = "Europe/London";
    // Sunday 25 Oct 23:30 GMT is still week 2; Monday 26 Oct 00:30 GMT is week 3 (24 h after 00:30 BST on Sunday).
    expect(currentWeek(programme, todayIn(zone, new Date("2026-10-25T23:30:00Z")))).toBe(2);
    expect(currentWeek(programme, todayIn(zone, new Date("2026-10-26T00:30:00Z")))).toBe(3);
    // Spring: in BST the local day starts an hour before UTC's — Monday 00:30 BST is Sunday 23:30 UTC.
    const spring = { startDate: "2027-03-22", weeks: 2 };
    expect(currentWeek(spring, todayIn(zone, new Date("2027-03-28T23:30:00Z")))).toBe(2);
    expect(currentWeek(spring, todayIn("UTC", new Date("2027-03-28T23:30:00Z")))).toBe(1);
  });
});

describe("questionnaire window", () => {
  it("opens on the week's last day and closes when the next week ends", () => {
    expect(questionnaireWindow(programme, 2, defaults)).toEqual({ opensOn: "2026-10-25", closesOn: "2026-11-01" });
    expect(questionnaireWindowState(programme, 2, defaults, "2026-10-24")).toBe("NOT_YET_OPEN");
    expect(questionnaireWindowState(programme, 2, defaults, "2026-10-25")).toBe("OPEN");
    expect(questionnaireWindowState(programme, 2, defaults, "2026-11-01")).toBe("OPEN");
    expect(questionnaireWindowState(programme, 2, defaults, "2026-11-02")).toBe("CLOSED");
  });

  it("follows the studio's settings", () => {
    const early = { questionnaireOpensDaysBeforeWeekEnd: 3, questionnaireClosesDaysAfterWeekEnd: 0 };
    expect(questionnaireWindow(programme, 1, early)).toEqual({ opensOn: "2026-10-16", closesOn: "2026-10-18" });
  });

  it("lists the weeks open on a day: two on a week's last day by default", () => {
    expect(openQuestionnaireWeeks(programme, defaults, "2026-10-14")).toEqual([]);
    expect(openQuestionnaireWeeks(programme, defaults, "2026-10-21")).toEqual([1]);
    expect(openQuestionnaireWeeks(programme, defaults, "2026-10-25")).toEqual([1, 2]);
    expect(openQuestionnaireWeeks(programme, defaults, "2026-12-13")).toEqual([8]);
    expect(openQuestionnaireWeeks(programme, defaults, "2026-12-14")).toEqual([]);
  });
});

describe("check-in periods", () => {
  it("cuts the programme into runs of N days, the last one shorter", () => {
    const periods = checkInPeriods({ startDate: "2026-10-12", weeks: 1 }, 3);
    expect(periods).toEqual([
      { from: "2026-10-12", to: "2026-10-14" },
      { from: "2026-10-15", to: "2026-10-17" },
      { from: "2026-10-18", to: "2026-10-18" },
    ]);
    expect(checkInPeriods(programme, 7)).toHaveLength(8);
  });

  it("counts the periods begun so far as due and those with an entry as done", () => {
    const due = checkInPeriodsDue(programme, 7, "2026-10-20");
    expect(due).toHaveLength(2);
    expect(currentCheckInPeriod(programme, 7, "2026-10-20")).toEqual({ from: "2026-10-19", to: "2026-10-25" });
    expect(currentCheckInPeriod(programme, 7, "2026-12-07")).toBeNull();
    expect(checkInCompliance(due, ["2026-10-01", "2026-10-13", "2026-10-14"])).toEqual({ done: 1, due: 2 });
    expect(checkInCompliance(due, ["2026-10-13", "2026-10-19"])).toEqual({ done: 2, due: 2 });
  });
});

describe("status and registration", () => {
  it("moves forward one step at a time", () => {
    expect(nextStatus("DRAFT")).toBe("ACTIVE");
    expect(nextStatus("ACTIVE")).toBe("COMPLETED");
    expect(nextStatus("COMPLETED")).toBe("ARCHIVED");
    expect(nextStatus("ARCHIVED")).toBeNull();
  });

  it("is open for self-registration only inside its window, while not finished", () => {
    const cohort = { ...programme, status: "ACTIVE" as const, registrationOpensOn: "2026-10-01", registrationClosesOn: "2026-10-14" };
    expect(isRegistrationOpen(cohort, "2026-09-30")).toBe(false);
    expect(isRegistrationOpen(cohort, "2026-10-01")).toBe(true);
    expect(isRegistrationOpen(cohort, "2026-10-14")).toBe(true);
    expect(isRegistrationOpen(cohort, "2026-10-15")).toBe(false);
    expect(isRegistrationOpen({ ...cohort, registrationClosesOn: null }, "2026-12-06")).toBe(true);
    expect(isRegistrationOpen({ ...cohort, registrationOpensOn: null }, "2026-10-05")).toBe(false);
    expect(isRegistrationOpen({ ...cohort, status: "COMPLETED" }, "2026-10-05")).toBe(false);
  });
});
