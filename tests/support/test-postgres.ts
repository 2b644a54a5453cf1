import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../server/embedded-postgres";
import { uniqueDatabaseName, withClient } from "./pg";

export type TestPostgres = {
  /** A connection URL with rights to create and drop databases. */
  adminUrl: string;
  /** "external" when TEST_DATABASE_URL points at an existing server. */
  kind: "embedded" | "external";
  stop: () => Promise<void>;
};

/**
 * The PostgreSQL server tests run against: the one named by TEST_DATABASE_URL if set (only fresh,
 * uniquely named databases are created there), otherwise a throwaway embedded server in the temp dir.
 */
export async function startTestPostgres(options: { log?: (line: string) => void } = {}): Promise<TestPostgres> {
  const external = process.env.TEST_DATABASE_URL;
  if (external) {
    await withClient(external, (client) => client.query("select 1"));
    return { adminUrl: external, kind: "external", stop: async () => {} };
  }
  const server = await startEmbeddedPostgres({
    dataDir: path.join(os.tmpdir(), uniqueDatabaseName("centurion-pg")),
    persistent: false,
    log: options.log,
  });
  return { adminUrl: server.url("postgres"), kind: "embedded", stop: () => server.stop() };
}
