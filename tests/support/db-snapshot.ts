// Every row of every table of this test file's database, to prove that a request changed nothing (or only
// what it may). `fingerprint` is one cheap query (an MD5 per table); the rows themselves are read only for
// the tables whose fingerprint moved, so a test can name exactly which row and column changed.
import { forkEm } from "./db";

/** Columns written by reads by design, left out of every comparison. */
export const IGNORED_COLUMNS: Record<string, readonly string[]> = {
  // A signed-in request writes when it last saw the session (at most every 5 minutes, AUTH_SESSION_TOUCH_MS),
  // so idle sign-ins expire: a GET may move it.
  "public.auth_session": ["last_seen_at"],
  // Likewise a calendar app's read of a feed (once a day), so unread feeds lapse (ADR 24, branch sec-auth).
  "public.calendar_feed": ["last_used_at"],
};

type Table = { name: string; key: string[] };
export type Row = Record<string, unknown>;
export type Change = { table: string; key: string; before: Row | null; after: Row | null };

let tablesOnce: Promise<Table[]> | undefined;

/** Every base table outside PostgreSQL's own schemas, with its primary key columns. */
async function tables(): Promise<Table[]> {
  tablesOnce ??= (async () => {
    const rows = await (
      await forkEm()
    ).execute<{ schema: string; name: string; key: string[] | null }[]>(
      `select n.nspname as schema, c.relname as name,
              (select array_agg(a.attname::text order by array_position(i.indkey, a.attnum))
                 from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
                where i.indrelid = c.oid and i.indisprimary) as key
         from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where c.relkind in ('r', 'p') and n.nspname not in ('pg_catalog', 'information_schema') and n.nspname not like 'pg_toast%'
        order by 1, 2`,
    );
    return rows.map((r) => ({ name: `${r.schema}.${r.name}`, key: r.key ?? [] }));
  })();
  return tablesOnce;
}

const ident = (name: string) =>
  name
    .split(".")
    .map((part) => `"${part.replaceAll('"', '""')}"`)
    .join(".");
const literal = (text: string) => `'${text.replaceAll("'", "''")}'`;

/** A row as JSON text without the ignored columns. */
function rowText(table: string): string {
  const ignored = IGNORED_COLUMNS[table] ?? [];
  return ignored.length ? `(to_jsonb(x) - array[${ignored.map(literal).join(", ")}]::text[])::text` : `to_jsonb(x)::text`;
}

/** An MD5 of each table's rows (ignored columns left out). */
export async function fingerprint(): Promise<Map<string, string>> {
  const all = await tables();
  const sql = all
    .map(
      (t) =>
        `select ${literal(t.name)} as t, md5(coalesce(string_agg(r, E'\\n' order by r), '')) as h from (select ${rowText(t.name)} as r from ${ident(t.name)} x) s`,
    )
    .join("\nunion all\n");
  const rows = await (await forkEm()).execute<{ t: string; h: string }[]>(sql);
  return new Map(rows.map((r) => [r.t, r.h]));
}

/** The rows of `names`, by primary key (JSON text of the key's values). */
async function readRows(names: string[]): Promise<Map<string, Map<string, Row>>> {
  const all = await tables();
  const result = new Map<string, Map<string, Row>>();
  const em = await forkEm();
  for (const name of names) {
    const table = all.find((t) => t.name === name)!;
    const key = table.key.length ? `jsonb_build_array(${table.key.map((k) => `x.${ident(k)}`).join(", ")})::text` : rowText(name);
    const rows = await em.execute<{ k: string; r: string }[]>(`select ${key} as k, ${rowText(name)} as r from ${ident(name)} x`);
    result.set(name, new Map(rows.map((row) => [row.k, JSON.parse(row.r) as Row])));
  }
  return result;
}

/** The database as it stands: fingerprints, and rows read lazily when a later state differs. */
export type DbState = { hashes: Map<string, string>; rows: Map<string, Map<string, Row>> };

export async function captureState(): Promise<DbState> {
  const hashes = await fingerprint();
  return { hashes, rows: await readRows([...hashes.keys()]) };
}

/**
 * What changed since `before`, row by row (ignored columns aside). Answers the changes and the state now,
 * to compare the next request with.
 */
export async function changesSince(before: DbState): Promise<{ changes: Change[]; now: DbState }> {
  const hashes = await fingerprint();
  const moved = [...hashes.keys()].filter((t) => hashes.get(t) !== before.hashes.get(t));
  if (!moved.length) return { changes: [], now: before };
  const read = await readRows(moved);
  const rows = new Map(before.rows);
  const changes: Change[] = [];
  for (const [table, after] of read) {
    const was = before.rows.get(table) ?? new Map<string, Row>();
    for (const [key, row] of after) {
      const old = was.get(key);
      if (!old) changes.push({ table, key, before: null, after: row });
      else if (JSON.stringify(old) !== JSON.stringify(row)) changes.push({ table, key, before: old, after: row });
    }
    for (const [key, row] of was) if (!after.has(key)) changes.push({ table, key, before: row, after: null });
    rows.set(table, after);
  }
  return { changes, now: { hashes, rows } };
}

/** "public.user [12]: calendar_token null → "…"" — a change, short enough for an assertion message. */
export function describeChange(change: Change): string {
  const { table, key, before, after } = change;
  if (!before) return `${table} ${key}: inserted ${clip(JSON.stringify(after))}`;
  if (!after) return `${table} ${key}: deleted ${clip(JSON.stringify(before))}`;
  const columns = Object.keys({ ...before, ...after }).filter((c) => JSON.stringify(before[c]) !== JSON.stringify(after[c]));
  return `${table} ${key}: ${columns.map((c) => `${c} ${clip(JSON.stringify(before[c]))} → ${clip(JSON.stringify(after[c]))}`).join(", ")}`;
}

const clip = (text: string | undefined) => (text && text.length > 120 ? `${text.slice(0, 117)}...` : String(text));

/** The columns a change touched (all of them for an insert or delete). */
export function changedColumns(change: Change): string[] {
  const { before, after } = change;
  if (!before || !after) return Object.keys(before ?? after ?? {});
  return Object.keys({ ...before, ...after }).filter((c) => JSON.stringify(before[c]) !== JSON.stringify(after[c]));
}
