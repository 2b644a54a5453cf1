// POST /webhooks/stripe against the real local Stripe server, real signatures and this file's PostgreSQL.
//
// How events reach the route: the local server delivers them over HTTP to a tiny node:http server started
// here (webhookReceiver, tests/support/stripe-webhooks.ts), which turns each request into a Fetch Request and
// runs the route's action in-process (in a request context, as Remix does). So the local server's own delivery machinery — signing, holding, releasing in
// reverse or shuffled order, redelivering — drives the real action, without starting the whole app.
// Events the local server cannot produce (`customer.subscription.paused`, forged or stale signatures,
// concurrent copies of one delivery) are signed here with the SDK's generateTestHeaderString and posted
// to the action directly.
import type { Server } from "node:http";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { StripeEvent } from "~/modules/billing/billing.entities.server";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { lastDayOfPeriod } from "~/modules/billing/billing.rules";
import { startCheckout, syncCheckoutSession } from "~/modules/billing/checkout.service.server";
import { Payment } from "~/modules/billing/payments.entities.server";
import { syncPlan } from "~/modules/billing/plan-sync.service.server";
import { User } from "~/modules/auth/auth.entities.server";
import { createStripe } from "~/modules/billing/stripe.server";
import { MembershipEvent, MembershipPlan, UserMembership, type IMembershipPlan } from "~/modules/memberships/memberships.entities.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { DEFAULT_SETTINGS } from "~/modules/settings/settings.rules";
import { getSettings, updateSettings } from "~/modules/settings/settings.service.server";
import * as settingsPage from "~/routes/admin.settings";
import * as webhookRoute from "~/routes/webhooks.stripe";
import { todayIn } from "~/utils/time";
import { startLocalStripe, type LocalStripe, type StripeObject } from "../../tools/stripe-local/server";
import { forkEm } from "../support/db";
import { createMember, createMembership, createPlan, createRegistration, createSession, createUser } from "../support/factories";
import { postForm, signedInCookie } from "../support/routes";
import { callWebhook, listen, webhookReceiver } from "../support/stripe-webhooks";

const SECRET = "whsec_webhook_test_secret";
let local: LocalStripe;
let stripe: Stripe;
let app: Server;
let plan: IMembershipPlan;
const signer = new Stripe("sk_test_signer");
const saved = { apiUrl: process.env.STRIPE_API_URL, secret: process.env.STRIPE_WEBHOOK_SECRET };

beforeAll(async () => {
  app = webhookReceiver();
  const appUrl = await listen(app);
  local = await startLocalStripe({ port: 0, webhookUrl: `${appUrl}/webhooks/stripe`, webhookSecret: SECRET });
  process.env.STRIPE_API_URL = local.url;
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
  stripe = createStripe({ apiUrl: local.url })!;

  const created = await createPlan(await forkEm(), { type: "RECURRING", sessionsPerWeek: 3, pricePence: 7500 });
  await syncPlan(await forkEm(), stripe, created.id);
  plan = await (await forkEm()).findOneOrFail(MembershipPlan, created.id);
});

afterAll(async () => {
  await local?.stop();
  await new Promise((resolve) => app?.close(resolve));
  process.env.STRIPE_API_URL = saved.apiUrl;
  process.env.STRIPE_WEBHOOK_SECRET = saved.secret;
});

afterEach(async () => {
  local.controls.releaseDeliveries();
  await local.controls.waitForDeliveries();
});

/** A client who bought the recurring plan through the local checkout: the membership carries the subscription. */
async function subscribedMember() {
  const em = await forkEm();
  const user = await createUser(em);
  const customer = await stripe.customers.create({ email: user.email, metadata: { userId: String(user.id) } });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: plan.stripePriceId!, quantity: 1 }],
    success_url: "http://localhost/client/membership/success?session={CHECKOUT_SESSION_ID}",
    cancel_url: "http://localhost/client/membership/plans",
  });
  const paid = local.controls.completeCheckout(session.id);
  // The subscription's own events find no membership yet and change nothing (the checkout's fulfilment reads it).
  await local.controls.waitForDeliveries();
  const membership = await createMembership(em, { user, plan, startDate: "2026-03-01" });
  membership.stripeSubscriptionId = paid.subscription as string;
  membership.stripeCheckoutSessionId = session.id;
  await em.flush();
  return { user, membership, subscriptionId: paid.subscription as string };
}

const reload = async (id: number) => (await forkEm()).findOneOrFail(UserMembership, id, { refresh: true });
const eventsOf = async (id: number) => (await forkEm()).find(MembershipEvent, { membership: id }, { orderBy: { id: "asc" } });
const recorded = async (eventId: string) => (await forkEm()).count(StripeEvent, { id: eventId });
const studioToday = () => todayIn(DEFAULT_SETTINGS.studioTimeZone);
const stateOf = (m: { status: string; cancelAtPeriodEnd: boolean; endDate?: string | null; pausedOn?: string | null; paymentFailures: number }) => ({
  status: m.status,
  cancelAtPeriodEnd: m.cancelAtPeriodEnd,
  endDate: m.endDate ?? null,
  pausedOn: m.pausedOn ?? null,
  paymentFailures: m.paymentFailures,
});

/** POSTs `payload` to the action, signed with `secret` at `timestamp` (the SDK's own test signature). */
function postSigned(payload: string, options: { secret?: string; timestamp?: number; header?: string | null } = {}): Promise<Response> {
  const header =
    options.header !== undefined
      ? options.header
      : signer.webhooks.generateTestHeaderString({ payload, secret: options.secret ?? SECRET, timestamp: options.timestamp ?? Math.floor(Date.now() / 1000) });
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  if (header !== null) headers["Stripe-Signature"] = header;
  return callWebhook(new Request("http://localhost/webhooks/stripe", { method: "POST", headers, body: payload }));
}

/** A Stripe event as the local server would send it, for types it does not emit itself. */
function eventPayload(type: string, object: StripeObject, id = `evt_test_${Math.random().toString(36).slice(2)}`): string {
  return JSON.stringify({
    id,
    object: "event",
    api_version: "2026-10-28.endive",
    created: Math.floor(Date.now() / 1000),
    type,
    livemode: false,
    pending_webhooks: 1,
    request: { id: null, idempotency_key: null },
    data: { object },
  });
}

const lastEvent = (type: string) => local.controls.listEvents({ type }).at(-1)!;

describe("POST /webhooks/stripe: the signature", () => {
  it("answers 405 to a GET", async () => {
    const response = webhookRoute.loader();
    expect(response.status).toBe(405);
    expect(response.headers.get("Allow")).toBe("POST");
  });

  it("refuses a forged, stale or missing signature with 400, and records and changes nothing", async () => {
    const { membership, subscriptionId } = await subscribedMember();
    local.controls.holdDeliveries();
    await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    const event = lastEvent("customer.subscription.updated");
    const payload = JSON.stringify(event);

    const forged = await postSigned(payload, { secret: "whsec_someone_else" });
    const stale = await postSigned(payload, { timestamp: Math.floor(Date.now() / 1000) - 3600 });
    const missing = await postSigned(payload, { header: null });
    const garbled = await postSigned(payload, { header: "t=1,v1=00" });
    for (const response of [forged, stale, missing, garbled]) expect(response.status).toBe(400);
    expect(await stale.text()).toMatch(/signature/i);
    expect(await recorded(event.id as string)).toBe(0);
    expect(await reload(membership.id)).toMatchObject({ cancelAtPeriodEnd: false, endDate: null });
    expect(await eventsOf(membership.id)).toHaveLength(0);

    // The same event, signed with the endpoint's secret, is handled.
    expect((await postSigned(payload)).status).toBe(200);
    expect(await recorded(event.id as string)).toBe(1);
    expect(await reload(membership.id)).toMatchObject({ cancelAtPeriodEnd: true });
  });

  it("answers 413 to a body over 1 MB without reading it all", async () => {
    const payload = JSON.stringify({ id: "evt_big", padding: "x".repeat(webhookRoute.MAX_WEBHOOK_BYTES) });
    expect((await postSigned(payload)).status).toBe(413);
  });

  it("acknowledges an event type it does not handle with 200 and records nothing", async () => {
    const payload = eventPayload("customer.tax_id.created", { id: "txi_1", object: "tax_id" });
    const response = await postSigned(payload);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe("ignored");
    expect(await recorded(JSON.parse(payload).id as string)).toBe(0);
  });
});

describe("POST /webhooks/stripe: failures and acknowledgements", () => {
  it("answers 500 and saves nothing when Stripe cannot be reached, so Stripe's retry handles the event afresh", async () => {
    const { membership, subscriptionId } = await subscribedMember();
    local.controls.holdDeliveries();
    await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    const payload = JSON.stringify(lastEvent("customer.subscription.updated"));
    process.env.STRIPE_API_URL = "http://127.0.0.1:9";
    try {
      expect((await postSigned(payload)).status).toBe(500);
    } finally {
      process.env.STRIPE_API_URL = local.url;
    }
    expect(await recorded(JSON.parse(payload).id as string)).toBe(0);
    expect(await reload(membership.id)).toMatchObject({ cancelAtPeriodEnd: false });
    expect(await (await postSigned(payload)).text()).toBe("handled");
    expect(await reload(membership.id)).toMatchObject({ cancelAtPeriodEnd: true });
  });

  it("records checkout.session.async_payment_failed and changes nothing else", async () => {
    const payload = eventPayload("checkout.session.async_payment_failed", { id: "cs_test_failed", object: "checkout.session", payment_status: "unpaid" });
    expect(await (await postSigned(payload)).text()).toBe("handled");
    expect(await recorded(JSON.parse(payload).id as string)).toBe(1);
  });
});

describe("subscription events apply the subscription's current state", () => {
  it("customer.subscription.updated: cancel at the period end sets the last day, and withdrawing it clears it", async () => {
    const { membership, subscriptionId } = await subscribedMember();
    const subscription = await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await local.controls.waitForDeliveries();
    const lastDay = lastDayOfPeriod(subscription.items.data[0].current_period_end, DEFAULT_SETTINGS.studioTimeZone);
    expect(await reload(membership.id)).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: true, endDate: lastDay });

    await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: false });
    await local.controls.waitForDeliveries();
    expect(await reload(membership.id)).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: false, endDate: null });
    const events = await eventsOf(membership.id);
    expect(events.map((e) => e.action)).toEqual(["CANCEL_SCHEDULED", "RESUMED"]);
    expect(events.every((e) => e.actor === null && /Stripe/.test(e.note ?? ""))).toBe(true);
  });

  it("customer.subscription.updated: paused collection pauses the membership today, and clearing it resumes it", async () => {
    const { membership, subscriptionId } = await subscribedMember();
    await stripe.subscriptions.update(subscriptionId, { pause_collection: { behavior: "void" } });
    await local.controls.waitForDeliveries();
    expect(await reload(membership.id)).toMatchObject({ status: "PAUSED", pausedOn: studioToday() });

    await stripe.subscriptions.update(subscriptionId, { pause_collection: "" });
    await local.controls.waitForDeliveries();
    expect(await reload(membership.id)).toMatchObject({ status: "ACTIVE", pausedOn: null });
    expect((await eventsOf(membership.id)).map((e) => e.action)).toEqual(["PAUSED", "RESUMED"]);
  });

  it("customer.subscription.paused and .resumed re-read the subscription rather than trust the payload", async () => {
    const { membership, subscriptionId } = await subscribedMember();
    const subscription = (await stripe.subscriptions.retrieve(subscriptionId)) as unknown as StripeObject;
    // A "paused" event whose subscription, as Stripe holds it now, is active: nothing to change.
    expect((await postSigned(eventPayload("customer.subscription.paused", { ...subscription, status: "paused" }))).status).toBe(200);
    expect(await reload(membership.id)).toMatchObject({ status: "ACTIVE" });

    local.controls.holdDeliveries();
    await stripe.subscriptions.update(subscriptionId, { pause_collection: { behavior: "void" } });
    const paused = await postSigned(eventPayload("customer.subscription.paused", subscription));
    expect(await paused.text()).toBe("handled");
    expect(await reload(membership.id)).toMatchObject({ status: "PAUSED" });

    await stripe.subscriptions.update(subscriptionId, { pause_collection: "" });
    expect((await postSigned(eventPayload("customer.subscription.resumed", subscription))).status).toBe(200);
    expect(await reload(membership.id)).toMatchObject({ status: "ACTIVE", pausedOn: null });
  });

  it("customer.subscription.deleted cancels the membership on the day it ended", async () => {
    const { membership, subscriptionId } = await subscribedMember();
    await stripe.subscriptions.cancel(subscriptionId);
    await local.controls.waitForDeliveries();
    expect(await reload(membership.id)).toMatchObject({ status: "CANCELLED", endDate: studioToday(), cancelAtPeriodEnd: false });
    expect((await reload(membership.id)).cancelledAt).toBeInstanceOf(Date);
    expect((await eventsOf(membership.id)).map((e) => e.action)).toEqual(["CANCELLED"]);
  });

  it("customer.subscription.created for a subscription no membership holds yet changes nothing and is recorded", async () => {
    const before = await (await forkEm()).count(UserMembership, {});
    await subscribedMember();
    const created = lastEvent("customer.subscription.created");
    expect(await recorded(created.id as string)).toBe(1);
    expect(await (await forkEm()).count(UserMembership, {})).toBe(before + 1); // only the one the test made
  });
});

describe("invoices and charges", () => {
  it("invoice.payment_failed counts failures and keeps the membership usable; invoice.paid after a retry clears them", async () => {
    const { membership, subscriptionId } = await subscribedMember();
    local.controls.failPayment(subscriptionId);
    await local.controls.waitForDeliveries();
    const failing = await reload(membership.id);
    expect(failing).toMatchObject({ status: "ACTIVE", paymentFailures: 1 });
    expect(failing.paymentFailingSince).toBeInstanceOf(Date);

    local.controls.renewSubscription(subscriptionId); // the retry succeeds
    await local.controls.waitForDeliveries();
    expect(await reload(membership.id)).toMatchObject({ status: "ACTIVE", paymentFailures: 0, paymentFailingSince: null });
  });

  it("invoice.payment_failed: the third failure pauses the membership and tells the client; invoice.paid makes it ACTIVE again", async () => {
    const { user, membership, subscriptionId } = await subscribedMember();
    for (let i = 0; i < 3; i++) local.controls.failPayment(subscriptionId);
    await local.controls.waitForDeliveries();
    expect(await reload(membership.id)).toMatchObject({ status: "PAUSED", pausedOn: studioToday(), paymentFailures: 3 });
    const notes = await (await forkEm()).find(Notification, { user: user.id });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ kind: "MEMBERSHIP_PAYMENT_PAUSED", payload: { membershipId: membership.id, failures: 3 } });
    expect((await eventsOf(membership.id)).map((e) => e.action)).toEqual(["PAUSED"]);

    local.controls.renewSubscription(subscriptionId);
    await local.controls.waitForDeliveries();
    const paidEvent = lastEvent("invoice.paid");
    expect(await recorded(paidEvent.id as string)).toBe(1);
    expect(await reload(membership.id)).toMatchObject({ status: "ACTIVE", pausedOn: null, paymentFailures: 0 });
    expect((await eventsOf(membership.id)).map((e) => e.action)).toEqual(["PAUSED", "RESUMED"]);
  });

  it("invoice.payment_failed after the grace period pauses at once", async () => {
    await updateSettings(await forkEm(), { paymentGraceDays: 0 });
    try {
      const { membership, subscriptionId } = await subscribedMember();
      local.controls.failPayment(subscriptionId);
      await local.controls.waitForDeliveries();
      expect(await reload(membership.id)).toMatchObject({ status: "PAUSED", paymentFailures: 1 });
    } finally {
      await updateSettings(await forkEm(), { paymentGraceDays: DEFAULT_SETTINGS.paymentGraceDays });
    }
  });

  it("invoice.paid for a renewal never makes a second membership, and a refund (charge.refunded) is only acknowledged", async () => {
    const { user, membership, subscriptionId } = await subscribedMember();
    local.controls.renewSubscription(subscriptionId);
    await local.controls.waitForDeliveries();
    const invoice = await stripe.invoices.retrieve(lastEvent("invoice.paid").data.object.id as string);
    expect(invoice.status).toBe("paid");
    expect(await (await forkEm()).count(UserMembership, { user: user.id })).toBe(1);

    const charges = await stripe.charges.list({ customer: (await stripe.subscriptions.retrieve(subscriptionId)).customer as string });
    local.controls.refund({ charge: charges.data[0].id });
    await local.controls.waitForDeliveries();
    expect(await recorded(lastEvent("charge.refunded").id as string)).toBe(1);
    expect(stateOf(await reload(membership.id))).toEqual(stateOf(membership));
    expect(await eventsOf(membership.id)).toHaveLength(0);
  });
});

describe("once each, in any order", () => {
  it("one event delivered three times changes things once", async () => {
    const { membership, subscriptionId } = await subscribedMember();
    await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await local.controls.waitForDeliveries();
    const event = lastEvent("customer.subscription.updated");
    local.controls.redeliver(event.id as string);
    local.controls.redeliver(event.id as string);
    await local.controls.waitForDeliveries();
    const deliveries = local.controls.listDeliveries({ eventId: event.id as string });
    expect(deliveries).toHaveLength(3);
    expect(deliveries.every((d) => d.status === "succeeded")).toBe(true);
    expect(await recorded(event.id as string)).toBe(1);
    expect((await eventsOf(membership.id)).map((e) => e.action)).toEqual(["CANCEL_SCHEDULED"]);
  });

  it("concurrent deliveries of one event apply once", async () => {
    const { membership, subscriptionId } = await subscribedMember();
    local.controls.holdDeliveries();
    await stripe.subscriptions.update(subscriptionId, { pause_collection: { behavior: "void" } });
    const payload = JSON.stringify(lastEvent("customer.subscription.updated"));
    const responses = await Promise.all(Array.from({ length: 6 }, () => postSigned(payload)));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const outcomes = (await Promise.all(responses.map((r) => r.text()))).sort();
    expect(outcomes).toEqual(["duplicate", "duplicate", "duplicate", "duplicate", "duplicate", "handled"]);
    expect((await eventsOf(membership.id)).map((e) => e.action)).toEqual(["PAUSED"]);
  });

  /** The same changes to a new subscription, their events held and then released in `order`. */
  async function scenario(order: "in-order" | "reverse" | "shuffle", seed = 1) {
    const { membership, subscriptionId } = await subscribedMember();
    local.controls.holdDeliveries();
    await stripe.subscriptions.update(subscriptionId, { pause_collection: { behavior: "void" } });
    await stripe.subscriptions.update(subscriptionId, { cancel_at_period_end: true });
    await stripe.subscriptions.update(subscriptionId, { pause_collection: "" });
    local.controls.failPayment(subscriptionId);
    local.controls.failPayment(subscriptionId);
    local.controls.renewSubscription(subscriptionId);
    await stripe.subscriptions.update(subscriptionId, { pause_collection: { behavior: "void" } });
    const released = local.controls.releaseDeliveries({ order, seed });
    expect(released).toBeGreaterThan(8);
    await local.controls.waitForDeliveries();
    const subscription = await stripe.subscriptions.retrieve(subscriptionId);
    return { state: stateOf(await reload(membership.id)), periodEnd: subscription.items.data[0].current_period_end };
  }

  it("subscription and invoice events in reverse and shuffled order end in the same state as in order", async () => {
    const inOrder = await scenario("in-order");
    expect(inOrder.state).toEqual({
      status: "PAUSED",
      cancelAtPeriodEnd: true,
      endDate: lastDayOfPeriod(inOrder.periodEnd, DEFAULT_SETTINGS.studioTimeZone),
      pausedOn: studioToday(),
      paymentFailures: 0,
    });
    expect((await scenario("reverse")).state).toEqual(inOrder.state);
    expect((await scenario("shuffle", 7)).state).toEqual(inOrder.state);
    expect((await scenario("shuffle", 42)).state).toEqual(inOrder.state);
  });

  it("answered every delivery of this file with 200 at its first attempt (no retry hid a failure)", () => {
    const deliveries = local.controls.listDeliveries();
    expect(deliveries.length).toBeGreaterThan(100);
    expect(deliveries.filter((d) => d.attempts[0]?.status !== 200)).toEqual([]);
  });
});

describe("a membership Stripe pauses or ends gives its places back", () => {
  it("a subscription Stripe ends releases the future booking it paid for and moves the waitlist up", async () => {
    const { user, membership, subscriptionId } = await subscribedMember();
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const session = await createSession(em, { coach, start: new Date(Date.now() + 3 * 86_400_000), capacity: 1 });
    const booked = await createRegistration(em, { session, user, membership });
    const waiting = await createMember(em, { type: "PACK", totalSessions: 5 });
    const queued = await createRegistration(em, { session, user: waiting.user, status: "WAITLISTED", waitlistPosition: 1, membership: waiting.membership });

    await stripe.subscriptions.cancel(subscriptionId);
    await local.controls.waitForDeliveries();

    const after = await forkEm();
    expect((await reload(membership.id)).status).toBe("CANCELLED");
    expect((await after.findOneOrFail(SessionRegistration, booked.id)).status).toBe("CANCELLED");
    expect(await after.findOneOrFail(SessionRegistration, queued.id)).toMatchObject({ status: "REGISTERED", waitlistPosition: null });
    expect((await after.findOneOrFail(UserMembership, waiting.membership.id)).sessionsRemaining).toBe(4);
    expect(await after.count(Notification, { user: user.id, kind: "BOOKINGS_RELEASED" })).toBe(1);
  });
});

describe("purchases and the payments history", () => {
  /** A client starts a checkout as the plans page does and pays on the checkout page. */
  async function checkoutPaid(planToBuy: IMembershipPlan) {
    const user = await createUser(await forkEm());
    const started = await startCheckout(await forkEm(), stripe, { userId: user.id, planId: planToBuy.id, siteUrl: "http://localhost" });
    if (!started?.ok) throw new Error(JSON.stringify(started));
    const customer = (await (await forkEm()).findOneOrFail(User, user.id)).stripeCustomerId!;
    const session = (await stripe.checkout.sessions.list({ limit: 100 })).data.find((s) => s.customer === customer)!;
    const paid = local.controls.completeCheckout(session.id);
    await local.controls.waitForDeliveries();
    return { user, sessionId: session.id, subscriptionId: paid.subscription as string | null };
  }

  it("checkout.session.completed makes the membership before the client is back, and three deliveries make one", async () => {
    const { user, sessionId, subscriptionId } = await checkoutPaid(plan);
    const memberships = await (await forkEm()).find(UserMembership, { user: user.id });
    expect(memberships).toMatchObject([{ status: "ACTIVE", stripeCheckoutSessionId: sessionId, stripeSubscriptionId: subscriptionId }]);
    const completed = local.controls.listEvents({ type: "checkout.session.completed" }).find((e) => e.data.object.id === sessionId)!;
    local.controls.redeliver(completed.id as string);
    local.controls.redeliver(completed.id as string);
    await local.controls.waitForDeliveries();
    expect(await (await forkEm()).count(UserMembership, { user: user.id })).toBe(1);
    expect(await recorded(completed.id as string)).toBe(1);
  });

  it("a delayed payment makes no membership until checkout.session.async_payment_succeeded, then one", async () => {
    const pack = await createPlan(await forkEm(), { type: "PACK", totalSessions: 5, pricePence: 4000 });
    await syncPlan(await forkEm(), stripe, pack.id);
    const user = await createUser(await forkEm());
    const started = await startCheckout(await forkEm(), stripe, { userId: user.id, planId: pack.id, siteUrl: "http://localhost" });
    expect(started?.ok).toBe(true);
    const customer = (await (await forkEm()).findOneOrFail(User, user.id)).stripeCustomerId!;
    const session = (await stripe.checkout.sessions.list({ limit: 100 })).data.find((s) => s.customer === customer)!;

    local.controls.completeCheckoutUnpaid(session.id);
    await local.controls.waitForDeliveries();
    expect(await (await forkEm()).count(UserMembership, { user: user.id })).toBe(0);
    expect(await syncCheckoutSession(await forkEm(), stripe, session.id)).toMatchObject({ ok: false, reason: "pending" });

    local.controls.settleCheckout(session.id, true);
    await local.controls.waitForDeliveries();
    expect(await (await forkEm()).find(UserMembership, { user: user.id })).toMatchObject([
      { status: "ACTIVE", sessionsRemaining: 5, stripeCheckoutSessionId: session.id },
    ]);
    expect(await (await forkEm()).count(Payment, { user: user.id, kind: "PURCHASE", status: "paid" })).toBe(1);
    const succeeded = lastEvent("checkout.session.async_payment_succeeded");
    expect(await recorded(succeeded.id as string)).toBe(1);
  });

  it("a delayed payment that fails makes nothing", async () => {
    const pack = await createPlan(await forkEm(), { type: "PACK", totalSessions: 5, pricePence: 4000 });
    await syncPlan(await forkEm(), stripe, pack.id);
    const user = await createUser(await forkEm());
    await startCheckout(await forkEm(), stripe, { userId: user.id, planId: pack.id, siteUrl: "http://localhost" });
    const customer = (await (await forkEm()).findOneOrFail(User, user.id)).stripeCustomerId!;
    const session = (await stripe.checkout.sessions.list({ limit: 100 })).data.find((s) => s.customer === customer)!;
    local.controls.completeCheckoutUnpaid(session.id);
    local.controls.settleCheckout(session.id, false);
    await local.controls.waitForDeliveries();
    expect(await (await forkEm()).count(UserMembership, { user: user.id })).toBe(0);
    expect(await recorded(lastEvent("checkout.session.async_payment_failed").id as string)).toBe(1);
  });

  it("a renewal and a refund land in the payments history once each, beside the purchase", async () => {
    const { user, subscriptionId } = await checkoutPaid(plan);
    local.controls.renewSubscription(subscriptionId!);
    await local.controls.waitForDeliveries();
    const renewal = lastEvent("invoice.paid");
    local.controls.redeliver(renewal.id as string);
    await local.controls.waitForDeliveries();
    const customer = (await (await forkEm()).findOneOrFail(User, user.id)).stripeCustomerId!;
    const charges = await stripe.charges.list({ customer });
    local.controls.refund({ charge: charges.data[0].id });
    await local.controls.waitForDeliveries();

    const payments = await (await forkEm()).find(Payment, { user: user.id }, { orderBy: { id: "asc" } });
    expect(payments.map((p) => [p.kind, p.amountPence])).toEqual([
      ["PURCHASE", 7500],
      ["INVOICE", 7500],
      ["REFUND", 7500],
    ]);
  });
});

describe("the failed-payment settings in the admin form", () => {
  it("saves the grace period and the number of failures, and refuses values out of range", async () => {
    const cookie = await signedInCookie(await createUser(await forkEm(), { role: "ADMIN" }));
    const current = await getSettings(await forkEm());
    const fields = {
      studioName: current.studioName,
      studioTimeZone: current.studioTimeZone,
      currency: current.currency,
      defaultLateCancelCutoffHours: String(current.defaultLateCancelCutoffHours),
      bookingOpensDaysBefore: String(current.bookingOpensDaysBefore),
      bookingClosesMinutesBefore: String(current.bookingClosesMinutesBefore),
      attendanceEditDays: String(current.attendanceEditDays),
      questionnaireOpensDaysBeforeWeekEnd: String(current.questionnaireOpensDaysBeforeWeekEnd),
      questionnaireClosesDaysAfterWeekEnd: String(current.questionnaireClosesDaysAfterWeekEnd),
      sessionsEnabled: "on",
      cohortsEnabled: "on",
    };
    try {
      const saved = await postForm(settingsPage.action, {
        path: "/admin/settings",
        cookie,
        fields: { ...fields, paymentGraceDays: "10", maxPaymentFailures: "4" },
      });
      expect(saved.status).toBe(303);
      expect(await getSettings(await forkEm())).toMatchObject({ paymentGraceDays: 10, maxPaymentFailures: 4 });
      const refused = await postForm(settingsPage.action, {
        path: "/admin/settings",
        cookie,
        fields: { ...fields, paymentGraceDays: "-1", maxPaymentFailures: "0" },
      });
      expect(refused.status).toBe(400);
      expect(await getSettings(await forkEm())).toMatchObject({ paymentGraceDays: 10, maxPaymentFailures: 4 });
    } finally {
      await updateSettings(await forkEm(), { paymentGraceDays: DEFAULT_SETTINGS.paymentGraceDays, maxPaymentFailures: DEFAULT_SETTINGS.maxPaymentFailures });
    }
  });
});
