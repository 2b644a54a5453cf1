import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePort } from "../../server/embedded-postgres";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The compiled production server (`npm run build`), which is what `npm start` and the Docker image run. */
export const SERVER_ENTRY = "build/server/start.js";
/**
 * Node's flags for the server, as `npm start` and the Docker image give them (tests/unit/server-flags.test.ts
 * holds the three together): a larger young generation, so a rush spends less time collecting garbage (ADR 32).
 */
export const SERVER_NODE_FLAGS = ["--max-semi-space-size=32"];
const KEEP_LINES = 200;

/** The built app (build/server/start.js) running as a child process, for the end-to-end tests and the benchmarks. */
export type AppServer = {
  baseUrl: string;
  child: ChildProcess;
  /** The last lines it printed, to show when something goes wrong. */
  lastLines(): string[];
  /** SIGTERM to its whole process group (SIGKILL after 10 s, or at once with `force`). */
  stop(force?: boolean): Promise<void>;
};

/**
 * Starts the compiled production server with this process's node (no TypeScript loader), on a free port of
 * 127.0.0.1 with `env` on top of this process's. It runs in its own process group; `child.pid` is the
 * server's own process. `onLines` sees everything it prints.
 */
export async function startAppServer(env: Record<string, string | undefined>, onLines?: (lines: string[]) => void): Promise<AppServer> {
  if (!existsSync(path.join(ROOT, SERVER_ENTRY))) throw new Error(`${SERVER_ENTRY} does not exist: run \`npm run build\` first`);
  const port = await findFreePort();
  // PROF_DIR=<dir>: the server writes a V8 CPU profile there as it exits (Node refuses --cpu-prof in NODE_OPTIONS).
  const profile = process.env.PROF_DIR ? ["--cpu-prof", `--cpu-prof-dir=${process.env.PROF_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, ...SERVER_NODE_FLAGS, SERVER_ENTRY], {
    cwd: ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "test", HOST: "127.0.0.1", PORT: String(port), ...env },
  });
  let kept: string[] = [];
  const keep = (chunk: Buffer) => {
    const lines = chunk.toString().split("\n").filter(Boolean);
    kept.push(...lines);
    if (kept.length > KEEP_LINES) kept = kept.slice(-KEEP_LINES);
    onLines?.(lines);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return { baseUrl: `http://127.0.0.1:${port}`, child, lastLines: () => [...kept], stop: (force = false) => stopProcessGroup(child, force) };
}

async function stopProcessGroup(child: ChildProcess, force: boolean): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      // already gone
    }
  };
  signalGroup(force ? "SIGKILL" : "SIGTERM");
  const timer = setTimeout(() => signalGroup("SIGKILL"), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Waits for 200 from /healthz; throws with the server's last lines if it exits or the time runs out. */
export async function waitForHealthy(server: AppServer, timeoutMs = 60_000): Promise<void> {
  const { baseUrl, child } = server;
  const deadline = Date.now() + timeoutMs;
  const tail = () => server.lastLines().slice(-30).join("\n");
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited early (code ${child.exitCode ?? child.signalCode}):\n${tail()}`);
    }
    try {
      const response = await fetch(`${baseUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`no 200 from ${baseUrl}/healthz within ${timeoutMs / 1000}s:\n${tail()}`);
}
