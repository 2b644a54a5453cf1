import type { Express } from "express";
import type { AddressInfo } from "node:net";
import { performance } from "node:perf_hooks";
import type { Logger } from "pino";

/** Starts listening and shuts down gracefully on SIGTERM/SIGINT: stop accepting, finish requests, close the pool. */
export function listen(
  app: Express,
  options: {
    host: string;
    port: number;
    logger: Logger;
    onShutdown: () => Promise<void>;
    anyPortIfBusy?: boolean;
    /** Durations of the start's steps, logged with the "listening" line. */
    startup?: Record<string, number>;
  },
): Promise<{ url: string; close: () => Promise<void> }> {
  return new Promise((resolve) => {
    const server = app.listen(options.port, options.host);
    server.once("error", (error: NodeJS.ErrnoException) => {
      if (error.code !== "EADDRINUSE" || !options.anyPortIfBusy) throw error;
      options.logger.warn(`port ${options.port} is busy; using a free one`);
      server.listen(0, options.host);
    });
    server.on("listening", () => {
      const { port } = server.address() as AddressInfo;
      const shownHost = options.host === "0.0.0.0" ? "localhost" : options.host;
      const url = `http://${shownHost}:${port}`;
      // Since the process started (performance's time origin), so migrations and loading the build included;
      // and the CPU time it took, which depends less on what else the machine is doing.
      const startupMs = Math.round(performance.now());
      const { user, system } = process.cpuUsage();
      const cpuMs = Math.round((user + system) / 1000);
      options.logger.info({ startupMs, cpuMs, ...options.startup }, `listening on ${url}, ${startupMs} ms after the process started`);
      resolve({ url, close: shutdown });
    });
    let closing: Promise<void> | undefined;
    function shutdown(): Promise<void> {
      closing ??= (async () => {
        options.logger.info("shutting down");
        server.closeIdleConnections();
        const force = setTimeout(() => server.closeAllConnections(), 10_000);
        force.unref();
        await new Promise<void>((done) => server.close(() => done()));
        await options.onShutdown();
      })();
      return closing;
    }
    for (const signal of ["SIGTERM", "SIGINT"] as const) {
      process.once(signal, () => {
        shutdown()
          .then(() => process.exit(0))
          .catch((error) => {
            options.logger.error({ err: error }, "shutdown failed");
            process.exit(1);
          });
      });
    }
  });
}

/**
 * `kill -USR2 <pid>` logs the process's memory (bytes; npm run bench:memory asks this way), after a full
 * garbage collection when node runs with --expose-gc (the benchmark's instances do), so that the heap
 * figure is what is still live. Logged even when LOG_LEVEL is above info: someone asked for it.
 */
export function logMemoryOnSignal(logger: Logger): void {
  const memoryLogger = logger.child({}, { level: "info" });
  process.on("SIGUSR2", () => {
    (globalThis as { gc?: () => void }).gc?.();
    const { rss, heapTotal, heapUsed, external, arrayBuffers } = process.memoryUsage();
    memoryLogger.info({ memory: { rss, heapTotal, heapUsed, external, arrayBuffers } }, "memory");
  });
}
