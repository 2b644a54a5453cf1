import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startCheckout, syncCheckoutSession } from "~/modules/billing/checkout.service.server";
import { syncPlan } from "~/modules/billing/plan-sync.service.server";
import { createStripe } from "~/modules/billing/stripe.server";
import { changeSubscription } from "~/modules/billing/subscription-sync.service.server";
import { User } from "~/modules/auth/auth.entities.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import * as memberPage from "~/routes/admin.members.$userId";
import * as cancelPage from "~/routes/client.membership.$id.cancel";
import * as membershipPage from "~/routes/client.membership._index";
import { startLocalStripe, type LocalStripe } from "../../tools/stripe-local/server";
import { forkEm } from "../support/db";
import * as factories from "../support/factories";
import { postForm, signedInCookie } from "../support/routes";

let local: LocalStripe;
let stripe: Stripe;
const saved = process.env.STRIPE_API_URL;

beforeAll(async () => {
  local = await startLocalStripe({ port: 0 });
  stripe = createStripe({ apiUrl: local.url })!;
  process.env.STRIPE_API_URL = local.url;
});
afterAll(async () => {
  if (saved === undefined) delete process.env.STRIPE_API_URL;
  else process.env.STRIPE_API_URL = saved;
  await local.stop();
});

/** A client who bought a monthly plan online: their membership and its Stripe subscription's id. */
async function subscriber(plan: factories.PlanFields = { type: "RECURRING", sessionsPerWeek: 3 }) {
  const user = await factories.createUser(await forkEm());
  const created = await factories.createPlan(await forkEm(), plan);
  await syncPlan(await forkEm(), stripe, created.id);
  const started = await startCheckout(await forkEm(), stripe, { userId: user.id, planId: created.id, siteUrl: "http://localhost" });
  if (!started?.ok) throw new Error(JSON.stringify(started));
  const customer = (await (await forkEm()).findOneOrFail(User, user.id)).stripeCustomerId!;
  const session = (await stripe.checkout.sessions.list({ limit: 100 })).data.find((s) => s.customer === customer)!;
  local.controls.completeCheckout(session.id);
  const sync = await syncCheckoutSession(await forkEm(), stripe, session.id);
  if (!sync?.ok) throw new Error(JSON.stringify(sync));
  return { user, membership: sync.membership, subscriptionId: sync.membership.stripeSubscriptionId! };
}

const membershipOf = async (id: number) => (await forkEm()).findOneOrFail(UserMembership, id);

describe("an admin's changes reach the subscription first", () => {
  it("pause sets pause_collection in Stripe, resume clears it, and the membership follows", async () => {
    const { user, membership, subscriptionId } = await subscriber();
    const cookie = await signedInCookie(await factories.createUser(await forkEm(), { role: "ADMIN" }));
    const post = (intent: string) =>
      postForm(memberPage.action, {
        path: `/admin/members/${user.id}`,
        params: { userId: String(user.id) },
        cookie,
        fields: { intent, membershipId: String(membership.id) },
      });

    expect((await post("pause")).status).toBe(303);
    expect((await stripe.subscriptions.retrieve(subscriptionId)).pause_collection).toMatchObject({ behavior: "void" });
    expect((await membershipOf(membership.id)).status).toBe("PAUSED");

    expect((await post("resume")).status).toBe(303);
    expect((await stripe.subscriptions.retrieve(subscriptionId)).pause_collection).toBeNull();
    expect((await membershipOf(membership.id)).status).toBe("ACTIVE");

    expect((await post("cancel")).status).toBe(303);
    expect((await stripe.subscriptions.retrieve(subscriptionId)).status).toBe("canceled");
    expect((await membershipOf(membership.id)).status).toBe("CANCELLED");
  });

  it("when Stripe cannot be told, the pause is refused with the reason and nothing changes", async () => {
    const { user, membership, subscriptionId } = await subscriber();
    const away = createStripe({ apiUrl: "http://127.0.0.1:9" });
    const refused = await changeSubscription(await forkEm(), away, { membershipId: membership.id, userId: user.id }, { kind: "pause" });
    expect(refused).toMatchObject({ ok: false, formError: expect.stringContaining("nothing has changed") });

    process.env.STRIPE_API_URL = "http://127.0.0.1:9";
    try {
      const cookie = await signedInCookie(await factories.createUser(await forkEm(), { role: "ADMIN" }));
      const response = await postForm(memberPage.action, {
        path: `/admin/members/${user.id}`,
        params: { userId: String(user.id) },
        cookie,
        fields: { intent: "pause", membershipId: String(membership.id) },
      });
      expect(response.status).toBe(400);
    } finally {
      process.env.STRIPE_API_URL = local.url;
    }
    expect((await membershipOf(membership.id)).status).toBe("ACTIVE");
    expect((await stripe.subscriptions.retrieve(subscriptionId)).pause_collection).toBeNull();
  });

  it("cancel at the period end sets it in Stripe and here; a pack cannot be cancelled that way", async () => {
    const { user, membership, subscriptionId } = await subscriber({ type: "RECURRING", sessionsPerWeek: 3, commitmentMonths: 12 });
    const cookie = await signedInCookie(await factories.createUser(await forkEm(), { role: "ADMIN" }));
    const post = (membershipId: number) =>
      postForm(memberPage.action, {
        path: `/admin/members/${user.id}`,
        params: { userId: String(user.id) },
        cookie,
        fields: { intent: "cancel-at-period-end", membershipId: String(membershipId) },
      });
    expect((await post(membership.id)).status).toBe(303);
    expect(await stripe.subscriptions.retrieve(subscriptionId)).toMatchObject({ cancel_at_period_end: true, status: "active" });
    expect(await membershipOf(membership.id)).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: true, endDate: expect.any(String) });
    expect((await post(membership.id)).status).toBe(400);

    const plan = await factories.createPlan(await forkEm(), { type: "PACK" });
    const pack = await factories.createMembership(await forkEm(), { user, plan });
    expect((await post(pack.id)).status).toBe(400);
  });

  it("a membership without a subscription is changed here only", async () => {
    const { user } = await subscriber();
    const plan = await factories.createPlan(await forkEm(), { type: "PACK" });
    const pack = await factories.createMembership(await forkEm(), { user, plan });
    expect(await changeSubscription(await forkEm(), stripe, { membershipId: pack.id, userId: user.id }, { kind: "cancel-now" })).toBeNull();
  });
});

describe("a client's cancel", () => {
  it("stops the subscription at the period's end", async () => {
    const { user, membership, subscriptionId } = await subscriber();
    const response = await postForm(cancelPage.action, {
      path: `/client/membership/${membership.id}/cancel`,
      params: { id: String(membership.id) },
      cookie: await signedInCookie(user),
      fields: {},
    });
    expect(response.status).toBe(303);
    expect(await stripe.subscriptions.retrieve(subscriptionId)).toMatchObject({ cancel_at_period_end: true, status: "active" });
    expect(await membershipOf(membership.id)).toMatchObject({ cancelAtPeriodEnd: true, status: "ACTIVE" });
  });

  it("of a plan with a commitment stops it when the commitment ends, not before", async () => {
    const { user, membership, subscriptionId } = await subscriber({ type: "RECURRING", sessionsPerWeek: 3, commitmentMonths: 6 });
    await postForm(cancelPage.action, {
      path: `/client/membership/${membership.id}/cancel`,
      params: { id: String(membership.id) },
      cookie: await signedInCookie(user),
      fields: {},
    });
    const subscription = await stripe.subscriptions.retrieve(subscriptionId);
    expect(subscription.cancel_at_period_end).toBe(false);
    expect(subscription.cancel_at! - subscription.items.data[0].current_period_end).toBeGreaterThan(100 * 86_400);
    const ended = await membershipOf(membership.id);
    expect(ended.endDate! > membership.startDate).toBe(true);
  });
});

describe("the customer portal", () => {
  it("opens Stripe's billing page for a client who paid online, and says why not for one who did not", async () => {
    const { user } = await subscriber();
    const response = await postForm(membershipPage.action, { path: "/client/membership", cookie: await signedInCookie(user), fields: { intent: "portal" } });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toContain(`${local.url}/portal/`);

    const walkIn = await factories.createUser(await forkEm());
    const refused = await postForm(membershipPage.action, { path: "/client/membership", cookie: await signedInCookie(walkIn), fields: { intent: "portal" } });
    expect(refused.status).toBe(400);
  });
});
