import { MikroORM } from "@mikro-orm/postgresql";
import { SeedManager } from "@mikro-orm/seeder";
import { pathToFileURL } from "node:url";
import { ormConfig } from "../app/modules/orm-config.server";
import { migrate } from "./migrate";
import { DatabaseSeeder } from "./seeders/DatabaseSeeder";

/** Fills a migrated database with the demo studio (idempotent). */
export async function seed(databaseUrl: string): Promise<void> {
  const orm = await MikroORM.init(ormConfig(databaseUrl, { extensions: [SeedManager] }));
  try {
    await orm.seeder.seed(DatabaseSeeder);
  } finally {
    await orm.close();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const { openDevDatabase } = await import("../server/dev-database");
  const database = await openDevDatabase();
  try {
    await migrate(database.url);
    await seed(database.url);
    console.log("Demo data is in place.");
  } finally {
    await database.stop();
  }
}
