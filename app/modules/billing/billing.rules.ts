import type { PlanType } from "../memberships/memberships.entities.server";

/** The Stripe price a plan sells at: monthly for RECURRING, once for PACK and PREPAID. */
export type WantedPrice = { unitAmount: number; currency: string; interval: "month" | null };

export function wantedPrice(plan: { type: PlanType; pricePence: number; currency: string }): WantedPrice {
  return { unitAmount: plan.pricePence, currency: plan.currency.toLowerCase(), interval: plan.type === "RECURRING" ? "month" : null };
}

/** Whether a Stripe price already sells the plan as wanted (an archived one never does). */
export function priceMatches(
  price: { active: boolean; unit_amount: number | null; currency: string; recurring: { interval: string } | null },
  wanted: WantedPrice,
): boolean {
  return (
    price.active &&
    price.unit_amount === wanted.unitAmount &&
    price.currency.toLowerCase() === wanted.currency &&
    (price.recurring?.interval ?? null) === wanted.interval
  );
}

/** The message after an admin saves a plan: the save, and whether Stripe followed. */
export function planSavedFlash(saved: string, sync: { ok: true } | { ok: false; formError?: string } | null): { kind: "success" | "error"; message: string } {
  return sync && !sync.ok ? { kind: "error", message: `${saved} ${sync.formError ?? ""}`.trim() } : { kind: "success", message: saved };
}
