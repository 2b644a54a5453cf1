// The local Stripe-compatible server (tools/stripe-local), driven with the official SDK exactly as the app
// drives it, plus a webhook receiver that checks every delivery's signature with the SDK.
// No database: it runs with the unit tests.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import Stripe from "stripe";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startLocalStripe, type LocalStripe } from "../../tools/stripe-local/server";

const SECRET = "whsec_test_local_stripe";

interface Receiver {
  url: string;
  events: Stripe.Event[];
  badSignatures: number;
  /** The next N deliveries are answered 500. */
  failNext: number;
  server: Server;
}

async function startReceiver(stripe: Stripe): Promise<Receiver> {
  const receiver = { events: [] as Stripe.Event[], badSignatures: 0, failNext: 0 } as Receiver;
  receiver.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const raw = Buffer.concat(chunks).toString("utf8");
      let event: Stripe.Event;
      try {
        event = stripe.webhooks.constructEvent(raw, String(req.headers["stripe-signature"]), SECRET);
      } catch {
        receiver.badSignatures += 1;
        res.writeHead(400).end();
        return;
      }
      if (receiver.failNext > 0) {
        receiver.failNext -= 1;
        res.writeHead(500).end("boom");
        return;
      }
      receiver.events.push(event);
      res.writeHead(200).end("{}");
    });
  });
  await new Promise<void>((resolve) => receiver.server.listen(0, "127.0.0.1", resolve));
  receiver.url = `http://127.0.0.1:${(receiver.server.address() as AddressInfo).port}/webhooks/stripe`;
  return receiver;
}

let stripeLocal: LocalStripe;
let stripe: Stripe;
let receiver: Receiver;

beforeAll(async () => {
  stripeLocal = await startLocalStripe({ port: 0, retryDelaysMs: [10, 20, 40] });
  stripe = new Stripe("sk_test_anything", { host: "127.0.0.1", port: stripeLocal.port, protocol: "http" });
  receiver = await startReceiver(stripe);
  // The app's port is often known after the server starts.
  stripeLocal.setWebhook(receiver.url, SECRET);
});

afterEach(async () => {
  await stripeLocal.controls.waitForDeliveries();
  expect(receiver.badSignatures).toBe(0);
});

afterAll(async () => {
  await stripeLocal?.stop();
  await new Promise((resolve) => receiver?.server.close(resolve));
});

async function plan(recurring: boolean, unitAmount = 4500) {
  const product = await stripe.products.create({ name: recurring ? "Unlimited monthly" : "10-class pack", metadata: { planId: "plan-1" } });
  const price = await stripe.prices.create({
    product: product.id,
    unit_amount: unitAmount,
    currency: "gbp",
    ...(recurring ? { recurring: { interval: "month" as const } } : {}),
    metadata: { planId: "plan-1" },
  });
  return { product, price };
}

/** Loads the hosted checkout page and posts the form whose button reads `label`, following no redirects. */
async function pressButton(url: string, label: "Pay" | "Decline") {
  const page = await fetch(url);
  expect(page.status).toBe(200);
  const html = await page.text();
  const forms = [...html.matchAll(/<form method="post" action="([^"]+)">\s*<button[^>]*>([^<]+)<\/button>/g)];
  expect(forms.map((f) => f[2])).toEqual(["Pay", "Decline"]);
  const action = forms.find((f) => f[2] === label)![1];
  const response = await fetch(new URL(action, url), {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: "",
  });
  return { html, response };
}

async function subscribe(metadata: Record<string, string> = { userId: "u-1", type: "membership" }) {
  const { price } = await plan(true);
  const customer = await stripe.customers.create({ email: `sub-${Math.random()}@centurion.test`, metadata: { userId: "u-1" } });
  const session = await stripe.checkout.sessions.create({
    mode: "subscription",
    customer: customer.id,
    line_items: [{ price: price.id, quantity: 1 }],
    success_url: "http://app.test/client/membership/success?session_id={CHECKOUT_SESSION_ID}",
    cancel_url: "http://app.test/client/membership/cancel",
    client_reference_id: "u-1",
    metadata,
    subscription_data: { metadata },
  });
  const { response } = await pressButton(session.url!, "Pay");
  expect(response.status).toBe(303);
  const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["subscription"] });
  return { price, customer, session: done, subscription: done.subscription as Stripe.Subscription };
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 3000) {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe("local Stripe server: the API through the official SDK", () => {
  it("creates, retrieves and archives products and prices", async () => {
    const { product, price } = await plan(true, 3900);
    expect(product).toMatchObject({ object: "product", active: true, name: "Unlimited monthly", metadata: { planId: "plan-1" } });
    expect(price).toMatchObject({
      object: "price",
      product: product.id,
      unit_amount: 3900,
      currency: "gbp",
      type: "recurring",
      recurring: { interval: "month", interval_count: 1 },
    });
    expect((await stripe.prices.update(price.id, { active: false })).active).toBe(false);
    expect((await stripe.products.update(product.id, { active: false })).active).toBe(false);
    expect((await stripe.products.retrieve(product.id)).active).toBe(false);
    const oneOff = await stripe.prices.create({ product: product.id, unit_amount: 500, currency: "gbp" });
    expect(oneOff).toMatchObject({ type: "one_time", recurring: null });
    const expanded = await stripe.prices.retrieve(oneOff.id, { expand: ["product"] });
    expect((expanded.product as Stripe.Product).id).toBe(product.id);
  });

  it("creates customers, updates their metadata and lists them by email", async () => {
    const email = `list-${Date.now()}@centurion.test`;
    const customer = await stripe.customers.create({ email, name: "Ada", metadata: { userId: "u-42" } });
    expect(customer).toMatchObject({ object: "customer", email, name: "Ada", metadata: { userId: "u-42" } });
    const updated = await stripe.customers.update(customer.id, { metadata: { extra: "1" } });
    expect(updated.metadata).toEqual({ userId: "u-42", extra: "1" });
    const found = await stripe.customers.list({ email });
    expect(found.data.map((c) => c.id)).toEqual([customer.id]);
    // The same Idempotency-Key replays the first answer instead of creating a second customer.
    const first = await stripe.customers.create({ email: `idem-${email}` }, { idempotencyKey: `key-${email}` });
    const second = await stripe.customers.create({ email: `idem-${email}` }, { idempotencyKey: `key-${email}` });
    expect(second.id).toBe(first.id);
    expect((await stripe.customers.list({ email: `idem-${email}` })).data).toHaveLength(1);
  });

  it("answers errors as Stripe does: 404 resource_missing, 400 with the param", async () => {
    await expect(stripe.customers.retrieve("cus_missing")).rejects.toMatchObject({
      type: "StripeInvalidRequestError",
      statusCode: 404,
      code: "resource_missing",
    });
    await expect(stripe.subscriptions.retrieve("sub_missing")).rejects.toMatchObject({ statusCode: 404, code: "resource_missing" });
    const { price } = await plan(false);
    await expect(
      stripe.checkout.sessions.create({ mode: "subscription", line_items: [{ price: price.id, quantity: 1 }], success_url: "http://app.test/ok" }),
    ).rejects.toMatchObject({ statusCode: 400, param: "line_items[0][price]" });
    await expect(stripe.prices.create({ product: "prod_missing", unit_amount: 1, currency: "gbp" })).rejects.toMatchObject({
      statusCode: 404,
      param: "product",
    });
    const noKey = await fetch(`${stripeLocal.url}/v1/customers`);
    expect(noKey.status).toBe(401);
  });

  it("payment mode: the checkout page's Pay makes a succeeded payment intent and charge with a receipt, 303 to the success URL", async () => {
    const { price } = await plan(false, 6000);
    const customer = await stripe.customers.create({ email: "pack@centurion.test" });
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      customer: customer.id,
      line_items: [{ price: price.id, quantity: 1 }],
      success_url: "http://app.test/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://app.test/cancel",
      client_reference_id: "u-7",
      metadata: { type: "membership", planId: "plan-1" },
      payment_intent_data: { metadata: { type: "membership", planId: "plan-1" } },
    });
    expect(session).toMatchObject({
      object: "checkout.session",
      mode: "payment",
      status: "open",
      payment_status: "unpaid",
      amount_total: 6000,
      currency: "gbp",
      client_reference_id: "u-7",
    });
    expect(session.url).toBe(`${stripeLocal.url}/checkout/${session.id}`);

    const { html, response } = await pressButton(session.url!, "Pay");
    expect(html).toContain("10-class pack");
    expect(html).toContain("£60.00");
    expect(html.match(/>Pay</g)).toHaveLength(1);
    expect(html.match(/>Decline</g)).toHaveLength(1);
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe(`http://app.test/success?session_id=${session.id}`);

    const done = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent", "payment_intent.latest_charge", "line_items", "customer"] });
    expect(done).toMatchObject({ status: "complete", payment_status: "paid", subscription: null, metadata: { type: "membership", planId: "plan-1" } });
    expect((done.customer as Stripe.Customer).email).toBe("pack@centurion.test");
    expect(done.line_items!.data[0]).toMatchObject({ quantity: 1, amount_total: 6000, price: { id: price.id } });
    const paymentIntent = done.payment_intent as Stripe.PaymentIntent;
    expect(paymentIntent).toMatchObject({
      status: "succeeded",
      amount: 6000,
      amount_received: 6000,
      customer: customer.id,
      metadata: { type: "membership", planId: "plan-1" },
    });
    const charge = paymentIntent.latest_charge as Stripe.Charge;
    expect(charge).toMatchObject({ status: "succeeded", paid: true, amount: 6000, refunded: false, payment_intent: paymentIntent.id });
    expect((await fetch(charge.receipt_url!)).status).toBe(200);

    // Paying twice is refused: the session is complete.
    const again = await fetch(`${session.url}/pay`, { method: "POST", redirect: "manual" });
    expect(again.status).toBe(409);

    const refund = await stripe.refunds.create({ payment_intent: paymentIntent.id });
    expect(refund).toMatchObject({ object: "refund", amount: 6000, status: "succeeded", charge: charge.id, payment_intent: paymentIntent.id });
    expect(await stripe.charges.retrieve(charge.id)).toMatchObject({ refunded: true, amount_refunded: 6000 });
    await expect(stripe.refunds.create({ charge: charge.id })).rejects.toMatchObject({ statusCode: 400 });

    const types = stripeLocal.controls.listEvents().map((e) => e.type);
    for (const type of ["checkout.session.completed", "payment_intent.succeeded", "charge.succeeded", "charge.refunded"]) expect(types).toContain(type);
    const completed = (await stripe.events.list({ type: "checkout.session.completed", limit: 100 })).data.find(
      (e) => (e.data.object as Stripe.Checkout.Session).id === session.id,
    );
    expect(completed).toBeDefined();
    expect(await stripe.events.retrieve(completed!.id)).toMatchObject({
      id: completed!.id,
      type: "checkout.session.completed",
      api_version: "2026-10-28.endive",
    });
  });

  it("payment mode: Decline answers 303 to the cancel URL and the session expires", async () => {
    const { price } = await plan(false);
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price: price.id, quantity: 2 }],
      success_url: "http://app.test/success?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://app.test/cancel",
    });
    expect(session.amount_total).toBe(9000);
    const { response } = await pressButton(session.url!, "Decline");
    expect(response.status).toBe(303);
    expect(response.headers.get("location")).toBe("http://app.test/cancel");
    const after = await stripe.checkout.sessions.retrieve(session.id, { expand: ["payment_intent"] });
    expect(after).toMatchObject({ status: "expired", payment_status: "unpaid" });
    const paymentIntent = after.payment_intent as Stripe.PaymentIntent;
    expect(paymentIntent).toMatchObject({ status: "requires_payment_method", last_payment_error: { code: "card_declined" } });
    const types = stripeLocal.controls.listEvents().filter((e) => e.data.object.id === session.id || e.data.object.id === paymentIntent.id);
    expect(types.map((e) => e.type)).toEqual(["payment_intent.payment_failed", "checkout.session.expired"]);
    const page = await fetch(`${stripeLocal.url}/checkout/${session.id}`);
    expect(await page.text()).not.toContain("<button");
  });

  it("expires an open session through the API, and lists a session's line items", async () => {
    const { price } = await plan(false);
    const session = await stripe.checkout.sessions.create({
      mode: "payment",
      line_items: [{ price: price.id, quantity: 3 }],
      success_url: "http://app.test/ok",
    });
    const items = await stripe.checkout.sessions.listLineItems(session.id);
    expect(items.data).toHaveLength(1);
    expect(items.data[0]).toMatchObject({ object: "item", quantity: 3, amount_total: 13500, currency: "gbp", description: "10-class pack" });
    expect(await stripe.checkout.sessions.expire(session.id)).toMatchObject({ status: "expired", url: null });
    await expect(stripe.checkout.sessions.expire(session.id)).rejects.toMatchObject({ statusCode: 400 });
  });

  it("subscription mode: Pay makes an active subscription with a month-long item period and a paid first invoice", async () => {
    const { customer, session, subscription, price } = await subscribe();
    expect(session).toMatchObject({ status: "complete", payment_status: "paid", mode: "subscription", customer: customer.id });
    expect(subscription).toMatchObject({
      object: "subscription",
      status: "active",
      customer: customer.id,
      cancel_at_period_end: false,
      pause_collection: null,
      metadata: { userId: "u-1", type: "membership" },
    });
    expect(subscription.items.data).toHaveLength(1);
    const item = subscription.items.data[0];
    expect(item.price.id).toBe(price.id);
    const start = new Date(item.current_period_start * 1000);
    const end = new Date(item.current_period_end * 1000);
    expect((end.getUTCFullYear() - start.getUTCFullYear()) * 12 + end.getUTCMonth() - start.getUTCMonth()).toBe(1);

    const withInvoice = await stripe.subscriptions.retrieve(subscription.id, { expand: ["latest_invoice", "customer"] });
    const invoice = withInvoice.latest_invoice as Stripe.Invoice;
    expect(invoice).toMatchObject({
      object: "invoice",
      status: "paid",
      amount_paid: 4500,
      amount_due: 4500,
      billing_reason: "subscription_create",
      customer: customer.id,
    });
    expect(invoice.parent?.subscription_details?.subscription).toBe(subscription.id);
    expect(invoice.lines.data[0].period).toEqual({ start: item.current_period_start, end: item.current_period_end });
    expect((await fetch(invoice.hosted_invoice_url!)).status).toBe(200);
    expect((await stripe.invoices.list({ subscription: subscription.id })).data.map((i) => i.id)).toEqual([invoice.id]);
    expect((await stripe.subscriptions.list({ customer: customer.id })).data.map((s) => s.id)).toEqual([subscription.id]);

    const types = stripeLocal.controls.listEvents().map((e) => e.type);
    for (const type of ["customer.subscription.created", "invoice.paid", "checkout.session.completed"]) expect(types).toContain(type);
  });

  it("pauses and resumes collection, cancels at the period end, and cancels now", async () => {
    const { subscription } = await subscribe();
    const paused = await stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: "void" } });
    expect(paused.pause_collection).toEqual({ behavior: "void", resumes_at: null });
    const resumed = await stripe.subscriptions.update(subscription.id, { pause_collection: "" });
    expect(resumed.pause_collection).toBeNull();
    const ending = await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true, metadata: { note: "leaving" } });
    expect(ending).toMatchObject({ cancel_at_period_end: true, cancel_at: subscription.items.data[0].current_period_end, status: "active" });
    expect(ending.metadata).toMatchObject({ userId: "u-1", note: "leaving" });
    const canceled = await stripe.subscriptions.cancel(subscription.id);
    expect(canceled).toMatchObject({ status: "canceled" });
    expect(canceled.ended_at).toBeTypeOf("number");
    const deleted = stripeLocal.controls.listEvents({ type: "customer.subscription.deleted" }).find((e) => e.data.object.id === subscription.id);
    expect(deleted).toBeDefined();
    await expect(stripe.subscriptions.update(subscription.id, { pause_collection: "" })).rejects.toMatchObject({ statusCode: 400 });
  });

  it("opens a billing portal page listing the customer's subscriptions and invoices with a link back", async () => {
    const { customer } = await subscribe();
    const portal = await stripe.billingPortal.sessions.create({ customer: customer.id, return_url: "http://app.test/client/membership" });
    expect(portal).toMatchObject({ object: "billing_portal.session", customer: customer.id, return_url: "http://app.test/client/membership" });
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain("Unlimited monthly");
    expect(html).toContain("paid");
    expect(html).toContain('href="http://app.test/client/membership"');
  });
});

describe("local Stripe server: test controls", () => {
  it("renews a subscription: the item period moves a month on and a new invoice is paid", async () => {
    const { subscription } = await subscribe();
    const before = subscription.items.data[0];
    const since = stripeLocal.controls.listEvents().length;
    const renewed = stripeLocal.controls.renewSubscription(subscription.id);
    expect(renewed.items.data[0].current_period_start).toBe(before.current_period_end);
    expect(renewed.items.data[0].current_period_end).toBeGreaterThan(before.current_period_end);
    const invoice = await stripe.invoices.retrieve(renewed.latest_invoice);
    expect(invoice).toMatchObject({ status: "paid", billing_reason: "subscription_cycle", amount_paid: 4500 });
    const types = stripeLocal.controls
      .listEvents()
      .slice(since)
      .map((e) => e.type);
    expect(types).toContain("invoice.paid");
    expect(types).toContain("customer.subscription.updated");
    expect((await stripe.invoices.list({ subscription: subscription.id })).data).toHaveLength(2);
  });

  it("fails a payment (past_due, open invoice, invoice.payment_failed), again, then a retry pays it — over HTTP", async () => {
    const { subscription } = await subscribe();
    const control = async (name: string, body: object) => {
      const res = await fetch(`${stripeLocal.url}/_control/${name}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as Stripe.Subscription;
    };
    const failed = await control("fail-payment", { subscription: subscription.id });
    expect(failed.status).toBe("past_due");
    const invoice = await stripe.invoices.retrieve(failed.latest_invoice as string);
    expect(invoice).toMatchObject({ status: "open", amount_paid: 0, attempt_count: 1 });
    await control("fail-payment", { subscription: subscription.id });
    expect((await stripe.invoices.retrieve(invoice.id)).attempt_count).toBe(2);
    const failures = stripeLocal.controls.listEvents({ type: "invoice.payment_failed" }).filter((e) => e.data.object.id === invoice.id);
    expect(failures).toHaveLength(2);
    const recovered = await control("renew", { subscription: subscription.id });
    expect(recovered.status).toBe("active");
    expect((await stripe.invoices.retrieve(invoice.id)).status).toBe("paid");
    const missing = await fetch(`${stripeLocal.url}/_control/renew`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ subscription: "sub_nope" }),
    });
    expect(missing.status).toBe(404);
  });

  it("renewing a subscription whose collection is paused voids the period's invoice and charges nothing", async () => {
    const { subscription } = await subscribe();
    const created = stripeLocal.controls.listEvents({ type: "customer.subscription.created" }).find((e) => e.data.object.id === subscription.id)!;
    expect(created.data.object.latest_invoice).toBe(subscription.latest_invoice);
    await stripe.subscriptions.update(subscription.id, { pause_collection: { behavior: "void" } });
    const renewed = stripeLocal.controls.renewSubscription(subscription.id);
    expect(renewed.status).toBe("active");
    expect(await stripe.invoices.retrieve(renewed.latest_invoice)).toMatchObject({ status: "void", amount_paid: 0 });
    const paid = stripeLocal.controls.listEvents({ type: "invoice.paid" }).filter((e) => e.data.object.id === renewed.latest_invoice);
    expect(paid).toHaveLength(0);
  });

  it("pauses a subscription Stripe's own way (status paused) and resumes it through the API", async () => {
    const { subscription } = await subscribe();
    expect(stripeLocal.controls.pauseSubscription(subscription.id).status).toBe("paused");
    expect(stripeLocal.controls.listEvents({ type: "customer.subscription.paused" }).some((e) => e.data.object.id === subscription.id)).toBe(true);
    const resumed = await stripe.subscriptions.resume(subscription.id);
    expect(resumed.status).toBe("active");
    expect(stripeLocal.controls.listEvents({ type: "customer.subscription.resumed" }).some((e) => e.data.object.id === subscription.id)).toBe(true);
    expect(await stripe.invoices.retrieve(resumed.latest_invoice as string)).toMatchObject({ status: "paid" });
    await expect(stripe.subscriptions.resume(subscription.id)).rejects.toMatchObject({ statusCode: 400 });
  });

  it("renewing a subscription set to cancel at the period end ends it", async () => {
    const { subscription } = await subscribe();
    await stripe.subscriptions.update(subscription.id, { cancel_at_period_end: true });
    expect(stripeLocal.controls.renewSubscription(subscription.id).status).toBe("canceled");
  });

  it("refunds a subscription's payment through the control", async () => {
    const { subscription } = await subscribe();
    const invoice = await stripe.invoices.retrieve(subscription.latest_invoice as string);
    const payment = invoice.payments!.data[0].payment;
    const refund = stripeLocal.controls.refund({ payment_intent: payment.payment_intent as string, amount: 1000 });
    expect(refund).toMatchObject({ amount: 1000, status: "succeeded" });
    expect(await stripe.charges.retrieve(refund.charge)).toMatchObject({ amount_refunded: 1000, refunded: false });
  });
});

describe("local Stripe server: webhooks", () => {
  it("delivers every event, signed so that constructEvent accepts it, in order", async () => {
    receiver.events.length = 0;
    const { session } = await subscribe();
    await stripeLocal.controls.waitForDeliveries();
    const types = receiver.events.map((e) => e.type);
    expect(types.indexOf("customer.subscription.created")).toBeLessThan(types.indexOf("checkout.session.completed"));
    const completed = receiver.events.find((e) => e.type === "checkout.session.completed")!;
    expect((completed.data.object as Stripe.Checkout.Session).id).toBe(session.id);
    const ids = stripeLocal.controls
      .listEvents()
      .slice(-receiver.events.length)
      .map((e) => e.id);
    expect(receiver.events.map((e) => e.id)).toEqual(ids);
  });

  it("retries after a 500 and records the attempts", async () => {
    receiver.events.length = 0;
    receiver.failNext = 2;
    const customer = await stripe.customers.create({ email: "retry@centurion.test" });
    await stripeLocal.controls.waitForDeliveries();
    const event = stripeLocal.controls.listEvents({ type: "customer.created" }).find((e) => e.data.object.id === customer.id)!;
    const [delivery] = stripeLocal.controls.listDeliveries({ eventId: event.id });
    expect(delivery.status).toBe("succeeded");
    expect(delivery.attempts.map((a) => a.status)).toEqual([500, 500, 200]);
    expect(receiver.events.map((e) => e.id)).toEqual([event.id]);
  });

  it("gives up after the last retry when the endpoint stays down or unreachable", async () => {
    stripeLocal.setWebhook("http://127.0.0.1:9/unreachable", SECRET);
    try {
      const customer = await stripe.customers.create({ email: "down@centurion.test" });
      await stripeLocal.controls.waitForDeliveries();
      const event = stripeLocal.controls.listEvents({ type: "customer.created" }).find((e) => e.data.object.id === customer.id)!;
      const [delivery] = stripeLocal.controls.listDeliveries({ eventId: event.id });
      expect(delivery.status).toBe("failed");
      expect(delivery.attempts).toHaveLength(4);
      expect(delivery.attempts.every((a) => a.error !== undefined)).toBe(true);
    } finally {
      stripeLocal.setWebhook(receiver.url, SECRET);
    }
  });

  it("redelivers an event on demand (the same id twice)", async () => {
    receiver.events.length = 0;
    const customer = await stripe.customers.create({ email: "twice@centurion.test" });
    await waitFor(() => receiver.events.length === 1, "the first delivery");
    const eventId = receiver.events[0].id;
    const res = await fetch(`${stripeLocal.url}/_control/redeliver`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ event: eventId }),
    });
    expect(res.status).toBe(200);
    await stripeLocal.controls.waitForDeliveries();
    expect(receiver.events.map((e) => e.id)).toEqual([eventId, eventId]);
    expect((receiver.events[1].data.object as Stripe.Customer).id).toBe(customer.id);
    expect(stripeLocal.controls.listDeliveries({ eventId }).map((d) => d.redelivery)).toEqual([false, true]);
  });

  it("holds deliveries and releases them reversed, or shuffled the same way for the same seed", async () => {
    receiver.events.length = 0;
    stripeLocal.controls.holdDeliveries();
    const { subscription } = await subscribe();
    stripeLocal.controls.renewSubscription(subscription.id);
    const held = stripeLocal.controls.listDeliveries().filter((d) => d.status === "held");
    expect(held.length).toBeGreaterThan(5);
    // Nothing is sent while held.
    await stripeLocal.controls.waitForDeliveries();
    expect(receiver.events).toHaveLength(0);
    expect(stripeLocal.controls.releaseDeliveries({ order: "reverse" })).toBe(held.length);
    await stripeLocal.controls.waitForDeliveries();
    expect(receiver.events.map((e) => e.id)).toEqual(held.map((d) => d.eventId).reverse());

    const shuffled = async (seed: number) => {
      receiver.events.length = 0;
      stripeLocal.controls.holdDeliveries();
      for (const d of held) stripeLocal.controls.redeliver(d.eventId);
      await fetch(`${stripeLocal.url}/_control/release`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ order: "shuffle", seed }),
      });
      await stripeLocal.controls.waitForDeliveries();
      return receiver.events.map((e) => e.id);
    };
    const first = await shuffled(42);
    expect(await shuffled(42)).toEqual(first);
    expect([...first].sort()).toEqual(held.map((d) => d.eventId).sort());
    expect(first).not.toEqual(held.map((d) => d.eventId));
  });

  it("reset forgets every object and event", async () => {
    const customer = await stripe.customers.create({ email: "gone@centurion.test" });
    await stripeLocal.controls.waitForDeliveries();
    const res = await fetch(`${stripeLocal.url}/_control/reset`, { method: "POST" });
    expect(res.status).toBe(200);
    expect(stripeLocal.controls.listEvents()).toHaveLength(0);
    expect(stripeLocal.controls.listDeliveries()).toHaveLength(0);
    await expect(stripe.customers.retrieve(customer.id)).rejects.toMatchObject({ statusCode: 404 });
  });
});
