// readTogether: a page's independent reads in one round trip, as one prepared statement, each answered in
// order. executePrepared: a statement PostgreSQL plans once per connection. runAsOneQuery: statements in one
// round trip and one transaction, some of them prepared on the connection.
import type { PostgreSqlConnection } from "@mikro-orm/postgresql";
import { describe, expect, it } from "vitest";
import { executePrepared, formatStatement, readOf, readTogether, runAsOneQuery, runRead, type Read } from "~/modules/reads.server";
import { forkEm } from "../support/db";
import { createUser } from "../support/factories";
import { recordStatements } from "../support/sql-count";

const nameOf = (id: number) => readOf({ sql: `select name from "user" where id = ?`, params: [id] }, (rows: { name: string }[]) => rows[0]?.name ?? null);

describe("readTogether", () => {
  it("sends every statement of every read in one round trip and answers each read with its own rows, in order", async () => {
    const em = await forkEm();
    const [ann, bob] = [await createUser(em, { name: "Ann Reader" }), await createUser(em, { name: "Bob Reader" })];
    const both: Read<string> = {
      statements: [{ sql: `select count(*)::int as n from "user" where id in (?, ?)`, params: [ann.id, bob.id] }, { sql: `select 'two statements' as label` }],
      answer: ([[{ n }], [{ label }]]) => `${n} users, ${label}`,
    };
    const { result, statements } = await recordStatements(() => readTogether(em, [nameOf(bob.id), both, nameOf(ann.id), nameOf(-1)]));
    expect(result).toEqual(["Bob Reader", "2 users, two statements", "Ann Reader", null]);
    expect(statements).toHaveLength(1);
  });

  it("writes each value into its own statement, so a ? or a quote inside a value is only a character", async () => {
    const em = await forkEm();
    const tricky = await createUser(em, { name: "O'Brien? (really)" });
    const [byName, literal] = await readTogether(em, [
      readOf({ sql: `select id from "user" where name = ?`, params: [tricky.name] }, (rows: { id: number }[]) => rows.map((r) => r.id)),
      readOf({ sql: `select ? as text`, params: ["?; drop table user; --"] }, (rows: { text: string }[]) => rows[0].text),
    ]);
    expect(byName).toEqual([tricky.id]);
    expect(literal).toBe("?; drop table user; --");
  });

  it("inside a transaction reads on the transaction's connection, so it sees what the transaction wrote", async () => {
    const em = await forkEm();
    const user = await createUser(em, { name: "Before" });
    await em.transactional(async (tx) => {
      await tx.execute(`update "user" set name = 'Inside' where id = ?`, [user.id]);
      expect(await readTogether(tx, [nameOf(user.id), nameOf(user.id)])).toEqual(["Inside", "Inside"]);
      expect(await runRead(tx, nameOf(user.id))).toBe("Inside");
    });
  });

  it("is one prepared statement, so PostgreSQL plans it once per connection, whatever the values", async () => {
    const em = await forkEm();
    const tagged = (id: number) =>
      readOf({ sql: `select name from "user" where id = ? /* together-test */`, params: [id] }, (rows: { name: string }[]) => rows);
    for (let id = 1; id <= 3; id++) await readTogether(em, [tagged(id), nameOf(id)]);
    const pool = await (em.getConnection() as PostgreSqlConnection).getNativeClient();
    const { rows } = await pool.query(`select generic_plans + custom_plans as runs from pg_prepared_statements where statement like '%/* together-test */%'`);
    expect(rows).toEqual([{ runs: "3" }]);
  });

  it("keeps each statement's own order, and answers its rows as JSON does (a count is a number, a date a string)", async () => {
    const em = await forkEm();
    const [shuffled, typed] = await readTogether(em, [
      readOf({ sql: `select n from generate_series(1, 2000) n order by md5(n::text), n` }, (rows: { n: number }[]) => rows.map((r) => r.n)),
      readOf({ sql: `select count(*) as n, date '2026-03-29' as day, 1.5::float8 as half, true as yes, null as nothing` }, (rows) => rows[0]),
    ]);
    const expected = Array.from({ length: 2000 }, (_, i) => i + 1);
    expect((await em.execute<{ n: number }[]>(`select n from generate_series(1, 2000) n order by md5(n::text), n`)).map((r) => r.n)).toEqual(shuffled);
    expect([...shuffled].sort((a, b) => a - b)).toEqual(expected);
    expect(shuffled).not.toEqual(expected);
    expect(typed).toEqual({ n: 1, day: "2026-03-29", half: 1.5, yes: true, nothing: null });
  });

  it("fails as a whole when one statement fails (the page answers for it, as with any read)", async () => {
    const em = await forkEm();
    await expect(readTogether(em, [nameOf(1), readOf({ sql: "select * from no_such_table" }, (rows) => rows)])).rejects.toThrow(/no_such_table/);
  });
});

describe("executePrepared", () => {
  const byName = { sql: `select id, name from "user" where name = ? and id >= ? order by id`, params: [] as unknown[] };

  it("answers the rows em.execute answers, with values sent apart from the text (a quote or a ? is only a character)", async () => {
    const em = await forkEm();
    const tricky = await createUser(em, { name: "O'Prepared? (really)" });
    const statement = { ...byName, params: [tricky.name, 0] };
    expect(await executePrepared(em, statement)).toEqual(await em.execute(statement.sql, statement.params));
    expect(await executePrepared(em, statement)).toEqual([{ id: tricky.id, name: tricky.name }]);
    expect(await executePrepared(em, { sql: `select ?::text as text`, params: ["?; drop table user; --"] })).toEqual([{ text: "?; drop table user; --" }]);
  });

  it("is prepared once on a connection and run from there again: PostgreSQL lists it with every run", async () => {
    const em = await forkEm();
    const statement = { sql: `select id from "user" where email = ? and id > ? /* prepared-test */`, params: ["nobody@example.test", 0] };
    for (let i = 0; i < 3; i++) expect(await executePrepared(em, statement)).toEqual([]);
    // One after another, the calls took the same idle connection (the pool hands out the last one released), as does this.
    const pool = await (em.getConnection() as PostgreSqlConnection).getNativeClient();
    const { rows } = await pool.query(`select generic_plans + custom_plans as runs from pg_prepared_statements where statement like '%/* prepared-test */'`);
    expect(rows).toEqual([{ runs: "3" }]);
  });

  it("inside a transaction runs on the transaction's connection, so it sees what the transaction wrote", async () => {
    const em = await forkEm();
    const user = await createUser(em, { name: "Before prepared" });
    await em.transactional(async (tx) => {
      await tx.execute(`update "user" set name = 'Inside prepared' where id = ?`, [user.id]);
      expect(await executePrepared(tx, { sql: `select name from "user" where id = ?`, params: [user.id] })).toEqual([{ name: "Inside prepared" }]);
    });
  });

  it("refuses an array value, which a prepared statement and em.execute would read differently, before sending anything", async () => {
    const em = await forkEm();
    const { statements, result } = await recordStatements(() =>
      executePrepared(em, { sql: `select 1 where 'A' = any(array[?]::text[])`, params: [["A", "B"]] }).catch((error: Error) => error.message),
    );
    expect(result).toMatch(/no array values/);
    expect(statements).toEqual([]);
  });

  it("refuses a statement whose ?s and values do not pair up, before sending anything", async () => {
    const em = await forkEm();
    const { statements, result } = await recordStatements(() =>
      executePrepared(em, { sql: `select ? as a, ? as b`, params: [1] }).catch((error: Error) => error.message),
    );
    expect(result).toMatch(/one value per "\?": 2 "\?", 1 values/);
    expect(statements).toEqual([]);
  });
});

describe("runAsOneQuery", () => {
  const nameNow = async (id: number) => (await (await forkEm()).execute<{ name: string }[]>(`select name from "user" where id = ?`, [id]))[0].name;
  const plannedRuns = async (em: Awaited<ReturnType<typeof forkEm>>, tag: string) => {
    const pool = await (em.getConnection() as PostgreSqlConnection).getNativeClient();
    const { rows } = await pool.query(`select generic_plans + custom_plans as runs from pg_prepared_statements where statement like '%/* ${tag} */%'`);
    return rows;
  };

  it("runs texts and prepared statements in order as one round trip, and prepares each statement once on its connection", async () => {
    const em = await forkEm();
    const user = await createUser(em, { name: "O'Query? (one)" });
    const byId = { sql: `select name from "user" where id = ? /* one-query-test */`, params: [user.id] };
    for (let i = 0; i < 3; i++) {
      const { result, statements } = await recordStatements(() =>
        runAsOneQuery(em, [
          formatStatement(em, { sql: "select ? as text", params: ["?; it's text"] }),
          byId,
          { sql: "select ?::text as echo", params: ["O'Query?"] },
        ]),
      );
      expect(result).toEqual([[{ text: "?; it's text" }], [{ name: user.name }], [{ echo: "O'Query?" }]]);
      expect(statements).toHaveLength(1);
      expect(statements[0].match(/\bprepare /g) ?? []).toHaveLength(i === 0 ? 2 : 0);
    }
    // Both statements, prepared by the first call (PostgreSQL files a PREPARE under the whole query that sent it), ran three times each.
    expect(await plannedRuns(em, "one-query-test")).toEqual([{ runs: "3" }, { runs: "3" }]);
  });

  it("is one transaction: a failing statement undoes those before it, and the next call prepares again what did not hold", async () => {
    const em = await forkEm();
    const user = await createUser(em, { name: "Unchanged" });
    const rename = { sql: `update "user" set name = ? where id = ? /* rename-test */`, params: ["Renamed", user.id] };
    await expect(runAsOneQuery(em, [rename, "select 1 / 0"])).rejects.toThrow(/division by zero/);
    expect(await nameNow(user.id)).toBe("Unchanged");
    // A statement PostgreSQL refuses to prepare fails the call, and leaves the others usable.
    await expect(runAsOneQuery(em, [{ sql: 'select no_such_column from "user" where id = ?', params: [user.id] }, rename])).rejects.toThrow(/no_such_column/);
    await runAsOneQuery(em, [rename]);
    expect(await nameNow(user.id)).toBe("Renamed");
  });

  it("answers a connection lost under it as its own error, and leaves the pool working", async () => {
    const em = await forkEm();
    const pool = await (em.getConnection() as PostgreSqlConnection).getNativeClient();
    const sleeping = runAsOneQuery(em, ["select pg_sleep(10) /* lost-connection-test */"]);
    const caught = sleeping.catch((error: Error) => error);
    await expect
      .poll(
        async () =>
          (await pool.query(`select count(*)::int as n from pg_stat_activity where query like '%/* lost-connection-test */' and pid <> pg_backend_pid()`))
            .rows[0].n,
      )
      .toBe(1);
    await pool.query(`select pg_terminate_backend(pid) from pg_stat_activity where query like '%/* lost-connection-test */' and pid <> pg_backend_pid()`);
    expect(String(await caught)).toMatch(/terminat/i);
    expect(await runAsOneQuery(em, ["select 1 as one"])).toEqual([[{ one: 1 }]]);
  });

  it("refuses an array value for a prepared statement, before sending anything", async () => {
    const em = await forkEm();
    const { statements, result } = await recordStatements(() =>
      runAsOneQuery(em, [{ sql: "select 1 where 1 = any(array[?]::int[])", params: [[1, 2]] }]).catch((error: Error) => error.message),
    );
    expect(result).toMatch(/no array values/);
    expect(statements).toEqual([]);
  });
});
