// `npm run worker`: the job queue's workers and schedules without a web server, for deployments that run
// web instances with WORKERS=false (docs/jobs-and-email.md). Needs the build, like `npm start`.
import type { ServerBuild } from "@remix-run/node";
import { pathToFileURL } from "node:url";
import { migrate } from "../db/migrate";
import { entryOf } from "./app";
import { setUpProcess } from "./process-setup";

const { env, logger, buildPath } = setUpProcess();

const applied = await migrate(env.DATABASE_URL!);
if (applied.length) logger.info({ applied }, "applied migrations");

const entry = entryOf((await import(pathToFileURL(buildPath).href)) as ServerBuild);
await entry.startJobs({ workers: true, log: logger.child({ component: "jobs" }) });
logger.info(env.SMTP_URL || env.SMTP_HOST ? "job workers started" : "job workers started; no SMTP configured: every email stays in the outbox");

let stopping: Promise<void> | undefined;
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.once(signal, () => {
    stopping ??= (async () => {
      logger.info("stopping the job workers");
      await entry.stopJobs();
      await entry.closeOrm();
    })();
    stopping
      .then(() => process.exit(0))
      .catch((error) => {
        logger.error({ err: error }, "shutdown failed");
        process.exit(1);
      });
  });
}
