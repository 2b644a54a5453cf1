// Stripe's webhook events, handled once each and in any order. The route has checked the signature; here
// each event's id is recorded in `stripe_event` in the same transaction as its effects (a second delivery
// changes nothing), and subscription events apply the subscription's CURRENT state, fetched from Stripe,
// so an older payload arriving late never overwrites a newer one.
import type { EntityManager } from "@mikro-orm/postgresql";
import type Stripe from "stripe";
import { MembershipEvent, MembershipPlan, UserMembership, type IUserMembership, type MembershipAction } from "../memberships/memberships.entities.server";
import { notify } from "../notifications/notify.server";
import { getSettings } from "../settings/settings.service.server";
import type { Settings } from "../settings/settings.rules";
import { todayIn, type LocalDate } from "~/utils/time";
import { lockForRelease, releaseBookings, type ReleaseLocks } from "../booking/booking.service.server";
import { releaseFrom } from "../booking/booking.rules";
import { StripeEvent } from "./billing.entities.server";
import { syncCheckoutSession } from "./checkout.service.server";
import { Payment } from "./payments.entities.server";
import { recordPayment } from "./payments.service.server";
import { User } from "../auth/auth.entities.server";
import { membershipStateForSubscription, pausesForFailures, subscriptionSnapshot, type SubscriptionMembershipState } from "./billing.rules";
import { membershipInfo, paymentFailed, subscriptionChangeMessage } from "../notifications/messages";
import { studioOf } from "../notifications/studio.server";

/** handled: its effects are saved; duplicate: already handled, nothing changed; ignored: a type we do not handle. */
export type WebhookOutcome = { outcome: "handled" | "duplicate" | "ignored"; type: string };

/** What a handler gets: the transaction's EntityManager (the event's row is already in it), the SDK, the event. */
export type StripeEventContext = { tx: EntityManager; stripe: Stripe; event: Stripe.Event; settings: Settings; now: Date; today: LocalDate };
export type StripeEventHandler = (context: StripeEventContext) => Promise<void>;

const NOTE = "Stripe";

/** Recorded and nothing else: a failed asynchronous payment changes nothing we hold. */
const acknowledge: StripeEventHandler = async () => {};

/** A paid checkout makes its membership, once: the same fulfilment the success page runs. */
const fulfilCheckout: StripeEventHandler = async ({ tx, stripe, event }) => {
  const result = await syncCheckoutSession(tx, stripe, (event.data.object as Stripe.Checkout.Session).id);
  // Stripe could not be asked: fail, so the event is not recorded and Stripe delivers it again.
  if (result && !result.ok && result.reason === "unreachable") throw new Error(result.formError);
};

/** The events we handle, by type; any other type is answered 200 and not recorded. */
export const STRIPE_EVENT_HANDLERS: Partial<Record<string, StripeEventHandler>> = {
  "checkout.session.completed": fulfilCheckout,
  "checkout.session.async_payment_succeeded": fulfilCheckout,
  "checkout.session.async_payment_failed": acknowledge,
  "customer.subscription.created": subscriptionChanged,
  "customer.subscription.updated": subscriptionChanged,
  "customer.subscription.deleted": subscriptionChanged,
  "customer.subscription.paused": subscriptionChanged,
  "customer.subscription.resumed": subscriptionChanged,
  "invoice.paid": invoicePaid,
  "invoice.payment_failed": invoicePaymentFailed,
  // A refund goes into the payments history; it changes no membership by itself.
  "charge.refunded": chargeRefunded,
};

/**
 * Handles one verified event: once, whatever the number of deliveries. The event's row is inserted first
 * with ON CONFLICT DO NOTHING: a delivery running at the same moment waits on the primary key until the
 * first commits and then inserts nothing; one arriving later finds the row. Any failure (Stripe
 * unreachable, say) rolls the row back with the effects, so Stripe's retry handles it afresh.
 */
export async function handleStripeEvent(em: EntityManager, stripe: Stripe, event: Stripe.Event, receivedAt = new Date()): Promise<WebhookOutcome> {
  const handler = STRIPE_EVENT_HANDLERS[event.type];
  if (!handler) return { outcome: "ignored", type: event.type };
  return em.transactional(async (tx) => {
    const inserted = await tx
      .createQueryBuilder(StripeEvent)
      .insert({ id: event.id, type: event.type, stripeCreatedAt: new Date(event.created * 1000), receivedAt, processedAt: receivedAt })
      .onConflict("id")
      .ignore()
      .execute("run");
    if (!inserted.affectedRows) return { outcome: "duplicate" as const, type: event.type };
    const settings = await getSettings(tx);
    const now = new Date();
    await handler({ tx, stripe, event, settings, now, today: todayIn(settings.studioTimeZone, now) });
    await tx.flush();
    await tx.nativeUpdate(StripeEvent, { id: event.id }, { processedAt: new Date() });
    return { outcome: "handled" as const, type: event.type };
  });
}

function record(tx: EntityManager, membership: IUserMembership, action: MembershipAction, note: string) {
  tx.create(MembershipEvent, { membership, action, actor: null, note, at: new Date() });
}

/** The membership paid by a subscription, locked for this transaction (null: checkout has not made it yet). */
/**
 * The membership a subscription pays for, locked as a booking locks it (its booked sessions first, then the
 * memberships by id: `lockForRelease`, ADR 14), since pausing or ending it gives its places back.
 */
async function lockMembership(tx: EntityManager, subscriptionId: string, now: Date): Promise<{ membership: IUserMembership; locks: ReleaseLocks } | null> {
  const found = await tx.findOne(UserMembership, { stripeSubscriptionId: subscriptionId }, { fields: ["id"], orderBy: { id: "asc" } });
  return found ? lockForRelease(tx, { membershipId: found.id, now }) : null;
}

/** A membership Stripe paused or ended gives back the places it can no longer cover (moved or released, the waitlists promoted). */
async function releaseIfEnding(tx: EntityManager, membership: IUserMembership, locks: ReleaseLocks, now: Date, zone: string) {
  await tx.flush();
  const from = releaseFrom({ status: membership.status, endDate: membership.endDate ?? null, cancelAtPeriodEnd: membership.cancelAtPeriodEnd }, now, zone);
  if (from) await releaseBookings(tx, { membershipId: membership.id, from, now, zone, locks });
}

const laterOf = (a: LocalDate, b: LocalDate) => (a > b ? a : b);

/**
 * Brings the membership in step with the subscription as Stripe holds it now. The membership row is
 * locked before Stripe is asked, so two events for one subscription apply one after the other and the
 * later one reads the later state.
 */
async function applyCurrentSubscription(context: StripeEventContext, subscriptionId: string): Promise<void> {
  const { tx, stripe, settings, now, today } = context;
  const locked = await lockMembership(tx, subscriptionId, now);
  if (!locked) return;
  const { membership } = locked;
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  const wanted = membershipStateForSubscription(subscriptionSnapshot(subscription), settings.studioTimeZone, today);
  if (subscription.status !== "past_due" && subscription.status !== "unpaid") {
    // Paid up (or ended, with nothing more to collect): no failures stand.
    membership.paymentFailures = 0;
    membership.paymentFailingSince = null;
  } else {
    // The failures are the open invoice's attempts as Stripe counts them now, whatever order the events came in.
    const latest = typeof subscription.latest_invoice === "string" ? await stripe.invoices.retrieve(subscription.latest_invoice) : subscription.latest_invoice;
    if (latest?.status === "open") countFailures(membership, latest);
  }
  const before = { status: membership.status, cancelAtPeriodEnd: membership.cancelAtPeriodEnd };
  if (wanted) applyState(tx, membership, wanted, now, today);
  await tellOfChange(context, membership, before);
  await releaseIfEnding(tx, membership, locked.locks, now, settings.studioTimeZone);
}

/** The member hears of a pause, resume or cancellation that came from Stripe (one made here was told already). */
async function tellOfChange(
  { tx, settings, today }: StripeEventContext,
  membership: IUserMembership,
  before: Pick<IUserMembership, "status" | "cancelAtPeriodEnd">,
) {
  const after = { ...membershipInfo(membership), status: membership.status, cancelAtPeriodEnd: membership.cancelAtPeriodEnd, today };
  const message = subscriptionChangeMessage(studioOf(settings), before, after);
  if (message) await notify(tx, { userId: membership.user.id, ...message });
}

/** Failures as the open invoice holds them: its attempts, failing since it was made (not since an event happened to arrive). */
function countFailures(membership: IUserMembership, invoice: Stripe.Invoice) {
  membership.paymentFailures = invoice.attempt_count;
  membership.paymentFailingSince = new Date(invoice.created * 1000);
}

function applyState(tx: EntityManager, membership: IUserMembership, wanted: SubscriptionMembershipState, now: Date, today: LocalDate) {
  // A membership that has ended stays ended (Stripe's canceled is final too).
  if (membership.status === "CANCELLED" || membership.status === "EXPIRED") return;
  if (wanted.status === "CANCELLED") {
    membership.status = "CANCELLED";
    membership.cancelledAt = now;
    membership.pausedOn = null;
    membership.cancelAtPeriodEnd = false;
    membership.endDate = laterOf(membership.startDate, wanted.endDate ?? today);
    record(tx, membership, "CANCELLED", `${NOTE}: the subscription ended.`);
    return;
  }
  if (wanted.status === "PAUSED" && membership.status !== "PAUSED") {
    membership.status = "PAUSED";
    membership.pausedOn = today;
    record(tx, membership, "PAUSED", `${NOTE}: collection paused.`);
  } else if (wanted.status === "ACTIVE" && membership.status === "PAUSED") {
    membership.status = "ACTIVE";
    membership.pausedOn = null;
    record(tx, membership, "RESUMED", `${NOTE}: the subscription is active.`);
  }
  const endDate = wanted.cancelAtPeriodEnd && wanted.endDate ? laterOf(membership.startDate, wanted.endDate) : null;
  if (wanted.cancelAtPeriodEnd !== membership.cancelAtPeriodEnd || (wanted.cancelAtPeriodEnd && membership.endDate !== endDate)) {
    membership.cancelAtPeriodEnd = wanted.cancelAtPeriodEnd;
    membership.endDate = endDate;
    if (wanted.cancelAtPeriodEnd) record(tx, membership, "CANCEL_SCHEDULED", `${NOTE}: ends at the period end, ${endDate}.`);
    else record(tx, membership, "RESUMED", `${NOTE}: the cancellation at the period end was withdrawn.`);
  }
}

async function subscriptionChanged(context: StripeEventContext): Promise<void> {
  const subscription = context.event.data.object as Stripe.Subscription;
  await applyCurrentSubscription(context, subscription.id);
}

function subscriptionOfInvoice(invoice: Stripe.Invoice): string | null {
  const subscription = invoice.parent?.subscription_details?.subscription;
  if (!subscription) return null;
  return typeof subscription === "string" ? subscription : subscription.id;
}

/**
 * A paid invoice never fulfils a purchase (the checkout session does, once). For a subscription's invoice
 * it brings the membership in step with the subscription: after a past-due spell, ACTIVE again.
 */
async function invoicePaid(context: StripeEventContext): Promise<void> {
  const invoice = context.event.data.object as Stripe.Invoice;
  const subscriptionId = subscriptionOfInvoice(invoice);
  if (subscriptionId) await applyCurrentSubscription(context, subscriptionId);
  await recordInvoice(context, invoice, subscriptionId);
}

/**
 * A renewal payment failed. The count is the invoice's own attempt count as Stripe holds it now (so late,
 * repeated or reordered deliveries count each attempt once), and an invoice paid since counts nothing.
 * The membership stays usable through the grace period; after `maxPaymentFailures` failures, or at a
 * failure past the grace period, it is PAUSED and the client is told.
 */
async function invoicePaymentFailed(context: StripeEventContext): Promise<void> {
  const { tx, stripe, event, settings, now, today } = context;
  const sent = event.data.object as Stripe.Invoice;
  const subscriptionId = subscriptionOfInvoice(sent);
  if (!subscriptionId || !sent.id) return;
  const locked = await lockMembership(tx, subscriptionId, now);
  if (!locked) return;
  const { membership } = locked;
  const invoice = await stripe.invoices.retrieve(sent.id);
  if (invoice.status !== "open") return;
  await recordInvoice(context, invoice, subscriptionId);
  // Paid up since (a later invoice went through), or ended: this failure no longer counts.
  const subscription = await stripe.subscriptions.retrieve(subscriptionId);
  if (subscription.status !== "past_due" && subscription.status !== "unpaid") return;
  countFailures(membership, invoice);
  const pause = pausesForFailures({
    failures: membership.paymentFailures,
    failingSince: membership.paymentFailingSince ?? null,
    now,
    maxFailures: settings.maxPaymentFailures,
    graceDays: settings.paymentGraceDays,
  });
  if (!pause && membership.status === "ACTIVE") {
    const graceEndsAt = membership.paymentFailingSince ? new Date(membership.paymentFailingSince.getTime() + settings.paymentGraceDays * 86_400_000) : null;
    const message = paymentFailed(studioOf(settings), {
      membershipId: membership.id,
      planName: membership.plan.name,
      amountPence: invoice.amount_due,
      currency: invoice.currency,
      invoiceId: sent.id,
      failures: membership.paymentFailures,
      maxFailures: settings.maxPaymentFailures,
      graceEndsAt,
    });
    // One message per failed attempt, however often its events arrive.
    await notify(tx, { userId: membership.user.id, dedupeKey: `payment-failed:${sent.id}:${membership.paymentFailures}`, ...message });
  }
  if (!pause || membership.status !== "ACTIVE") return;
  membership.status = "PAUSED";
  membership.pausedOn = today;
  const failures = membership.paymentFailures;
  record(tx, membership, "PAUSED", `${NOTE}: ${failures} failed payment${failures === 1 ? "" : "s"}.`);
  const plan = { plan: await tx.findOneOrFail(MembershipPlan, membership.plan.id) };
  await notify(tx, {
    userId: membership.user.id,
    kind: "MEMBERSHIP_PAYMENT_PAUSED",
    subject: `Your ${plan.plan.name} membership is paused`,
    body:
      `We could not take the payment for your ${plan.plan.name} membership (${failures} attempt${failures === 1 ? "" : "s"}), ` +
      `so it is paused and cannot book classes. Update your card under "Manage card and invoices" and it starts again once the payment goes through.`,
    payload: { membershipId: membership.id, invoiceId: invoice.id, subscriptionId, failures },
  });
  await releaseIfEnding(tx, membership, locked.locks, now, settings.studioTimeZone);
}

/**
 * A paid invoice in the payments history: a subscription's first invoice is its purchase (the checkout
 * records the same one), later ones are the monthly payments. The client is found by the Stripe customer.
 */
async function recordInvoice({ tx }: StripeEventContext, invoice: Stripe.Invoice, subscriptionId: string | null) {
  const customerId = typeof invoice.customer === "string" ? invoice.customer : invoice.customer?.id;
  const user = customerId ? await tx.findOne(User, { stripeCustomerId: customerId }, { fields: ["id"] }) : null;
  if (!user || !invoice.id) return;
  const membership = subscriptionId ? await tx.findOne(UserMembership, { stripeSubscriptionId: subscriptionId }, { fields: ["id"] }) : null;
  await recordPayment(tx, {
    userId: user.id,
    membershipId: membership?.id ?? null,
    kind: invoice.billing_reason === "subscription_create" ? "PURCHASE" : "INVOICE",
    stripeObjectId: invoice.id,
    amountPence: invoice.amount_paid || invoice.amount_due,
    currency: invoice.currency,
    // An open invoice here is one whose payment failed (it reads "paid" once a retry takes it).
    status: invoice.status === "open" ? "failed" : (invoice.status ?? "paid"),
    receiptUrl: invoice.hosted_invoice_url ?? null,
    occurredAt: new Date((invoice.status_transitions?.paid_at ?? invoice.created) * 1000),
  });
}

/** Each refund of a charge, once, in the payments history, beside the payment it gives back. */
async function chargeRefunded({ tx, stripe, event }: StripeEventContext): Promise<void> {
  const sent = event.data.object as Stripe.Charge;
  const charge = await stripe.charges.retrieve(sent.id, { expand: ["refunds"] });
  const customerId = typeof charge.customer === "string" ? charge.customer : charge.customer?.id;
  const user = customerId ? await tx.findOne(User, { stripeCustomerId: customerId }, { fields: ["id"] }) : null;
  if (!user) return;
  const intentId = typeof charge.payment_intent === "string" ? charge.payment_intent : charge.payment_intent?.id;
  const paid = intentId ? await tx.findOne(Payment, { stripeObjectId: intentId }, { fields: ["membership"] }) : null;
  for (const refund of charge.refunds?.data ?? []) {
    await recordPayment(tx, {
      userId: user.id,
      membershipId: paid?.membership?.id ?? null,
      kind: "REFUND",
      stripeObjectId: refund.id,
      amountPence: refund.amount,
      currency: refund.currency,
      status: refund.status ?? "succeeded",
      receiptUrl: charge.receipt_url ?? null,
      occurredAt: new Date(refund.created * 1000),
    });
  }
}
