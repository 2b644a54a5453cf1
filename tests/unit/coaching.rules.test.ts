import { describe, expect, it } from "vitest";
import {
  feedbackWeeksToShow,
  formatChange,
  formatWeight,
  isWeekViewable,
  missingItems,
  nudgeDedupeKey,
  nudgeMessage,
  nudgeSummary,
  sortReviewRows,
  weeksBegun,
  withTrends,
} from "~/modules/coaching/coaching.rules";

const programme = { startDate: "2026-11-02", weeks: 4 };

describe("cohort weeks a page shows", () => {
  it("shows weeks 1..M once they have begun", () => {
    expect(isWeekViewable(programme, 1, "2026-11-01")).toBe(false);
    expect(isWeekViewable(programme, 1, "2026-11-02")).toBe(true);
    expect(isWeekViewable(programme, 2, "2026-11-08")).toBe(false);
    expect(isWeekViewable(programme, 2, "2026-11-09")).toBe(true);
    expect(isWeekViewable(programme, 0, "2026-12-30")).toBe(false);
    expect(isWeekViewable(programme, 5, "2026-12-30")).toBe(false);
    expect(isWeekViewable(programme, 1.5, "2026-12-30")).toBe(false);
  });

  it("lists the weeks begun newest first, and the feedback weeks as this one and the last", () => {
    expect(weeksBegun(programme, "2026-11-01")).toEqual([]);
    expect(weeksBegun(programme, "2026-11-16")).toEqual([3, 2, 1]);
    expect(weeksBegun(programme, "2027-01-01")).toEqual([4, 3, 2, 1]);
    expect(feedbackWeeksToShow(programme, "2026-11-02")).toEqual([1]);
    expect(feedbackWeeksToShow(programme, "2026-11-16")).toEqual([3, 2]);
    expect(feedbackWeeksToShow(programme, "2027-01-01")).toEqual([4, 3]);
  });
});

describe("trends", () => {
  it("compares each metric with the latest earlier entry that has it", () => {
    const rows = withTrends(
      [
        { date: "2026-11-03", weightKg: 80, bodyFatPct: null, waistCm: 90 },
        { date: "2026-11-05", weightKg: null, bodyFatPct: 25, waistCm: null },
        { date: "2026-11-07", weightKg: 79.4, bodyFatPct: 24.5, waistCm: 90 },
      ],
      { weightKg: 81, bodyFatPct: null, waistCm: null },
    );
    expect(rows.map((r) => r.trend)).toEqual([{ weightKg: -1 }, {}, { weightKg: -0.6, bodyFatPct: -0.5, waistCm: 0 }]);
  });

  it("writes changes with a real minus sign, in the client's weight unit", () => {
    expect(formatChange(-0.6, "weightKg")).toBe("−0.6 kg");
    expect(formatChange(1.24, "waistCm")).toBe("+1.2 cm");
    expect(formatChange(-0.5, "bodyFatPct")).toBe("−0.5%");
    expect(formatChange(0, "weightKg")).toBe("no change");
    expect(formatChange(-0.6, "weightKg", "ST_LB")).toBe("−1.3 lb");
    expect(formatWeight(80.44, "KG")).toBe("80.4 kg");
    expect(formatWeight(80.44, "ST_LB")).toBe("12 st 9.3 lb");
  });
});

describe("nudges", () => {
  const period = { from: "2026-11-16", to: "2026-11-22" };
  const open = [{ week: 2, closesOn: "2026-11-22" }];

  it("names what is missing: this period's check-in and each open questionnaire not submitted", () => {
    expect(missingItems({ checkInPeriod: period, entryDates: ["2026-11-17"], openQuestionnaires: open, submittedWeeks: [2] })).toEqual([]);
    expect(missingItems({ checkInPeriod: period, entryDates: ["2026-11-15"], openQuestionnaires: open, submittedWeeks: [] })).toEqual([
      { kind: "CHECK_IN", dueBy: "2026-11-22" },
      { kind: "QUESTIONNAIRE", week: 2, closesOn: "2026-11-22" },
    ]);
    expect(missingItems({ checkInPeriod: null, entryDates: [], openQuestionnaires: [], submittedWeeks: [] })).toEqual([]);
  });

  it("keys a nudge by cohort, member and studio day, and links what is missing", () => {
    expect(nudgeDedupeKey(4, 17, "2026-11-18")).toBe("nudge:4:17:2026-11-18");
    const message = nudgeMessage(
      "8 Week Challenge",
      [
        { kind: "CHECK_IN", dueBy: "2026-11-22" },
        { kind: "QUESTIONNAIRE", week: 2, closesOn: "2026-11-22" },
      ],
      (date) => `day ${date}`,
    );
    expect(message.subject).toBe("8 Week Challenge: a reminder about your check-in and the week 2 questionnaire");
    expect(message.body).toContain("/client/health");
    expect(message.body).toContain("/client/cohort/questionnaire/2");
    expect(message.body).toContain("by day 2026-11-22");
  });

  it("sums up a nudge for the flash", () => {
    expect(nudgeSummary({ nudged: 3, alreadyNudged: 2, upToDate: 7 })).toBe("Nudged 3 members; 2 were already nudged today; 7 are up to date.");
    expect(nudgeSummary({ nudged: 1, alreadyNudged: 1, upToDate: 1 })).toBe("Nudged 1 member; 1 was already nudged today; 1 is up to date.");
    expect(nudgeSummary({ nudged: 0, alreadyNudged: 0, upToDate: 4 })).toBe("Nudged 0 members; 4 are up to date.");
  });
});

describe("sorting the compliance table", () => {
  const row = (name: string, checkIns: [number, number], questionnaires: [number, number], classes: number) => ({
    name,
    programme: {
      checkIns: { done: checkIns[0], due: checkIns[1] },
      questionnaires: { done: questionnaires[0], due: questionnaires[1] },
      classesAttended: classes,
    },
  });
  const rows = [row("Cara", [3, 3], [1, 2], 4), row("Abe", [1, 3], [2, 2], 4), row("Bea", [2, 3], [0, 2], 1)];

  it("sorts by name, or those furthest behind first", () => {
    expect(sortReviewRows(rows, "name").map((r) => r.name)).toEqual(["Abe", "Bea", "Cara"]);
    expect(sortReviewRows(rows, "check-ins").map((r) => r.name)).toEqual(["Abe", "Bea", "Cara"]);
    expect(sortReviewRows(rows, "questionnaires").map((r) => r.name)).toEqual(["Bea", "Cara", "Abe"]);
    expect(sortReviewRows(rows, "classes").map((r) => r.name)).toEqual(["Bea", "Abe", "Cara"]);
  });
});
