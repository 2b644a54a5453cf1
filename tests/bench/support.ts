// What the benchmarks share: undoing what they started (also on Ctrl-C), and the figures.

export type CleanupStep = { name: string; run: () => Promise<void> | void };

const steps: CleanupStep[] = [];
let cleaningUp: Promise<void> | undefined;
let interrupted = false;

/** Registers a step to undo at the end (newest first) and returns it, so it can be forgotten. */
export function onCleanup(step: CleanupStep): CleanupStep {
  steps.push(step);
  return step;
}

export function forgetCleanup(step: CleanupStep): void {
  const index = steps.indexOf(step);
  if (index >= 0) steps.splice(index, 1);
}

export const hasCleanup = (step: CleanupStep) => steps.includes(step);

/** Runs every registered step, newest first; safe to call more than once. */
export function cleanup(): Promise<void> {
  cleaningUp ??= (async () => {
    for (const step of steps.reverse()) {
      try {
        await step.run();
      } catch (error) {
        console.error(`[bench] cleanup (${step.name}) failed:`, error);
      }
    }
  })();
  return cleaningUp;
}

/** True once Ctrl-C or SIGTERM arrived: from then on the run's own output would only describe the teardown. */
export const wasInterrupted = () => interrupted;

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    console.error(`\n[bench] ${signal}: cleaning up`);
    void cleanup().finally(() => process.exit(130));
  });
}

export function log(message: string): void {
  if (!interrupted) console.log(`[bench] ${message}`);
}

export const ms = (value: number) => `${value.toFixed(1)} ms`;

/** Nearest-rank: the smallest value with at least q of the samples at or below it. */
function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

export function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => quantile(sorted, q);
  return { min: sorted[0], p50: at(0.5), p95: at(0.95), p99: at(0.99), max: sorted[sorted.length - 1] };
}
