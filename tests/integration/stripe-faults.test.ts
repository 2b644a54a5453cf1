// Stripe away (nothing listening: the connection is refused) or answering 500 to everything, met by the
// client's "buy" form, the admin's plan forms and the webhook route: each says so plainly, loses nothing,
// and once Stripe answers again the same form works, and the events Stripe delivers afterwards are applied.
//
// The app reads STRIPE_API_URL at each request (getStripe), so a test points it at the local Stripe server
// (ADR 15), at a port where nothing listens, or at a stand-in that answers every call with Stripe's 500.
// Webhooks go from the local server's own deliverer, with its retries, to the route's action run in-process.
import { createServer, type Server } from "node:http";
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { User } from "~/modules/auth/auth.entities.server";
import { StripeEvent } from "~/modules/billing/billing.entities.server";
import { Payment } from "~/modules/billing/payments.entities.server";
import { syncPlan } from "~/modules/billing/plan-sync.service.server";
import { createStripe } from "~/modules/billing/stripe.server";
import { MembershipEvent, MembershipPlan, UserMembership, type IMembershipPlan } from "~/modules/memberships/memberships.entities.server";
import * as plansIndexPage from "~/routes/admin.plans._index";
import * as planPage from "~/routes/admin.plans.$id";
import * as newPlanPage from "~/routes/admin.plans.new";
import * as buyPage from "~/routes/client.membership.plans";
import { consumeFlash } from "~/utils/flash.server";
import { findFreePort } from "../../server/embedded-postgres";
import { startLocalStripe, type LocalStripe } from "../../tools/stripe-local/server";
import { forkEm } from "../support/db";
import { createPlan, createUser, uniqueName } from "../support/factories";
import { postForm, signedInCookie } from "../support/routes";
import { listen, webhookReceiver } from "../support/stripe-webhooks";

const SECRET = "whsec_stripe_faults_secret";
const BROKEN_MESSAGE = "Stripe is having a bad day (a 500 from the test's stand-in).";
const saved = { apiUrl: process.env.STRIPE_API_URL, secret: process.env.STRIPE_WEBHOOK_SECRET };

let local: LocalStripe;
let stripe: Stripe;
let receiver: Server;
let broken: Server & { calls: number };
let brokenUrl: string;
let downUrl: string;

beforeAll(async () => {
  receiver = webhookReceiver();
  const receiverUrl = await listen(receiver);
  // Stripe's answer to a call that failed on its side: a JSON error of type api_error, status 500.
  broken = Object.assign(
    createServer((req, res) => {
      broken.calls++;
      req.resume();
      req.on("end", () => {
        res.writeHead(500, { "Content-Type": "application/json", "Request-Id": "req_broken" });
        res.end(JSON.stringify({ error: { type: "api_error", message: BROKEN_MESSAGE } }));
      });
    }),
    { calls: 0 },
  );
  brokenUrl = await listen(broken);
  downUrl = `http://127.0.0.1:${await findFreePort()}`;
  // Retries close together, and enough of them to outlast the few moments a test keeps Stripe failing.
  local = await startLocalStripe({
    port: 0,
    webhookUrl: `${receiverUrl}/webhooks/stripe`,
    webhookSecret: SECRET,
    retryDelaysMs: [100, 250, 500, 1_000, 2_000, 4_000, 8_000, 16_000],
  });
  stripe = createStripe({ apiUrl: local.url })!;
  process.env.STRIPE_API_URL = local.url;
  process.env.STRIPE_WEBHOOK_SECRET = SECRET;
});

afterAll(async () => {
  await local?.stop();
  await Promise.all([receiver, broken].map((server) => new Promise((resolve) => server?.close(resolve))));
  for (const [name, value] of [
    ["STRIPE_API_URL", saved.apiUrl],
    ["STRIPE_WEBHOOK_SECRET", saved.secret],
  ] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

/** The two ways Stripe fails here, each with what the app says about it. */
const faults = [
  { name: "unreachable", url: () => downUrl, says: "Stripe could not be reached." },
  { name: "answering 500", url: () => brokenUrl, says: BROKEN_MESSAGE },
] as const;

/** Runs `work` with the app's Stripe calls going to `url`, then back to the local Stripe server. */
async function withStripeAt<T>(url: string, work: () => Promise<T>): Promise<T> {
  process.env.STRIPE_API_URL = url;
  try {
    return await work();
  } finally {
    process.env.STRIPE_API_URL = local.url;
  }
}

/** A plan on sale and in Stripe. */
async function onSale(): Promise<IMembershipPlan> {
  const plan = await createPlan(await forkEm(), { type: "PACK", totalSessions: 8, pricePence: 6400, name: uniqueName("Fault pack") });
  const synced = await syncPlan(await forkEm(), stripe, plan.id);
  if (!synced?.ok) throw new Error(`Could not sync: ${JSON.stringify(synced)}`);
  return synced.plan;
}

/** The flash message a redirect carries (what the next page shows). */
async function flashOf(response: Response) {
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  return (await consumeFlash(new Request("http://localhost/", { headers: { Cookie: cookie } }))).flash;
}

const checkoutSessionOf = (url: string) => url.split("/").pop()!;

describe("buying a plan while Stripe is down", () => {
  it("answers 400 with a plain message and makes or charges nothing; once Stripe is back the client pays and the webhook makes the membership", async () => {
    const user = await createUser(await forkEm());
    const cookie = await signedInCookie(user);
    const plan = await onSale();
    const buy = () => postForm(buyPage.action, { path: "/client/membership/plans", cookie, fields: { planId: String(plan.id) } });

    for (const fault of faults) {
      const callsBefore = broken.calls;
      const refused = await withStripeAt(fault.url(), buy);
      expect(refused.status, fault.name).toBe(400);
      const body = (await refused.json()) as { formError: string; values: Record<string, string> };
      expect(body.formError).toContain("We could not reach the payment provider, so nothing was charged. Please try again in a moment.");
      expect(body.formError).toContain(fault.says);
      // The form keeps the plan chosen, so the page shows the message by it.
      expect(body.values).toMatchObject({ planId: String(plan.id) });
      if (fault.name === "answering 500") expect(broken.calls).toBeGreaterThan(callsBefore);
    }
    const em = await forkEm();
    expect(await em.count(UserMembership, { user: user.id })).toBe(0);
    expect(await em.count(Payment, { user: user.id })).toBe(0);
    expect((await em.findOneOrFail(User, user.id)).stripeCustomerId ?? null).toBeNull();
    expect((await stripe.customers.list({ email: user.email })).data).toHaveLength(0);

    // Stripe is back: the same form goes to the checkout page; paying there sends the events later.
    const started = await buy();
    expect(started.status).toBe(303);
    const url = started.headers.get("Location")!;
    expect(url).toContain(local.url);
    local.controls.completeCheckout(checkoutSessionOf(url));
    await local.controls.waitForDeliveries();
    const membership = await (await forkEm()).findOneOrFail(UserMembership, { user: user.id }, { populate: ["plan"] });
    expect(membership).toMatchObject({ status: "ACTIVE", sessionsRemaining: 8, stripeCheckoutSessionId: checkoutSessionOf(url) });
    expect(await (await forkEm()).count(Payment, { user: user.id, kind: "PURCHASE", amountPence: 6400 })).toBe(1);
  });
});

describe("an admin's plan while Stripe is down", () => {
  it("is saved anyway, marked not synced with the reason and a message that says so; the retry syncs it once Stripe is back", async () => {
    const cookie = await signedInCookie(await createUser(await forkEm(), { role: "ADMIN" }));
    const name = uniqueName("Offline pack");
    const fields = { name, description: "", type: "PACK", price: "30.00", totalSessions: "6", sessionsPerWeek: "", lateCancelCutoffHours: "" };

    // Created while nothing answers.
    const created = await withStripeAt(downUrl, () => postForm(newPlanPage.action, { path: "/admin/plans/new", cookie, fields }));
    expect(created.status).toBe(303);
    expect(await flashOf(created)).toEqual({
      kind: "error",
      message: `Plan “${name}” created. The plan is saved, but not synced with Stripe: Stripe could not be reached. Try again from the plans list.`,
    });
    const plan = await (await forkEm()).findOneOrFail(MembershipPlan, { name });
    expect(plan).toMatchObject({ pricePence: 3000, stripeSyncState: "FAILED", stripeSyncError: "Stripe could not be reached.", stripeProductId: null });

    // Changed while Stripe answers 500: the change is kept all the same.
    const update = { ...fields, intent: "update", price: "32.50" };
    const changed = await withStripeAt(brokenUrl, () =>
      postForm(planPage.action, { path: `/admin/plans/${plan.id}`, params: { id: String(plan.id) }, cookie, fields: update }),
    );
    expect(changed.status).toBe(303);
    expect(await flashOf(changed)).toMatchObject({ kind: "error", message: expect.stringContaining(`not synced with Stripe: ${BROKEN_MESSAGE}`) });
    expect(await (await forkEm()).findOneOrFail(MembershipPlan, plan.id)).toMatchObject({
      pricePence: 3250,
      stripeSyncState: "FAILED",
      stripeSyncError: BROKEN_MESSAGE,
    });

    // Stripe is back: the retry button makes one product with the price as it is now.
    const retried = await postForm(plansIndexPage.action, { path: "/admin/plans", cookie, fields: { intent: "sync", planId: String(plan.id) } });
    expect(retried.status).toBe(303);
    expect(await flashOf(retried)).toEqual({ kind: "success", message: `“${name}” is synced with Stripe.` });
    const synced = await (await forkEm()).findOneOrFail(MembershipPlan, plan.id);
    expect(synced).toMatchObject({ stripeSyncState: "SYNCED", stripeSyncError: null });
    expect((await stripe.products.list({ limit: 100 })).data.filter((p) => p.metadata.planId === String(plan.id))).toHaveLength(1);
    expect(await stripe.prices.retrieve(synced.stripePriceId!)).toMatchObject({ unit_amount: 3250, active: true });
  });
});

describe("a webhook that meets Stripe down", () => {
  it.each(faults)("Stripe $name: the delivery fails with 500 and saves nothing, and Stripe's retry once it answers is applied, once", async (fault) => {
    const user = await createUser(await forkEm());
    const plan = await onSale();
    const customer = await stripe.customers.create({ email: user.email, metadata: { userId: String(user.id) } });
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [{ price: plan.stripePriceId!, quantity: 1 }],
      client_reference_id: String(user.id),
      metadata: { type: "membership", planId: String(plan.id), userId: String(user.id), planType: "PACK" },
      success_url: "http://localhost/client/membership/checkout/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://localhost/client/membership/checkout/cancel",
    });

    // The client pays while the app cannot reach Stripe to confirm the payment.
    process.env.STRIPE_API_URL = fault.url();
    let eventId: string;
    try {
      local.controls.completeCheckout(session.id);
      eventId = local.controls.listEvents({ type: "checkout.session.completed" }).find((e) => (e.data as { object: { id: string } }).object.id === session.id)!
        .id as string;
      const failedOnce = () => local.controls.listDeliveries({ eventId }).some((d) => d.attempts.some((a) => a.status === 500));
      for (let waited = 0; !failedOnce(); waited++) {
        if (waited > 1_200) throw new Error("the event was never delivered");
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      expect(await (await forkEm()).count(UserMembership, { user: user.id })).toBe(0);
      expect(await (await forkEm()).count(StripeEvent, { id: eventId })).toBe(0);
    } finally {
      process.env.STRIPE_API_URL = local.url;
    }

    await local.controls.waitForDeliveries();
    const [delivery] = local.controls.listDeliveries({ eventId });
    expect(delivery.status).toBe("succeeded");
    expect(delivery.attempts.at(-1)!.status).toBe(200);
    const memberships = await (await forkEm()).find(UserMembership, { user: user.id });
    expect(memberships).toHaveLength(1);
    expect(memberships[0]).toMatchObject({ stripeCheckoutSessionId: session.id, sessionsRemaining: 8, status: "ACTIVE" });
    expect(await (await forkEm()).count(MembershipEvent, { membership: memberships[0].id, action: "PURCHASED" })).toBe(1);
    expect(await (await forkEm()).count(StripeEvent, { id: eventId })).toBe(1);
  });
});
