import { describe, expect, it } from "vitest";
import {
  attendanceLabel,
  attendanceRatio,
  compareByRatio,
  complianceRatio,
  defaultDirection,
  nextSort,
  usageLabel,
  weekQuestionnaireState,
} from "~/modules/coaching/clients.rules";

describe("sorting the clients", () => {
  it("starts each column in its useful direction and reverses on a second click", () => {
    expect(defaultDirection("name")).toBe("asc");
    expect(defaultDirection("lastAttended")).toBe("desc");
    expect(defaultDirection("attendance")).toBe("asc");
    expect(defaultDirection("compliance")).toBe("asc");
    expect(nextSort({ sort: "name", dir: "asc" }, "lastAttended")).toEqual({ sort: "lastAttended", dir: "desc" });
    expect(nextSort({ sort: "name", dir: "asc" }, "name")).toEqual({ sort: "name", dir: "desc" });
    expect(nextSort({ sort: "compliance", dir: "desc" }, "compliance")).toEqual({ sort: "compliance", dir: "asc" });
  });

  it("orders by a ratio with nothing-to-measure last either way, then by name and id", () => {
    const rows = [
      { id: 1, name: "cara", ratio: null },
      { id: 2, name: "Anna", ratio: 0.5 },
      { id: 3, name: "bert", ratio: 0.5 },
      { id: 4, name: "Dan", ratio: 1 },
      { id: 5, name: "anna", ratio: null },
    ];
    const order = (dir: "asc" | "desc") => [...rows].sort(compareByRatio((r) => r.ratio, dir)).map((r) => r.id);
    expect(order("asc")).toEqual([2, 3, 4, 5, 1]);
    expect(order("desc")).toEqual([4, 2, 3, 5, 1]);
  });
});

describe("the list's figures", () => {
  it("labels attendance and compliance, with nothing due as no figure", () => {
    expect(attendanceLabel({ attended: 6, booked: 7 })).toBe("6 of 7");
    expect(attendanceLabel({ attended: 0, booked: 0 })).toBe("—");
    expect(attendanceRatio({ attended: 3, booked: 4 })).toBe(0.75);
    expect(attendanceRatio({ attended: 0, booked: 0 })).toBeNull();
    expect(complianceRatio({ checkIns: { done: 3, due: 4 }, questionnaires: { done: 1, due: 2 } })).toBe(4 / 6);
    expect(complianceRatio({ checkIns: { done: 0, due: 0 }, questionnaires: { done: 0, due: 0 } })).toBeNull();
  });

  it("says how much of each kind of membership is left", () => {
    const base = { membershipId: 1, planName: "Plan" };
    expect(usageLabel({ ...base, type: "recurring", used: 2, limit: 3, remaining: 1 })).toBe("2 of 3 this week");
    expect(usageLabel({ ...base, type: "pack", sessionsRemaining: 5, totalSessions: 10 })).toBe("5 sessions left");
    expect(usageLabel({ ...base, type: "pack", sessionsRemaining: 1, totalSessions: 10 })).toBe("1 session left");
    expect(usageLabel({ ...base, type: "prepaid", daysRemaining: 12, startDate: "2026-11-01", endDate: "2026-12-12" })).toBe("12 days left");
    expect(usageLabel({ ...base, type: "coaching" })).toBe("Coaching only");
  });
});

describe("a week's questionnaire as the coach sees it", () => {
  it("is submitted, open, a draft, not open yet, missed, or absent", () => {
    expect(weekQuestionnaireState(false, null, "OPEN")).toBe("NONE");
    expect(weekQuestionnaireState(true, "SUBMITTED", "CLOSED")).toBe("SUBMITTED");
    expect(weekQuestionnaireState(true, "SUBMITTED", "OPEN")).toBe("SUBMITTED");
    expect(weekQuestionnaireState(true, null, "NOT_YET_OPEN")).toBe("NOT_OPEN");
    expect(weekQuestionnaireState(true, null, "OPEN")).toBe("OPEN");
    expect(weekQuestionnaireState(true, "DRAFT", "OPEN")).toBe("DRAFT");
    expect(weekQuestionnaireState(true, "DRAFT", "CLOSED")).toBe("MISSED");
    expect(weekQuestionnaireState(true, null, "CLOSED")).toBe("MISSED");
  });
});
