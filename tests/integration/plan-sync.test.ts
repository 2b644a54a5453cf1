import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NOT_CONFIGURED, syncPlan, syncUnsyncedPlans } from "~/modules/billing/plan-sync.service.server";
import { createStripe } from "~/modules/billing/stripe.server";
import { MembershipPlan } from "~/modules/memberships/memberships.entities.server";
import * as plansPage from "~/routes/admin.plans._index";
import * as newPlanPage from "~/routes/admin.plans.new";
import { startLocalStripe, type LocalStripe } from "../../tools/stripe-local/server";
import { forkEm } from "../support/db";
import { createPlan, createUser, uniqueName } from "../support/factories";
import { postForm, signedInCookie } from "../support/routes";

let local: LocalStripe;
let stripe: Stripe;
/** A Stripe-compatible address where nothing listens: every call fails to connect. */
const unreachable = () => createStripe({ apiUrl: "http://127.0.0.1:9" })!;

beforeAll(async () => {
  local = await startLocalStripe({ port: 0 });
  stripe = createStripe({ apiUrl: local.url })!;
});
afterAll(async () => {
  await local.stop();
});

const reload = async (id: number) => (await forkEm()).findOneOrFail(MembershipPlan, id);

describe("syncPlan", () => {
  it("creates a pack's product and its one-time price", async () => {
    const plan = await createPlan(await forkEm(), { type: "PACK", name: uniqueName("Ten"), totalSessions: 10, pricePence: 27500 });
    expect(await syncPlan(await forkEm(), stripe, plan.id)).toMatchObject({ ok: true });
    const saved = await reload(plan.id);
    expect(saved).toMatchObject({ stripeSyncState: "SYNCED", stripeSyncError: null });
    const product = await stripe.products.retrieve(saved.stripeProductId!);
    expect(product).toMatchObject({ name: plan.name, active: true, metadata: { planId: String(plan.id), planType: "PACK" } });
    const price = await stripe.prices.retrieve(saved.stripePriceId!);
    expect(price).toMatchObject({ product: product.id, unit_amount: 27500, currency: "gbp", active: true, recurring: null });
  });

  it("sells a recurring plan at a monthly price", async () => {
    const plan = await createPlan(await forkEm(), { type: "RECURRING", sessionsPerWeek: 3, pricePence: 7500 });
    await syncPlan(await forkEm(), stripe, plan.id);
    const price = await stripe.prices.retrieve((await reload(plan.id)).stripePriceId!);
    expect(price).toMatchObject({ unit_amount: 7500, recurring: { interval: "month" } });
  });

  it("makes a new price when the amount changes and archives the old one; an unchanged plan keeps its price", async () => {
    const plan = await createPlan(await forkEm(), { type: "PREPAID", durationDays: 42, pricePence: 14900 });
    await syncPlan(await forkEm(), stripe, plan.id);
    const first = (await reload(plan.id)).stripePriceId!;
    await syncPlan(await forkEm(), stripe, plan.id);
    expect((await reload(plan.id)).stripePriceId).toBe(first);

    const em = await forkEm();
    (await em.findOneOrFail(MembershipPlan, plan.id)).pricePence = 12900;
    await em.flush();
    await syncPlan(await forkEm(), stripe, plan.id);
    const second = (await reload(plan.id)).stripePriceId!;
    expect(second).not.toBe(first);
    expect(await stripe.prices.retrieve(second)).toMatchObject({ unit_amount: 12900, active: true });
    expect(await stripe.prices.retrieve(first)).toMatchObject({ active: false });
  });

  it("archives the product and its price when the plan is switched off", async () => {
    const plan = await createPlan(await forkEm(), { type: "PACK", totalSessions: 5 });
    await syncPlan(await forkEm(), stripe, plan.id);
    const em = await forkEm();
    (await em.findOneOrFail(MembershipPlan, plan.id)).isActive = false;
    await em.flush();
    expect(await syncPlan(await forkEm(), stripe, plan.id)).toMatchObject({ ok: true });
    const saved = await reload(plan.id);
    expect(await stripe.products.retrieve(saved.stripeProductId!)).toMatchObject({ active: false });
    expect(await stripe.prices.retrieve(saved.stripePriceId!)).toMatchObject({ active: false });
  });

  it("keeps the plan when Stripe cannot be reached, says why, and a retry makes one product", async () => {
    const plan = await createPlan(await forkEm(), { type: "PACK", totalSessions: 3 });
    const failed = await syncPlan(await forkEm(), unreachable(), plan.id);
    expect(failed).toMatchObject({ ok: false, formError: expect.stringContaining("Stripe could not be reached") });
    expect(await reload(plan.id)).toMatchObject({ stripeSyncState: "FAILED", stripeSyncError: "Stripe could not be reached.", stripeProductId: null });

    expect(await syncPlan(await forkEm(), stripe, plan.id)).toMatchObject({ ok: true });
    const products = await stripe.products.list({ limit: 100 });
    expect(products.data.filter((p) => p.metadata.planId === String(plan.id))).toHaveLength(1);
  });

  it("marks the plan not synced when billing is not configured", async () => {
    const plan = await createPlan(await forkEm(), { type: "PACK", totalSessions: 1 });
    expect(await syncPlan(await forkEm(), null, plan.id)).toMatchObject({ ok: false });
    expect(await reload(plan.id)).toMatchObject({ stripeSyncState: "FAILED", stripeSyncError: NOT_CONFIGURED });
  });

  it("answers null for a plan that does not exist", async () => {
    expect(await syncPlan(await forkEm(), stripe, 2_000_000_000)).toBeNull();
  });
});

describe("syncUnsyncedPlans", () => {
  it("syncs every plan that is not in step and leaves synced ones alone", async () => {
    const em = await forkEm();
    await em.nativeUpdate(MembershipPlan, {}, { stripeSyncState: "SYNCED" });
    const a = await createPlan(em, { type: "PACK", totalSessions: 2 });
    const b = await createPlan(em, { type: "RECURRING", sessionsPerWeek: 2 });
    expect(await syncUnsyncedPlans(await forkEm(), stripe)).toEqual({ synced: 2, failed: 0 });
    expect((await reload(a.id)).stripeSyncState).toBe("SYNCED");
    expect((await reload(b.id)).stripeSyncState).toBe("SYNCED");
  });
});

describe("the admin's plan pages", () => {
  const saved = process.env.STRIPE_API_URL;
  beforeAll(() => {
    process.env.STRIPE_API_URL = local.url;
  });
  afterAll(() => {
    if (saved === undefined) delete process.env.STRIPE_API_URL;
    else process.env.STRIPE_API_URL = saved;
  });

  it("a new plan is created and synced in one go", async () => {
    const cookie = await signedInCookie(await createUser(await forkEm(), { role: "ADMIN" }));
    const name = uniqueName("Synced pack");
    const fields = { name, description: "", type: "PACK", price: "45.50", totalSessions: "5", sessionsPerWeek: "", lateCancelCutoffHours: "" };
    const response = await postForm(newPlanPage.action, { path: "/admin/plans/new", cookie, fields });
    expect(response.status).toBe(303);
    const plan = await (await forkEm()).findOneOrFail(MembershipPlan, { name });
    expect(plan.stripeSyncState).toBe("SYNCED");
    expect(await stripe.prices.retrieve(plan.stripePriceId!)).toMatchObject({ unit_amount: 4550 });
  });

  it("the retry button syncs a plan that failed, and a bad plan id is a 400", async () => {
    const admin = await createUser(await forkEm(), { role: "ADMIN" });
    const cookie = await signedInCookie(admin);
    const plan = await createPlan(await forkEm(), { type: "PACK", totalSessions: 4 });
    await syncPlan(await forkEm(), unreachable(), plan.id);
    const retried = await postForm(plansPage.action, { path: "/admin/plans", cookie, fields: { intent: "sync", planId: String(plan.id) } });
    expect(retried.status).toBe(303);
    expect((await reload(plan.id)).stripeSyncState).toBe("SYNCED");
    const bad = await postForm(plansPage.action, { path: "/admin/plans", cookie, fields: { intent: "sync", planId: "not-a-plan" } });
    expect(bad.status).toBe(400);
    const client = await signedInCookie(await createUser(await forkEm()));
    const forbidden = await postForm(plansPage.action, { path: "/admin/plans", cookie: client, fields: { intent: "sync", planId: String(plan.id) } });
    expect(forbidden.status).toBe(403);
  });
});
