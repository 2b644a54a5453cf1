import { describe, expect, it } from "vitest";
import {
  lastDayOfPeriod,
  membershipStateForSubscription,
  pausesForFailures,
  planSavedFlash,
  priceMatches,
  wantedPrice,
  type SubscriptionSnapshot,
} from "~/modules/billing/billing.rules";

describe("wantedPrice", () => {
  it("sells a recurring plan monthly and a pack or a pass once, in lower-case currency", () => {
    expect(wantedPrice({ type: "RECURRING", pricePence: 7500, currency: "GBP" })).toEqual({ unitAmount: 7500, currency: "gbp", interval: "month" });
    expect(wantedPrice({ type: "PACK", pricePence: 27500, currency: "GBP" })).toEqual({ unitAmount: 27500, currency: "gbp", interval: null });
    expect(wantedPrice({ type: "PREPAID", pricePence: 0, currency: "EUR" })).toEqual({ unitAmount: 0, currency: "eur", interval: null });
  });
});

describe("priceMatches", () => {
  const monthly = { active: true, unit_amount: 7500, currency: "gbp", recurring: { interval: "month" } };
  const wanted = wantedPrice({ type: "RECURRING", pricePence: 7500, currency: "GBP" });

  it("keeps a price that sells the plan as it is", () => {
    expect(priceMatches(monthly, wanted)).toBe(true);
  });

  it("wants a new price when the amount, the currency or the interval changed, or the price was archived", () => {
    expect(priceMatches({ ...monthly, unit_amount: 7000 }, wanted)).toBe(false);
    expect(priceMatches({ ...monthly, currency: "eur" }, wanted)).toBe(false);
    expect(priceMatches({ ...monthly, recurring: null }, wanted)).toBe(false);
    expect(priceMatches({ ...monthly, active: false }, wanted)).toBe(false);
  });
});

describe("planSavedFlash", () => {
  it("says the plan was saved, and adds why Stripe did not follow when it did not", () => {
    expect(planSavedFlash("Plan “A” saved.", { ok: true })).toEqual({ kind: "success", message: "Plan “A” saved." });
    expect(planSavedFlash("Plan “A” saved.", { ok: false, formError: "The plan is saved, but not synced with Stripe: Stripe could not be reached." })).toEqual({
      kind: "error",
      message: "Plan “A” saved. The plan is saved, but not synced with Stripe: Stripe could not be reached.",
    });
  });
});

describe("membershipStateForSubscription", () => {
  const zone = "Europe/London";
  const today = "2026-11-30";
  // 2026-12-30 07:00 UTC: the next period starts then, so the 30th is still this period's last day.
  const periodEnd = Date.UTC(2026, 11, 30, 7) / 1000;
  const running: SubscriptionSnapshot = { status: "active", collectionPaused: false, cancelAtPeriodEnd: false, currentPeriodEnd: periodEnd, endedAt: null };

  it("keeps an active subscription's membership active and open-ended", () => {
    expect(membershipStateForSubscription(running, zone, today)).toEqual({ status: "ACTIVE", cancelAtPeriodEnd: false, endDate: null });
    expect(membershipStateForSubscription({ ...running, status: "trialing" }, zone, today)?.status).toBe("ACTIVE");
  });

  it("ends it after the day before a set cancel time, as a commitment's end is set", () => {
    // Ends at the start of 5 July 2027 (London, BST): the 4th is the last day.
    const commitmentEnd = Date.UTC(2027, 6, 4, 23) / 1000;
    expect(membershipStateForSubscription({ ...running, cancelAt: commitmentEnd }, zone, today)).toEqual({
      status: "ACTIVE",
      cancelAtPeriodEnd: true,
      endDate: "2027-07-04",
    });
  });

  it("pauses it when collection is paused or the subscription is paused", () => {
    expect(membershipStateForSubscription({ ...running, collectionPaused: true }, zone, today)?.status).toBe("PAUSED");
    expect(membershipStateForSubscription({ ...running, status: "paused" }, zone, today)?.status).toBe("PAUSED");
  });

  it("ends it on the period's last day when it cancels at the period end", () => {
    expect(membershipStateForSubscription({ ...running, cancelAtPeriodEnd: true }, zone, today)).toEqual({
      status: "ACTIVE",
      cancelAtPeriodEnd: true,
      endDate: "2026-12-30",
    });
  });

  it("cancels it on the day a canceled subscription ended, or today", () => {
    const endedAt = Date.UTC(2026, 11, 3, 23, 30) / 1000;
    expect(membershipStateForSubscription({ ...running, status: "canceled", endedAt }, zone, today)).toEqual({
      status: "CANCELLED",
      cancelAtPeriodEnd: false,
      endDate: "2026-12-03",
    });
    expect(membershipStateForSubscription({ ...running, status: "canceled" }, zone, today)?.endDate).toBe(today);
  });

  it("decides nothing while a payment is being retried", () => {
    for (const status of ["past_due", "unpaid", "incomplete"]) expect(membershipStateForSubscription({ ...running, status }, zone, today)).toBeNull();
  });
});

describe("lastDayOfPeriod", () => {
  it("is the day before when the period ends at the studio's midnight", () => {
    expect(lastDayOfPeriod(Date.UTC(2026, 11, 1, 0) / 1000, "Europe/London")).toBe("2026-11-30");
    // Summer time: 23:00 UTC is midnight in London.
    expect(lastDayOfPeriod(Date.UTC(2026, 6, 31, 23) / 1000, "Europe/London")).toBe("2026-07-31");
  });
});

describe("pausesForFailures", () => {
  const now = new Date("2026-11-30T12:00:00Z");
  const base = { now, maxFailures: 3, graceDays: 7 };
  it("keeps a membership usable for the first failures within the grace period", () => {
    expect(pausesForFailures({ ...base, failures: 0, failingSince: null })).toBe(false);
    expect(pausesForFailures({ ...base, failures: 2, failingSince: new Date("2026-11-25T12:00:00Z") })).toBe(false);
  });
  it("pauses it at the Nth failure", () => {
    expect(pausesForFailures({ ...base, failures: 3, failingSince: now })).toBe(true);
    expect(pausesForFailures({ ...base, maxFailures: 1, failures: 1, failingSince: now })).toBe(true);
  });
  it("pauses it at a failure after the grace period has run out", () => {
    expect(pausesForFailures({ ...base, failures: 2, failingSince: new Date("2026-11-23T12:00:00Z") })).toBe(true);
  });
});
