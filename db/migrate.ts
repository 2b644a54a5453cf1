import { MikroORM } from "@mikro-orm/postgresql";
import { Migrator } from "@mikro-orm/migrations";
import { pathToFileURL } from "node:url";
import { ormConfig } from "../app/utils/orm-config.server";

/** Applies every committed migration that the database has not seen yet. */
export async function migrate(databaseUrl: string): Promise<string[]> {
  const orm = await MikroORM.init(ormConfig(databaseUrl, { extensions: [Migrator] }));
  try {
    const applied = await orm.migrator.up();
    return applied.map((m) => m.name);
  } finally {
    await orm.close();
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
