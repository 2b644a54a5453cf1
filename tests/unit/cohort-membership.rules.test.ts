import { describe, expect, it } from "vitest";
import {
  programmeLabel,
  registrationLabel,
  registrationOpen,
  registrationState,
  registrationWindowRefusal,
  selfJoinRefusal,
  startDateRefusal,
} from "~/modules/cohorts/cohort-membership.rules";

// Monday 2 March 2026 starts a 6-week programme ending Sunday 12 April 2026.
const cohort = {
  name: "Kickstarter",
  startDate: "2026-03-02",
  weeks: 6,
  status: "ACTIVE" as const,
  isFree: false,
  registrationOpensOn: "2026-02-16",
  registrationClosesOn: "2026-03-08",
};
const plans = [
  { id: 1, name: "Kickstarter" },
  { id: 2, name: "Unlimited" },
];

describe("startDateRefusal", () => {
  it("accepts a Monday and names the Mondays around any other day", () => {
    expect(startDateRefusal("2026-03-02")).toBeNull();
    expect(startDateRefusal("2026-03-04")).toBe(
      "The start date must be a Monday, because programme weeks run Monday to Sunday: Wed 4 Mar 2026 is a Wednesday. Try Mon 2 Mar 2026 or Mon 9 Mar 2026.",
    );
    expect(startDateRefusal("2026-03-08")).toContain("is a Sunday. Try Mon 2 Mar 2026 or Mon 9 Mar 2026.");
  });
});

describe("registrationWindowRefusal", () => {
  it("accepts no window, an open-ended one and a one-day one; refuses a backwards one and a close without an open", () => {
    expect(registrationWindowRefusal({ registrationOpensOn: null, registrationClosesOn: null })).toBeNull();
    expect(registrationWindowRefusal({ registrationOpensOn: "2026-03-01", registrationClosesOn: null })).toBeNull();
    expect(registrationWindowRefusal({ registrationOpensOn: "2026-03-01", registrationClosesOn: "2026-03-01" })).toBeNull();
    expect(registrationWindowRefusal({ registrationOpensOn: "2026-03-02", registrationClosesOn: "2026-03-01" })).toEqual({
      field: "registrationClosesOn",
      message: "Registration must close on or after the day it opens.",
    });
    expect(registrationWindowRefusal({ registrationOpensOn: null, registrationClosesOn: "2026-03-01" })).toMatchObject({ field: "registrationOpensOn" });
  });
});

describe("selfJoinRefusal", () => {
  it("needs the window open, then the cohort free or one of its plans held", () => {
    expect(selfJoinRefusal(cohort, plans, new Set([2]), "2026-03-01")).toBeNull();
    expect(selfJoinRefusal(cohort, plans, new Set([3]), "2026-03-01")).toBe("Joining “Kickstarter” needs the Kickstarter or Unlimited plan.");
    expect(selfJoinRefusal(cohort, [plans[0]], new Set(), "2026-03-01")).toBe("Joining “Kickstarter” needs the Kickstarter plan.");
    expect(selfJoinRefusal({ ...cohort, isFree: true }, plans, new Set(), "2026-03-01")).toBeNull();
    expect(selfJoinRefusal(cohort, [], new Set(), "2026-03-01")).toBe("“Kickstarter” is not open to self-registration: ask a coach to add you.");
  });

  it("explains a window that has not opened, has closed, or does not exist", () => {
    expect(selfJoinRefusal(cohort, plans, new Set([1]), "2026-02-15")).toBe("Registration for “Kickstarter” opens on Mon 16 Feb 2026.");
    expect(selfJoinRefusal(cohort, plans, new Set([1]), "2026-03-09")).toBe("Registration for “Kickstarter” is closed.");
    expect(selfJoinRefusal({ ...cohort, status: "COMPLETED" }, plans, new Set([1]), "2026-03-01")).toBe("Registration for “Kickstarter” is closed.");
    expect(selfJoinRefusal({ ...cohort, registrationOpensOn: null, registrationClosesOn: null }, plans, new Set([1]), "2026-03-01")).toBe(
      "“Kickstarter” is not open to self-registration: ask a coach to add you.",
    );
  });
});

describe("registrationState", () => {
  it("reads the window inclusively, a blank end meaning the programme's last day", () => {
    expect(registrationState(cohort, "2026-02-15")).toEqual({ kind: "NOT_YET", opensOn: "2026-02-16" });
    expect(registrationState(cohort, "2026-02-16")).toEqual({ kind: "OPEN", closesOn: "2026-03-08" });
    expect(registrationState(cohort, "2026-03-08")).toEqual({ kind: "OPEN", closesOn: "2026-03-08" });
    expect(registrationState(cohort, "2026-03-09")).toEqual({ kind: "CLOSED", closedOn: "2026-03-08" });
    expect(registrationState({ ...cohort, registrationClosesOn: undefined }, "2026-04-12")).toEqual({ kind: "OPEN", closesOn: "2026-04-12" });
    expect(registrationState({ ...cohort, registrationOpensOn: null }, "2026-03-01")).toEqual({ kind: "NONE" });
    expect(registrationState({ ...cohort, status: "ARCHIVED" }, "2026-03-01")).toEqual({ kind: "CLOSED", closedOn: null });
    expect(registrationOpen(cohort, "2026-03-01")).toBe(true);
    expect(registrationOpen({ ...cohort, status: "COMPLETED" }, "2026-03-01")).toBe(false);
  });

  it("says so in words", () => {
    expect(registrationLabel({ kind: "NONE" })).toBe("No self-registration: members are added by a coach.");
    expect(registrationLabel({ kind: "NOT_YET", opensOn: "2026-02-16" })).toBe("Opens on Mon 16 Feb 2026.");
    expect(registrationLabel({ kind: "OPEN", closesOn: "2026-03-08" })).toBe("Open until Sun 8 Mar 2026.");
    expect(registrationLabel({ kind: "CLOSED", closedOn: "2026-03-08" })).toBe("Closed on Sun 8 Mar 2026.");
  });
});

describe("programmeLabel", () => {
  it("says when it starts, which week it is in, or when it ended", () => {
    expect(programmeLabel(cohort, "2026-03-01")).toBe("Starts Mon 2 Mar 2026");
    expect(programmeLabel(cohort, "2026-03-02")).toBe("Week 1 of 6");
    expect(programmeLabel(cohort, "2026-03-29")).toBe("Week 4 of 6");
    expect(programmeLabel(cohort, "2026-04-12")).toBe("Week 6 of 6");
    expect(programmeLabel(cohort, "2026-04-13")).toBe("Ended Sun 12 Apr 2026");
  });
});
