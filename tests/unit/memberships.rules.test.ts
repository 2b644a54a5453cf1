import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  addMonthsClamped,
  clientCancellation,
  currentBillingPeriod,
  effectiveMembershipStatus,
  formatMoney,
  MAX_PRICE_PENCE,
  parsePriceToPence,
  planSummary,
  prepaidEndDate,
  repeatRefusal,
  resumeAfterPause,
  tallyMemberships,
  usageFor,
  usagePercent,
} from "~/modules/memberships/memberships.rules";
import type { PlanSummaryInput, SessionUsage, UsageInput } from "~/modules/memberships/memberships.rules";
import type { MembershipStatus, PlanType } from "~/modules/memberships/memberships.entities.server";
import { addDays } from "~/utils/time";

describe("formatMoney", () => {
  it("formats pence as pounds and pence", () => {
    expect(formatMoney(999, "GBP")).toBe("£9.99");
    expect(formatMoney(27500, "GBP")).toBe("£275.00");
    expect(formatMoney(0, "GBP")).toBe("£0.00");
    expect(formatMoney(5, "GBP")).toBe("£0.05");
    expect(formatMoney(50, "GBP")).toBe("£0.50");
    expect(formatMoney(100, "GBP")).toBe("£1.00");
  });

  it("groups thousands with commas", () => {
    expect(formatMoney(125_000, "GBP")).toBe("£1,250.00");
    expect(formatMoney(99_999, "GBP")).toBe("£999.99");
    expect(formatMoney(10_000_000, "GBP")).toBe("£100,000.00");
    expect(formatMoney(123_456_789, "GBP")).toBe("£1,234,567.89");
  });

  it("uses the fixed symbols for EUR and USD, in any case", () => {
    expect(formatMoney(1050, "EUR")).toBe("€10.50");
    expect(formatMoney(1050, "USD")).toBe("$10.50");
    expect(formatMoney(1050, "gbp")).toBe("£10.50");
  });

  it("falls back to the currency code for other currencies", () => {
    expect(formatMoney(1050, "CHF")).toBe("CHF 10.50");
  });

  it("puts the minus sign before the symbol", () => {
    expect(formatMoney(-500, "GBP")).toBe("-£5.00");
    expect(formatMoney(-1, "GBP")).toBe("-£0.01");
  });

  it("rejects fractional or non-finite pence", () => {
    expect(() => formatMoney(9.5, "GBP")).toThrow(RangeError);
    expect(() => formatMoney(Number.NaN, "GBP")).toThrow(RangeError);
    expect(() => formatMoney(Number.POSITIVE_INFINITY, "GBP")).toThrow(RangeError);
  });
});

describe("parsePriceToPence", () => {
  it("parses the documented examples", () => {
    expect(parsePriceToPence("9.99")).toBe(999);
    expect(parsePriceToPence("£110")).toBe(11000);
    expect(parsePriceToPence("110.5")).toBe(11050);
    expect(parsePriceToPence(" 30.00 ")).toBe(3000);
  });

  it("parses without floating-point error", () => {
    expect(parsePriceToPence("0.29")).toBe(29);
    expect(parsePriceToPence("1.15")).toBe(115);
    expect(parsePriceToPence("4.35")).toBe(435);
    expect(parsePriceToPence("0.07")).toBe(7);
  });

  it("accepts zero, a symbol with a space, other symbols and well-placed thousands commas", () => {
    expect(parsePriceToPence("0")).toBe(0);
    expect(parsePriceToPence("0.00")).toBe(0);
    expect(parsePriceToPence("£ 12")).toBe(1200);
    expect(parsePriceToPence("€12.50")).toBe(1250);
    expect(parsePriceToPence("$12.5")).toBe(1250);
    expect(parsePriceToPence("1,250")).toBe(125_000);
    expect(parsePriceToPence("£1,250.99")).toBe(125_099);
    expect(parsePriceToPence("100,000.00")).toBe(10_000_000);
    expect(parsePriceToPence("007")).toBe(700);
  });

  it("allows exactly 100,000.00 but nothing above", () => {
    expect(parsePriceToPence("100000")).toBe(MAX_PRICE_PENCE);
    expect(parsePriceToPence("100000.00")).toBe(MAX_PRICE_PENCE);
    expect(parsePriceToPence("100000.01")).toBeNull();
    expect(parsePriceToPence("100001")).toBeNull();
    expect(parsePriceToPence("99999999999999999999")).toBeNull();
  });

  it("rejects negatives", () => {
    for (const s of ["-1", "-0.01", "£-5", "-£5"]) expect(parsePriceToPence(s), s).toBeNull();
  });

  it("rejects more than two decimals", () => {
    for (const s of ["9.999", "1.001", "0.000"]) expect(parsePriceToPence(s), s).toBeNull();
  });

  it("rejects things that are not plain prices", () => {
    for (const s of [
      "",
      " ",
      "£",
      "abc",
      "12abc",
      "1e3",
      "Infinity",
      "NaN",
      "0x10",
      ".5",
      "5.",
      "1.2.3",
      "1 000",
      "1,00",
      "1,0000",
      ",100",
      "12,",
      "££5",
      "5£",
      "+5",
      "1_000",
      "5 GBP",
    ]) {
      expect(parsePriceToPence(s), JSON.stringify(s)).toBeNull();
    }
  });

  it("round-trips with formatMoney for every valid GBP amount", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_PRICE_PENCE }), (pence) => {
        expect(parsePriceToPence(formatMoney(pence, "GBP"))).toBe(pence);
      }),
    );
  });
});

describe("prepaidEndDate", () => {
  it("counts the start day as day 1", () => {
    expect(prepaidEndDate("2026-01-05", 56)).toBe("2026-03-01");
    expect(prepaidEndDate("2026-01-05", 1)).toBe("2026-01-05");
    expect(prepaidEndDate("2026-01-05", 7)).toBe("2026-01-11");
    expect(prepaidEndDate("2026-01-01", 365)).toBe("2026-12-31");
  });

  it("crosses leap days and year ends", () => {
    expect(prepaidEndDate("2028-02-01", 29)).toBe("2028-02-29");
    expect(prepaidEndDate("2026-02-01", 29)).toBe("2026-03-01");
    expect(prepaidEndDate("2026-12-20", 30)).toBe("2027-01-18");
  });

  it("rejects durations below one day or not whole", () => {
    expect(() => prepaidEndDate("2026-01-05", 0)).toThrow(RangeError);
    expect(() => prepaidEndDate("2026-01-05", -3)).toThrow(RangeError);
    expect(() => prepaidEndDate("2026-01-05", 1.5)).toThrow(RangeError);
  });

  it("rejects malformed dates", () => {
    expect(() => prepaidEndDate("20260105", 10)).toThrow(RangeError);
    expect(() => prepaidEndDate("2026-02-30", 10)).toThrow(RangeError);
  });
});

describe("addMonthsClamped", () => {
  it("keeps the day when the target month has it", () => {
    expect(addMonthsClamped("2026-01-15", 1)).toBe("2026-02-15");
    expect(addMonthsClamped("2026-01-31", 2)).toBe("2026-03-31");
    expect(addMonthsClamped("2026-03-31", 0)).toBe("2026-03-31");
  });

  it("clamps to the last day of a shorter month", () => {
    expect(addMonthsClamped("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonthsClamped("2026-01-30", 1)).toBe("2026-02-28");
    expect(addMonthsClamped("2026-01-29", 1)).toBe("2026-02-28");
    expect(addMonthsClamped("2026-03-31", 1)).toBe("2026-04-30");
    expect(addMonthsClamped("2026-08-31", 1)).toBe("2026-09-30");
  });

  it("clamps to 29 February in a leap year", () => {
    expect(addMonthsClamped("2028-01-31", 1)).toBe("2028-02-29");
    expect(addMonthsClamped("2028-01-29", 1)).toBe("2028-02-29");
    expect(addMonthsClamped("2028-02-29", 12)).toBe("2029-02-28");
    expect(addMonthsClamped("2028-02-29", 48)).toBe("2032-02-29");
  });

  it("crosses year ends both ways", () => {
    expect(addMonthsClamped("2026-11-30", 3)).toBe("2027-02-28");
    expect(addMonthsClamped("2026-12-31", 1)).toBe("2027-01-31");
    expect(addMonthsClamped("2026-03-31", -1)).toBe("2026-02-28");
    expect(addMonthsClamped("2026-01-15", -1)).toBe("2025-12-15");
  });

  it("rejects fractional months and malformed dates", () => {
    expect(() => addMonthsClamped("2026-01-15", 0.5)).toThrow(RangeError);
    expect(() => addMonthsClamped("2026-1-15", 1)).toThrow(RangeError);
  });
});

describe("currentBillingPeriod", () => {
  it("returns the first period on the start date", () => {
    expect(currentBillingPeriod("2026-01-05", "2026-01-05")).toEqual({
      start: "2026-01-05",
      end: "2026-02-04",
      nextBillingDate: "2026-02-05",
    });
  });

  it("returns the first period before the start date", () => {
    expect(currentBillingPeriod("2026-01-05", "2025-12-20")).toEqual({
      start: "2026-01-05",
      end: "2026-02-04",
      nextBillingDate: "2026-02-05",
    });
  });

  it("switches period exactly on the billing date", () => {
    expect(currentBillingPeriod("2026-01-05", "2026-02-04").start).toBe("2026-01-05");
    expect(currentBillingPeriod("2026-01-05", "2026-02-05")).toEqual({
      start: "2026-02-05",
      end: "2026-03-04",
      nextBillingDate: "2026-03-05",
    });
    expect(currentBillingPeriod("2026-01-05", "2026-03-04").start).toBe("2026-02-05");
  });

  it("anchors every period on the start date, not on the previous clamped date", () => {
    const start = "2026-01-31";
    expect(currentBillingPeriod(start, "2026-02-15")).toEqual({ start: "2026-01-31", end: "2026-02-27", nextBillingDate: "2026-02-28" });
    expect(currentBillingPeriod(start, "2026-02-28")).toEqual({ start: "2026-02-28", end: "2026-03-30", nextBillingDate: "2026-03-31" });
    expect(currentBillingPeriod(start, "2026-03-30").start).toBe("2026-02-28");
    expect(currentBillingPeriod(start, "2026-03-31")).toEqual({ start: "2026-03-31", end: "2026-04-29", nextBillingDate: "2026-04-30" });
    expect(currentBillingPeriod(start, "2026-05-01")).toEqual({ start: "2026-04-30", end: "2026-05-30", nextBillingDate: "2026-05-31" });
  });

  it("handles a leap-year February", () => {
    expect(currentBillingPeriod("2028-01-31", "2028-02-28")).toEqual({ start: "2028-01-31", end: "2028-02-28", nextBillingDate: "2028-02-29" });
    expect(currentBillingPeriod("2028-01-31", "2028-02-29")).toEqual({ start: "2028-02-29", end: "2028-03-30", nextBillingDate: "2028-03-31" });
  });

  it("handles a start on 29 February", () => {
    expect(currentBillingPeriod("2028-02-29", "2029-02-28")).toEqual({ start: "2029-02-28", end: "2029-03-28", nextBillingDate: "2029-03-29" });
    expect(currentBillingPeriod("2028-02-29", "2029-03-29").start).toBe("2029-03-29");
  });

  it("finds periods years after the start and across year ends", () => {
    expect(currentBillingPeriod("2026-12-31", "2027-01-01")).toEqual({ start: "2026-12-31", end: "2027-01-30", nextBillingDate: "2027-01-31" });
    expect(currentBillingPeriod("2026-01-05", "2029-07-04")).toEqual({ start: "2029-06-05", end: "2029-07-04", nextBillingDate: "2029-07-05" });
  });

  it("always returns a contiguous period containing today (property)", () => {
    const day = fc.integer({ min: 0, max: 3 * 365 });
    fc.assert(
      fc.property(day, day, (a, b) => {
        const start = addDays("2026-01-01", a);
        const today = addDays(start, b);
        const p = currentBillingPeriod(start, today);
        expect(p.start <= today && today <= p.end).toBe(true);
        expect(p.nextBillingDate).toBe(addDays(p.end, 1));
        expect(p.start >= start).toBe(true);
        // The next period starts exactly where this one ends.
        expect(currentBillingPeriod(start, p.nextBillingDate).start).toBe(p.nextBillingDate);
        if (p.start > start) expect(currentBillingPeriod(start, addDays(p.start, -1)).end).toBe(addDays(p.start, -1));
      }),
    );
  });
});

describe("effectiveMembershipStatus", () => {
  const m = (status: MembershipStatus, endDate: string | null, planType: PlanType = "PREPAID", cancelAtPeriodEnd = false) => ({
    status,
    endDate,
    planType,
    cancelAtPeriodEnd,
  });

  it("keeps a prepaid active through its last day and expires it the day after", () => {
    expect(effectiveMembershipStatus(m("ACTIVE", "2026-03-01"), "2026-02-28")).toBe("ACTIVE");
    expect(effectiveMembershipStatus(m("ACTIVE", "2026-03-01"), "2026-03-01")).toBe("ACTIVE");
    expect(effectiveMembershipStatus(m("ACTIVE", "2026-03-01"), "2026-03-02")).toBe("EXPIRED");
    expect(effectiveMembershipStatus(m("ACTIVE", "2026-03-01"), "2027-01-01")).toBe("EXPIRED");
  });

  it("expires any plan with an end date once past it", () => {
    expect(effectiveMembershipStatus(m("ACTIVE", "2026-06-30", "RECURRING"), "2026-07-01")).toBe("EXPIRED");
    expect(effectiveMembershipStatus(m("ACTIVE", "2026-06-30", "PACK"), "2026-07-01")).toBe("EXPIRED");
    expect(effectiveMembershipStatus(m("ACTIVE", "2026-06-30", "PACK"), "2026-06-30")).toBe("ACTIVE");
  });

  it("never expires a membership without an end date", () => {
    expect(effectiveMembershipStatus(m("ACTIVE", null, "RECURRING"), "2099-12-31")).toBe("ACTIVE");
    expect(effectiveMembershipStatus(m("ACTIVE", null, "PACK"), "2099-12-31")).toBe("ACTIVE");
    expect(effectiveMembershipStatus(m("PAUSED", null, "RECURRING"), "2099-12-31")).toBe("PAUSED");
  });

  it("turns a cancel-at-period-end membership CANCELLED after its end date, not on it", () => {
    expect(effectiveMembershipStatus(m("ACTIVE", "2026-02-04", "RECURRING", true), "2026-02-04")).toBe("ACTIVE");
    expect(effectiveMembershipStatus(m("ACTIVE", "2026-02-04", "RECURRING", true), "2026-02-05")).toBe("CANCELLED");
  });

  it("keeps CANCELLED whatever the dates", () => {
    expect(effectiveMembershipStatus(m("CANCELLED", null, "RECURRING"), "2026-01-01")).toBe("CANCELLED");
    expect(effectiveMembershipStatus(m("CANCELLED", "2026-03-01"), "2026-01-01")).toBe("CANCELLED");
    expect(effectiveMembershipStatus(m("CANCELLED", "2026-03-01"), "2026-04-01")).toBe("CANCELLED");
  });

  it("keeps a stored EXPIRED as EXPIRED", () => {
    expect(effectiveMembershipStatus(m("EXPIRED", "2026-03-01"), "2026-02-01")).toBe("EXPIRED");
  });

  it("keeps PAUSED within the end date", () => {
    expect(effectiveMembershipStatus(m("PAUSED", "2026-03-01", "RECURRING"), "2026-03-01")).toBe("PAUSED");
    expect(effectiveMembershipStatus(m("PAUSED", "2026-03-01"), "2026-02-01")).toBe("PAUSED");
  });

  it("keeps a paused prepaid PAUSED past its stored end date, since resuming extends it", () => {
    expect(effectiveMembershipStatus(m("PAUSED", "2026-03-01"), "2026-03-10")).toBe("PAUSED");
  });

  it("ends a paused non-prepaid membership past its end date", () => {
    expect(effectiveMembershipStatus(m("PAUSED", "2026-03-01", "RECURRING"), "2026-03-02")).toBe("EXPIRED");
    expect(effectiveMembershipStatus(m("PAUSED", "2026-03-01", "RECURRING", true), "2026-03-02")).toBe("CANCELLED");
  });
});

describe("resumeAfterPause", () => {
  it("moves a prepaid's end date later by the paused days", () => {
    expect(resumeAfterPause({ planType: "PREPAID", endDate: "2026-03-01", pausedOn: "2026-02-01" }, "2026-02-11")).toEqual({
      endDate: "2026-03-11",
      pausedDays: 10,
    });
  });

  it("counts a pause across month ends and a leap day", () => {
    expect(resumeAfterPause({ planType: "PREPAID", endDate: "2028-03-31", pausedOn: "2028-02-20" }, "2028-03-05")).toEqual({
      endDate: "2028-04-14",
      pausedDays: 14,
    });
  });

  it("counts a one-day pause as one day", () => {
    expect(resumeAfterPause({ planType: "PREPAID", endDate: "2026-03-01", pausedOn: "2026-02-01" }, "2026-02-02")).toEqual({
      endDate: "2026-03-02",
      pausedDays: 1,
    });
  });

  it("changes nothing when resumed the same day", () => {
    expect(resumeAfterPause({ planType: "PREPAID", endDate: "2026-03-01", pausedOn: "2026-02-01" }, "2026-02-01")).toEqual({
      endDate: "2026-03-01",
      pausedDays: 0,
    });
  });

  it("never counts negative days if the clock looks earlier than the pause", () => {
    expect(resumeAfterPause({ planType: "PREPAID", endDate: "2026-03-01", pausedOn: "2026-02-10" }, "2026-02-08")).toEqual({
      endDate: "2026-03-01",
      pausedDays: 0,
    });
  });

  it("extends a prepaid that was paused past its original end date", () => {
    expect(resumeAfterPause({ planType: "PREPAID", endDate: "2026-03-01", pausedOn: "2026-02-25" }, "2026-03-20")).toEqual({
      endDate: "2026-03-24",
      pausedDays: 23,
    });
  });

  it("keeps the end date of recurring and pack plans", () => {
    expect(resumeAfterPause({ planType: "RECURRING", endDate: null, pausedOn: "2026-02-01" }, "2026-02-11")).toEqual({ endDate: null, pausedDays: 10 });
    expect(resumeAfterPause({ planType: "RECURRING", endDate: "2026-06-30", pausedOn: "2026-02-01" }, "2026-02-11")).toEqual({
      endDate: "2026-06-30",
      pausedDays: 10,
    });
    expect(resumeAfterPause({ planType: "PACK", endDate: "2026-06-30", pausedOn: "2026-02-01" }, "2026-02-04")).toEqual({
      endDate: "2026-06-30",
      pausedDays: 3,
    });
  });

  it("keeps a null end date on a prepaid", () => {
    expect(resumeAfterPause({ planType: "PREPAID", endDate: null, pausedOn: "2026-02-01" }, "2026-02-04")).toEqual({ endDate: null, pausedDays: 3 });
  });
});

describe("clientCancellation", () => {
  it("never ends a recurring plan before its commitment does: the last day of its committed months", () => {
    // Six months from 5 January end on 4 July; a cancel in March runs to then, not to 4 April.
    expect(clientCancellation({ planType: "RECURRING", startDate: "2026-01-05", commitmentMonths: 6 }, "2026-03-10")).toEqual({
      kind: "at-period-end",
      endDate: "2026-07-04",
    });
    // Once the commitment is served, the current period's end again.
    expect(clientCancellation({ planType: "RECURRING", startDate: "2026-01-05", commitmentMonths: 6 }, "2026-08-10")).toEqual({
      kind: "at-period-end",
      endDate: "2026-09-04",
    });
    // The commitment's last day is itself a period's last day.
    expect(clientCancellation({ planType: "RECURRING", startDate: "2026-01-31", commitmentMonths: 1 }, "2026-02-01")).toEqual({
      kind: "at-period-end",
      endDate: "2026-02-27",
    });
  });

  it("ends a recurring plan at the end of the current billing period", () => {
    expect(clientCancellation({ planType: "RECURRING", startDate: "2026-01-05" }, "2026-01-20")).toEqual({
      kind: "at-period-end",
      endDate: "2026-02-04",
    });
    expect(clientCancellation({ planType: "RECURRING", startDate: "2026-01-05" }, "2026-03-10")).toEqual({
      kind: "at-period-end",
      endDate: "2026-04-04",
    });
  });

  it("on the last day of a period ends that day; on a billing date runs the new period", () => {
    expect(clientCancellation({ planType: "RECURRING", startDate: "2026-01-05" }, "2026-02-04")).toEqual({
      kind: "at-period-end",
      endDate: "2026-02-04",
    });
    expect(clientCancellation({ planType: "RECURRING", startDate: "2026-01-05" }, "2026-02-05")).toEqual({
      kind: "at-period-end",
      endDate: "2026-03-04",
    });
  });

  it("uses the clamped month-end periods", () => {
    expect(clientCancellation({ planType: "RECURRING", startDate: "2028-01-31" }, "2028-02-10")).toEqual({
      kind: "at-period-end",
      endDate: "2028-02-28",
    });
  });

  it("uses the first period when cancelled before the start", () => {
    expect(clientCancellation({ planType: "RECURRING", startDate: "2026-01-05" }, "2026-01-01")).toEqual({
      kind: "at-period-end",
      endDate: "2026-02-04",
    });
  });

  it("cancels packs and prepaids immediately", () => {
    expect(clientCancellation({ planType: "PACK", startDate: "2026-01-05" }, "2026-01-20")).toEqual({ kind: "immediate" });
    expect(clientCancellation({ planType: "PREPAID", startDate: "2026-01-05" }, "2026-01-20")).toEqual({ kind: "immediate" });
  });
});

describe("usageFor", () => {
  const base: UsageInput = {
    membershipId: 7,
    planName: "Plan",
    planType: "RECURRING",
    sessionsPerWeek: null,
    totalSessions: null,
    sessionsRemaining: null,
    startDate: "2026-01-05",
    endDate: null,
    usedThisWeek: 0,
  };

  it("reports a recurring plan's week", () => {
    expect(usageFor({ ...base, planName: "3x week", sessionsPerWeek: 3, usedThisWeek: 1 }, "2026-02-01")).toEqual({
      membershipId: 7,
      planName: "3x week",
      type: "recurring",
      used: 1,
      limit: 3,
      remaining: 2,
    });
  });

  it("never reports negative sessions left on a recurring plan", () => {
    expect(usageFor({ ...base, sessionsPerWeek: 3, usedThisWeek: 3 }, "2026-02-01")).toMatchObject({ used: 3, remaining: 0 });
    expect(usageFor({ ...base, sessionsPerWeek: 2, usedThisWeek: 4 }, "2026-02-01")).toMatchObject({ used: 4, limit: 2, remaining: 0 });
  });

  it("treats a recurring plan without a weekly limit as coaching only", () => {
    expect(usageFor({ ...base, sessionsPerWeek: null }, "2026-02-01")).toEqual({ membershipId: 7, planName: "Plan", type: "coaching" });
    expect(usageFor({ ...base, sessionsPerWeek: 0, usedThisWeek: 2 }, "2026-02-01")).toEqual({ membershipId: 7, planName: "Plan", type: "coaching" });
  });

  it("reports a pack's sessions left", () => {
    expect(usageFor({ ...base, planType: "PACK", totalSessions: 10, sessionsRemaining: 4 }, "2026-02-01")).toEqual({
      membershipId: 7,
      planName: "Plan",
      type: "pack",
      sessionsRemaining: 4,
      totalSessions: 10,
    });
    expect(usageFor({ ...base, planType: "PACK", totalSessions: 10, sessionsRemaining: 0 }, "2026-02-01")).toMatchObject({ sessionsRemaining: 0 });
  });

  it("adds this week's use to a pack or a prepaid pass with a weekly limit", () => {
    expect(usageFor({ ...base, planType: "PACK", totalSessions: 10, sessionsRemaining: 4, sessionsPerWeek: 2, usedThisWeek: 1 }, "2026-02-01")).toEqual({
      membershipId: 7,
      planName: "Plan",
      type: "pack",
      sessionsRemaining: 4,
      totalSessions: 10,
      weekly: { used: 1, limit: 2, remaining: 1 },
    });
    expect(
      usageFor({ ...base, planType: "PREPAID", startDate: "2026-01-05", endDate: "2026-02-15", sessionsPerWeek: 5, usedThisWeek: 6 }, "2026-02-01"),
    ).toMatchObject({ type: "prepaid", daysRemaining: 15, weekly: { used: 6, limit: 5, remaining: 0 } });
    // Without a limit there is no week to show.
    expect(usageFor({ ...base, planType: "PACK", totalSessions: 10, sessionsRemaining: 4, usedThisWeek: 3 }, "2026-02-01")).not.toHaveProperty("weekly");
  });

  it("copes with missing pack counts", () => {
    expect(usageFor({ ...base, planType: "PACK", totalSessions: 10, sessionsRemaining: null }, "2026-02-01")).toMatchObject({
      sessionsRemaining: 0,
      totalSessions: 10,
    });
    expect(usageFor({ ...base, planType: "PACK", totalSessions: null, sessionsRemaining: 3 }, "2026-02-01")).toMatchObject({
      sessionsRemaining: 3,
      totalSessions: 3,
    });
  });

  describe("prepaid days remaining", () => {
    const prepaid: UsageInput = { ...base, planType: "PREPAID", startDate: "2026-01-05", endDate: "2026-03-01" };

    it("counts today and the last day", () => {
      expect(usageFor(prepaid, "2026-01-05")).toEqual({
        membershipId: 7,
        planName: "Plan",
        type: "prepaid",
        daysRemaining: 56,
        startDate: "2026-01-05",
        endDate: "2026-03-01",
      });
      expect(usageFor(prepaid, "2026-01-06")).toMatchObject({ daysRemaining: 55 });
      expect(usageFor(prepaid, "2026-02-28")).toMatchObject({ daysRemaining: 2 });
    });

    it("is 1 on the last day and 0 after it", () => {
      expect(usageFor(prepaid, "2026-03-01")).toMatchObject({ daysRemaining: 1 });
      expect(usageFor(prepaid, "2026-03-02")).toMatchObject({ daysRemaining: 0 });
      expect(usageFor(prepaid, "2026-12-25")).toMatchObject({ daysRemaining: 0 });
    });

    it("is the full length before the start", () => {
      expect(usageFor(prepaid, "2026-01-04")).toMatchObject({ daysRemaining: 56 });
      expect(usageFor(prepaid, "2025-11-01")).toMatchObject({ daysRemaining: 56 });
    });

    it("agrees with prepaidEndDate for a one-day pass", () => {
      const oneDay = { ...prepaid, startDate: "2026-01-05", endDate: prepaidEndDate("2026-01-05", 1) };
      expect(usageFor(oneDay, "2026-01-05")).toMatchObject({ daysRemaining: 1 });
      expect(usageFor(oneDay, "2026-01-06")).toMatchObject({ daysRemaining: 0 });
    });

    it("needs an end date", () => {
      expect(() => usageFor({ ...prepaid, endDate: null }, "2026-01-10")).toThrow(RangeError);
    });
  });
});

describe("usagePercent", () => {
  const ids = { membershipId: 1, planName: "Plan" };

  it("is the share of the weekly limit used", () => {
    expect(usagePercent({ ...ids, type: "recurring", used: 0, limit: 3, remaining: 3 })).toBe(0);
    expect(usagePercent({ ...ids, type: "recurring", used: 1, limit: 3, remaining: 2 })).toBe(33);
    expect(usagePercent({ ...ids, type: "recurring", used: 2, limit: 3, remaining: 1 })).toBe(67);
    expect(usagePercent({ ...ids, type: "recurring", used: 3, limit: 3, remaining: 0 })).toBe(100);
  });

  it("caps over-use at 100", () => {
    expect(usagePercent({ ...ids, type: "recurring", used: 5, limit: 3, remaining: 0 })).toBe(100);
  });

  it("is the share of a pack used", () => {
    expect(usagePercent({ ...ids, type: "pack", sessionsRemaining: 10, totalSessions: 10 })).toBe(0);
    expect(usagePercent({ ...ids, type: "pack", sessionsRemaining: 4, totalSessions: 10 })).toBe(60);
    expect(usagePercent({ ...ids, type: "pack", sessionsRemaining: 0, totalSessions: 10 })).toBe(100);
    expect(usagePercent({ ...ids, type: "pack", sessionsRemaining: 0, totalSessions: 0 })).toBe(0);
  });

  it("is the share of a prepaid's days elapsed", () => {
    const prepaid = (daysRemaining: number): SessionUsage => ({
      ...ids,
      type: "prepaid",
      daysRemaining,
      startDate: "2026-01-05",
      endDate: "2026-03-01",
    });
    expect(usagePercent(prepaid(56))).toBe(0);
    expect(usagePercent(prepaid(28))).toBe(50);
    expect(usagePercent(prepaid(14))).toBe(75);
    expect(usagePercent(prepaid(1))).toBe(98);
    expect(usagePercent(prepaid(0))).toBe(100);
  });

  it("follows usageFor through a prepaid's life", () => {
    const input: UsageInput = {
      membershipId: 1,
      planName: "Plan",
      planType: "PREPAID",
      sessionsPerWeek: null,
      totalSessions: null,
      sessionsRemaining: null,
      startDate: "2026-01-05",
      endDate: "2026-03-01",
      usedThisWeek: 0,
    };
    expect(usagePercent(usageFor(input, "2025-12-01"))).toBe(0);
    expect(usagePercent(usageFor(input, "2026-01-05"))).toBe(0);
    expect(usagePercent(usageFor(input, "2026-02-02"))).toBe(50);
    expect(usagePercent(usageFor(input, "2026-03-02"))).toBe(100);
  });

  it("is 0 for coaching only", () => {
    expect(usagePercent({ ...ids, type: "coaching" })).toBe(0);
  });

  it("stays within 0..100 (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 20 }), (used, limit) => {
        const p = usagePercent({ ...ids, type: "recurring", used, limit, remaining: Math.max(0, limit - used) });
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(100);
      }),
    );
  });
});

describe("planSummary", () => {
  const plan = (p: Partial<PlanSummaryInput>): PlanSummaryInput => ({
    type: "RECURRING",
    sessionsPerWeek: null,
    commitmentMonths: null,
    totalSessions: null,
    durationDays: null,
    pricePence: 0,
    currency: "GBP",
    ...p,
  });

  it("describes a recurring plan with a commitment", () => {
    expect(planSummary(plan({ sessionsPerWeek: 3, pricePence: 7500, commitmentMonths: 6 }))).toBe("3 sessions a week · £75.00 a month · 6-month commitment");
  });

  it("leaves out a missing or zero commitment", () => {
    expect(planSummary(plan({ sessionsPerWeek: 2, pricePence: 5500 }))).toBe("2 sessions a week · £55.00 a month");
    expect(planSummary(plan({ sessionsPerWeek: 2, pricePence: 5500, commitmentMonths: 0 }))).toBe("2 sessions a week · £55.00 a month");
  });

  it("uses the singular for one session and one month", () => {
    expect(planSummary(plan({ sessionsPerWeek: 1, pricePence: 3000, commitmentMonths: 1 }))).toBe("1 session a week · £30.00 a month · 1-month commitment");
  });

  it("describes coaching only", () => {
    expect(planSummary(plan({ pricePence: 3000 }))).toBe("Coaching only · £30.00 a month");
    expect(planSummary(plan({ sessionsPerWeek: 0, pricePence: 3000, commitmentMonths: 3 }))).toBe("Coaching only · £30.00 a month · 3-month commitment");
  });

  it("describes a pack", () => {
    expect(planSummary(plan({ type: "PACK", totalSessions: 10, pricePence: 27500 }))).toBe("10 sessions · £275.00");
    expect(planSummary(plan({ type: "PACK", totalSessions: 1, pricePence: 1500 }))).toBe("1 session · £15.00");
  });

  it("describes a prepaid plan", () => {
    expect(planSummary(plan({ type: "PREPAID", durationDays: 56, pricePence: 25000 }))).toBe("56 days of unlimited classes · £250.00");
    expect(planSummary(plan({ type: "PREPAID", durationDays: 1, pricePence: 1200 }))).toBe("1 day of unlimited classes · £12.00");
  });

  it("uses the plan's currency and thousands separators", () => {
    expect(planSummary(plan({ type: "PACK", totalSessions: 100, pricePence: 150_000, currency: "EUR" }))).toBe("100 sessions · €1,500.00");
  });

  it("ignores fields of other plan types", () => {
    expect(planSummary(plan({ type: "PACK", totalSessions: 5, commitmentMonths: 6, durationDays: 30, pricePence: 10000 }))).toBe("5 sessions · £100.00");
  });

  it("gives a pack's or a prepaid pass's weekly limit", () => {
    expect(planSummary(plan({ type: "PACK", totalSessions: 5, sessionsPerWeek: 3, commitmentMonths: 6, pricePence: 10000 }))).toBe(
      "5 sessions · up to 3 a week · £100.00",
    );
    expect(planSummary(plan({ type: "PREPAID", durationDays: 42, sessionsPerWeek: 5, pricePence: 14900 }))).toBe(
      "42 days of up to 5 sessions a week · £149.00",
    );
    expect(planSummary(plan({ type: "PREPAID", durationDays: 7, sessionsPerWeek: 1, pricePence: 1000 }))).toBe("7 days of up to 1 session a week · £10.00");
  });
});

describe("tallyMemberships", () => {
  it("counts memberships in effect by plan type and the paused ones, leaving out expired and cancelled", () => {
    const list: { planType: PlanType; status: MembershipStatus }[] = [
      { planType: "RECURRING", status: "ACTIVE" },
      { planType: "RECURRING", status: "ACTIVE" },
      { planType: "PACK", status: "ACTIVE" },
      { planType: "PACK", status: "PAUSED" },
      { planType: "PREPAID", status: "PAUSED" },
      { planType: "PREPAID", status: "EXPIRED" },
      { planType: "RECURRING", status: "CANCELLED" },
    ];
    expect(tallyMemberships(list)).toEqual({ active: { RECURRING: 2, PACK: 1, PREPAID: 0 }, paused: 2 });
    expect(tallyMemberships([])).toEqual({ active: { RECURRING: 0, PACK: 0, PREPAID: 0 }, paused: 0 });
  });
});

describe("repeatRefusal (one-per-member plans)", () => {
  const intro = { name: "Intro Personal Training", allowRepeatPurchase: false };
  it("refuses a one-per-member plan to someone who has or had it, whatever that membership's state", () => {
    expect(repeatRefusal(intro, 1)).toBe("Intro Personal Training is one per member, and this member already has or had it.");
    expect(repeatRefusal(intro, 3)).not.toBeNull();
  });

  it("allows a first one, and any number of a plan that can be bought again", () => {
    expect(repeatRefusal(intro, 0)).toBeNull();
    expect(repeatRefusal({ name: "Ten pack", allowRepeatPurchase: true }, 5)).toBeNull();
  });
});
