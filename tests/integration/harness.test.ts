import { describe, expect, inject, it } from "vitest";
import { getOrm } from "~/modules/db.server";
import { User } from "~/modules/auth/auth.entities.server";
import { forkEm, testDatabaseUrl } from "../support/db";
import { cloneDatabase, databaseName, dropDatabase, uniqueDatabaseName, withClient, withDatabase } from "../support/pg";

async function currentDatabase(em: { getConnection(): { execute(sql: string): Promise<unknown> } }): Promise<string> {
  const rows = (await em.getConnection().execute("select current_database() as name")) as { name: string }[];
  return rows[0].name;
}

describe("integration test harness", () => {
  it("gives this file its own migrated, empty database", async () => {
    const em = await forkEm();
    const name = await currentDatabase(em);

    expect(name).toBe(databaseName(testDatabaseUrl()));
    expect(name).not.toBe(inject("pgTemplateDatabase"));
    expect(await em.count(User)).toBe(0);
  });

  it("points the app's own ORM at the same database", async () => {
    const orm = await getOrm();
    expect(await currentDatabase(orm.em.fork())).toBe(databaseName(testDatabaseUrl()));
  });

  it("keeps writes out of the template and other clones", async () => {
    const em = await forkEm();
    em.create(User, { email: "harness@centurion.test", name: "Harness", passwordHash: "not-a-real-hash" });
    await em.flush();
    expect(await em.fork().count(User)).toBe(1);

    const adminUrl = inject("pgAdminUrl");
    const other = uniqueDatabaseName("centurion_test");
    await cloneDatabase(adminUrl, inject("pgTemplateDatabase"), other);
    try {
      const rows = await withClient(withDatabase(adminUrl, other), (client) => client.query<{ count: number }>(`select count(*)::int as count from "user"`));
      expect(rows.rows[0].count).toBe(0);
    } finally {
      await dropDatabase(adminUrl, other);
    }
  });
});
