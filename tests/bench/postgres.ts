// The PostgreSQL that bench:booking, bench:calendar, bench:pages, bench:startup and bench:memory run on: the
// server named by BENCH_DATABASE_URL (or TEST_DATABASE_URL), where they make a throwaway database and drop it
// afterwards, with its own settings (PostgreSQL's defaults are durable: fsync and synchronous_commit on);
// otherwise a throwaway embedded PostgreSQL started with those same durable defaults. Either way it prints
// the settings it ran with.
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres } from "../../server/embedded-postgres";
import { createDatabase, dropDatabase, uniqueDatabaseName, withClient, withDatabase } from "../support/pg";
import { log, onCleanup } from "./support";

export type BenchDatabase = { url: string; description: string };

/** A new empty database for this run (dropped, or its embedded server stopped, at cleanup). */
export async function benchDatabase(prefix: string): Promise<BenchDatabase> {
  const external = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL;
  let adminUrl: string;
  if (external) {
    adminUrl = external;
  } else {
    const dataDir = path.join(os.tmpdir(), uniqueDatabaseName("centurion-bench-pg"));
    const server = await startEmbeddedPostgres({ dataDir, persistent: false, durable: true });
    onCleanup({ name: "embedded PostgreSQL", run: () => server.stop() });
    adminUrl = server.url("postgres");
  }
  const name = uniqueDatabaseName(prefix);
  await createDatabase(adminUrl, name);
  if (external) onCleanup({ name: `drop ${name}`, run: () => dropDatabase(adminUrl, name) });
  const url = withDatabase(adminUrl, name);
  const settings = await withClient(url, async (client) => {
    const { rows } = await client.query<{ version: string; fsync: string; sync: string }>(
      "select current_setting('server_version') as version, current_setting('fsync') as fsync, current_setting('synchronous_commit') as sync",
    );
    return rows[0];
  });
  const durable = settings.fsync === "on" && settings.sync !== "off";
  const where = external ? `PostgreSQL ${settings.version} at ${new URL(adminUrl).host}` : `embedded PostgreSQL ${settings.version}`;
  const description = `${where}, database ${name}, fsync=${settings.fsync}, synchronous_commit=${settings.sync}${durable ? " (durable)" : " (NOT durable)"}`;
  log(`database: ${description}`);
  if (!durable)
    log("figures on a database that does not flush its commits; set BENCH_DATABASE_URL to a server with PostgreSQL's defaults for reported figures");
  return { url, description };
}
