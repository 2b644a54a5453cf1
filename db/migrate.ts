import { MikroORM } from "@mikro-orm/postgresql";
import { Migrator } from "@mikro-orm/migrations";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { ormConfig } from "../app/modules/orm-config.server";

// Any fixed number: app instances starting together take turns, so each migration runs once.
const MIGRATION_LOCK_ID = 4_242_001;

// The migrations beside this code: db/migrations (TypeScript) when it runs from source (tsx, Vitest), and
// build/server/migrations (the same, compiled by scripts/build-server.mjs) in the built server, which runs
// on plain node.
const MIGRATIONS_DIR = fileURLToPath(new URL("./migrations", import.meta.url));

/** The migrations' names (their files' names without the extension), as MikroORM's migrator reads them. */
function migrationNames(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((file) => /\.(js|ts)$/.test(file) && !file.endsWith(".d.ts"))
    .map((file) => file.replace(/\.(js|ts)$/, ""));
}

/** Whether the database lacks any of the migrations: one query, so that a start with nothing to apply skips the migrator. */
async function anyPending(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ found: string | null }>("select to_regclass('mikro_orm_migrations')::text as found");
  if (!rows[0].found) return true;
  const applied = await client.query<{ name: string }>("select name from mikro_orm_migrations");
  const done = new Set(applied.rows.map((row) => row.name.replace(/\.(js|ts)$/, "")));
  return migrationNames().some((name) => !done.has(name));
}

/** Applies every committed migration that the database has not seen yet. */
export async function migrate(databaseUrl: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    if (!(await anyPending(lock))) return [];
    const config = ormConfig(databaseUrl, { extensions: [Migrator] });
    const orm = await MikroORM.init({ ...config, migrations: { ...config.migrations, path: MIGRATIONS_DIR, pathTs: MIGRATIONS_DIR } });
    try {
      const applied = await orm.migrator.up();
      return applied.map((m) => m.name);
    } finally {
      await orm.close();
    }
  } finally {
    await lock.query("select pg_advisory_unlock($1)", [MIGRATION_LOCK_ID]).catch(() => {});
    await lock.end();
  }
}
