// Runs the Playwright suite against a real production server:
//   npx tsx tests/e2e/run.ts [--build] [playwright test args...]
// Builds the app if needed, creates a database (embedded PostgreSQL, or a fresh database on
// TEST_DATABASE_URL's server) migrated by the compiled `build/server/migrate.js` and seeded, starts the
// compiled server `build/server/start.js` on a free port (so every run proves production starts), runs
// `playwright test` with E2E_BASE_URL (the server) and E2E_DATABASE_URL (its database, where the tests'
// fixture makes each test's own data: tests/e2e/fixtures.ts), and always tears everything down again.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { seed } from "../../db/seed";
import { syncPlansWithStripe } from "../../db/sync-stripe";
import { createStripe } from "../../app/modules/billing/stripe.server";
import { startLocalStripe } from "../../tools/stripe-local/server";
import { ROOT, SERVER_ENTRY, startAppServer, waitForHealthy } from "../support/app-server";
import { createDatabase, dropDatabase, uniqueDatabaseName, withDatabase } from "../support/pg";
import { startTestPostgres, type TestPostgres } from "../support/test-postgres";

const cleanups: (() => Promise<void>)[] = [];
let cleaningUp: Promise<void> | undefined;
/** The build or Playwright process currently running in the foreground, if any. */
let foreground: ChildProcess | undefined;

/** Undoes everything started so far, newest first; safe to call more than once. */
function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const step of cleanups.reverse()) {
      try {
        await step();
      } catch (error) {
        console.error("[e2e] cleanup step failed:", error);
      }
    }
  })();
  return cleaningUp;
}

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    console.error(`\n[e2e] ${signal}: cleaning up`);
    foreground?.kill(signal);
    void cleanup().finally(() => process.exit(130));
  });
}

function log(message: string): void {
  console.log(`[e2e] ${message}`);
}

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: "inherit" });
    foreground = child;
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      foreground = undefined;
      resolve(code ?? (signal ? 128 : 1));
    });
  });
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const forceBuild = args.includes("--build");
  const playwrightArgs = args.filter((arg) => arg !== "--build");

  if (forceBuild || !existsSync(path.join(ROOT, "build/index.js")) || !existsSync(path.join(ROOT, SERVER_ENTRY))) {
    log("building the app (npm run build)");
    const code = await run("npm", ["run", "build"]);
    if (code !== 0) return code;
  }

  const started = Date.now();
  const postgres: TestPostgres = await startTestPostgres();
  cleanups.push(() => postgres.stop());
  const database = uniqueDatabaseName("centurion_e2e");
  await createDatabase(postgres.adminUrl, database);
  if (postgres.kind === "external") cleanups.push(() => dropDatabase(postgres.adminUrl, database));
  const databaseUrl = withDatabase(postgres.adminUrl, database);
  // The compiled migrator on an empty database: the migrations as the production image runs them.
  const migrated = await run(process.execPath, ["build/server/migrate.js"], { ...process.env, DATABASE_URL: databaseUrl });
  if (migrated !== 0) throw new Error(`build/server/migrate.js failed (exit code ${migrated})`);
  await seed(databaseUrl);
  log(`database ${database} migrated and seeded (${postgres.kind} PostgreSQL)`);

  // Billing talks to the project's local Stripe-compatible server, as `npm run dev` does without keys.
  const stripeLocal = await startLocalStripe({ port: 0 });
  cleanups.push(() => stripeLocal.stop());
  await syncPlansWithStripe(databaseUrl, createStripe({ apiUrl: stripeLocal.url })!);

  // The specs sign links the way the app does (unsubscribe tokens), so they share its secret.
  const sessionSecret = randomBytes(32).toString("hex");
  const server = await startAppServer({
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: sessionSecret,
    STRIPE_API_URL: stripeLocal.url,
    STRIPE_WEBHOOK_SECRET: stripeLocal.webhookSecret,
  });
  cleanups.push(() => server.stop());
  const printOutput = (title: string) => {
    console.error(`[e2e] ---- ${title} (last lines) ----`);
    for (const line of server.lastLines()) console.error(line);
    console.error("[e2e] ---- end of server output ----");
  };
  try {
    await waitForHealthy(server);
  } catch (error) {
    printOutput("server output");
    throw error;
  }
  const baseUrl = server.baseUrl;
  // The local Stripe server's events reach the app's webhook route, as in `npm run dev`.
  stripeLocal.setWebhook(new URL("/webhooks/stripe", baseUrl).href, stripeLocal.webhookSecret);
  log(`server ready at ${baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)}s`);

  const code = await run("npx", ["playwright", "test", ...playwrightArgs], {
    ...process.env,
    E2E_BASE_URL: baseUrl,
    E2E_DATABASE_URL: databaseUrl,
    E2E_STRIPE_API_URL: stripeLocal.url,
    E2E_STRIPE_WEBHOOK_SECRET: stripeLocal.webhookSecret,
    SESSION_SECRET: sessionSecret,
  });
  if (code !== 0) printOutput("server output during the failed run");
  return code;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (error) {
  console.error("[e2e]", error instanceof Error ? error.message : error);
} finally {
  await cleanup();
}
process.exit(exitCode);
