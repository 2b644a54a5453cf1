import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { User } from "~/modules/auth/auth.entities.server";
import { PAYMENTS_UNAVAILABLE, startCheckout, syncCheckoutSession } from "~/modules/billing/checkout.service.server";
import { syncPlan } from "~/modules/billing/plan-sync.service.server";
import { createStripe } from "~/modules/billing/stripe.server";
import { Payment } from "~/modules/billing/payments.entities.server";
import { paymentsOf } from "~/modules/billing/payments.service.server";
import { MembershipEvent, UserMembership, type IMembershipPlan } from "~/modules/memberships/memberships.entities.server";
import * as plansPage from "~/routes/client.membership.plans";
import * as successPage from "~/routes/client.membership.checkout.success";
import { startLocalStripe, type LocalStripe } from "../../tools/stripe-local/server";
import { forkEm } from "../support/db";
import * as factories from "../support/factories";
import { loaderData, postForm, signedInCookie } from "../support/routes";

const SITE = "http://localhost";
let local: LocalStripe;
let stripe: Stripe;
const unreachable = () => createStripe({ apiUrl: "http://127.0.0.1:9" })!;

beforeAll(async () => {
  local = await startLocalStripe({ port: 0 });
  stripe = createStripe({ apiUrl: local.url })!;
});
afterAll(async () => {
  await local.stop();
});

/** A plan on sale and in Stripe. */
async function onSale(fields: factories.PlanFields): Promise<IMembershipPlan> {
  const plan = await factories.createPlan(await forkEm(), fields);
  const synced = await syncPlan(await forkEm(), stripe, plan.id);
  if (!synced?.ok) throw new Error(`Could not sync: ${JSON.stringify(synced)}`);
  return synced.plan;
}

const sessionIdOf = (url: string) => /\/checkout\/([^/?#]+)/.exec(url)?.[1] ?? url.split("/").pop()!;

/** Starts a checkout as the client would and pays on the checkout page; answers the checkout session id. */
async function buy(user: { id: number }, plan: { id: number }) {
  const started = await startCheckout(await forkEm(), stripe, { userId: user.id, planId: plan.id, siteUrl: SITE });
  if (!started?.ok) throw new Error(`Could not start checkout: ${JSON.stringify(started)}`);
  const sessions = await stripe.checkout.sessions.list({ limit: 100 });
  const session = sessions.data.find((s) => s.url === started.url) ?? (await stripe.checkout.sessions.retrieve(sessionIdOf(started.url)));
  local.controls.completeCheckout(session.id);
  return session.id;
}

describe("startCheckout", () => {
  it("opens a payment-mode session for a pack with the client's one customer, the plan's price and the purchase's metadata", async () => {
    const user = await factories.createUser(await forkEm());
    const plan = await onSale({ type: "PACK", totalSessions: 10, pricePence: 27500 });
    const started = await startCheckout(await forkEm(), stripe, { userId: user.id, planId: plan.id, siteUrl: SITE });
    expect(started).toMatchObject({ ok: true, url: expect.stringContaining(local.url) });

    const customerId = (await (await forkEm()).findOneOrFail(User, user.id)).stripeCustomerId!;
    expect(await stripe.customers.retrieve(customerId)).toMatchObject({ email: user.email, metadata: { userId: String(user.id) } });
    const session = (await stripe.checkout.sessions.list({ limit: 100 })).data.find((s) => s.customer === customerId)!;
    expect(session).toMatchObject({
      mode: "payment",
      client_reference_id: String(user.id),
      metadata: { type: "membership", planId: String(plan.id), userId: String(user.id), planType: "PACK" },
      success_url: `${SITE}/client/membership/checkout/success?session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${SITE}/client/membership/checkout/cancel`,
    });

    // A second checkout reuses the customer.
    await startCheckout(await forkEm(), stripe, { userId: user.id, planId: plan.id, siteUrl: SITE });
    expect((await stripe.customers.list({ email: user.email })).data).toHaveLength(1);
  });

  it("opens a subscription-mode session for a recurring plan", async () => {
    const user = await factories.createUser(await forkEm());
    const plan = await onSale({ type: "RECURRING", sessionsPerWeek: 3, pricePence: 7500 });
    await startCheckout(await forkEm(), stripe, { userId: user.id, planId: plan.id, siteUrl: SITE });
    const customerId = (await (await forkEm()).findOneOrFail(User, user.id)).stripeCustomerId!;
    const session = (await stripe.checkout.sessions.list({ limit: 100 })).data.find((s) => s.customer === customerId)!;
    expect(session).toMatchObject({ mode: "subscription", metadata: { planType: "RECURRING" } });
  });

  it("refuses, creating nothing, an admin-only or switched-off plan, a one-per-member plan had before, and a second subscription", async () => {
    const user = await factories.createUser(await forkEm());
    const adminOnly = await onSale({ type: "PACK", purchasableByClient: false });
    const off = await onSale({ type: "PACK", isActive: false });
    const once = await onSale({ type: "PACK", totalSessions: 1, allowRepeatPurchase: false });
    await factories.createMembership(await forkEm(), { user, plan: once, status: "CANCELLED" });
    const monthly = await onSale({ type: "RECURRING", sessionsPerWeek: 2 });
    const running = await onSale({ type: "RECURRING", sessionsPerWeek: 3 });
    await factories.createMembership(await forkEm(), { user, plan: running });
    const em = await forkEm();
    await em.nativeUpdate(UserMembership, { user: user.id, plan: running.id }, { stripeSubscriptionId: "sub_running" });

    const attempt = async (plan: { id: number }) => startCheckout(await forkEm(), stripe, { userId: user.id, planId: plan.id, siteUrl: SITE });
    expect(await attempt(adminOnly)).toMatchObject({ ok: false, formError: expect.stringContaining("cannot be bought online") });
    expect(await attempt(off)).toMatchObject({ ok: false, formError: expect.stringContaining("cannot be bought online") });
    expect(await attempt(once)).toMatchObject({ ok: false, formError: expect.stringContaining("one per member") });
    expect(await attempt(monthly)).toMatchObject({ ok: false, formError: expect.stringContaining("monthly membership running") });
    expect((await (await forkEm()).findOneOrFail(User, user.id)).stripeCustomerId).toBeNull();
    expect(await attempt({ id: 2_000_000_000 })).toBeNull();
  });

  it("refuses a plan that is not in Stripe, and says so when Stripe is away or not configured", async () => {
    const user = await factories.createUser(await forkEm());
    const unsynced = await factories.createPlan(await forkEm(), { type: "PACK" });
    expect(await startCheckout(await forkEm(), stripe, { userId: user.id, planId: unsynced.id, siteUrl: SITE })).toMatchObject({ ok: false });
    const plan = await onSale({ type: "PACK" });
    expect(await startCheckout(await forkEm(), null, { userId: user.id, planId: plan.id, siteUrl: SITE })).toMatchObject({
      ok: false,
      formError: PAYMENTS_UNAVAILABLE,
    });
    expect(await startCheckout(await forkEm(), unreachable(), { userId: user.id, planId: plan.id, siteUrl: SITE })).toMatchObject({
      ok: false,
      formError: expect.stringContaining("nothing was charged"),
    });
    expect(await (await forkEm()).count(UserMembership, { user: user.id })).toBe(0);
  });
});

describe("syncCheckoutSession", () => {
  it("makes a pack's membership once, however often it is called, with its sessions and a history entry", async () => {
    const user = await factories.createUser(await forkEm());
    const plan = await onSale({ type: "PACK", totalSessions: 10 });
    const id = await buy(user, plan);
    const first = await syncCheckoutSession(await forkEm(), stripe, id);
    expect(first).toMatchObject({ ok: true, created: true, membership: { status: "ACTIVE", sessionsRemaining: 10, stripeCheckoutSessionId: id } });
    const again = await Promise.all([1, 2, 3].map(async () => syncCheckoutSession(await forkEm(), stripe, id)));
    expect(again.map((r) => r?.ok && r.created)).toEqual([false, false, false]);
    const memberships = await (await forkEm()).find(UserMembership, { user: user.id });
    expect(memberships).toHaveLength(1);
    expect(await (await forkEm()).count(MembershipEvent, { membership: memberships[0].id, action: "PURCHASED" })).toBe(1);
  });

  it("makes a recurring membership tied to its subscription, and a prepaid pass with its end date", async () => {
    const user = await factories.createUser(await forkEm());
    const monthly = await onSale({ type: "RECURRING", sessionsPerWeek: 3 });
    const sync = await syncCheckoutSession(await forkEm(), stripe, await buy(user, monthly));
    expect(sync).toMatchObject({ ok: true, membership: { stripeSubscriptionId: expect.stringMatching(/^sub_/), endDate: null } });

    const pass = await onSale({ type: "PREPAID", durationDays: 42 });
    const bought = await syncCheckoutSession(await forkEm(), stripe, await buy(user, pass));
    expect(bought?.ok).toBe(true);
    if (bought?.ok) expect(bought.membership.endDate).not.toBeNull();
  });

  it("concurrent first calls still make one membership", async () => {
    const user = await factories.createUser(await forkEm());
    const plan = await onSale({ type: "PACK", totalSessions: 5 });
    const id = await buy(user, plan);
    const results = await Promise.all([1, 2, 3, 4].map(async () => syncCheckoutSession(await forkEm(), stripe, id)));
    expect(results.filter((r) => r?.ok && r.created)).toHaveLength(1);
    expect(await (await forkEm()).count(UserMembership, { stripeCheckoutSessionId: id })).toBe(1);
  });

  it("makes nothing for an unpaid session, and answers null for an unknown one or another client's", async () => {
    const user = await factories.createUser(await forkEm());
    const plan = await onSale({ type: "PACK" });
    const started = await startCheckout(await forkEm(), stripe, { userId: user.id, planId: plan.id, siteUrl: SITE });
    const customerId = (await (await forkEm()).findOneOrFail(User, user.id)).stripeCustomerId!;
    const unpaid = (await stripe.checkout.sessions.list({ limit: 100 })).data.find((s) => s.customer === customerId)!;
    expect(started?.ok).toBe(true);
    expect(await syncCheckoutSession(await forkEm(), stripe, unpaid.id)).toMatchObject({ ok: false, reason: "pending" });
    expect(await syncCheckoutSession(await forkEm(), stripe, "cs_does_not_exist")).toBeNull();
    local.controls.completeCheckout(unpaid.id);
    expect(await syncCheckoutSession(await forkEm(), stripe, unpaid.id, { userId: user.id + 1 })).toBeNull();
    expect(await (await forkEm()).count(UserMembership, { user: user.id })).toBe(0);
  });
});

describe("the payments history", () => {
  it("records a pack's payment with its receipt, and a subscription's first invoice, once each", async () => {
    const user = await factories.createUser(await forkEm());
    const pack = await onSale({ type: "PACK", totalSessions: 5, pricePence: 4550 });
    const packSession = await buy(user, pack);
    await syncCheckoutSession(await forkEm(), stripe, packSession);
    await syncCheckoutSession(await forkEm(), stripe, packSession);
    const monthly = await onSale({ type: "RECURRING", sessionsPerWeek: 2, pricePence: 6000 });
    await syncCheckoutSession(await forkEm(), stripe, await buy(user, monthly));

    const payments = await (await forkEm()).find(Payment, { user: user.id }, { orderBy: { id: "asc" } });
    expect(payments).toMatchObject([
      {
        kind: "PURCHASE",
        amountPence: 4550,
        currency: "GBP",
        status: "paid",
        stripeObjectId: expect.stringMatching(/^pi_/),
        receiptUrl: expect.stringContaining(local.url),
      },
      { kind: "PURCHASE", amountPence: 6000, currency: "GBP", status: "paid", stripeObjectId: expect.stringMatching(/^in_/) },
    ]);
    const shown = await paymentsOf(await forkEm(), user.id, "Europe/London");
    expect(shown.map((p) => [p.what, p.amount])).toEqual([
      [`Purchase: ${monthly.name}`, "£60.00"],
      [`Purchase: ${pack.name}`, "£45.50"],
    ]);
  });
});

describe("the client's pages", () => {
  const saved = process.env.STRIPE_API_URL;
  beforeAll(() => {
    process.env.STRIPE_API_URL = local.url;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.STRIPE_API_URL;
    else process.env.STRIPE_API_URL = saved;
  });

  it("buying answers 303 to the checkout page; a refusal answers 400 with the reason, a bad plan id 400 and an unknown one 404", async () => {
    const user = await factories.createUser(await forkEm());
    const cookie = await signedInCookie(user);
    const plan = await onSale({ type: "PACK" });
    const response = await postForm(plansPage.action, { path: "/client/membership/plans", cookie, fields: { planId: String(plan.id) } });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toContain(local.url);

    const adminOnly = await onSale({ type: "PACK", purchasableByClient: false });
    const refused = await postForm(plansPage.action, { path: "/client/membership/plans", cookie, fields: { planId: String(adminOnly.id) } });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ formError: expect.stringContaining("cannot be bought online") });
    const bad = await postForm(plansPage.action, { path: "/client/membership/plans", cookie, fields: { planId: "not-a-plan" } });
    expect(bad.status).toBe(400);
    const unknown = await postForm(plansPage.action, { path: "/client/membership/plans", cookie, fields: { planId: "2000000000" } });
    expect(unknown.status).toBe(404);
  });

  it("the success page shows the new membership at once, before any webhook", async () => {
    const user = await factories.createUser(await forkEm());
    const cookie = await signedInCookie(user);
    const plan = await onSale({ type: "PACK", totalSessions: 5, name: factories.uniqueName("Five pack") });
    const id = await buy(user, plan);
    const data = await loaderData<{ state: string; planName: string }>(successPage.loader, {
      path: `/client/membership/checkout/success?session_id=${id}`,
      cookie,
    });
    expect(data).toMatchObject({ state: "ready", planName: plan.name });
    expect(await (await forkEm()).count(UserMembership, { user: user.id, stripeCheckoutSessionId: id })).toBe(1);
  });
});
