import type { Express } from "express";
import type { AddressInfo } from "node:net";
import type { Logger } from "pino";

/** Starts listening and shuts down gracefully on SIGTERM/SIGINT: stop accepting, finish requests, close the pool. */
export function listen(
  app: Express,
  options: { host: string; port: number; logger: Logger; onShutdown: () => Promise<void>; anyPortIfBusy?: boolean },
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
      options.logger.info(`listening on ${url}`);
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
