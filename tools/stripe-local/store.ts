// In-memory state of the local Stripe-compatible server: Stripe-shaped objects, the operations on them and
// the events they raise. A development and test tool only: production code never imports it.
import { randomBytes } from "node:crypto";

export const API_VERSION = "2026-10-28.endive";

// Stripe-shaped plain objects. Kept loose on purpose: they are serialised to JSON as Stripe would.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = Record<string, any>;

export class StripeError extends Error {
  constructor(
    public status: number,
    message: string,
    public code?: string,
    public param?: string,
    public type = "invalid_request_error",
  ) {
    super(message);
  }
}

export type EventListener = (event: Obj) => void;

const now = () => Math.floor(Date.now() / 1000);

/** One calendar month later, in UTC, clamped to the month's last day (as Stripe bills a 31st). */
export function addMonths(unixSeconds: number, months: number): number {
  const d = new Date(unixSeconds * 1000);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(d.getUTCDate(), lastDay);
  return Math.floor(Date.UTC(y, m, day, d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()) / 1000);
}

const list = (data: Obj[], url: string): Obj => ({ object: "list", data, has_more: false, url });

const clone = <T>(value: T): T => structuredClone(value);

function toBool(value: unknown): boolean | undefined {
  if (value === undefined) return undefined;
  return value === true || value === "true";
}

function toInt(value: unknown, param: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n)) throw new StripeError(400, `Invalid integer: ${String(value)}`, "parameter_invalid_integer", param);
  return n;
}

function requireParam(params: Obj, name: string): unknown {
  const value = params[name];
  if (value === undefined || value === "") throw new StripeError(400, `Missing required param: ${name}.`, "parameter_missing", name);
  return value;
}

/** Stripe's metadata update: keys merge, an empty value deletes a key, an empty string clears them all. */
function mergeMetadata(current: Obj, update: unknown): Obj {
  if (update === undefined) return current;
  if (update === "") return {};
  if (typeof update !== "object" || update === null) throw new StripeError(400, "Invalid metadata: must be a hash.", "parameter_invalid", "metadata");
  const next = { ...current };
  for (const [key, value] of Object.entries(update as Obj)) {
    if (value === "" || value === null) delete next[key];
    else next[key] = String(value);
  }
  return next;
}

export class LocalStripeStore {
  objects = new Map<string, Obj>();
  events: Obj[] = [];
  private sessionLineItems = new Map<string, Obj[]>();
  private counter = 0;
  private listeners: EventListener[] = [];

  constructor(public baseUrl: string) {}

  onEvent(listener: EventListener) {
    this.listeners.push(listener);
  }

  reset() {
    this.objects.clear();
    this.events = [];
    this.sessionLineItems.clear();
  }

  newId(prefix: string): string {
    this.counter += 1;
    return `${prefix}_${this.counter.toString(36).padStart(6, "0")}${randomBytes(8).toString("hex")}`;
  }

  put(obj: Obj): Obj {
    this.objects.set(obj.id, obj);
    return obj;
  }

  get(id: string, object?: string, param = "id"): Obj {
    const found = this.objects.get(id);
    if (!found || (object && found.object !== object)) {
      throw new StripeError(
        404,
        `No such ${(object ?? "object").replace(/_/g, " ").replace("checkout.session", "checkout session")}: '${id}'`,
        "resource_missing",
        param,
      );
    }
    return found;
  }

  all(object: string): Obj[] {
    return [...this.objects.values()].filter((o) => o.object === object);
  }

  emit(type: string, object: Obj, previousAttributes?: Obj): Obj {
    const event: Obj = {
      id: this.newId("evt"),
      object: "event",
      api_version: API_VERSION,
      created: now(),
      data: previousAttributes ? { object: clone(object), previous_attributes: previousAttributes } : { object: clone(object) },
      livemode: false,
      pending_webhooks: 0,
      request: { id: null, idempotency_key: null },
      type,
    };
    this.events.push(event);
    this.objects.set(event.id, event);
    for (const listener of this.listeners) listener(event);
    return event;
  }

  // ---- products and prices ------------------------------------------------------------------

  createProduct(params: Obj): Obj {
    const name = requireParam(params, "name");
    const t = now();
    return this.put({
      id: typeof params.id === "string" ? params.id : this.newId("prod"),
      object: "product",
      active: toBool(params.active) ?? true,
      created: t,
      default_price: null,
      description: params.description ?? null,
      images: [],
      livemode: false,
      marketing_features: [],
      metadata: mergeMetadata({}, params.metadata),
      name: String(name),
      package_dimensions: null,
      shippable: null,
      statement_descriptor: null,
      tax_code: null,
      type: "service",
      unit_label: null,
      updated: t,
      url: null,
    });
  }

  updateProduct(id: string, params: Obj): Obj {
    const product = this.get(id, "product");
    if (params.name !== undefined) product.name = String(params.name);
    if (params.description !== undefined) product.description = params.description === "" ? null : String(params.description);
    if (params.active !== undefined) product.active = toBool(params.active);
    if (params.default_price !== undefined) product.default_price = params.default_price === "" ? null : String(params.default_price);
    product.metadata = mergeMetadata(product.metadata, params.metadata);
    product.updated = now();
    return product;
  }

  createPrice(params: Obj): Obj {
    let productId = params.product as string | undefined;
    if (!productId && params.product_data) productId = this.createProduct(params.product_data as Obj).id;
    if (!productId) throw new StripeError(400, "Missing required param: product.", "parameter_missing", "product");
    this.get(productId, "product", "product");
    const currency = String(requireParam(params, "currency")).toLowerCase();
    const unitAmount = toInt(params.unit_amount, "unit_amount");
    if (unitAmount === undefined) throw new StripeError(400, "Missing required param: unit_amount.", "parameter_missing", "unit_amount");
    const recurring = params.recurring as Obj | undefined;
    if (recurring && !["day", "week", "month", "year"].includes(recurring.interval)) {
      throw new StripeError(400, "Invalid recurring[interval]: must be one of day, week, month, or year", "parameter_invalid", "recurring[interval]");
    }
    return this.put({
      id: this.newId("price"),
      object: "price",
      active: toBool(params.active) ?? true,
      billing_scheme: "per_unit",
      created: now(),
      currency,
      custom_unit_amount: null,
      livemode: false,
      lookup_key: params.lookup_key ?? null,
      metadata: mergeMetadata({}, params.metadata),
      nickname: params.nickname ?? null,
      product: productId,
      recurring: recurring
        ? {
            interval: recurring.interval,
            interval_count: toInt(recurring.interval_count, "recurring[interval_count]") ?? 1,
            meter: null,
            trial_period_days: null,
            usage_type: "licensed",
          }
        : null,
      tax_behavior: "unspecified",
      tiers_mode: null,
      transform_quantity: null,
      type: recurring ? "recurring" : "one_time",
      unit_amount: unitAmount,
      unit_amount_decimal: String(unitAmount),
    });
  }

  updatePrice(id: string, params: Obj): Obj {
    const price = this.get(id, "price");
    if (params.active !== undefined) price.active = toBool(params.active);
    if (params.nickname !== undefined) price.nickname = params.nickname === "" ? null : String(params.nickname);
    if (params.lookup_key !== undefined) price.lookup_key = params.lookup_key === "" ? null : String(params.lookup_key);
    price.metadata = mergeMetadata(price.metadata, params.metadata);
    return price;
  }

  // ---- customers -------------------------------------------------------------------------------

  createCustomer(params: Obj): Obj {
    const customer = this.put({
      id: this.newId("cus"),
      object: "customer",
      address: null,
      balance: 0,
      created: now(),
      currency: null,
      default_source: null,
      delinquent: false,
      description: params.description ?? null,
      email: params.email ?? null,
      invoice_prefix: randomBytes(4).toString("hex").toUpperCase(),
      invoice_settings: { custom_fields: null, default_payment_method: null, footer: null, rendering_options: null },
      livemode: false,
      metadata: mergeMetadata({}, params.metadata),
      name: params.name ?? null,
      phone: params.phone ?? null,
      preferred_locales: [],
      shipping: null,
      tax_exempt: "none",
      test_clock: null,
    });
    this.emit("customer.created", customer);
    return customer;
  }

  updateCustomer(id: string, params: Obj): Obj {
    const customer = this.get(id, "customer");
    const previous: Obj = {};
    for (const key of ["email", "name", "description", "phone"]) {
      if (params[key] !== undefined) {
        previous[key] = customer[key];
        customer[key] = params[key] === "" ? null : String(params[key]);
      }
    }
    if (params.metadata !== undefined) {
      previous.metadata = customer.metadata;
      customer.metadata = mergeMetadata(customer.metadata, params.metadata);
    }
    this.emit("customer.updated", customer, previous);
    return customer;
  }

  // ---- checkout ----------------------------------------------------------------------------------

  createCheckoutSession(params: Obj): Obj {
    const mode = String(requireParam(params, "mode"));
    if (mode !== "payment" && mode !== "subscription") {
      throw new StripeError(400, "The local Stripe server supports mode=payment and mode=subscription only.", "parameter_invalid", "mode");
    }
    const successUrl = params.success_url as string | undefined;
    if (!successUrl) throw new StripeError(400, "Missing required param: success_url.", "parameter_missing", "success_url");
    const rawItems = params.line_items as Obj[] | Obj | undefined;
    const items: Obj[] = Array.isArray(rawItems) ? rawItems : rawItems ? Object.values(rawItems) : [];
    if (items.length === 0) throw new StripeError(400, "Missing required param: line_items.", "parameter_missing", "line_items");
    let currency: string | undefined;
    const lineItems = items.map((item, i) => {
      const price = this.get(String(item.price ?? ""), "price", `line_items[${i}][price]`);
      if (!price.active) throw new StripeError(400, `The price specified is inactive: ${price.id}`, "price_inactive", `line_items[${i}][price]`);
      if (mode === "subscription" && price.type !== "recurring") {
        throw new StripeError(
          400,
          "You must provide at least one recurring price in `subscription` mode when using prices.",
          "parameter_invalid",
          `line_items[${i}][price]`,
        );
      }
      if (mode === "payment" && price.type === "recurring") {
        throw new StripeError(400, "You specified `payment` mode but passed a recurring price.", "parameter_invalid", `line_items[${i}][price]`);
      }
      currency ??= price.currency;
      const quantity = toInt(item.quantity, `line_items[${i}][quantity]`) ?? 1;
      const product = this.get(price.product, "product");
      return {
        id: this.newId("li"),
        object: "item",
        amount_discount: 0,
        amount_subtotal: price.unit_amount * quantity,
        amount_tax: 0,
        amount_total: price.unit_amount * quantity,
        currency: price.currency,
        description: product.name,
        metadata: {},
        price: clone(price),
        quantity,
      };
    });
    let customerId: string | null = null;
    if (params.customer) customerId = this.get(String(params.customer), "customer", "customer").id;
    const total = lineItems.reduce((sum, li) => sum + li.amount_total, 0);
    const id = this.newId("cs_test");
    const created = now();
    const session = this.put({
      id,
      object: "checkout.session",
      after_expiration: null,
      allow_promotion_codes: null,
      amount_subtotal: total,
      amount_total: total,
      automatic_tax: { enabled: false, liability: null, provider: null, status: null },
      billing_address_collection: null,
      cancel_url: params.cancel_url ?? null,
      client_reference_id: params.client_reference_id ?? null,
      client_secret: null,
      created,
      currency,
      customer: customerId,
      customer_creation: customerId ? null : "if_required",
      customer_details: null,
      customer_email: params.customer_email ?? null,
      expires_at: created + 24 * 3600,
      invoice: null,
      livemode: false,
      locale: null,
      metadata: mergeMetadata({}, params.metadata),
      mode,
      payment_intent: null,
      payment_link: null,
      payment_method_types: ["card"],
      payment_status: "unpaid",
      setup_intent: null,
      status: "open",
      submit_type: null,
      subscription: null,
      success_url: successUrl,
      total_details: { amount_discount: 0, amount_shipping: 0, amount_tax: 0 },
      ui_mode: "hosted",
      url: `${this.baseUrl}/checkout/${id}`,
    });
    // What the session will put on the objects it creates (not part of Stripe's session object).
    this.sessionLineItems.set(id, lineItems);
    this.pendingData.set(id, {
      subscriptionMetadata: mergeMetadata({}, (params.subscription_data as Obj | undefined)?.metadata),
      paymentIntentMetadata: mergeMetadata({}, (params.payment_intent_data as Obj | undefined)?.metadata),
    });
    return session;
  }

  private pendingData = new Map<string, { subscriptionMetadata: Obj; paymentIntentMetadata: Obj }>();

  lineItemsOf(sessionId: string): Obj {
    return list(clone(this.sessionLineItems.get(sessionId) ?? []), `/v1/checkout/sessions/${sessionId}/line_items`);
  }

  private customerFor(session: Obj): Obj {
    if (session.customer) return this.get(session.customer, "customer");
    const customer = this.createCustomer({ email: session.customer_email ?? "checkout@example.com" });
    session.customer = customer.id;
    return customer;
  }

  /** The hosted page's Pay button. */
  completeCheckoutSession(id: string): Obj {
    const session = this.get(id, "checkout.session");
    if (session.status !== "open") throw new StripeError(400, `This Checkout Session is ${session.status}.`, "checkout_session_not_open");
    const customer = this.customerFor(session);
    const pending = this.pendingData.get(id) ?? { subscriptionMetadata: {}, paymentIntentMetadata: {} };
    const lineItems = this.sessionLineItems.get(id) ?? [];
    session.customer_details = { address: null, email: customer.email, name: customer.name, phone: null, tax_exempt: "none", tax_ids: [] };
    if (session.mode === "payment") {
      const { paymentIntent } = this.createPayment({
        amount: session.amount_total,
        currency: session.currency,
        customer: customer.id,
        metadata: pending.paymentIntentMetadata,
        description: lineItems.map((li) => li.description).join(", "),
      });
      session.payment_intent = paymentIntent.id;
    } else {
      const item = lineItems[0];
      const price = this.get(item.price.id, "price");
      const subscription = this.createSubscription(customer, price, item.quantity, pending.subscriptionMetadata);
      session.subscription = subscription.id;
      session.invoice = subscription.latest_invoice;
    }
    session.status = "complete";
    session.payment_status = "paid";
    this.emit("checkout.session.completed", session);
    return session;
  }

  /**
   * A delayed payment method (a bank debit, say) in payment mode: the session completes unpaid
   * (checkout.session.completed with payment_status "unpaid"); `settleDelayedPayment` decides it later.
   */
  completeCheckoutSessionUnpaid(id: string): Obj {
    const session = this.get(id, "checkout.session");
    if (session.status !== "open") throw new StripeError(400, `This Checkout Session is ${session.status}.`, "checkout_session_not_open");
    if (session.mode !== "payment") throw new StripeError(400, "Only a payment-mode session can be paid later here.");
    const customer = this.customerFor(session);
    session.customer_details = { address: null, email: customer.email, name: customer.name, phone: null, tax_exempt: "none", tax_ids: [] };
    session.status = "complete";
    session.payment_status = "unpaid";
    this.emit("checkout.session.completed", session);
    return session;
  }

  /** The delayed payment clears (checkout.session.async_payment_succeeded, with the payment made) or fails (…_failed). */
  settleDelayedPayment(id: string, succeeded: boolean): Obj {
    const session = this.get(id, "checkout.session");
    if (session.status !== "complete" || session.payment_status !== "unpaid") throw new StripeError(400, `This Checkout Session has no payment waiting.`);
    if (!succeeded) {
      this.emit("checkout.session.async_payment_failed", session);
      return session;
    }
    const pending = this.pendingData.get(id) ?? { subscriptionMetadata: {}, paymentIntentMetadata: {} };
    const lineItems = this.sessionLineItems.get(id) ?? [];
    const { paymentIntent } = this.createPayment({
      amount: session.amount_total,
      currency: session.currency,
      customer: session.customer,
      metadata: pending.paymentIntentMetadata,
      description: lineItems.map((li) => li.description).join(", "),
    });
    session.payment_intent = paymentIntent.id;
    session.payment_status = "paid";
    this.emit("checkout.session.async_payment_succeeded", session);
    return session;
  }

  /** The hosted page's Decline button: the card is declined and the session ends (expired). */
  declineCheckoutSession(id: string): Obj {
    const session = this.get(id, "checkout.session");
    if (session.status !== "open") throw new StripeError(400, `This Checkout Session is ${session.status}.`, "checkout_session_not_open");
    if (session.mode === "payment") {
      const pending = this.pendingData.get(id);
      const paymentIntent = this.put({
        ...this.paymentIntentBase(session.amount_total, session.currency, session.customer, pending?.paymentIntentMetadata ?? {}, null),
        status: "requires_payment_method",
        amount_received: 0,
        last_payment_error: { type: "card_error", code: "card_declined", decline_code: "generic_decline", message: "Your card was declined." },
      });
      session.payment_intent = paymentIntent.id;
      this.emit("payment_intent.payment_failed", paymentIntent);
    }
    session.status = "expired";
    session.url = null;
    this.emit("checkout.session.expired", session);
    return session;
  }

  /** `POST /v1/checkout/sessions/:id/expire`: the session ends unpaid (checkout.session.expired). */
  expireCheckoutSession(id: string): Obj {
    const session = this.get(id, "checkout.session");
    if (session.status !== "open")
      throw new StripeError(400, `Only Checkout Sessions with a status in ["open"] can be expired. This Checkout Session has a status of "${session.status}".`);
    session.status = "expired";
    session.url = null;
    this.emit("checkout.session.expired", session);
    return session;
  }

  // ---- payments -------------------------------------------------------------------------------

  private paymentIntentBase(amount: number, currency: string, customer: string | null, metadata: Obj, description: string | null): Obj {
    const id = this.newId("pi");
    return {
      id,
      object: "payment_intent",
      amount,
      amount_capturable: 0,
      amount_received: amount,
      application: null,
      canceled_at: null,
      cancellation_reason: null,
      capture_method: "automatic_async",
      client_secret: `${id}_secret_${randomBytes(8).toString("hex")}`,
      confirmation_method: "automatic",
      created: now(),
      currency,
      customer,
      description,
      last_payment_error: null,
      latest_charge: null,
      livemode: false,
      metadata,
      payment_method: null,
      payment_method_types: ["card"],
      receipt_email: null,
      status: "succeeded",
    };
  }

  /** A succeeded payment intent and its charge (with a receipt URL); emits charge.succeeded and payment_intent.succeeded. */
  createPayment(opts: { amount: number; currency: string; customer: string; metadata: Obj; description: string | null }): { paymentIntent: Obj; charge: Obj } {
    const paymentIntent = this.put(this.paymentIntentBase(opts.amount, opts.currency, opts.customer, clone(opts.metadata), opts.description));
    const chargeId = this.newId("ch");
    const charge = this.put({
      id: chargeId,
      object: "charge",
      amount: opts.amount,
      amount_captured: opts.amount,
      amount_refunded: 0,
      balance_transaction: null,
      billing_details: { address: null, email: null, name: null, phone: null },
      captured: true,
      created: now(),
      currency: opts.currency,
      customer: opts.customer,
      description: opts.description,
      disputed: false,
      failure_code: null,
      failure_message: null,
      livemode: false,
      metadata: clone(opts.metadata),
      outcome: { network_status: "approved_by_network", reason: null, risk_level: "normal", seller_message: "Payment complete.", type: "authorized" },
      paid: true,
      payment_intent: paymentIntent.id,
      payment_method: null,
      payment_method_details: { type: "card", card: { brand: "visa", last4: "4242", exp_month: 12, exp_year: 2034, country: "GB" } },
      receipt_email: null,
      receipt_number: null,
      receipt_url: `${this.baseUrl}/receipts/${chargeId}`,
      refunded: false,
      status: "succeeded",
    });
    paymentIntent.latest_charge = charge.id;
    this.emit("charge.succeeded", charge);
    this.emit("payment_intent.succeeded", paymentIntent);
    return { paymentIntent, charge };
  }

  createRefund(params: Obj): Obj {
    let charge: Obj;
    if (params.charge) charge = this.get(String(params.charge), "charge", "charge");
    else if (params.payment_intent) {
      const paymentIntent = this.get(String(params.payment_intent), "payment_intent", "payment_intent");
      if (!paymentIntent.latest_charge)
        throw new StripeError(400, `PaymentIntent ${paymentIntent.id} does not have a successful charge to refund.`, "charge_not_refundable");
      charge = this.get(paymentIntent.latest_charge, "charge");
    } else throw new StripeError(400, "One of the following params should be provided for this request: payment_intent or charge.", "parameter_missing");
    const remaining = charge.amount - charge.amount_refunded;
    const amount = toInt(params.amount, "amount") ?? remaining;
    if (remaining <= 0) throw new StripeError(400, `Charge ${charge.id} has already been refunded.`, "charge_already_refunded");
    if (amount <= 0 || amount > remaining) {
      throw new StripeError(400, `Refund amount (${amount}) is greater than unrefunded amount on charge (${remaining})`, "amount_too_large", "amount");
    }
    const refund = this.put({
      id: this.newId("re"),
      object: "refund",
      amount,
      balance_transaction: null,
      charge: charge.id,
      created: now(),
      currency: charge.currency,
      destination_details: { type: "card", card: { reference_status: "available", reference_type: "acquirer_reference_number", type: "refund" } },
      metadata: mergeMetadata({}, params.metadata),
      payment_intent: charge.payment_intent,
      reason: params.reason ?? null,
      receipt_number: null,
      source_transfer_reversal: null,
      status: "succeeded",
      transfer_reversal: null,
    });
    const previous = { amount_refunded: charge.amount_refunded, refunded: charge.refunded };
    charge.amount_refunded += amount;
    charge.refunded = charge.amount_refunded >= charge.amount;
    this.emit("refund.created", refund);
    this.emit("charge.refunded", charge, previous);
    return refund;
  }

  refundsOf(chargeId: string): Obj[] {
    return this.all("refund").filter((r) => r.charge === chargeId);
  }

  // ---- subscriptions and invoices ----------------------------------------------------------------

  private createSubscription(customer: Obj, price: Obj, quantity: number, metadata: Obj): Obj {
    const start = now();
    const end = addMonths(start, price.recurring?.interval_count ?? 1);
    const id = this.newId("sub");
    const subscription = this.put({
      id,
      object: "subscription",
      application: null,
      application_fee_percent: null,
      automatic_tax: { disabled_reason: null, enabled: false, liability: null },
      billing_cycle_anchor: start,
      billing_cycle_anchor_config: null,
      billing_thresholds: null,
      cancel_at: null,
      cancel_at_period_end: false,
      canceled_at: null,
      cancellation_details: { comment: null, feedback: null, reason: null },
      collection_method: "charge_automatically",
      created: start,
      currency: price.currency,
      customer: customer.id,
      days_until_due: null,
      default_payment_method: null,
      default_source: null,
      description: null,
      discounts: [],
      ended_at: null,
      invoice_settings: { account_tax_ids: null, issuer: { type: "self" } },
      items: list(
        [
          {
            id: this.newId("si"),
            object: "subscription_item",
            billing_thresholds: null,
            created: start,
            current_period_end: end,
            current_period_start: start,
            discounts: [],
            metadata: {},
            plan: this.planOf(price),
            price: clone(price),
            quantity,
            subscription: id,
            tax_rates: [],
          },
        ],
        `/v1/subscription_items?subscription=${id}`,
      ),
      latest_invoice: null,
      livemode: false,
      metadata: clone(metadata),
      next_pending_invoice_item_invoice: null,
      on_behalf_of: null,
      pause_collection: null,
      payment_settings: { payment_method_options: null, payment_method_types: null, save_default_payment_method: "off" },
      pending_invoice_item_interval: null,
      pending_setup_intent: null,
      pending_update: null,
      schedule: null,
      start_date: start,
      status: "active",
      test_clock: null,
      transfer_data: null,
      trial_end: null,
      trial_settings: { end_behavior: { missing_payment_method: "create_invoice" } },
      trial_start: null,
    });
    // As in Stripe, the subscription's first event already names its first invoice.
    subscription.latest_invoice = this.newId("in");
    this.emit("customer.subscription.created", subscription);
    this.payInvoice(this.createInvoice(subscription, "subscription_create", subscription.latest_invoice));
    return subscription;
  }

  private planOf(price: Obj): Obj {
    return {
      id: price.id,
      object: "plan",
      active: price.active,
      amount: price.unit_amount,
      amount_decimal: String(price.unit_amount),
      billing_scheme: "per_unit",
      created: price.created,
      currency: price.currency,
      interval: price.recurring?.interval ?? "month",
      interval_count: price.recurring?.interval_count ?? 1,
      livemode: false,
      metadata: clone(price.metadata),
      nickname: price.nickname,
      product: price.product,
      usage_type: "licensed",
    };
  }

  /** A finalised, open invoice for the subscription's current period. */
  private createInvoice(subscription: Obj, billingReason: string, id = this.newId("in")): Obj {
    const customer = this.get(subscription.customer, "customer");
    const item = subscription.items.data[0];
    const amount = item.price.unit_amount * (item.quantity ?? 1);
    const t = now();
    const count = this.all("invoice").filter((i) => i.customer === customer.id).length + 1;
    const invoice = this.put({
      id,
      object: "invoice",
      account_country: "GB",
      account_name: "Centurion (local Stripe)",
      amount_due: amount,
      amount_overpaid: 0,
      amount_paid: 0,
      amount_remaining: amount,
      amount_shipping: 0,
      attempt_count: 0,
      attempted: false,
      auto_advance: true,
      billing_reason: billingReason,
      collection_method: "charge_automatically",
      created: t,
      currency: subscription.currency,
      customer: customer.id,
      customer_email: customer.email,
      customer_name: customer.name,
      default_payment_method: null,
      description: null,
      discounts: [],
      due_date: null,
      effective_at: t,
      hosted_invoice_url: `${this.baseUrl}/invoices/${id}`,
      invoice_pdf: `${this.baseUrl}/invoices/${id}`,
      lines: list(
        [
          {
            id: this.newId("il"),
            object: "line_item",
            amount,
            currency: subscription.currency,
            description: `${item.quantity ?? 1} × ${this.objects.get(item.price.product)?.name ?? "Plan"}`,
            discountable: true,
            discounts: [],
            invoice: id,
            livemode: false,
            metadata: clone(subscription.metadata),
            parent: {
              type: "subscription_item_details",
              invoice_item_details: null,
              subscription_item_details: {
                invoice_item: null,
                proration: false,
                proration_details: { credited_items: null },
                subscription: subscription.id,
                subscription_item: item.id,
              },
            },
            period: { end: item.current_period_end, start: item.current_period_start },
            pricing: {
              price_details: { price: item.price.id, product: item.price.product },
              type: "price_details",
              unit_amount_decimal: String(item.price.unit_amount),
            },
            quantity: item.quantity ?? 1,
            subtotal: amount,
            taxes: [],
          },
        ],
        `/v1/invoices/${id}/lines`,
      ),
      livemode: false,
      metadata: {},
      next_payment_attempt: null,
      number: `${customer.invoice_prefix}-${String(count).padStart(4, "0")}`,
      parent: {
        type: "subscription_details",
        quote_details: null,
        subscription_details: { metadata: clone(subscription.metadata), subscription: subscription.id },
      },
      payments: list([], `/v1/invoice_payments?invoice=${id}`),
      period_end: item.current_period_start,
      period_start: item.current_period_start,
      receipt_number: null,
      starting_balance: 0,
      statement_descriptor: null,
      status: "open",
      status_transitions: { finalized_at: t, marked_uncollectible_at: null, paid_at: null, voided_at: null },
      subtotal: amount,
      subtotal_excluding_tax: amount,
      total: amount,
      total_discount_amounts: [],
      total_excluding_tax: amount,
      total_taxes: [],
      webhooks_delivered_at: t,
    });
    this.emit("invoice.created", invoice);
    this.emit("invoice.finalized", invoice);
    return invoice;
  }

  private payInvoice(invoice: Obj) {
    const { paymentIntent } = this.createPayment({
      amount: invoice.amount_due,
      currency: invoice.currency,
      customer: invoice.customer,
      metadata: {},
      description: "Subscription update",
    });
    invoice.attempt_count += 1;
    invoice.attempted = true;
    invoice.amount_paid = invoice.amount_due;
    invoice.amount_remaining = 0;
    invoice.status = "paid";
    invoice.next_payment_attempt = null;
    invoice.status_transitions.paid_at = now();
    invoice.payments.data.push({
      id: this.newId("inpay"),
      object: "invoice_payment",
      amount_paid: invoice.amount_due,
      amount_requested: invoice.amount_due,
      created: now(),
      currency: invoice.currency,
      invoice: invoice.id,
      is_default: true,
      livemode: false,
      payment: { type: "payment_intent", payment_intent: paymentIntent.id },
      status: "paid",
      status_transitions: { canceled_at: null, paid_at: now() },
    });
    this.emit("invoice.paid", invoice);
    this.emit("invoice.payment_succeeded", invoice);
  }

  private failInvoice(invoice: Obj) {
    invoice.attempt_count += 1;
    invoice.attempted = true;
    invoice.next_payment_attempt = now() + 3 * 24 * 3600;
    this.emit("invoice.payment_failed", invoice);
  }

  updateSubscription(id: string, params: Obj): Obj {
    const subscription = this.get(id, "subscription");
    if (subscription.status === "canceled") {
      throw new StripeError(400, "A canceled subscription can only update its cancellation_details and metadata.", "resource_missing");
    }
    const previous: Obj = {};
    if (params.pause_collection !== undefined) {
      previous.pause_collection = subscription.pause_collection;
      if (params.pause_collection === "") subscription.pause_collection = null;
      else {
        const behavior = (params.pause_collection as Obj).behavior;
        if (!["keep_as_draft", "mark_uncollectible", "void"].includes(behavior)) {
          throw new StripeError(400, "Invalid pause_collection[behavior]", "parameter_invalid", "pause_collection[behavior]");
        }
        const resumesAt = toInt((params.pause_collection as Obj).resumes_at, "pause_collection[resumes_at]");
        subscription.pause_collection = { behavior, resumes_at: resumesAt ?? null };
      }
    }
    if (params.cancel_at_period_end !== undefined) {
      previous.cancel_at_period_end = subscription.cancel_at_period_end;
      previous.cancel_at = subscription.cancel_at;
      previous.canceled_at = subscription.canceled_at;
      subscription.cancel_at_period_end = toBool(params.cancel_at_period_end);
      subscription.cancel_at = subscription.cancel_at_period_end ? subscription.items.data[0].current_period_end : null;
      subscription.canceled_at = subscription.cancel_at_period_end ? now() : null;
      subscription.cancellation_details = { comment: null, feedback: null, reason: subscription.cancel_at_period_end ? "cancellation_requested" : null };
    }
    if (params.cancel_at !== undefined && params.cancel_at_period_end === undefined) {
      // Ends the subscription at that instant (a commitment running past this period); "" clears it.
      previous.cancel_at = subscription.cancel_at;
      subscription.cancel_at = params.cancel_at === "" ? null : toInt(params.cancel_at, "cancel_at");
      subscription.cancel_at_period_end = false;
      subscription.canceled_at = subscription.cancel_at ? now() : null;
      subscription.cancellation_details = { comment: null, feedback: null, reason: subscription.cancel_at ? "cancellation_requested" : null };
    }
    if (params.metadata !== undefined) {
      previous.metadata = subscription.metadata;
      subscription.metadata = mergeMetadata(subscription.metadata, params.metadata);
    }
    if (params.description !== undefined) {
      previous.description = subscription.description;
      subscription.description = params.description === "" ? null : String(params.description);
    }
    this.emit("customer.subscription.updated", subscription, previous);
    return subscription;
  }

  cancelSubscription(id: string): Obj {
    const subscription = this.get(id, "subscription");
    if (subscription.status === "canceled") throw new StripeError(404, `No such subscription: '${id}'`, "resource_missing", "id");
    const t = now();
    subscription.status = "canceled";
    subscription.canceled_at ??= t;
    subscription.ended_at = t;
    subscription.cancellation_details = { comment: null, feedback: null, reason: "cancellation_requested" };
    this.emit("customer.subscription.deleted", subscription);
    return subscription;
  }

  /** Test control: the next period begins and is paid (or, with cancel_at_period_end, the subscription ends). */
  renewSubscription(id: string): Obj {
    const subscription = this.get(id, "subscription");
    if (subscription.status === "canceled") throw new StripeError(400, `Subscription ${id} is canceled.`, "subscription_canceled");
    if (subscription.status === "paused") throw new StripeError(400, `Subscription ${id} is paused: resume it first.`, "subscription_paused");
    const open = subscription.latest_invoice ? this.get(subscription.latest_invoice, "invoice") : null;
    if (subscription.status === "past_due" && open?.status === "open") {
      // A retried payment succeeds: the open invoice is paid and the subscription is active again.
      this.payInvoice(open);
      subscription.status = "active";
      this.emit("customer.subscription.updated", subscription, { status: "past_due" });
      return subscription;
    }
    if (subscription.cancel_at_period_end) return this.cancelSubscription(id);
    if (subscription.cancel_at && subscription.cancel_at <= subscription.items.data[0].current_period_end) return this.cancelSubscription(id);
    this.advancePeriod(subscription);
    const invoice = this.createInvoice(subscription, "subscription_cycle");
    subscription.latest_invoice = invoice.id;
    const paused = subscription.pause_collection?.behavior as string | undefined;
    if (paused === "void") {
      // Collection paused: the period's invoice is voided (or left uncollectible / a draft), nothing is charged.
      invoice.status = "void";
      invoice.amount_remaining = 0;
      invoice.status_transitions.voided_at = now();
      this.emit("invoice.voided", invoice);
    } else if (paused === "mark_uncollectible") {
      invoice.status = "uncollectible";
      invoice.status_transitions.marked_uncollectible_at = now();
      this.emit("invoice.marked_uncollectible", invoice);
    } else if (paused === "keep_as_draft") {
      invoice.status = "draft";
    } else this.payInvoice(invoice);
    return subscription;
  }

  /** Test control: the renewal payment fails (first call opens a new period's invoice; later calls retry it and fail again). */
  failSubscriptionPayment(id: string): Obj {
    const subscription = this.get(id, "subscription");
    if (subscription.status === "canceled" || subscription.status === "paused") {
      throw new StripeError(400, `Subscription ${id} is ${subscription.status}.`, `subscription_${subscription.status}`);
    }
    const latest = subscription.latest_invoice ? this.get(subscription.latest_invoice, "invoice") : null;
    if (latest?.status === "open") {
      this.failInvoice(latest);
      return subscription;
    }
    this.advancePeriod(subscription);
    const invoice = this.createInvoice(subscription, "subscription_cycle");
    subscription.latest_invoice = invoice.id;
    this.failInvoice(invoice);
    subscription.status = "past_due";
    this.emit("customer.subscription.updated", subscription, { status: "active", latest_invoice: latest?.id ?? null });
    return subscription;
  }

  /** Test control: Stripe's own pause (status `paused`, as when a trial ends without a card): customer.subscription.paused. */
  pauseSubscription(id: string): Obj {
    const subscription = this.get(id, "subscription");
    if (subscription.status !== "active" && subscription.status !== "trialing") {
      throw new StripeError(400, `Only an active subscription can be paused; ${id} is ${subscription.status}.`, "subscription_not_active");
    }
    const previous = { status: subscription.status };
    subscription.status = "paused";
    this.emit("customer.subscription.paused", subscription, previous);
    this.emit("customer.subscription.updated", subscription, previous);
    return subscription;
  }

  /** `POST /v1/subscriptions/:id/resume`: a paused subscription starts a new period now, paid: customer.subscription.resumed. */
  resumeSubscription(id: string): Obj {
    const subscription = this.get(id, "subscription");
    if (subscription.status !== "paused")
      throw new StripeError(400, `Subscription ${id} is not paused (it is ${subscription.status}).`, "subscription_not_paused");
    const previous = { status: subscription.status, items: clone(subscription.items) };
    const start = now();
    for (const item of subscription.items.data) {
      item.current_period_start = start;
      item.current_period_end = addMonths(start, item.price.recurring?.interval_count ?? 1);
    }
    subscription.billing_cycle_anchor = start;
    subscription.status = "active";
    this.emit("customer.subscription.resumed", subscription, previous);
    this.emit("customer.subscription.updated", subscription, previous);
    const invoice = this.createInvoice(subscription, "subscription_cycle");
    subscription.latest_invoice = invoice.id;
    this.payInvoice(invoice);
    return subscription;
  }

  private advancePeriod(subscription: Obj) {
    const previousItems = clone(subscription.items);
    for (const item of subscription.items.data) {
      const start = item.current_period_end;
      item.current_period_start = start;
      item.current_period_end = addMonths(start, item.price.recurring?.interval_count ?? 1);
    }
    this.emit("customer.subscription.updated", subscription, { items: previousItems });
  }

  // ---- billing portal ----------------------------------------------------------------------------

  createPortalSession(params: Obj): Obj {
    const customer = this.get(String(requireParam(params, "customer")), "customer", "customer");
    const id = this.newId("bps");
    return this.put({
      id,
      object: "billing_portal.session",
      configuration: "bpc_local",
      created: now(),
      customer: customer.id,
      flow: null,
      livemode: false,
      locale: null,
      on_behalf_of: null,
      return_url: params.return_url ?? null,
      url: `${this.baseUrl}/portal/${id}`,
    });
  }
}
