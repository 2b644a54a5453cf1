// `npm run dev`: a database (embedded unless DATABASE_URL is set), migrations, demo data on an empty
// database, watching builds, and the server reloading the app after each rebuild.
import type { ServerBuild } from "@remix-run/node";
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { pino } from "pino";
import { DEMO_ADMIN, DEMO_COACHES, DEMO_PASSWORD } from "../db/seeders/demo-people";
import { migrate } from "../db/migrate";
import { seed } from "../db/seed";
import { syncPlansWithStripe } from "../db/sync-stripe";
import { createStripe } from "../app/modules/billing/stripe.server";
import { parseTrustProxy } from "../app/utils/trust-proxy.server";
import { startLocalStripe, type LocalStripe } from "../tools/stripe-local/server";
import { createApp, entryOf } from "./app";
import { openDevDatabase } from "./dev-database";
import { listen } from "./listen";

process.env.NODE_ENV = "development";
const logger = pino({ level: process.env.LOG_LEVEL ?? "info", transport: undefined });

const database = await openDevDatabase();
process.env.DATABASE_URL = database.url;
await migrate(database.url);
if (await isEmpty(database.url)) {
  logger.info("empty database: adding the demo studio");
  await seed(database.url);
}

// Without Stripe keys, billing talks to the project's local Stripe-compatible server (DESIGN.md,
// "Payments without the internet"); it keeps everything in memory, so the plans are synced anew each start.
let stripeLocal: LocalStripe | undefined;
if (!process.env.STRIPE_SECRET_KEY && !process.env.STRIPE_API_URL) {
  stripeLocal = await startLocalStripe({ port: 0, log: (line) => logger.debug(line) });
  process.env.STRIPE_API_URL = stripeLocal.url;
  process.env.STRIPE_WEBHOOK_SECRET ??= stripeLocal.webhookSecret;
  logger.info(`local Stripe server at ${stripeLocal.url}`);
}
const stripe = createStripe({ secretKey: process.env.STRIPE_SECRET_KEY, apiUrl: process.env.STRIPE_API_URL });
if (stripe) logger.info(await syncPlansWithStripe(database.url, stripe, { forgetStripeIds: !!stripeLocal }), "plans synced with Stripe");

logger.info("building the app…");
const built = spawnSync("npm", ["run", "build"], { stdio: "inherit" });
if (built.status !== 0) {
  await stripeLocal?.stop();
  await database.stop();
  process.exit(built.status ?? 1);
}
// Each watcher runs in its own process group: stopping npx alone would leave its node child running.
const watchers: ChildProcess[] = [
  spawn("npx", ["tailwindcss", "-i", "app/styles/tailwind.css", "-o", "app/styles/app.css", "--watch=always"], { stdio: "ignore", detached: true }),
  spawn("npx", ["remix", "watch"], { stdio: "inherit", detached: true }),
];
function stopWatcher(watcher: ChildProcess) {
  try {
    if (watcher.pid !== undefined) process.kill(-watcher.pid, "SIGTERM");
  } catch {
    // already gone
  }
}
// Also when this process ends any other way (an error at start-up, say).
process.on("exit", () => watchers.forEach(stopWatcher));

const buildPath = path.resolve("build/index.js");
// The job queue runs the build's code: web and workers here, unless WORKERS=false (docs/jobs-and-email.md).
const workers = process.env.WORKERS !== "false";
const jobsLog = logger.child({ component: "jobs" });
let current: { mtime: number; build: Promise<ServerBuild> } | undefined;
/** Re-imports the build when `remix watch` has written a new one, moving the job queue to it and closing the old build's pool. */
async function getBuild(): Promise<ServerBuild> {
  const mtime = statSync(buildPath).mtimeMs;
  if (!current || current.mtime !== mtime) {
    const previous = current;
    const next = { mtime, build: import(`${pathToFileURL(buildPath).href}?t=${mtime}`) as Promise<ServerBuild> };
    current = next;
    if (previous) {
      // A build caught half-written may not load: stopping it is best effort, so the new one still gets the queue.
      try {
        const old = entryOf(await previous.build);
        await old.stopJobs();
        await old.closeOrm();
      } catch (error) {
        logger.warn({ err: error }, "could not stop the previous build's jobs and pool");
      }
    }
    try {
      await entryOf(await next.build).startJobs({ workers, log: jobsLog });
    } catch (error) {
      // Load it again on the next request (remix watch may still be writing it).
      if (current === next) current = undefined;
      throw error;
    }
  }
  return current.build;
}
// Load the first build now, so the workers start before the first request.
await getBuild();

const trustProxy = parseTrustProxy(process.env.TRUST_PROXY);
if (!trustProxy.ok) {
  logger.fatal(trustProxy.message);
  process.exit(1);
}
const app = createApp({ getBuild, mode: "development", https: false, logger, trustProxy: trustProxy.value });
const { url } = await listen(app, {
  host: process.env.HOST ?? "127.0.0.1",
  port: Number(process.env.PORT ?? 3000),
  anyPortIfBusy: !process.env.PORT,
  logger,
  onShutdown: async () => {
    for (const watcher of watchers) stopWatcher(watcher);
    if (current) {
      const entry = entryOf(await current.build);
      await entry.stopJobs();
      await entry.closeOrm();
    }
    await stripeLocal?.stop();
    await database.stop();
  },
});
// The local Stripe server delivers its signed events to the app's webhook route, as `stripe listen` would.
stripeLocal?.setWebhook(new URL("/webhooks/stripe", url).href, process.env.STRIPE_WEBHOOK_SECRET);

console.log(`
  Centurion is running at ${url}
  ${process.env.SMTP_URL || process.env.SMTP_HOST ? "Email goes out by SMTP and is recorded" : "No SMTP configured: emails land in the outbox"} at ${url}/admin/outbox

  Demo sign-ins (password: ${DEMO_PASSWORD})
    admin   ${DEMO_ADMIN.email}
    coaches ${DEMO_COACHES.map((c) => c.email).join(", ")}
    clients client1@centurion.test … client60@centurion.test
`);

async function isEmpty(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>('select count(*) from "user"');
    return rows[0].count === "0";
  } finally {
    await client.end();
  }
}
