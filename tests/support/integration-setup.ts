// Runs before every integration test file, in the file's worker, before the file's own imports:
// clones the migrated template into a database only this file uses and points DATABASE_URL at it.
import { afterAll, inject } from "vitest";
import { closeTestOrms } from "./db";
import { cloneDatabase, dropDatabase, uniqueDatabaseName, withDatabase } from "./pg";

const adminUrl = inject("pgAdminUrl");
const database = uniqueDatabaseName("centurion_test");

await cloneDatabase(adminUrl, inject("pgTemplateDatabase"), database);
process.env.DATABASE_URL = withDatabase(adminUrl, database);

// Registered first, so it runs after the test file's own afterAll hooks.
afterAll(async () => {
  await closeTestOrms();
  // The app keeps its ORM on globalThis; close it so the drop below does not cut live connections.
  const { closeOrm } = await import("~/modules/db.server");
  await closeOrm();
  await dropDatabase(adminUrl, database);
});
