// npm run bench:webhooks — Stripe's events against the built app, as Stripe sends them: out of order and
// more than once. Two app instances, each on its own database, get the same 1,000 signed events from the
// local Stripe server: A in the order they happened, one at a time; B shuffled, with duplicates, many in
// flight at once. Prints B's events per second and whether both databases end with the same memberships
// and payments. Needs `npm run build` first (it runs it when build/ is missing).
import { MikroORM } from "@mikro-orm/postgresql";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { spawnSync } from "node:child_process";
import Stripe from "stripe";
import { syncPlan } from "../../app/modules/billing/plan-sync.service.server";
import { createStripe } from "../../app/modules/billing/stripe.server";
import { ormConfig } from "../../app/modules/orm-config.server";
import { migrate } from "../../db/migrate";
import { startLocalStripe } from "../../tools/stripe-local/server";
import { ROOT, startAppServer, waitForHealthy, type AppServer } from "../support/app-server";
import { createPlan, createUser } from "../support/factories";
import { createDatabase, uniqueDatabaseName, withDatabase } from "../support/pg";
import { startTestPostgres } from "../support/test-postgres";
import { cleanup, log, onCleanup } from "./support";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 40);
const TARGET_EVENTS = 1_000;
const IN_FLIGHT = Number(process.env.BENCH_IN_FLIGHT ?? 16);
const SECRET = "whsec_bench";
const signer = new Stripe("sk_test_bench");

type Instance = { url: string; orm: MikroORM; server: AppServer };

async function instance(adminUrl: string, stripeUrl: string): Promise<Instance> {
  const name = uniqueDatabaseName("centurion_bench_webhooks");
  await createDatabase(adminUrl, name);
  const url = withDatabase(adminUrl, name);
  await migrate(url);
  const server = await startAppServer({
    DATABASE_URL: url,
    SESSION_SECRET: randomBytes(32).toString("hex"),
    STRIPE_API_URL: stripeUrl,
    STRIPE_WEBHOOK_SECRET: SECRET,
    LOG_LEVEL: "warn",
  });
  onCleanup({ name: `app ${name}`, run: () => server.stop() });
  await waitForHealthy(server);
  const orm = await MikroORM.init(ormConfig(url, { pool: { min: 0, max: 2 } }));
  onCleanup({ name: `orm ${name}`, run: () => orm.close() });
  return { url, orm, server };
}

async function deliver(app: Instance, event: { id: string }): Promise<number> {
  const payload = JSON.stringify(event);
  const response = await fetch(`${app.server.baseUrl}/webhooks/stripe`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "Stripe-Signature": signer.webhooks.generateTestHeaderString({ payload, secret: SECRET }) },
    body: payload,
  });
  await response.text();
  return response.status;
}

/** What the memberships and payments of a database come to, comparable between the two. */
async function finalState(app: Instance) {
  const connection = app.orm.em.fork().getConnection();
  const memberships = await connection.execute(
    `select stripe_subscription_id, status, cancel_at_period_end, end_date::text, paused_on::text, payment_failures from user_membership order by stripe_subscription_id`,
  );
  const payments = await connection.execute(`select stripe_object_id, kind, amount_pence, status from payment order by stripe_object_id`);
  return JSON.stringify({ memberships, payments });
}

function shuffled<T>(items: T[], seed: number): T[] {
  const out = [...items];
  let state = seed;
  const random = () => (state = (state * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
}

async function main() {
  if (!existsSync(path.join(ROOT, "build/index.js"))) spawnSync("npm", ["run", "build"], { stdio: "inherit" });
  const postgres = await startTestPostgres();
  onCleanup({ name: "postgres", run: () => postgres.stop() });
  const local = await startLocalStripe({ port: 0 });
  onCleanup({ name: "local stripe", run: () => local.stop() });
  const stripe = createStripe({ apiUrl: local.url })!;
  const [a, b] = [await instance(postgres.adminUrl, local.url), await instance(postgres.adminUrl, local.url)];

  // The same people and plan in both databases (the same ids), the plan in Stripe once.
  for (const app of [a, b]) {
    const em = app.orm.em.fork();
    await createPlan(em, { type: "RECURRING", name: "Bench monthly", sessionsPerWeek: 3, pricePence: 7500 });
    for (let i = 0; i < SUBSCRIBERS; i++) await createUser(em, { email: `bench${i}@webhooks.test`, name: `Bench ${i}` });
  }
  const synced = await syncPlan(a.orm.em.fork(), stripe, 1);
  if (!synced?.ok) throw new Error(`plan sync failed: ${JSON.stringify(synced)}`);
  await b.orm.em
    .fork()
    .getConnection()
    .execute(`update membership_plan set stripe_product_id = ?, stripe_price_id = ?, stripe_sync_state = 'SYNCED' where id = 1`, [
      synced.plan.stripeProductId,
      synced.plan.stripePriceId,
    ]);

  // Subscribers buy through Stripe, then their subscriptions live a while: renewals, failed payments,
  // pauses, cancellations, refunds — until there are about a thousand events.
  const subscriptions: string[] = [];
  for (let i = 0; i < SUBSCRIBERS; i++) {
    const userId = i + 1;
    const customer = await stripe.customers.create({ email: `bench${i}@webhooks.test`, metadata: { userId: String(userId) } });
    const metadata = { type: "membership", planId: "1", userId: String(userId), planType: "RECURRING" };
    const session = await stripe.checkout.sessions.create({
      mode: "subscription",
      customer: customer.id,
      client_reference_id: String(userId),
      metadata,
      subscription_data: { metadata },
      line_items: [{ price: synced.plan.stripePriceId!, quantity: 1 }],
      success_url: "http://localhost/s?session_id={CHECKOUT_SESSION_ID}",
      cancel_url: "http://localhost/c",
    });
    subscriptions.push(local.controls.completeCheckout(session.id).subscription as string);
  }
  for (let round = 0; local.controls.listEvents().length < TARGET_EVENTS; round++) {
    for (const [i, id] of subscriptions.entries()) {
      if (local.controls.listEvents().length >= TARGET_EVENTS) break;
      const subscription = await stripe.subscriptions.retrieve(id);
      if (subscription.status === "canceled") continue;
      const step = (round + i) % 6;
      if (step === 0) local.controls.renewSubscription(id);
      else if (step === 1) local.controls.failPayment(id);
      else if (step === 2) await stripe.subscriptions.update(id, { pause_collection: { behavior: "void" } });
      else if (step === 3) await stripe.subscriptions.update(id, { pause_collection: "" });
      else if (step === 4) await stripe.subscriptions.update(id, { cancel_at_period_end: round % 2 === 0 });
      else if (round > 3 && i % 7 === 0) await stripe.subscriptions.cancel(id);
      else local.controls.renewSubscription(id);
    }
  }
  const events = local.controls.listEvents() as unknown as { id: string }[]; // oldest first
  log(`${events.length} events from ${SUBSCRIBERS} subscriptions`);

  // A: in order, one at a time.
  for (const event of events) {
    const status = await deliver(a, event);
    if (status !== 200) throw new Error(`A answered ${status} to ${event.id}`);
  }
  // B: shuffled, a fifth of them twice, IN_FLIGHT at once.
  const sent = shuffled([...events, ...events.filter((_, i) => i % 5 === 0)], 42);
  const statuses = new Map<number, number>();
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: IN_FLIGHT }, async () => {
      while (next < sent.length) {
        const event = sent[next++];
        let status = await deliver(b, event);
        // As Stripe does: a failed delivery (a deadlock or a race answered 500) comes again later.
        for (let retry = 0; status !== 200 && retry < 5; retry++) status = await deliver(b, event);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  const [inOrder, outOfOrder] = [await finalState(a), await finalState(b)];
  const same = inOrder === outOfOrder;
  if (!same) {
    const [x, y] = [JSON.parse(inOrder), JSON.parse(outOfOrder)];
    for (const key of ["memberships", "payments"] as const) {
      const differing = x[key].filter((row: unknown, i: number) => JSON.stringify(row) !== JSON.stringify(y[key][i]));
      log(
        `${key} differing: ${differing.length} of ${x[key].length}${differing.length ? `, e.g. in order ${JSON.stringify(differing[0])} — shuffled ${JSON.stringify(y[key][x[key].indexOf(differing[0])])}` : ""}`,
      );
    }
  }
  log(
    `B: ${sent.length} deliveries (${sent.length - events.length} duplicates), shuffled, ${IN_FLIGHT} in flight: ${(sent.length / seconds).toFixed(1)} events/s`,
  );
  log(`answers: ${[...statuses].map(([status, count]) => `${status} × ${count}`).join(", ")}`);
  log(`final state equals the in-order state: ${same ? "yes" : "NO"}`);
  if (!same) process.exitCode = 1;
}

try {
  await main();
} catch (error) {
  console.error("[bench]", error);
  process.exitCode = 1;
} finally {
  await cleanup();
}
