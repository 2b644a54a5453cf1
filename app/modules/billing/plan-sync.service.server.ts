// Keeps each plan's Stripe Product and Price in step with the plan. The plan is saved first, in our
// database; syncing follows, outside that transaction, so a Stripe that cannot be reached never loses an
// admin's change: the plan is marked FAILED with the reason, and syncing again (the retry button, or the
// next save) picks up where it stopped.
import type { EntityManager } from "@mikro-orm/postgresql";
import type Stripe from "stripe";
import { refuse, type Result } from "~/utils/result";
import { MembershipPlan, type IMembershipPlan } from "../memberships/memberships.entities.server";
import { priceMatches, wantedPrice } from "./billing.rules";
import { stripeErrorMessage } from "./stripe.server";

export const NOT_CONFIGURED = "Stripe is not configured: set STRIPE_SECRET_KEY, or STRIPE_API_URL for a local Stripe server.";

/**
 * Creates or updates the plan's Product; sells it at one active Price, made anew (and the old one
 * archived) when the amount, currency or interval changes; archives both when the plan is switched off.
 */
export async function syncPlan(em: EntityManager, stripe: Stripe | null, planId: number): Promise<Result<{ plan: IMembershipPlan }> | null> {
  const plan = await em.findOne(MembershipPlan, planId);
  if (!plan) return null;
  if (!stripe) return failed(em, plan, NOT_CONFIGURED);
  try {
    await syncProduct(stripe, plan);
    await syncPrice(stripe, plan);
    plan.stripeSyncState = "SYNCED";
    plan.stripeSyncError = null;
    plan.stripeSyncedAt = new Date();
    await em.flush();
    return { ok: true, plan };
  } catch (error) {
    return failed(em, plan, stripeErrorMessage(error));
  }
}

/** Syncs every plan that is not in step (the demo seed's, or after Stripe was away); answers how many failed. */
export async function syncUnsyncedPlans(em: EntityManager, stripe: Stripe | null): Promise<{ synced: number; failed: number }> {
  const plans = await em.find(MembershipPlan, { stripeSyncState: { $ne: "SYNCED" } }, { orderBy: { id: "asc" } });
  let synced = 0;
  for (const plan of plans) if ((await syncPlan(em, stripe, plan.id))?.ok) synced++;
  return { synced, failed: plans.length - synced };
}

async function failed(em: EntityManager, plan: IMembershipPlan, reason: string) {
  plan.stripeSyncState = "FAILED";
  plan.stripeSyncError = reason.slice(0, 500);
  await em.flush();
  return refuse(`The plan is saved, but not synced with Stripe: ${reason} Try again from the plans list.`);
}

async function syncProduct(stripe: Stripe, plan: IMembershipPlan) {
  const fields = { name: plan.name, active: plan.isActive, metadata: { planId: String(plan.id), planType: plan.type } };
  if (plan.stripeProductId) {
    await stripe.products.update(plan.stripeProductId, { ...fields, ...(plan.description ? { description: plan.description } : {}) });
    return;
  }
  // The key makes a retry after a lost answer reuse the product Stripe already made.
  const product = await stripe.products.create(
    { ...fields, ...(plan.description ? { description: plan.description } : {}) },
    { idempotencyKey: `centurion-plan-${plan.id}-product` },
  );
  plan.stripeProductId = product.id;
}

async function syncPrice(stripe: Stripe, plan: IMembershipPlan) {
  const current = plan.stripePriceId ? await stripe.prices.retrieve(plan.stripePriceId) : null;
  if (!plan.isActive) {
    if (current?.active) await stripe.prices.update(current.id, { active: false });
    return;
  }
  const wanted = wantedPrice(plan);
  if (current && priceMatches(current, wanted)) return;
  const price = await stripe.prices.create({
    product: plan.stripeProductId!,
    unit_amount: wanted.unitAmount,
    currency: wanted.currency,
    ...(wanted.interval ? { recurring: { interval: wanted.interval } } : {}),
    metadata: { planId: String(plan.id) },
  });
  plan.stripePriceId = price.id;
  if (current?.active) await stripe.prices.update(current.id, { active: false });
}
