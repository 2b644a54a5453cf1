// The backup and restore procedure of docs/operations.md, run as written: pg_dump in the custom format of
// a seeded database, pg_restore into a new database, and every row found again (row count and checksum per
// table), with the sequences, constraints and indexes, and the migrations table the app starts from.
//
// The tools must be the server's major version. The server is the integration run's own when its tools are
// installed (CI's second run, on the machine's PostgreSQL 15). The embedded PostgreSQL 18 of the default
// run comes without pg_dump (neither npm nor Debian 12 ships an 18 client), so then the procedure runs on a
// scratch cluster of the newest PostgreSQL installed here with its own tools; with neither, the test fails
// and says what to install (docs/decisions/0028-database-outages-and-backups.md).
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrate } from "../../db/migrate";
import { seed } from "../../db/seed";
import { createDatabase, dropDatabase, quoteIdent, uniqueDatabaseName, withClient, withDatabase, type PgClient } from "../support/pg";
import { findLocalInstallation, findPgTools, serverMajor, startScratchCluster, type PgTools, type ScratchCluster } from "../support/pg-tools";

let adminUrl: string;
let tools: PgTools;
let scratch: ScratchCluster | undefined;
let where: string;
const source = uniqueDatabaseName("centurion_backup_src");
const restored = uniqueDatabaseName("centurion_backup_dst");
const workDir = mkdtempSync(path.join(os.tmpdir(), "centurion-backup-"));
const dumpFile = path.join(workDir, "centurion.dump");

beforeAll(async () => {
  const integrationUrl = inject("pgAdminUrl");
  const major = await serverMajor(integrationUrl);
  const found = findPgTools(major);
  if (found.tools) {
    adminUrl = integrationUrl;
    tools = found.tools;
    where = `the integration run's PostgreSQL ${major}`;
  } else {
    const local = findLocalInstallation();
    if (!local) {
      throw new Error(
        `No pg_dump and pg_restore of PostgreSQL ${major} (the server's version) were found, in: ${found.searched.join(", ")}; ` +
          `and no local PostgreSQL installation with its own tools to run the procedure on instead. ` +
          `Install the PostgreSQL ${major} client programs (e.g. postgresql-client-${major}), or point PG_BIN_DIR at them.`,
      );
    }
    scratch = await startScratchCluster(local);
    adminUrl = scratch.adminUrl;
    tools = local;
    where = `a scratch PostgreSQL ${local.major} cluster (no PostgreSQL ${major} tools for the integration server)`;
  }
  await createDatabase(adminUrl, source);
  await migrate(withDatabase(adminUrl, source));
  await seed(withDatabase(adminUrl, source));
}, 300_000);

afterAll(async () => {
  try {
    if (adminUrl) for (const name of [source, restored]) await dropDatabase(adminUrl, name);
  } finally {
    await scratch?.stop();
    rmSync(workDir, { recursive: true, force: true });
  }
}, 120_000);

function runTool(program: string, args: string[]): string {
  const result = spawnSync(program, args, { encoding: "utf8", timeout: 240_000, env: { ...process.env, PGCONNECT_TIMEOUT: "30" } });
  if (result.status !== 0) throw new Error(`${path.basename(program)} ${args.join(" ")} failed (${result.status ?? result.signal}):\n${result.stderr}`);
  return result.stdout;
}

/** Every table of the database (all schemas but the system's), as "schema.table". */
async function tablesOf(client: PgClient): Promise<string[]> {
  const rows = await client.query<{ name: string }>(
    `select table_schema || '.' || table_name as name from information_schema.tables
      where table_type = 'BASE TABLE' and table_schema not in ('pg_catalog', 'information_schema') order by 1`,
  );
  return rows.rows.map((row) => row.name);
}

/** Row count and a checksum of every row's text, in a fixed order, per table. */
async function contentsOf(url: string): Promise<Record<string, { rows: number; md5: string }>> {
  return withClient(url, async (client) => {
    const contents: Record<string, { rows: number; md5: string }> = {};
    for (const table of await tablesOf(client)) {
      const [schema, name] = table.split(".");
      const { rows } = await client.query<{ rows: string; md5: string | null }>(
        `select count(*) as rows, md5(coalesce(string_agg(t::text, E'\\n' order by t::text), '')) as md5 from ${quoteIdent(schema)}.${quoteIdent(name)} t`,
      );
      contents[table] = { rows: Number(rows[0].rows), md5: rows[0].md5 ?? "" };
    }
    return contents;
  });
}

/** Where each sequence stands, and every constraint and index with its definition. */
async function structureOf(url: string) {
  return withClient(url, async (client) => {
    const sequences = await client.query<{ name: string; last_value: string | null }>(
      `select schemaname || '.' || sequencename as name, last_value::text from pg_sequences order by 1`,
    );
    const constraints = await client.query<{ name: string; definition: string }>(
      `select n.nspname || '.' || c.conrelid::regclass || '.' || c.conname as name, pg_get_constraintdef(c.oid) as definition
         from pg_constraint c join pg_namespace n on n.oid = c.connamespace
        where n.nspname not in ('pg_catalog', 'information_schema') order by 1`,
    );
    const indexes = await client.query<{ name: string; definition: string }>(
      `select schemaname || '.' || indexname as name, indexdef as definition from pg_indexes
        where schemaname not in ('pg_catalog', 'information_schema') order by 1`,
    );
    return { sequences: sequences.rows, constraints: constraints.rows, indexes: indexes.rows };
  });
}

describe(`backup and restore (docs/operations.md)`, () => {
  it("pg_dump's custom format restored by pg_restore into a new database holds every row, sequence, constraint and index", async () => {
    console.info(`backup and restore on ${where}, with ${tools.pgDump} and ${tools.pgRestore}`);
    const sourceUrl = withDatabase(adminUrl, source);
    const restoredUrl = withDatabase(adminUrl, restored);

    // 1. The backup, as docs/operations.md gives it.
    runTool(tools.pgDump, ["--format=custom", "--no-owner", "--no-privileges", `--file=${dumpFile}`, `--dbname=${sourceUrl}`]);
    expect(statSync(dumpFile).size).toBeGreaterThan(0);
    // The archive reads back and lists the app's tables.
    const listing = runTool(tools.pgRestore, ["--list", dumpFile]);
    expect(listing).toMatch(/TABLE DATA public session_registration/);
    expect(listing).toMatch(/TABLE DATA public mikro_orm_migrations/);

    // 2. The restore into a new, empty database: all or nothing.
    await createDatabase(adminUrl, restored);
    runTool(tools.pgRestore, ["--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", `--dbname=${restoredUrl}`, dumpFile]);

    // 3. Every row of every table, and the schema that guards them.
    const before = await contentsOf(sourceUrl);
    const after = await contentsOf(restoredUrl);
    expect(Object.keys(after)).toEqual(Object.keys(before));
    expect(after).toEqual(before);
    // The seed gave the checks something to find: people, classes, bookings, memberships.
    for (const table of ["public.user", "public.session", "public.session_registration", "public.user_membership", "public.membership_plan"]) {
      expect(before[table]?.rows, table).toBeGreaterThan(0);
    }
    expect(Object.values(before).filter((table) => table.rows > 0).length).toBeGreaterThanOrEqual(10);
    expect(await structureOf(restoredUrl)).toEqual(await structureOf(sourceUrl));

    // 4. The app starts from it: its migrations table came along, so there is nothing to apply.
    expect(await migrate(restoredUrl)).toEqual([]);
    // New rows take new ids (the sequences were restored, not reset).
    await withClient(restoredUrl, async (client) => {
      const { rows } = await client.query<{ next: string; max: string }>(
        `select nextval('session_registration_id_seq') as next, (select max(id) from session_registration) as max`,
      );
      expect(Number(rows[0].next)).toBeGreaterThan(Number(rows[0].max));
    });
  }, 300_000);
});
