// Runs the Playwright suite against a real production server:
//   npx tsx tests/e2e/run.ts [--build] [playwright test args...]
// Builds the app if needed, creates a migrated and seeded database (embedded PostgreSQL, or a fresh
// database on TEST_DATABASE_URL's server), starts server/start.ts on a free port, runs
// `playwright test` with E2E_BASE_URL, and always tears everything down again.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "../../db/migrate";
import { seed } from "../../db/seed";
import { findFreePort } from "../../server/embedded-postgres";
import { createDatabase, dropDatabase, uniqueDatabaseName, withDatabase } from "../support/pg";
import { startTestPostgres, type TestPostgres } from "../support/test-postgres";

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const HEALTH_TIMEOUT_MS = 60_000;
const SERVER_LOG_LINES = 200;

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

/** Keeps the last lines the server printed, to show when something goes wrong. */
class LineBuffer {
  private lines: string[] = [];
  push(chunk: Buffer): void {
    this.lines.push(...chunk.toString().split("\n").filter(Boolean));
    if (this.lines.length > SERVER_LOG_LINES) this.lines = this.lines.slice(-SERVER_LOG_LINES);
  }
  print(title: string): void {
    console.error(`[e2e] ---- ${title} (last ${this.lines.length} lines) ----`);
    for (const line of this.lines) console.error(line);
    console.error("[e2e] ---- end of server output ----");
  }
}

function startServer(env: NodeJS.ProcessEnv, output: LineBuffer): ChildProcess {
  // Own process group, so npx, tsx and node can be stopped together.
  const server = spawn("npx", ["tsx", "server/start.ts"], { cwd: ROOT, env, detached: true, stdio: ["ignore", "pipe", "pipe"] });
  server.stdout?.on("data", (chunk: Buffer) => output.push(chunk));
  server.stderr?.on("data", (chunk: Buffer) => output.push(chunk));
  cleanups.push(() => stopProcessGroup(server));
  return server;
}

async function stopProcessGroup(child: ChildProcess): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup("SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

async function waitForHealthy(baseUrl: string, server: ChildProcess): Promise<void> {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) {
      throw new Error(`server exited early (code ${server.exitCode ?? server.signalCode})`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no 200 from ${baseUrl}/healthz within ${HEALTH_TIMEOUT_MS / 1000}s`);
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const forceBuild = args.includes("--build");
  const playwrightArgs = args.filter((arg) => arg !== "--build");

  if (forceBuild || !existsSync(path.join(ROOT, "build/index.js"))) {
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
  await migrate(databaseUrl);
  await seed(databaseUrl);
  log(`database ${database} migrated and seeded (${postgres.kind} PostgreSQL)`);

  const port = await findFreePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const output = new LineBuffer();
  const server = startServer(
    {
      ...process.env,
      NODE_ENV: "test",
      HOST: "127.0.0.1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: randomBytes(32).toString("hex"),
    },
    output,
  );
  try {
    await waitForHealthy(baseUrl, server);
  } catch (error) {
    output.print("server output");
    throw error;
  }
  log(`server ready at ${baseUrl} after ${((Date.now() - started) / 1000).toFixed(1)}s`);

  const code = await run("npx", ["playwright", "test", ...playwrightArgs], { ...process.env, E2E_BASE_URL: baseUrl });
  if (code !== 0) output.print("server output during the failed run");
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
