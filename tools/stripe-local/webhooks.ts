// Webhook deliveries of the local Stripe server: signed like Stripe (the SDK's generateTestHeaderString),
// asynchronous, in order for the endpoint, retried with backoff, recorded; and, for tests, held and
// released in another order, or sent again.
import Stripe from "stripe";
import type { Obj } from "./store";

export type DeliveryStatus = "pending" | "held" | "succeeded" | "failed";

export interface DeliveryAttempt {
  at: string;
  /** HTTP status of the endpoint's answer; absent when it could not be reached. */
  status?: number;
  error?: string;
  durationMs: number;
}

export interface Delivery {
  id: string;
  eventId: string;
  eventType: string;
  url: string;
  status: DeliveryStatus;
  /** True for a test redelivery of an event already sent. */
  redelivery: boolean;
  attempts: DeliveryAttempt[];
}

export type ReleaseOrder = "in-order" | "reverse" | "shuffle";

const signer = new Stripe("sk_test_stripe_local_signer");

/** A small seeded generator (mulberry32), so a shuffled release is the same for the same seed. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function reorder<T>(items: T[], order: ReleaseOrder, seed = 1): T[] {
  const copy = [...items];
  if (order === "reverse") return copy.reverse();
  if (order === "shuffle") {
    const random = seededRandom(seed);
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
  }
  return copy;
}

export class WebhookDeliverer {
  url: string | undefined;
  secret: string | undefined;
  deliveries: Delivery[] = [];
  private queue: { delivery: Delivery; event: Obj }[] = [];
  private held: { delivery: Delivery; event: Obj }[] | null = null;
  private running = false;
  private stopped = false;
  private counter = 0;
  private idleWaiters: (() => void)[] = [];
  private abort = new AbortController();

  constructor(
    private retryDelaysMs: number[],
    private log: (line: string) => void,
  ) {}

  setEndpoint(url: string | undefined, secret: string | undefined) {
    this.url = url || undefined;
    this.secret = secret || undefined;
  }

  /** Queues the event for the endpoint (nothing when no endpoint is set, as Stripe sends only to endpoints that exist). */
  enqueue(event: Obj, redelivery = false): Delivery | undefined {
    if (!this.url || this.stopped) return undefined;
    this.counter += 1;
    const delivery: Delivery = {
      id: `whdel_${this.counter}`,
      eventId: event.id,
      eventType: event.type,
      url: this.url,
      status: this.held ? "held" : "pending",
      redelivery,
      attempts: [],
    };
    this.deliveries.push(delivery);
    const entry = { delivery, event: structuredClone(event) };
    if (this.held) this.held.push(entry);
    else {
      this.queue.push(entry);
      this.run();
    }
    return delivery;
  }

  hold() {
    this.held ??= [];
  }

  /** Sends the held deliveries in the given order and stops holding; answers how many were released. */
  release(order: ReleaseOrder = "in-order", seed = 1): number {
    const held = this.held ?? [];
    this.held = null;
    for (const entry of reorder(held, order, seed)) {
      entry.delivery.status = "pending";
      this.queue.push(entry);
    }
    this.run();
    return held.length;
  }

  get holding(): boolean {
    return this.held !== null;
  }

  /** Resolves when nothing is queued or being sent (held deliveries do not count). */
  whenIdle(): Promise<void> {
    if (!this.running && this.queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  reset() {
    this.deliveries = [];
    this.queue = [];
    this.held = null;
  }

  stop() {
    this.stopped = true;
    this.queue = [];
    this.held = null;
    this.abort.abort();
    this.settle();
  }

  private settle() {
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }

  private run() {
    if (this.running) return;
    this.running = true;
    void this.drain().finally(() => {
      this.running = false;
      if (this.queue.length > 0 && !this.stopped) this.run();
      else this.settle();
    });
  }

  private async drain() {
    while (this.queue.length > 0 && !this.stopped) {
      const entry = this.queue.shift()!;
      await this.deliver(entry.delivery, entry.event);
    }
  }

  private async deliver(delivery: Delivery, event: Obj) {
    const payload = JSON.stringify(event, null, 2);
    for (let attempt = 0; ; attempt++) {
      if (this.stopped) return;
      const started = Date.now();
      const record: DeliveryAttempt = { at: new Date(started).toISOString(), durationMs: 0 };
      try {
        const header = signer.webhooks.generateTestHeaderString({ payload, secret: this.secret ?? "" });
        const response = await fetch(delivery.url, {
          method: "POST",
          headers: {
            "content-type": "application/json; charset=utf-8",
            "stripe-signature": header,
            "user-agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
          },
          body: payload,
          signal: AbortSignal.any([this.abort.signal, AbortSignal.timeout(10_000)]),
        });
        await response.arrayBuffer().catch(() => undefined);
        record.status = response.status;
      } catch (error) {
        record.error = error instanceof Error ? error.message : String(error);
      }
      record.durationMs = Date.now() - started;
      delivery.attempts.push(record);
      const ok = record.status !== undefined && record.status >= 200 && record.status < 300;
      this.log(`webhook ${event.type} ${event.id} → ${delivery.url}: ${record.status ?? record.error} (attempt ${attempt + 1})`);
      if (ok) {
        delivery.status = "succeeded";
        return;
      }
      if (attempt >= this.retryDelaysMs.length) {
        delivery.status = "failed";
        return;
      }
      await this.sleep(this.retryDelaysMs[attempt]);
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        this.abort.signal.removeEventListener("abort", onAbort);
        resolve();
      }, ms);
      this.abort.signal.addEventListener("abort", onAbort, { once: true });
    });
  }
}
