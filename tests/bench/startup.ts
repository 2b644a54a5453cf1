// Start-up time of the production server:
//   npm run bench:startup [-- --runs N]      (N = 10 by default)
// Needs `npm run build` (runs it when build/ is missing). Migrates a throwaway database once (see
// ./postgres.ts for which server), then starts, one after another and N times each, in turn:
//   - reference: a bare node HTTP server (node -e), the floor on this machine right now;
//   - compiled:  node build/server/start.js, what `npm start` and the Docker image run;
//   - source:    node --import tsx server/start.ts, what `npm start` ran before the server was compiled.
// For each start it takes the server's own figure (the "listening" log line: ms from the process's start,
// migrations checked, build loaded and job queue started) and, from outside, the time from spawn to the
// first 200 from /healthz, and the CPU time the process used until it listened (which depends less on what
// else the machine is doing than the wall time). The machine is shared and noisy, so the figure to read is
// each variant's median as a multiple of the reference's, measured in the same run; the target is
// compiled < 1,000 ms.
// Figures only: timings never fail the run.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { migrate } from "../../db/migrate";
import { findFreePort } from "../../server/embedded-postgres";
import { ROOT, SERVER_ENTRY, SERVER_NODE_FLAGS } from "../support/app-server";
import { benchDatabase } from "./postgres";
import { cleanup, forgetCleanup, log, onCleanup, stats } from "./support";

const { values: args } = parseArgs({ options: { runs: { type: "string", default: "10" } } });
const RUNS = Math.max(1, Number(args.runs) || 10);
const HEALTH_TIMEOUT_MS = 60_000;

const REFERENCE = `require("node:http").createServer((req, res) => res.end("ok")).listen(Number(process.env.PORT), "127.0.0.1", () =>
  console.log(JSON.stringify({ startupMs: Math.round(performance.now()), cpuMs: Math.round((process.cpuUsage().user + process.cpuUsage().system) / 1000) })));
process.on("SIGTERM", () => process.exit(0));`;

type Variant = { name: string; what: string; args: string[] };
const VARIANTS: Variant[] = [
  { name: "reference", what: "bare node http server", args: ["-e", REFERENCE] },
  { name: "compiled", what: `node ${[...SERVER_NODE_FLAGS, SERVER_ENTRY].join(" ")}`, args: [...SERVER_NODE_FLAGS, SERVER_ENTRY] },
  { name: "source", what: "node --import tsx server/start.ts", args: ["--import", "tsx", "server/start.ts"] },
];

type Start = { startupMs: number; cpuMs: number; healthyMs: number; steps: Record<string, number> };

const sleep = (millis: number) => new Promise((resolve) => setTimeout(resolve, millis));

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
  return exited.finally(() => clearTimeout(timer));
}

/** One start: spawn, poll /healthz every 10 ms until 200, read the "listening" line, stop. */
async function startOnce(variant: Variant, env: Record<string, string>): Promise<Start> {
  const port = await findFreePort();
  const spawned = performance.now();
  const child = spawn(process.execPath, variant.args, {
    cwd: ROOT,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...env, HOST: "127.0.0.1", PORT: String(port) },
  });
  const stopStep = onCleanup({ name: `${variant.name} server`, run: () => stop(child) });
  const output: string[] = [];
  let listening: { startupMs: number; cpuMs: number; [step: string]: unknown } | undefined;
  const read = (chunk: Buffer) => {
    for (const line of chunk.toString().split("\n").filter(Boolean)) {
      output.push(line);
      if (line.includes('"startupMs"')) listening = JSON.parse(line);
    }
  };
  child.stdout.on("data", read);
  child.stderr.on("data", read);
  try {
    let healthyMs: number | undefined;
    while (healthyMs === undefined) {
      if (child.exitCode !== null) throw new Error(`${variant.name} exited with ${child.exitCode}:\n${output.slice(-20).join("\n")}`);
      if (performance.now() - spawned > HEALTH_TIMEOUT_MS) throw new Error(`${variant.name}: no 200 from /healthz within ${HEALTH_TIMEOUT_MS / 1000}s`);
      try {
        const response = await fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(2_000) });
        await response.arrayBuffer();
        if (response.status === 200) healthyMs = performance.now() - spawned;
      } catch {
        // not listening yet
      }
      if (healthyMs === undefined) await sleep(10);
    }
    for (let waited = 0; !listening && waited < 2_000; waited += 10) await sleep(10);
    if (!listening) throw new Error(`${variant.name}: no "listening" line with startupMs:\n${output.slice(-20).join("\n")}`);
    const { migrationsMs, loadBuildMs, jobsMs } = listening as Record<string, number>;
    const steps = Object.fromEntries(Object.entries({ migrationsMs, loadBuildMs, jobsMs }).filter(([, value]) => typeof value === "number"));
    return { startupMs: listening.startupMs, cpuMs: listening.cpuMs, healthyMs, steps };
  } finally {
    await stopStep.run();
    forgetCleanup(stopStep);
  }
}

const ms = (value: number) => `${Math.round(value)} ms`;
/** Rows as columns padded to their widest cell. */
function table(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows.map((row) => row.map((cell, i) => cell.padEnd(widths[i])).join("  ")).join("\n");
}

async function main(): Promise<void> {
  log(`command: npm run bench:startup -- --runs ${RUNS}`);
  if (!existsSync(path.join(ROOT, "build/index.js")) || !existsSync(path.join(ROOT, SERVER_ENTRY))) {
    log("building the app (npm run build)");
    if (spawnSync("npm", ["run", "build"], { cwd: ROOT, stdio: "inherit" }).status !== 0) throw new Error("npm run build failed");
  }
  const database = await benchDatabase("centurion_bench_startup");
  const applied = await migrate(database.url);
  log(`migrated (${applied.length} migrations); every start below finds nothing to apply`);
  const env = { DATABASE_URL: database.url, SESSION_SECRET: randomBytes(32).toString("hex"), NODE_ENV: "production", LOG_LEVEL: "info" };

  const results = new Map<string, Start[]>(VARIANTS.map((variant) => [variant.name, []]));
  // One start of each in turn, so that the machine's load falls on every variant alike.
  for (let run = 1; run <= RUNS; run++) {
    const line: string[] = [];
    for (const variant of VARIANTS) {
      const start = await startOnce(variant, env);
      results.get(variant.name)!.push(start);
      line.push(`${variant.name} ${ms(start.startupMs)} (cpu ${ms(start.cpuMs)}, healthy ${ms(start.healthyMs)})`);
    }
    log(`run ${run}/${RUNS}: ${line.join(", ")}`);
  }

  const reference = stats(results.get("reference")!.map((s) => s.healthyMs)).p50;
  const referenceCpu = stats(results.get("reference")!.map((s) => s.cpuMs)).p50;
  const rows = [["variant", "command", "start → listening (its log)", "CPU time to listening", "spawn → first /healthz 200", "× reference (wall, CPU)"]];
  for (const variant of VARIANTS) {
    const starts = results.get(variant.name)!;
    const own = stats(starts.map((s) => s.startupMs));
    const cpu = stats(starts.map((s) => s.cpuMs));
    const healthy = stats(starts.map((s) => s.healthyMs));
    rows.push([
      variant.name,
      variant.what,
      `median ${ms(own.p50)}, max ${ms(own.max)}`,
      `median ${ms(cpu.p50)}`,
      `median ${ms(healthy.p50)}, max ${ms(healthy.max)}`,
      `${(healthy.p50 / reference).toFixed(1)}×, ${(cpu.p50 / referenceCpu).toFixed(1)}×`,
    ]);
  }
  console.log();
  console.log(`Start-up, ${RUNS} starts each, on ${database.description}:`);
  console.log(table(rows));
  for (const name of ["compiled", "source"]) {
    const starts = results.get(name)!;
    const medians = Object.keys(starts[0].steps).map((step) => `${step.replace(/Ms$/, "")} ${ms(stats(starts.map((s) => s.steps[step])).p50)}`);
    console.log(`${name}: median of each step: ${medians.join(", ")} (migrations and loadBuild overlap; before them the server loads its modules)`);
  }
  const compiled = stats(results.get("compiled")!.map((s) => s.startupMs));
  const source = stats(results.get("source")!.map((s) => s.healthyMs));
  const compiledHealthy = stats(results.get("compiled")!.map((s) => s.healthyMs));
  console.log(
    `compiled: median ${ms(compiled.p50)} from process start to listening (target < 1000 ms: ${compiled.p50 < 1000 ? "met" : "NOT met"}, max ${ms(compiled.max)}); ` +
      `source (tsx) takes ${(source.p50 / compiledHealthy.p50).toFixed(1)}× as long to answer /healthz`,
  );
}

let exitCode = 0;
try {
  await main();
} catch (error) {
  console.error("[bench]", error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  await cleanup();
}
process.exit(exitCode);
