import { describe, expect, it } from "vitest";
import { planSavedFlash, priceMatches, wantedPrice } from "~/modules/billing/billing.rules";

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
