import { defineConfig, type Options } from "@mikro-orm/postgresql";
import { entities } from "./entities.server";

export const MIGRATIONS_PATH = "db/migrations";

/** One place for the ORM's options, shared by the app, the migration scripts, the CLI and the tests. */
export function ormConfig(clientUrl: string, extra: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities,
    allowGlobalContext: false,
    pool: { min: 0, max: Number(process.env.DATABASE_POOL_MAX ?? 10) },
    migrations: {
      path: MIGRATIONS_PATH,
      pathTs: MIGRATIONS_PATH,
      glob: "!(*.d).{js,ts}",
      emit: "ts",
      snapshot: true,
      snapshotName: ".snapshot-centurion",
      transactional: true,
      allOrNothing: true,
    },
    ...extra,
  });
}
