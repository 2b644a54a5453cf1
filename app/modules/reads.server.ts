// Reads a page sends together: a page whose reads do not depend on each other waits for one round trip, not
// one per read (docs/decisions/0030), and PostgreSQL plans them once per connection, not on every request
// (docs/decisions/0032). Each read says what to make of its rows, so a service can offer a read for a page
// to batch and still run it on its own.
import type { EntityManager, PostgreSqlConnection } from "@mikro-orm/postgresql";
import { createHash } from "node:crypto";

/** One SQL statement, with `?` placeholders as em.execute takes them. */
export type Statement = { sql: string; params?: readonly unknown[] };

/**
 * The statements of one read, and what to make of their rows (one array per statement, in order). The rows
 * arrive as JSON (see readTogether): a count is a number, a timestamp an ISO string, a date "YYYY-MM-DD".
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows are typed by each read's own answer
export type Read<T> = { statements: Statement[]; answer: (rows: any[][]) => T };

/** A read of one statement. */
export function readOf<Row, T>(statement: Statement, answer: (rows: Row[]) => T): Read<T> {
  return { statements: [statement], answer: ([rows]) => answer(rows as Row[]) };
}

/** Runs one read (its statements still in one round trip). */
export async function runRead<T>(em: EntityManager, read: Read<T>): Promise<T> {
  const [answer] = await readTogether(em, [read]);
  return answer;
}

/**
 * Runs reads in one round trip and answers each: their statements become one prepared statement (see
 * executePrepared) with a column per statement holding its rows as a JSON array, in the statement's order.
 * Reads only. Inside a transaction it runs on the transaction's connection.
 */
export async function readTogether<T extends unknown[]>(em: EntityManager, reads: { [K in keyof T]: Read<T[K]> }): Promise<T> {
  const statements = reads.flatMap((read) => read.statements);
  const [row] = await executePrepared<Record<string, unknown[]>>(em, asOneStatement(statements));
  let next = 0;
  return reads.map((read) => read.answer(read.statements.map(() => row[`r${next++}`]))) as T;
}

/**
 * `select (rows of the first as JSON) as r0, (… of the second) as r1, …`. json_agg takes the rows as the
 * statement gives them, so a statement's own `order by` holds: each is the only thing its aggregate reads.
 */
function asOneStatement(statements: Statement[]): Statement {
  return {
    sql: `select ${statements.map(({ sql }, i) => `(select coalesce(json_agg(x), '[]'::json) from (${sql}) x) as r${i}`).join(",\n       ")}`,
    params: statements.flatMap(({ params = [] }) => params),
  };
}

/**
 * A statement with its values written in, as em.execute sends it. One statement at a time: formatQuery
 * would take a "?" inside an already quoted value for a placeholder.
 */
export function formatStatement(em: EntityManager, { sql, params = [] }: Statement): string {
  return em.getPlatform().formatQuery(sql, [...params]);
}

/**
 * Sends statements as one simple query on a connection of its own: PostgreSQL runs them in turn as one
 * implicit transaction (an error in any rolls back all) and answers each one's rows, in order. A string goes
 * as it is (values already written in, see formatStatement). A Statement is prepared on the connection with
 * SQL's PREPARE, sent in front of the others the first time that connection runs it, and then run as
 * `EXECUTE name(values)`: PostgreSQL plans it once per connection, as executePrepared does for a statement
 * on its own (docs/decisions/0032).
 */
export async function runAsOneQuery(em: EntityManager, statements: (string | Statement)[]): Promise<unknown[][]> {
  const parts = statements.map((statement) => {
    if (typeof statement === "string") return { text: statement };
    const params = [...(statement.params ?? [])];
    const { name, text } = preparedOf(statement.sql, params, "s_");
    const values = params.length ? `(${formatStatement(em, { sql: params.map(() => "?").join(", "), params })})` : "";
    return { text: `execute ${name}${values}`, prepare: { name, text } };
  });
  const pool = (await (em.getConnection() as PostgreSqlConnection).getNativeClient()) as unknown as Pool;
  const client = await pool.connect();
  const known = preparedOn.get(client) ?? new Set<string>();
  preparedOn.set(client, known);
  const preparing = new Map<string, string>();
  for (const { prepare } of parts) if (prepare && !known.has(prepare.name)) preparing.set(prepare.name, prepare.text);
  const sent = [...[...preparing].map(([name, text]) => `prepare ${name} as ${text}`), ...parts.map(({ text }) => text)];
  // Released with the error when the connection itself failed, so that the pool drops it.
  let broken: Error | undefined;
  try {
    const results = (await client.query(sent.join(";\n"))) as unknown as { rows: unknown[] }[] | { rows: unknown[] };
    for (const name of preparing.keys()) known.add(name);
    return (Array.isArray(results) ? results : [results]).slice(preparing.size).map((result) => result.rows);
  } catch (error) {
    // PostgreSQL refused a statement (an SQLSTATE): the connection is fine. A PREPARE holds even when a later
    // statement fails, and one that failed holds nothing: ask the connection. Anything else: drop it.
    if (typeof (error as { code?: unknown }).code !== "string") broken = error as Error;
    else {
      known.clear();
      const { rows } = await client.query<{ name: string }>("select name from pg_prepared_statements").catch(() => ({ rows: [] }));
      for (const { name } of rows) known.add(name);
    }
    throw error;
  } finally {
    client.release(broken);
  }
}

type PoolClient = { query<R>(text: string): Promise<{ rows: R[] }>; release(error?: Error): void };
type Pool = { connect(): Promise<PoolClient> };

/** The statements each connection has prepared with SQL's PREPARE (runAsOneQuery). */
const preparedOn = new WeakMap<object, Set<string>>();

/** Constant values (statuses from the rules) as a list of SQL string literals, for `in (…)` or `array[…]`. */
export function sqlTextList(values: readonly string[]): string {
  return values.map((value) => `'${value.replaceAll("'", "''")}'`).join(", ");
}

/**
 * Runs one statement as a named prepared statement: PostgreSQL parses and plans it once per connection and
 * keeps the plan, where a statement sent as text is planned again each time. Planning the sign-in's lookup
 * or the booking's first read costs PostgreSQL several times what running it does (docs/decisions/0031), so
 * the statements on every request's path go this way. Inside a transaction: em.execute, as text, on its
 * connection.
 */
export async function executePrepared<Row>(em: EntityManager, statement: Statement): Promise<Row[]> {
  const params = [...(statement.params ?? [])];
  const { name, text } = preparedOf(statement.sql, params);
  if (em.isInTransaction()) return em.execute<Row[]>(statement.sql, params);
  const pool = await (em.getConnection() as PostgreSqlConnection).getNativeClient();
  const result = (await pool.query({ name, text, values: params })) as unknown as { rows: Row[] };
  return result.rows;
}

const prepared = new Map<string, { name: string; text: string }>();

/**
 * The statement with $1… for its `?`s, and a name that is the same for the same text on every connection
 * (prefixed: a protocol-level statement, c_, and one of SQL's PREPARE, s_, share one namespace). Refuses
 * an array value: em.execute writes an array out as a list, a prepared statement sends it as one value, so
 * the same `array[?]` would mean two things. Constant lists go into the text (sqlTextList).
 */
function preparedOf(sql: string, params: unknown[], prefix = "c_"): { name: string; text: string } {
  if (params.some(Array.isArray)) throw new Error("a prepared statement takes no array values: write constant lists into its text (sqlTextList)");
  const paramCount = params.length;
  const key = prefix + sql;
  let found = prepared.get(key);
  if (!found) {
    const pieces = sql.split("?");
    if (pieces.length - 1 !== paramCount) throw new Error(`a prepared statement needs one value per "?": ${pieces.length - 1} "?", ${paramCount} values`);
    const text = pieces.reduce((all, piece, i) => `${all}$${i}${piece}`);
    found = { name: `${prefix}${createHash("sha1").update(text).digest("hex").slice(0, 20)}`, text };
    prepared.set(key, found);
  }
  return found;
}
