import type { PostgreSqlConnection } from "@mikro-orm/postgresql";
import type { Pool } from "pg";
import { describe, expect, it } from "vitest";
import { getOrm } from "~/modules/db.server";

// ADR 33: a connection the app closed would cost the next rush a new PostgreSQL backend, cold, with none
// of the statements it had prepared (ADR 31, 32).
describe("the app's connection pool", () => {
  it("keeps every connection it has opened, however long it stays idle", async () => {
    const orm = await getOrm();
    const pool = (await (orm.em.getConnection() as PostgreSqlConnection).getNativeClient()) as unknown as Pool;
    expect(pool.options.min).toBe(pool.options.max);
    // pg-pool closes a connection idle this long unless the pool is at its minimum or below.
    pool.options.idleTimeoutMillis = 20;

    const backends = async () =>
      Promise.all(
        Array.from({ length: 3 }, async () => {
          const rows = await orm.em.fork().execute<{ pid: number }[]>("select pg_backend_pid() as pid, pg_sleep(0.05)");
          return rows[0].pid;
        }),
      );
    const first = await backends();
    expect(pool.totalCount).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 200));

    expect(pool.totalCount).toBe(3);
    expect(pool.idleCount).toBe(3);
    expect((await backends()).sort()).toEqual(first.sort());
  });
});
