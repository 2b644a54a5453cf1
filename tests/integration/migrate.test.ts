import { afterAll, describe, expect, inject, it } from "vitest";
import { migrate } from "../../db/migrate";
import { testDatabaseUrl } from "../support/db";
import { createDatabase, dropDatabase, uniqueDatabaseName, withDatabase } from "../support/pg";

const blank = uniqueDatabaseName("centurion_blank");

afterAll(async () => {
  await dropDatabase(inject("pgAdminUrl"), blank);
});

describe("migrate", () => {
  it("applies each migration once when several app instances start together on an empty database", async () => {
    await createDatabase(inject("pgAdminUrl"), blank);
    const url = withDatabase(inject("pgAdminUrl"), blank);
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    const applied = results.flat();
    expect(applied.length).toBeGreaterThan(0);
    expect(new Set(applied).size).toBe(applied.length);
    expect(results.filter((r) => r.length > 0)).toHaveLength(1);
  });

  it("does nothing on an up-to-date database", async () => {
    expect(await migrate(testDatabaseUrl())).toEqual([]);
  });
});
