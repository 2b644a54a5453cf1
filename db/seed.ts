import { MikroORM } from "@mikro-orm/postgresql";
import { SeedManager } from "@mikro-orm/seeder";
import { pathToFileURL } from "node:url";
import { ormConfig } from "../app/modules/orm-config.server";
import { migrate } from "./migrate";
import { demoSeedRefusal } from "./seed-guard";
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
    const refusal = await demoSeedRefusal(database.url, { nodeEnv: process.env.NODE_ENV, allowDemo: process.argv.includes("--allow-demo") });
    if (refusal) {
      console.error(refusal);
      process.exitCode = 1;
    } else {
      await seed(database.url);
      console.log("Demo data is in place.");
    }
  } finally {
    await database.stop();
  }
}
