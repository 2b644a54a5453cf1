// `npm run stripe:local`: the local Stripe-compatible server on its own.
// Env: PORT (default 12111), STRIPE_WEBHOOK_URL (where events go), STRIPE_WEBHOOK_SECRET (signs them).
import { DEFAULT_WEBHOOK_SECRET, startLocalStripe } from "./server";

const port = Number(process.env.PORT ?? 12111);
const webhookUrl = process.env.STRIPE_WEBHOOK_URL || undefined;
const webhookSecret = process.env.STRIPE_WEBHOOK_SECRET || DEFAULT_WEBHOOK_SECRET;

const stripeLocal = await startLocalStripe({
  port,
  webhookUrl,
  webhookSecret,
  log: (line) => console.log(`[stripe-local] ${line}`),
});

console.log(`Local Stripe server at ${stripeLocal.url}`);
console.log(`  the app: STRIPE_API_URL=${stripeLocal.url} with any sk_test_… key`);
console.log(webhookUrl ? `  webhooks → ${webhookUrl} (secret ${webhookSecret})` : "  webhooks: none (set STRIPE_WEBHOOK_URL, or POST /_control/webhook)");
console.log(`  test controls: POST ${stripeLocal.url}/_control/{renew,fail-payment,pause,refund,redeliver,hold,release,events,deliveries,reset}`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    void stripeLocal.stop().then(() => process.exit(0));
  });
}
