// Buying a plan: a Stripe Checkout session for the client, and the membership it pays for, made once.
// The success page and the webhook both call `syncCheckoutSession`, so the client sees the membership at
// once even when the webhook is late, and neither makes it twice: the checkout session's id is the key.
import type { EntityManager } from "@mikro-orm/postgresql";
import type Stripe from "stripe";
import { isUniqueViolation, refuse, type Result } from "~/utils/result";
import { localDateOf, todayIn } from "~/utils/time";
import { User } from "../auth/auth.entities.server";
import { MembershipEvent, MembershipPlan, UserMembership, type IUserMembership } from "../memberships/memberships.entities.server";
import { prepaidEndDate } from "../memberships/memberships.rules";
import { getSettings } from "../settings/settings.service.server";
import { checkoutRefusal, membershipStateForSubscription, purchaseMetadata, subscriptionSnapshot } from "./billing.rules";
import { Payment } from "./payments.entities.server";
import { recordPurchase } from "./payments.service.server";
import { stripeErrorMessage } from "./stripe.server";
import { membershipAssigned, membershipInfo } from "../notifications/messages";
import { notify } from "../notifications/notify.server";
import { studioFrom } from "../notifications/studio.server";

export const PAYMENTS_UNAVAILABLE = "Online payment is not available right now. Please ask at the front desk.";
const UNREACHABLE = "We could not reach the payment provider, so nothing was charged. Please try again in a moment.";

/**
 * C-6/C-7: a Stripe Checkout session for `planId` (subscription mode for RECURRING, payment mode for PACK
 * and PREPAID), after every refusal is ruled out; null when the plan does not exist.
 */
export async function startCheckout(
  em: EntityManager,
  stripe: Stripe | null,
  input: { userId: number; planId: number; siteUrl: string },
): Promise<Result<{ url: string }> | null> {
  const plan = await em.findOne(MembershipPlan, input.planId);
  if (!plan) return null;
  const user = await em.findOneOrFail(User, input.userId);
  const [heldBefore, runningSubscriptions] = await Promise.all([
    em.count(UserMembership, { user, plan }),
    em.count(UserMembership, { user, status: { $in: ["ACTIVE", "PAUSED"] }, stripeSubscriptionId: { $ne: null }, cancelAtPeriodEnd: false }),
  ]);
  const refusal = checkoutRefusal(plan, { heldBefore, runningSubscriptions });
  if (refusal) return refuse(refusal);
  if (!stripe) return refuse(PAYMENTS_UNAVAILABLE);
  try {
    const customer = await customerOf(em, stripe, user);
    const metadata = purchaseMetadata(user.id, plan);
    const session = await stripe.checkout.sessions.create({
      mode: plan.type === "RECURRING" ? "subscription" : "payment",
      customer,
      line_items: [{ price: plan.stripePriceId!, quantity: 1 }],
      client_reference_id: String(user.id),
      metadata,
      ...(plan.type === "RECURRING" ? { subscription_data: { metadata } } : { payment_intent_data: { metadata } }),
      success_url: `${input.siteUrl}/client/membership/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${input.siteUrl}/client/membership/checkout/cancel`,
    });
    if (!session.url) return refuse(UNREACHABLE);
    return { ok: true, url: session.url };
  } catch (error) {
    return refuse(`${UNREACHABLE} (${stripeErrorMessage(error)})`);
  }
}

/** The user's Stripe Customer, made on the first checkout with the user's id in its metadata, then reused. */
async function customerOf(em: EntityManager, stripe: Stripe, user: { id: number; email: string; name: string; stripeCustomerId?: string | null }) {
  if (user.stripeCustomerId) return user.stripeCustomerId;
  // The key makes two checkouts started at once (or a retry after a lost answer) share one customer.
  const customer = await stripe.customers.create(
    { email: user.email, name: user.name, metadata: { userId: String(user.id) } },
    { idempotencyKey: `centurion-user-${user.id}-customer` },
  );
  await em.nativeUpdate(User, { id: user.id, stripeCustomerId: null }, { stripeCustomerId: customer.id });
  return customer.id;
}

export type CheckoutSync = Result<{ membership: IUserMembership; created: boolean }>;

/**
 * Makes the membership a completed, paid checkout session bought, once: a second call (the webhook after
 * the success page, a redelivery, two at once) answers the same membership with `created: false`. Null
 * when the session does not exist or is not `userId`'s; a refusal while it is unpaid or not a membership.
 */
export async function syncCheckoutSession(
  em: EntityManager,
  stripe: Stripe,
  checkoutSessionId: string,
  options: { userId?: number } = {},
): Promise<CheckoutSync | null> {
  let session: Stripe.Checkout.Session;
  try {
    session = await stripe.checkout.sessions.retrieve(checkoutSessionId, { expand: ["subscription.latest_invoice"] });
  } catch (error) {
    if ((error as { code?: string }).code === "resource_missing") return null;
    return refuse(`We could not reach the payment provider to confirm this payment. (${stripeErrorMessage(error)})`, {}, "unreachable");
  }
  if (options.userId !== undefined && session.client_reference_id !== String(options.userId)) return null;
  const { planId, userId, type } = session.metadata ?? {};
  if (type !== "membership" || !planId || !userId) return refuse("This payment was not for a membership.");
  if (session.status !== "complete" || (session.payment_status !== "paid" && session.payment_status !== "no_payment_required")) {
    return refuse("Your payment is still being processed. Your membership will appear here as soon as it clears.", {}, "pending");
  }
  const existing = await em.findOne(UserMembership, { stripeCheckoutSessionId: session.id }, { populate: ["plan"] });
  if (existing) {
    await recordPurchaseOf(em, stripe, session, existing);
    return { ok: true, membership: existing, created: false };
  }
  const zone = (await getSettings(em)).studioTimeZone;
  try {
    const membership = await em.transactional(async (tx) => {
      const plan = await tx.findOneOrFail(MembershipPlan, Number(planId));
      const subscription = typeof session.subscription === "object" ? session.subscription : null;
      const periodStart = subscription?.items.data[0]?.current_period_start;
      const startDate = localDateOf(new Date((periodStart ?? session.created) * 1000), zone);
      // The subscription as it is now: its events may have come (and found no membership) before this one.
      const state = subscription ? membershipStateForSubscription(subscriptionSnapshot(subscription), zone, todayIn(zone)) : null;
      const created = tx.create(UserMembership, {
        user: Number(userId),
        plan,
        startDate,
        endDate:
          plan.type === "PREPAID"
            ? prepaidEndDate(startDate, plan.durationDays!)
            : state?.endDate && state.endDate >= startDate
              ? state.endDate
              : state?.endDate
                ? startDate
                : null,
        status: state?.status ?? "ACTIVE",
        sessionsRemaining: plan.type === "PACK" ? plan.totalSessions : null,
        cancelAtPeriodEnd: state?.cancelAtPeriodEnd ?? false,
        pausedOn: state?.status === "PAUSED" ? todayIn(zone) : null,
        cancelledAt: state?.status === "CANCELLED" ? new Date() : null,
        stripeCheckoutSessionId: session.id,
        ...failuresOf(subscription),
        stripeSubscriptionId: subscription?.id ?? null,
      });
      tx.create(MembershipEvent, { membership: created, action: "PURCHASED", actor: Number(userId), note: "Bought online", at: new Date() });
      await tx.flush();
      const message = membershipAssigned(await studioFrom(tx), { membership: membershipInfo(created), purchased: true });
      await notify(tx, { userId: Number(userId), ...message });
      return created;
    });
    await recordPurchaseOf(em, stripe, session, membership);
    return { ok: true, membership, created: true };
  } catch (error) {
    // The same session fulfilled at the same moment elsewhere (the webhook and the success page): that one stands.
    if (!isUniqueViolation(error)) throw error;
    const winner = await em.fork().findOneOrFail(UserMembership, { stripeCheckoutSessionId: session.id }, { populate: ["plan"] });
    return { ok: true, membership: winner, created: false };
  }
}

/** A subscription already behind on its payments when its membership is made: the open invoice's attempts. */
function failuresOf(subscription: Stripe.Subscription | null) {
  const invoice = subscription?.latest_invoice;
  if (!subscription || (subscription.status !== "past_due" && subscription.status !== "unpaid") || typeof invoice !== "object" || invoice?.status !== "open")
    return {};
  return { paymentFailures: invoice.attempt_count, paymentFailingSince: new Date(invoice.created * 1000) };
}

/**
 * The purchase goes into the payments history with the membership. A Stripe that does not answer now
 * does not undo the membership: the next sync of the session (the webhook, a redelivery) records it.
 */
async function recordPurchaseOf(em: EntityManager, stripe: Stripe, session: Stripe.Checkout.Session, membership: IUserMembership) {
  // Already in the history (a second look at the success page, a redelivered event): nothing to ask Stripe.
  if (await em.count(Payment, { membership: membership.id, kind: "PURCHASE" })) return;
  try {
    await recordPurchase(em, stripe, session, { userId: membership.user.id, membershipId: membership.id });
  } catch {
    // Recorded next time (see above).
  }
}
