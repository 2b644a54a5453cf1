import type { TestProject } from "vitest/node";
import { migrate } from "../../db/migrate";
import { createDatabase, dropDatabase, uniqueDatabaseName, withClient, withDatabase } from "./pg";
import { startTestPostgres } from "./test-postgres";

declare module "vitest" {
  interface ProvidedContext {
    /** Connection URL allowed to create databases on the test server. */
    pgAdminUrl: string;
    /** Migrated database every test file's database is cloned from. */
    pgTemplateDatabase: string;
  }
}

/** Runs once per integration run: one server, one migrated template database. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let server;
  try {
    server = await startTestPostgres();
  } catch (error) {
    // Vitest 5.1 prints a failed global setup but can still exit with 0 ("No test files found"): fail the run.
    process.exitCode = 1;
    throw error;
  }
  const template = uniqueDatabaseName("centurion_tpl");
  try {
    await createDatabase(server.adminUrl, template);
    await migrate(withDatabase(server.adminUrl, template));
    // The test studio, like the demo one, does not require a second factor of coaches and admins (a new
    // studio does): tests sign staff in by cookie. Tests of that rule turn it on (two-factor.test.ts).
    await withClient(withDatabase(server.adminUrl, template), (client) =>
      client.query(`insert into system_settings (key, value, updated_at) values ('staffTwoFactorRequired', 'false'::jsonb, now())`),
    );
  } catch (error) {
    await dropDatabase(server.adminUrl, template).catch(() => {});
    await server.stop();
    throw error;
  }

  project.provide("pgAdminUrl", server.adminUrl);
  project.provide("pgTemplateDatabase", template);

  return async () => {
    try {
      // Dropping matters on a shared server; the embedded one is deleted wholesale anyway.
      if (server.kind === "external") await dropDatabase(server.adminUrl, template);
    } finally {
      await server.stop();
    }
  };
}
