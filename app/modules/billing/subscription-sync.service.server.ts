// A membership paid by a Stripe subscription is paused, resumed or cancelled in Stripe in the same step as
// here: the change is saved, Stripe is told, and only then does it commit (the lifecycle's `beforeCommit`).
// If Stripe cannot be told, nothing changes and the admin or client is told why. The webhook that follows
// waits for the membership's lock, then finds Stripe's state already applied.
import type { EntityManager } from "@mikro-orm/postgresql";
import type Stripe from "stripe";
import { refuse, type Failure } from "~/utils/result";
import { addDays, toInstant, type LocalDate } from "~/utils/time";
import { User } from "../auth/auth.entities.server";
import { UserMembership } from "../memberships/memberships.entities.server";
import { getSettings } from "../settings/settings.service.server";
import { PAYMENTS_UNAVAILABLE } from "./checkout.service.server";
import { stripeErrorMessage } from "./stripe.server";

export type SubscriptionChange =
  { kind: "pause" } | { kind: "resume" } | { kind: "cancel-now" } | { kind: "cancel-at-period-end" } | { kind: "cancel-after"; lastDay: LocalDate };

/** Tells Stripe of a change to the member's membership; null when done or when no subscription pays for it. */
export async function changeSubscription(
  em: EntityManager,
  stripe: Stripe | null,
  ref: { membershipId: number; userId: number },
  change: SubscriptionChange,
): Promise<Failure | null> {
  const membership = await em.findOne(UserMembership, { id: ref.membershipId, user: ref.userId }, { fields: ["stripeSubscriptionId"] });
  const id = membership?.stripeSubscriptionId;
  if (!id) return null;
  if (!stripe) return refuse(PAYMENTS_UNAVAILABLE);
  try {
    switch (change.kind) {
      case "pause":
        await stripe.subscriptions.update(id, { pause_collection: { behavior: "void" } });
        break;
      case "resume":
        await stripe.subscriptions.update(id, { pause_collection: "" });
        break;
      case "cancel-now":
        await stripe.subscriptions.cancel(id);
        break;
      case "cancel-at-period-end":
        await stripe.subscriptions.update(id, { cancel_at_period_end: true });
        break;
      case "cancel-after": {
        const subscription = await stripe.subscriptions.retrieve(id);
        const periodEnd = subscription.items.data[0]?.current_period_end ?? 0;
        const zone = (await getSettings(em)).studioTimeZone;
        const cancelAt = Math.floor(toInstant(addDays(change.lastDay, 1), "00:00", zone).getTime() / 1000);
        // Within the current period (give or take a day of time zones): at its end; a commitment beyond it: then.
        const params = cancelAt <= periodEnd + 2 * 86_400 ? { cancel_at_period_end: true } : { cancel_at: cancelAt };
        await stripe.subscriptions.update(id, params);
        break;
      }
    }
    return null;
  } catch (error) {
    return refuse(`Stripe could not be told, so nothing has changed: ${stripeErrorMessage(error)}`);
  }
}

/** A Stripe Customer Portal session where the client manages their card and sees their invoices; null without a customer. */
export async function portalUrl(
  em: EntityManager,
  stripe: Stripe | null,
  input: { userId: number; returnUrl: string },
): Promise<{ url: string } | Failure | null> {
  const user = await em.findOne(User, input.userId, { fields: ["stripeCustomerId"] });
  if (!user?.stripeCustomerId) return null;
  if (!stripe) return refuse(PAYMENTS_UNAVAILABLE);
  try {
    const session = await stripe.billingPortal.sessions.create({ customer: user.stripeCustomerId, return_url: input.returnUrl });
    return { url: session.url };
  } catch (error) {
    return refuse(`We could not open the billing page: ${stripeErrorMessage(error)}`);
  }
}

/** Whether the client has paid online (has a Stripe Customer), so has a card and invoices to manage. */
export async function hasStripeCustomer(em: EntityManager, userId: number): Promise<boolean> {
  return (await em.count(User, { id: userId, stripeCustomerId: { $ne: null } })) > 0;
}
