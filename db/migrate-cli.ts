// `npm run db:migrate` (node build/server/migrate.js, after `npm run build`; from source: npx tsx db/migrate-cli.ts):
// applies the committed migrations to DATABASE_URL, else to the embedded development database.
import { openDevDatabase } from "../server/dev-database";
import { migrate } from "./migrate";

const database = await openDevDatabase();
try {
  const applied = await migrate(database.url);
  console.log(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database is up to date.");
} finally {
  await database.stop();
}
