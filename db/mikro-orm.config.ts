// Config for the MikroORM CLI (`npx mikro-orm migration:create`), which reads DATABASE_URL.
import { Migrator } from "@mikro-orm/migrations";
import { SeedManager } from "@mikro-orm/seeder";
import { ormConfig } from "../app/modules/orm-config.server";

export default ormConfig(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/centurion", {
  extensions: [Migrator, SeedManager],
});
