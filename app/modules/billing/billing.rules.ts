import type Stripe from "stripe";
import { localDateOf, type LocalDate } from "~/utils/time";
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

/** What the webhook needs of a Stripe subscription (this API version keeps the period on its items). */
export type SubscriptionSnapshot = {
  status: string;
  /** `pause_collection` is set: Stripe is not charging it for now. */
  collectionPaused: boolean;
  cancelAtPeriodEnd: boolean;
  /** A set end (seconds since the epoch): a client's cancel that waits for the plan's commitment to run out. */
  cancelAt?: number | null;
  /** The current period's end (seconds since the epoch), from the subscription's first item. */
  currentPeriodEnd: number | null;
  /** When a canceled subscription ended (seconds since the epoch). */
  endedAt: number | null;
};

/** What the rules need of a Stripe subscription. */
export function subscriptionSnapshot(subscription: Stripe.Subscription): SubscriptionSnapshot {
  return {
    status: subscription.status,
    collectionPaused: subscription.pause_collection != null,
    cancelAtPeriodEnd: subscription.cancel_at_period_end,
    cancelAt: subscription.cancel_at,
    currentPeriodEnd: subscription.items.data[0]?.current_period_end ?? null,
    endedAt: subscription.ended_at,
  };
}

/** The part of a membership that a subscription decides. */
export type SubscriptionMembershipState = {
  status: "ACTIVE" | "PAUSED" | "CANCELLED";
  cancelAtPeriodEnd: boolean;
  /** The last day the membership may be used (studio-local), or null while it runs on. */
  endDate: LocalDate | null;
};

/** The last day of a period that ends at `periodEnd` (an instant: the next period starts there), in the studio's zone. */
export function lastDayOfPeriod(periodEnd: number, zone: string): LocalDate {
  return localDateOf(new Date(periodEnd * 1000 - 1), zone);
}

/**
 * The membership state a subscription implies, or null when it decides nothing (a payment is being
 * retried: `past_due`, `unpaid`, `incomplete` — the failed-payment rules decide, see `pausesForFailures`).
 * Canceled ends the membership on the day it ended; `pause_collection` or `paused` pauses it; an active
 * one set to cancel at the period end runs until the period's last day.
 */
export function membershipStateForSubscription(subscription: SubscriptionSnapshot, zone: string, today: LocalDate): SubscriptionMembershipState | null {
  const { status } = subscription;
  if (status === "canceled" || status === "incomplete_expired") {
    const endDate = subscription.endedAt ? localDateOf(new Date(subscription.endedAt * 1000), zone) : today;
    return { status: "CANCELLED", cancelAtPeriodEnd: false, endDate };
  }
  // Ending at the period's end, or at a set time (a commitment): our membership ends after its last day either way.
  const endsAt = subscription.cancelAtPeriodEnd ? subscription.currentPeriodEnd : (subscription.cancelAt ?? null);
  const ending = endsAt !== null;
  const endDate = endsAt !== null ? lastDayOfPeriod(endsAt, zone) : null;
  if (status === "paused" || ((status === "active" || status === "trialing") && subscription.collectionPaused)) {
    return { status: "PAUSED", cancelAtPeriodEnd: ending, endDate };
  }
  if (status === "active" || status === "trialing") return { status: "ACTIVE", cancelAtPeriodEnd: ending, endDate };
  return null;
}

/**
 * Whether failed renewal payments pause a membership: after `maxFailures` failures, or once the grace
 * period since the first failure has run out (checked when a failure arrives). Until then it stays usable.
 */
export function pausesForFailures(input: { failures: number; failingSince: Date | null; now: Date; maxFailures: number; graceDays: number }): boolean {
  if (input.failures <= 0) return false;
  if (input.failures >= input.maxFailures) return true;
  if (!input.failingSince) return false;
  return input.now.getTime() - input.failingSince.getTime() >= input.graceDays * 86_400_000;
}
