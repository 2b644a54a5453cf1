// `npm run bench [-- --only a,b] [-- --skip a,b]`: every benchmark in turn, each printing its own figures
// (tests/bench/README.md says what each measures and how to read it). A benchmark whose npm script this
// checkout does not have is listed as skipped; one that fails does not stop the others. Ends with a line
// per benchmark: ran (and how long), failed (exit code) or skipped. Exit code 1 if any failed.
// Each runs with its defaults; for a benchmark's own options run its script, e.g. `npm run bench:memory -- --minutes 2`.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT } from "../support/app-server";

// In the order they run (the 10-minute memory run last). Names are the part after "bench:".
const BENCHMARKS = ["booking", "pages", "lighthouse", "calendar", "webhooks", "startup", "memory"] as const;

const { values: args } = parseArgs({ options: { only: { type: "string" }, skip: { type: "string" } } });
const list = (value: string | undefined) => new Set((value ?? "").split(",").filter(Boolean));
const only = list(args.only);
const skip = list(args.skip);

const scripts = (JSON.parse(readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;

let current: ReturnType<typeof spawn> | undefined;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    current?.kill(signal); // the benchmark cleans up after itself
    process.exitCode = 130;
  });
}

function run(script: string): Promise<number> {
  return new Promise((resolve) => {
    current = spawn("npm", ["run", script], { cwd: ROOT, stdio: "inherit" });
    current.on("error", () => resolve(1));
    current.on("exit", (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}

type Outcome = { name: string; result: string };
const outcomes: Outcome[] = [];
for (const name of BENCHMARKS) {
  const script = `bench:${name}`;
  if ((only.size && !only.has(name)) || skip.has(name)) {
    outcomes.push({ name: script, result: "skipped (not asked for)" });
    continue;
  }
  if (!scripts[script]) {
    outcomes.push({ name: script, result: "skipped: no such script in package.json" });
    continue;
  }
  if (process.exitCode === 130) break;
  console.log(`\n==================== npm run ${script} ====================\n`);
  const started = Date.now();
  const code = await run(script);
  const took = `${((Date.now() - started) / 1000).toFixed(0)} s`;
  outcomes.push({ name: script, result: code === 0 ? `ran in ${took}` : `FAILED (exit code ${code}) after ${took}` });
}

console.log("\n==================== benchmarks ====================");
const width = Math.max(...outcomes.map((o) => o.name.length));
for (const { name, result } of outcomes) console.log(`${name.padEnd(width)}  ${result}`);
if (outcomes.some((o) => o.result.startsWith("FAILED"))) process.exitCode = 1;
