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

/**
 * Why a client may not buy `plan` online, or null: not on sale, one per member and already had, a second
 * running subscription, or not in Stripe yet.
 */
export function checkoutRefusal(
  plan: {
    name: string;
    type: PlanType;
    isActive: boolean;
    purchasableByClient: boolean;
    allowRepeatPurchase: boolean;
    stripePriceId?: string | null;
    stripeSyncState: string;
  },
  client: { heldBefore: number; runningSubscriptions: number },
): string | null {
  if (!plan.isActive || !plan.purchasableByClient) return `${plan.name} cannot be bought online. Ask at the front desk.`;
  if (!plan.allowRepeatPurchase && client.heldBefore > 0) return `${plan.name} is one per member, and you already have or had it.`;
  if (plan.type === "RECURRING" && client.runningSubscriptions > 0) {
    return "You already have a monthly membership running. Cancel it first, or ask at the front desk to change plans.";
  }
  if (!plan.stripePriceId || plan.stripeSyncState !== "SYNCED")
    return `${plan.name} cannot be bought online right now. Please try again later or ask at the front desk.`;
  return null;
}

/** What Stripe's metadata says of a membership purchase (on the checkout session and its subscription or payment). */
export type PurchaseMetadata = { type: "membership"; planId: string; userId: string; planType: PlanType };

export function purchaseMetadata(userId: number, plan: { id: number; type: PlanType }): PurchaseMetadata {
  return { type: "membership", planId: String(plan.id), userId: String(userId), planType: plan.type };
}
