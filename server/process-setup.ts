// What the production server and the worker process both do first: read the environment (exit with its
// message when it is wrong), make the logger, and find the build (exit when there is none).
import { existsSync } from "node:fs";
import path from "node:path";
import { pino } from "pino";
import { readEnv } from "../app/utils/env.server";
import { logMemoryOnSignal } from "./listen";

export function setUpProcess() {
  const env = (() => {
    try {
      return readEnv();
    } catch (error) {
      console.error((error as Error).message);
      process.exit(1);
    }
  })();
  // Written asynchronously: under a rush, lines are batched into few writes instead of one system call per
  // request (pino flushes what is left when the process exits).
  const logger = pino({ level: env.LOG_LEVEL }, pino.destination({ dest: 1, sync: false }));
  logMemoryOnSignal(logger);
  const buildPath = path.resolve("build/index.js");
  if (!existsSync(buildPath)) {
    logger.fatal("The app is not built yet: run `npm run build` first.");
    process.exit(1);
  }
  return { env, logger, buildPath };
}
