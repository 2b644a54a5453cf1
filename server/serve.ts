// The production server, once start.ts has set NODE_ENV: checks the environment, applies migrations, then serves the built app.
import type { ServerBuild } from "@remix-run/node";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { migrate } from "../db/migrate";
import { createApp, entryOf } from "./app";
import { listen } from "./listen";
import { setUpProcess } from "./process-setup";

const { env, logger, buildPath } = setUpProcess();

// How long each step of the start takes (ms), shown in the "listening" line (npm run bench:startup reads it).
const startup: Record<string, number> = {};
const timed = async <T>(step: string, work: () => Promise<T>): Promise<T> => {
  const started = performance.now();
  const result = await work();
  startup[step] = Math.round(performance.now() - started);
  return result;
};

// Loading the build touches no database (the ORM starts on first use), so it overlaps the migrations.
const [applied, build] = await Promise.all([
  timed("migrationsMs", () => migrate(env.DATABASE_URL!)),
  timed("loadBuildMs", async () => (await import(pathToFileURL(buildPath).href)) as ServerBuild),
]);
if (applied.length) logger.info({ applied }, "applied migrations");
const entry = entryOf(build);
// The job queue (pg-boss, in this database): workers and schedules too, unless WORKERS=false (web only;
// `npm run worker` runs them apart). docs/jobs-and-email.md
const workers = env.WORKERS === "true";
await timed("jobsMs", () => entry.startJobs({ workers, log: logger.child({ component: "jobs" }) }));
logger.info(workers ? "job queue started, with workers" : "job queue started, web only (WORKERS=false): run the workers with `npm run worker`");
if (!env.SMTP_URL && !env.SMTP_HOST) logger.info("no SMTP configured: every email stays in the outbox at /admin/outbox");
if (env.NODE_ENV === "production" && !env.APP_URL) logger.warn("APP_URL is not set: links in emails point to http://localhost");
// NODE_ENV=test (the end-to-end tests) runs the production build over plain HTTP on 127.0.0.1.
const app = createApp({
  getBuild: async () => build,
  mode: "production",
  https: env.NODE_ENV === "production",
  logger,
  trustProxy: env.TRUST_PROXY,
});

await listen(app, {
  host: env.HOST,
  port: env.PORT,
  logger,
  startup,
  onShutdown: async () => {
    await entry.stopJobs();
    await entry.closeOrm();
  },
});
