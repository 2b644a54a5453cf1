import { MikroORM } from "@mikro-orm/postgresql";
import { Migrator } from "@mikro-orm/migrations";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { ormConfig } from "../app/modules/orm-config.server";

// Any fixed number: app instances starting together take turns, so each migration runs once.
const MIGRATION_LOCK_ID = 4_242_001;

/** Applies every committed migration that the database has not seen yet. */
export async function migrate(databaseUrl: string): Promise<string[]> {
  const lock = new pg.Client({ connectionString: databaseUrl });
  await lock.connect();
  try {
    await lock.query("select pg_advisory_lock($1)", [MIGRATION_LOCK_ID]);
    const orm = await MikroORM.init(ormConfig(databaseUrl, { extensions: [Migrator] }));
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

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { openDevDatabase } = await import("../server/dev-database");
  const database = await openDevDatabase();
  try {
    const applied = await migrate(database.url);
    console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.");
  } finally {
    await database.stop();
  }
}
