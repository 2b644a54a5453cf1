import type { Page } from "@playwright/test";
import { createStripe } from "../../app/modules/billing/stripe.server";
import { uniqueName } from "../support/factories";
import { bookingDay, expect, test } from "./fixtures";
import { flash, myState, usage } from "./helpers";

// Buying a plan: the client leaves for the checkout page (the local Stripe server's, in these tests: plain
// HTML with Pay and Decline) and comes back to the success or the cancel page, with and without JavaScript.

async function openCheckout(page: Page, plan: { name: string; type: string }) {
  await page.goto("/client/membership/plans");
  const button = plan.type === "RECURRING" ? `Subscribe to ${plan.name}` : `Buy ${plan.name}`;
  await page.getByRole("button", { name: button, exact: true }).click();
  await expect(page).toHaveURL(/\/checkout\//);
}

test("a client buys a pack on the checkout page and books a class with it straight away", async ({ make, signedIn }) => {
  const plan = await make.planOnSale({ type: "PACK", name: uniqueName("Online pack"), totalSessions: 5, pricePence: 4550 });
  const title = uniqueName("Evening HIIT");
  const session = await make.session({ date: bookingDay(2), time: "19:00", title });
  const page = await signedIn(await make.client());

  await openCheckout(page, plan);
  await expect(page.getByText("£45.50").first()).toBeVisible();
  await page.getByRole("button", { name: "Pay", exact: true }).click();

  await expect(page).toHaveURL(/\/client\/membership\/checkout\/success\?session_id=/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Thank you: your ${plan.name} is ready`);
  await page.goto(`/client/sessions/${session.id}`);
  await page.getByRole("button", { name: `Book: ${title}`, exact: true }).click();
  await expect(flash(page)).toHaveText("You're booked. See you there!");
  await page.goto("/client");
  await expect(usage(page).getByText(`${plan.name}: 4 of 5 sessions left`, { exact: true })).toBeVisible();

  await page.goto("/client/membership");
  const payments = page.getByRole("region", { name: "Payments" });
  await expect(payments.getByRole("row").nth(1)).toContainText(`Purchase: ${plan.name}`);
  await expect(payments.getByRole("row").nth(1)).toContainText("£45.50");
  await expect(payments.getByRole("link", { name: `Receipt for Purchase: ${plan.name}` })).toBeVisible();
});

for (const bought of [
  { type: "PREPAID" as const, label: "a prepaid pass", fields: { durationDays: 42, sessionsPerWeek: 5 } },
  { type: "RECURRING" as const, label: "a monthly plan", fields: { sessionsPerWeek: 3 } },
]) {
  test(`a client buys ${bought.label} on the checkout page and books a class with it straight away`, async ({ make, signedIn }) => {
    const plan = await make.planOnSale({ type: bought.type, name: uniqueName("Online plan"), pricePence: 9900, ...bought.fields });
    const title = uniqueName("Morning CORE");
    const session = await make.session({ date: bookingDay(1), time: "07:00", title });
    const page = await signedIn(await make.client());
    await openCheckout(page, plan);
    await page.getByRole("button", { name: "Pay", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Thank you: your ${plan.name} is ready`);
    await page.getByRole("link", { name: "Book a class" }).click();
    await page.goto(`/client/sessions/${session.id}`);
    await page.getByRole("button", { name: `Book: ${title}`, exact: true }).click();
    await expect(flash(page)).toHaveText("You're booked. See you there!");
    await expect(myState(page.getByRole("main"), "Booked")).toBeVisible();
  });
}

test("a client subscribes to a monthly plan and sees it on the membership page", async ({ make, signedIn }) => {
  const plan = await make.planOnSale({ type: "RECURRING", name: uniqueName("Online monthly"), sessionsPerWeek: 3, pricePence: 7500 });
  const page = await signedIn(await make.client());
  await openCheckout(page, plan);
  await expect(page.getByText("per month").first()).toBeVisible();
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Thank you: your ${plan.name} is ready`);
  await page.getByRole("link", { name: "See your membership" }).click();
  await expect(page.getByRole("main")).toContainText(plan.name);
  await expect(page.getByRole("main")).toContainText("0 of 3 sessions used this week");
});

test("a declined payment lands on the cancel page and buys nothing", async ({ make, signedIn }) => {
  const plan = await make.planOnSale({ type: "PREPAID", name: uniqueName("Online pass"), durationDays: 42, pricePence: 14900 });
  const page = await signedIn(await make.client());
  await openCheckout(page, plan);
  await page.getByRole("button", { name: "Decline", exact: true }).click();
  await expect(page).toHaveURL(/\/client\/membership\/checkout\/cancel$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("No payment was taken");
  await page.goto("/client/membership");
  await expect(page.getByRole("main")).not.toContainText(plan.name);
});

test("a plan the client cannot buy online is refused on the plans page with the reason", async ({ make, signedIn }) => {
  const plan = await make.planOnSale({ type: "PACK", name: uniqueName("Intro"), totalSessions: 1, allowRepeatPurchase: false });
  const client = await make.client();
  await make.membership({ user: client, plan, status: "CANCELLED" });
  const page = await signedIn(client);
  await page.goto("/client/membership/plans");
  await page.getByRole("button", { name: `Buy ${plan.name}`, exact: true }).click();
  await expect(page.getByText(`${plan.name} is one per member, and you already have or had it.`)).toBeVisible();
  await expect(page).toHaveURL(/\/client\/membership\/plans$/);
});

test("an admin pauses and resumes a client's subscription, and Stripe's collection follows", async ({ make, signedIn }) => {
  const plan = await make.planOnSale({ type: "RECURRING", name: uniqueName("Paused monthly"), sessionsPerWeek: 2, pricePence: 6000 });
  const client = await make.client();
  const page = await signedIn(client);
  await openCheckout(page, plan);
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Thank you: your ${plan.name} is ready`);

  const admin = await signedIn(await make.admin());
  await admin.goto(`/admin/members/${client.id}`);
  const card = admin.getByRole("article", { name: `${plan.name} · Monthly`, exact: true });
  await card.getByRole("button", { name: "Pause" }).click();
  await expect(flash(admin)).toHaveText("Membership paused.");
  await expect(card.getByText("Paused", { exact: true })).toBeVisible();

  const stripe = createStripe({ apiUrl: process.env.E2E_STRIPE_API_URL })!;
  const [subscription] = (await stripe.subscriptions.list({ customer: (await stripe.customers.list({ email: client.email })).data[0].id })).data;
  expect(subscription.pause_collection).toMatchObject({ behavior: "void" });

  await card.getByRole("button", { name: "Resume" }).click();
  await expect(flash(admin)).toHaveText("Membership resumed.");
  await expect(card.getByText("Active", { exact: true })).toBeVisible();
  expect((await stripe.subscriptions.retrieve(subscription.id)).pause_collection).toBeNull();
});

test("a renewal and a failed payment show in the payments history, and the membership stays usable through the grace period", async ({ make, signedIn }) => {
  const plan = await make.planOnSale({ type: "RECURRING", name: uniqueName("Renewing monthly"), sessionsPerWeek: 2, pricePence: 5500 });
  const client = await make.client();
  const page = await signedIn(client);
  await openCheckout(page, plan);
  await page.getByRole("button", { name: "Pay", exact: true }).click();
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Thank you: your ${plan.name} is ready`);

  // The local Stripe server's test controls: a month passes and is paid, then the next payment fails.
  const stripe = createStripe({ apiUrl: process.env.E2E_STRIPE_API_URL })!;
  const customer = (await stripe.customers.list({ email: client.email })).data[0].id;
  const [subscription] = (await stripe.subscriptions.list({ customer })).data;
  const control = async (name: string) => {
    const response = await fetch(`${process.env.E2E_STRIPE_API_URL}/_control/${name}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ subscription: subscription.id }),
    });
    expect(response.status).toBe(200);
    await fetch(`${process.env.E2E_STRIPE_API_URL}/_control/wait-for-deliveries`, { method: "POST" });
  };
  await control("renew");
  await control("fail-payment");

  await page.goto("/client/membership");
  const rows = page.getByRole("region", { name: "Payments" }).getByRole("row");
  await expect(rows).toHaveCount(4);
  await expect(rows.nth(1)).toContainText(`Monthly payment: ${plan.name}`);
  await expect(rows.nth(1)).toContainText("failed");
  await expect(rows.nth(2)).toContainText(`Monthly payment: ${plan.name}`);
  await expect(rows.nth(2)).toContainText("paid");
  await expect(rows.nth(3)).toContainText(`Purchase: ${plan.name}`);
  await expect(page.getByRole("article", { name: `${plan.name} · Monthly`, exact: true }).getByText("Active", { exact: true })).toBeVisible();
});
