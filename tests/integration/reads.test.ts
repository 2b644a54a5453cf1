// readTogether: a page's independent reads in one round trip, each answered in order.
import { describe, expect, it } from "vitest";
import { readOf, readTogether, runRead, type Read } from "~/modules/reads.server";
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

  it("fails as a whole when one statement fails (the page answers for it, as with any read)", async () => {
    const em = await forkEm();
    await expect(readTogether(em, [nameOf(1), readOf({ sql: "select * from no_such_table" }, (rows) => rows)])).rejects.toThrow(/no_such_table/);
  });
});
