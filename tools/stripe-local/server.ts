// The project's own local Stripe-compatible server (a development and test tool: production code never
// imports it). The official SDK talks to it unchanged with { host, port, protocol: "http" }.
// See docs/decisions/0015-local-stripe-server.md.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import qs from "qs";
import { API_VERSION, LocalStripeStore, StripeError, type Obj } from "./store";
import { checkoutPage, invoicePage, notFoundPage, portalPage, receiptPage } from "./pages";
import { WebhookDeliverer, type Delivery, type ReleaseOrder } from "./webhooks";

export type { Delivery, ReleaseOrder } from "./webhooks";
export type { Obj as StripeObject } from "./store";

export const DEFAULT_WEBHOOK_SECRET = "whsec_stripe_local_development_secret";

export interface LocalStripeOptions {
  /** 0 (the default) takes any free port. */
  port?: number;
  host?: string;
  webhookUrl?: string;
  webhookSecret?: string;
  /** Waits before each retry of a failed delivery (Stripe backs off over days; these are short). */
  retryDelaysMs?: number[];
  log?: (line: string) => void;
}

export interface LocalStripeControls {
  /** The next period begins and is paid: item periods move a month on, a paid invoice, invoice.paid and customer.subscription.updated. A past_due subscription's open invoice is paid instead; with pause_collection the new invoice is voided (or uncollectible / a draft) and nothing is charged; with cancel_at_period_end the subscription ends (customer.subscription.deleted). */
  renewSubscription(subscriptionId: string): Obj;
  /** The renewal payment fails: an open invoice, invoice.payment_failed, status past_due, customer.subscription.updated. Called again, the open invoice fails again (attempt_count grows). */
  failPayment(subscriptionId: string): Obj;
  /** Stripe's own pause (status `paused`, customer.subscription.paused); `stripe.subscriptions.resume` ends it. Not pause_collection. */
  pauseSubscription(subscriptionId: string): Obj;
  /** Refunds a payment (full amount unless `amount`): a refund, refund.created and charge.refunded. */
  refund(params: { payment_intent?: string; charge?: string; amount?: number }): Obj;
  /** The hosted page's Pay and Decline buttons, in-process. */
  completeCheckout(sessionId: string): Obj;
  /** A delayed payment method: the session completes unpaid, and `settleCheckout` clears or fails it later. */
  completeCheckoutUnpaid(sessionId: string): Obj;
  settleCheckout(sessionId: string, succeeded: boolean): Obj;
  declineCheckout(sessionId: string): Obj;
  /** Delivers an event again (for duplicate tests). */
  redeliver(eventId: string): Delivery | undefined;
  /** New deliveries wait until released. */
  holdDeliveries(): void;
  /** Sends the held deliveries in this order ("reverse", or "shuffle" with a seed) and stops holding. */
  releaseDeliveries(options?: { order?: ReleaseOrder; seed?: number }): number;
  listEvents(filter?: { type?: string }): Obj[];
  listDeliveries(filter?: { eventId?: string }): Delivery[];
  /** Resolves when every queued delivery has succeeded or failed (retries included). */
  waitForDeliveries(): Promise<void>;
  /** Forgets every object, event and delivery (the webhook endpoint stays). */
  reset(): void;
}

export interface LocalStripe {
  url: string;
  port: number;
  webhookSecret: string;
  setWebhook(url: string | undefined, secret?: string): void;
  controls: LocalStripeControls;
  stop(): Promise<void>;
}

const clone = <T>(value: T): T => structuredClone(value);

// ---- expansion and lists -----------------------------------------------------------------------

function expandPath(store: LocalStripeStore, target: Obj | null | undefined, segments: string[]) {
  if (!target || typeof target !== "object" || segments.length === 0) return;
  const [head, ...rest] = segments;
  if (target.object === "list" && head === "data") {
    for (const item of target.data) expandPath(store, item, rest);
    return;
  }
  if (head === "line_items" && target.object === "checkout.session") target.line_items = store.lineItemsOf(target.id);
  else if (head === "refunds" && target.object === "charge")
    target.refunds = { object: "list", data: clone(store.refundsOf(target.id)), has_more: false, url: `/v1/refunds?charge=${target.id}` };
  else {
    const value = target[head];
    if (typeof value === "string" && store.objects.has(value)) target[head] = clone(store.objects.get(value));
  }
  expandPath(store, target[head], rest);
}

function render(store: LocalStripeStore, obj: Obj, expand: unknown): Obj {
  const out = clone(obj);
  const paths = Array.isArray(expand) ? expand : typeof expand === "string" ? [expand] : expand && typeof expand === "object" ? Object.values(expand) : [];
  for (const path of paths) expandPath(store, out, String(path).split("."));
  return out;
}

function listOf(items: Obj[], params: Obj, url: string): Obj {
  // Newest first, as Stripe lists.
  let data = [...items].reverse();
  const limit = Math.min(Math.max(Number(params.limit ?? 10) || 10, 1), 100);
  if (params.starting_after) {
    const i = data.findIndex((o) => o.id === params.starting_after);
    data = i >= 0 ? data.slice(i + 1) : data;
  } else if (params.ending_before) {
    const i = data.findIndex((o) => o.id === params.ending_before);
    data = i >= 0 ? data.slice(Math.max(0, i - limit), i) : data;
  }
  return { object: "list", data: data.slice(0, limit), has_more: data.length > limit, url };
}

// ---- HTTP plumbing -------------------------------------------------------------------------------

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

function parseParams(raw: string, contentType: string | undefined): Obj {
  if (!raw) return {};
  if (contentType?.includes("application/json")) {
    try {
      return JSON.parse(raw) as Obj;
    } catch {
      throw new StripeError(400, "Invalid JSON body.");
    }
  }
  return qs.parse(raw, { depth: 10, arrayLimit: 100, parameterLimit: 10_000 }) as Obj;
}

function sendJson(res: ServerResponse, status: number, body: unknown) {
  const text = JSON.stringify(body, null, 2);
  res.writeHead(status, {
    "content-type": "application/json",
    "content-length": Buffer.byteLength(text),
    "request-id": `req_${randomBytes(7).toString("hex")}`,
    "stripe-version": API_VERSION,
  });
  res.end(text);
}

function sendHtml(res: ServerResponse, status: number, html: string) {
  res.writeHead(status, { "content-type": "text/html; charset=utf-8", "content-length": Buffer.byteLength(html) });
  res.end(html);
}

function redirect(res: ServerResponse, location: string) {
  res.writeHead(303, { location, "content-length": 0 });
  res.end();
}

function errorBody(error: StripeError): Obj {
  const body: Obj = { type: error.type, message: error.message };
  if (error.code) body.code = error.code;
  if (error.param) body.param = error.param;
  return { error: body };
}

// ---- the server ---------------------------------------------------------------------------------------

export async function startLocalStripe(options: LocalStripeOptions = {}): Promise<LocalStripe> {
  const log = options.log ?? (() => {});
  const store = new LocalStripeStore("");
  let webhookSecret = options.webhookSecret || DEFAULT_WEBHOOK_SECRET;
  const deliverer = new WebhookDeliverer(options.retryDelaysMs ?? [500, 1000, 2000], log);
  deliverer.setEndpoint(options.webhookUrl, webhookSecret);
  store.onEvent((event) => deliverer.enqueue(event));
  const setWebhook = (webhookUrl: string | undefined, secret?: string) => {
    if (secret) webhookSecret = secret;
    deliverer.setEndpoint(webhookUrl, webhookSecret);
  };
  const idempotent = new Map<string, { status: number; body: unknown }>();

  const controls: LocalStripeControls = {
    renewSubscription: (id) => clone(store.renewSubscription(id)),
    failPayment: (id) => clone(store.failSubscriptionPayment(id)),
    pauseSubscription: (id) => clone(store.pauseSubscription(id)),
    refund: (params) => clone(store.createRefund(params)),
    completeCheckout: (id) => clone(store.completeCheckoutSession(id)),
    completeCheckoutUnpaid: (id) => clone(store.completeCheckoutSessionUnpaid(id)),
    settleCheckout: (id, succeeded) => clone(store.settleDelayedPayment(id, succeeded)),
    declineCheckout: (id) => clone(store.declineCheckoutSession(id)),
    redeliver: (eventId) => deliverer.enqueue(store.get(eventId, "event", "event"), true),
    holdDeliveries: () => deliverer.hold(),
    releaseDeliveries: (opts = {}) => deliverer.release(opts.order ?? "in-order", opts.seed ?? 1),
    listEvents: (filter = {}) => clone(store.events.filter((e) => !filter.type || e.type === filter.type)),
    listDeliveries: (filter = {}) => clone(deliverer.deliveries.filter((d) => !filter.eventId || d.eventId === filter.eventId)),
    waitForDeliveries: () => deliverer.whenIdle(),
    reset: () => {
      store.reset();
      deliverer.reset();
      idempotent.clear();
    },
  };

  type Handler = (params: Obj, match: string[]) => unknown;
  const api: [string, RegExp, Handler][] = [];
  const route = (method: string, pattern: string, handler: Handler) => api.push([method, new RegExp(`^${pattern.replace(/:id/g, "([^/]+)")}$`), handler]);
  const byParams = (object: string, params: Obj, keys: string[]) =>
    store.all(object).filter((o) => keys.every((k) => params[k] === undefined || params[k] === "" || o[k] === params[k]));

  // Products and prices
  route("POST", "/v1/products", (p) => store.createProduct(p));
  route("GET", "/v1/products", (p) =>
    listOf(byParams("product", { ...p, active: p.active === undefined ? undefined : p.active === "true" }, ["active"]), p, "/v1/products"),
  );
  route("GET", "/v1/products/:id", (_p, [id]) => store.get(id, "product"));
  route("POST", "/v1/products/:id", (p, [id]) => store.updateProduct(id, p));
  route("POST", "/v1/prices", (p) => store.createPrice(p));
  route("GET", "/v1/prices", (p) =>
    listOf(byParams("price", { ...p, active: p.active === undefined ? undefined : p.active === "true" }, ["product", "active"]), p, "/v1/prices"),
  );
  route("GET", "/v1/prices/:id", (_p, [id]) => store.get(id, "price"));
  route("POST", "/v1/prices/:id", (p, [id]) => store.updatePrice(id, p));
  // Customers
  route("POST", "/v1/customers", (p) => store.createCustomer(p));
  route("GET", "/v1/customers", (p) => listOf(byParams("customer", p, ["email"]), p, "/v1/customers"));
  route("GET", "/v1/customers/:id", (_p, [id]) => store.get(id, "customer"));
  route("POST", "/v1/customers/:id", (p, [id]) => store.updateCustomer(id, p));
  // Checkout
  route("POST", "/v1/checkout/sessions", (p) => store.createCheckoutSession(p));
  route("GET", "/v1/checkout/sessions", (p) =>
    listOf(byParams("checkout.session", p, ["customer", "payment_intent", "subscription", "status"]), p, "/v1/checkout/sessions"),
  );
  route("GET", "/v1/checkout/sessions/:id", (_p, [id]) => store.get(id, "checkout.session"));
  route("GET", "/v1/checkout/sessions/:id/line_items", (p, [id]) => {
    store.get(id, "checkout.session");
    return listOf(store.lineItemsOf(id).data.reverse(), p, `/v1/checkout/sessions/${id}/line_items`);
  });
  route("POST", "/v1/checkout/sessions/:id/expire", (_p, [id]) => store.expireCheckoutSession(id));
  // Payments
  route("GET", "/v1/payment_intents", (p) => listOf(byParams("payment_intent", p, ["customer"]), p, "/v1/payment_intents"));
  route("GET", "/v1/payment_intents/:id", (_p, [id]) => store.get(id, "payment_intent"));
  route("GET", "/v1/charges", (p) => listOf(byParams("charge", p, ["customer", "payment_intent"]), p, "/v1/charges"));
  route("GET", "/v1/charges/:id", (_p, [id]) => store.get(id, "charge"));
  route("POST", "/v1/refunds", (p) => store.createRefund(p));
  route("GET", "/v1/refunds", (p) => listOf(byParams("refund", p, ["charge", "payment_intent"]), p, "/v1/refunds"));
  route("GET", "/v1/refunds/:id", (_p, [id]) => store.get(id, "refund"));
  // Subscriptions and invoices
  route("GET", "/v1/subscriptions", (p) => {
    const status = p.status ?? "";
    const subs = byParams("subscription", p, ["customer"]).filter((s) => (status === "all" ? true : status ? s.status === status : s.status !== "canceled"));
    const price = p.price as string | undefined;
    return listOf(price ? subs.filter((s) => s.items.data.some((i: Obj) => i.price.id === price)) : subs, p, "/v1/subscriptions");
  });
  route("GET", "/v1/subscriptions/:id", (_p, [id]) => store.get(id, "subscription"));
  route("POST", "/v1/subscriptions/:id", (p, [id]) => store.updateSubscription(id, p));
  route("POST", "/v1/subscriptions/:id/resume", (_p, [id]) => store.resumeSubscription(id));
  route("DELETE", "/v1/subscriptions/:id", (_p, [id]) => store.cancelSubscription(id));
  route("GET", "/v1/invoices", (p) =>
    listOf(
      byParams("invoice", p, ["customer", "status"]).filter((i) => !p.subscription || i.parent?.subscription_details?.subscription === p.subscription),
      p,
      "/v1/invoices",
    ),
  );
  route("GET", "/v1/invoices/:id", (_p, [id]) => store.get(id, "invoice"));
  // Billing portal and events
  route("POST", "/v1/billing_portal/sessions", (p) => store.createPortalSession(p));
  route("GET", "/v1/events", (p) => {
    const types = p.types ? (Array.isArray(p.types) ? p.types : Object.values(p.types as Obj)) : p.type ? [p.type] : null;
    const matches = (t: string) =>
      types === null || types.some((pattern: string) => (pattern.endsWith("*") ? t.startsWith(pattern.slice(0, -1)) : t === pattern));
    return listOf(
      store.events.filter((e) => matches(e.type)),
      p,
      "/v1/events",
    );
  });
  route("GET", "/v1/events/:id", (_p, [id]) => store.get(id, "event"));

  // Test controls: JSON in, JSON out.
  const controlRoutes: Record<string, (body: Obj) => unknown | Promise<unknown>> = {
    renew: (b) => controls.renewSubscription(String(b.subscription)),
    "fail-payment": (b) => controls.failPayment(String(b.subscription)),
    pause: (b) => controls.pauseSubscription(String(b.subscription)),
    refund: (b) => controls.refund({ payment_intent: b.payment_intent, charge: b.charge, amount: b.amount }),
    "checkout/pay": (b) => controls.completeCheckout(String(b.session)),
    "checkout/pay-later": (b) => controls.completeCheckoutUnpaid(String(b.session)),
    "checkout/settle": (b) => controls.settleCheckout(String(b.session), b.succeeded !== false && b.succeeded !== "false"),
    "checkout/decline": (b) => controls.declineCheckout(String(b.session)),
    redeliver: (b) => controls.redeliver(String(b.event)) ?? null,
    hold: () => (controls.holdDeliveries(), { holding: true }),
    release: (b) => ({ released: controls.releaseDeliveries({ order: b.order, seed: b.seed === undefined ? undefined : Number(b.seed) }) }),
    events: (b) => ({ data: controls.listEvents({ type: b.type }) }),
    deliveries: (b) => ({ data: controls.listDeliveries({ eventId: b.event }) }),
    "wait-for-deliveries": async () => (await controls.waitForDeliveries(), { idle: true }),
    webhook: (b) => (setWebhook(b.url, b.secret), { url: deliverer.url ?? null }),
    reset: () => (controls.reset(), { reset: true }),
  };

  async function handleRequest(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", "http://localhost");
    const path = url.pathname.replace(/\/+$/, "") || "/";
    const method = req.method ?? "GET";
    const raw = await readBody(req);

    if (path.startsWith("/_control/")) {
      const name = path.slice("/_control/".length);
      const handler = controlRoutes[name];
      if (!handler) throw new StripeError(404, `Unknown control: ${name}`);
      const body = { ...qs.parse(url.search.slice(1)), ...parseParams(raw, req.headers["content-type"]) };
      sendJson(res, 200, await handler(body));
      return;
    }

    if (path.startsWith("/v1/")) {
      const auth = req.headers.authorization ?? "";
      if (!/^(Bearer|Basic) \S+/.test(auth)) {
        throw new StripeError(401, "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth.");
      }
      const params =
        method === "GET" || method === "DELETE"
          ? { ...qs.parse(url.search.slice(1), { depth: 10 }), ...parseParams(raw, req.headers["content-type"]) }
          : parseParams(raw, req.headers["content-type"]);
      const key = req.headers["idempotency-key"];
      const idemKey = method === "POST" && typeof key === "string" ? `${auth} ${path} ${key}` : undefined;
      if (idemKey && idempotent.has(idemKey)) {
        const saved = idempotent.get(idemKey)!;
        res.setHeader("idempotent-replayed", "true");
        sendJson(res, saved.status, saved.body);
        return;
      }
      const found = api.find(([m, re]) => m === method && re.test(path));
      if (!found) throw new StripeError(404, `Unrecognized request URL (${method}: ${path}). The local Stripe server does not implement it.`);
      const match = path.match(found[1])!.slice(1).map(decodeURIComponent);
      const { expand, ...rest } = params;
      let status = 200;
      let body: unknown;
      try {
        body = render(store, found[2](rest, match) as Obj, expand);
      } catch (error) {
        if (!(error instanceof StripeError)) throw error;
        status = error.status;
        body = errorBody(error);
      }
      if (idemKey) idempotent.set(idemKey, { status, body });
      sendJson(res, status, body);
      return;
    }

    // Pages
    let m: RegExpMatchArray | null;
    if ((m = path.match(/^\/checkout\/([^/]+)$/)) && method === "GET") {
      const session = store.objects.get(m[1]);
      if (session?.object !== "checkout.session") return sendHtml(res, 404, notFoundPage("No such checkout session."));
      const customer = session.customer ? (store.objects.get(session.customer) ?? null) : null;
      return sendHtml(res, 200, checkoutPage(session, store.lineItemsOf(session.id).data, customer));
    }
    if ((m = path.match(/^\/checkout\/([^/]+)\/(pay|decline)$/)) && method === "POST") {
      const session = store.objects.get(m[1]);
      if (session?.object !== "checkout.session") return sendHtml(res, 404, notFoundPage("No such checkout session."));
      if (session.status !== "open") return sendHtml(res, 409, checkoutPage(session, store.lineItemsOf(session.id).data, null));
      if (m[2] === "pay") {
        store.completeCheckoutSession(session.id);
        return redirect(res, String(session.success_url).replaceAll("{CHECKOUT_SESSION_ID}", session.id));
      }
      const cancelUrl = session.cancel_url ? String(session.cancel_url).replaceAll("{CHECKOUT_SESSION_ID}", session.id) : `/checkout/${session.id}`;
      store.declineCheckoutSession(session.id);
      return redirect(res, cancelUrl);
    }
    if ((m = path.match(/^\/portal\/([^/]+)$/)) && method === "GET") {
      const portal = store.objects.get(m[1]);
      if (portal?.object !== "billing_portal.session") return sendHtml(res, 404, notFoundPage("No such portal session."));
      const customer = store.get(portal.customer, "customer");
      const subs = [...store.all("subscription").filter((s) => s.customer === customer.id)].reverse();
      const invoices = [...store.all("invoice").filter((i) => i.customer === customer.id)].reverse();
      return sendHtml(
        res,
        200,
        portalPage(portal, customer, subs, invoices, (id) => store.objects.get(id)?.name ?? id),
      );
    }
    if ((m = path.match(/^\/invoices\/([^/]+)$/)) && method === "GET") {
      const invoice = store.objects.get(m[1]);
      if (invoice?.object !== "invoice") return sendHtml(res, 404, notFoundPage("No such invoice."));
      return sendHtml(res, 200, invoicePage(invoice));
    }
    if ((m = path.match(/^\/receipts\/([^/]+)$/)) && method === "GET") {
      const charge = store.objects.get(m[1]);
      if (charge?.object !== "charge") return sendHtml(res, 404, notFoundPage("No such receipt."));
      return sendHtml(res, 200, receiptPage(charge));
    }
    if (path === "/" && method === "GET") {
      return sendJson(res, 200, { name: "centurion local stripe", api_version: API_VERSION, webhook_url: deliverer.url ?? null, events: store.events.length });
    }
    return sendHtml(res, 404, notFoundPage(`${method} ${path}`));
  }

  const server = createServer((req, res) => {
    handleRequest(req, res)
      .catch((error: unknown) => {
        if (res.headersSent) return;
        if (error instanceof StripeError) sendJson(res, error.status, errorBody(error));
        else {
          log(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
          sendJson(res, 500, { error: { type: "api_error", message: "The local Stripe server failed to handle the request." } });
        }
      })
      .finally(() => log(`${req.method} ${req.url} ${res.statusCode}`));
  });

  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host}:${port}`;
  store.baseUrl = url;

  return {
    url,
    port,
    get webhookSecret() {
      return webhookSecret;
    },
    setWebhook,
    controls,
    async stop() {
      deliverer.stop();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
