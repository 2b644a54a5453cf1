import { randomBytes } from "node:crypto";
import { createRequire } from "node:module";

/** The slice of `pg`'s Client that the test tooling uses (pg ships no types and @types/pg is not installed). */
export interface PgClient {
  connect(): Promise<void>;
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  end(): Promise<void>;
  on(event: "error", listener: (error: Error) => void): void;
}

const { Client } = createRequire(import.meta.url)("pg") as {
  Client: new (config: { connectionString: string }) => PgClient;
};

/** Same server and credentials as `url`, another database. */
export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${encodeURIComponent(database)}`;
  return parsed.toString();
}

export function databaseName(url: string): string {
  return decodeURIComponent(new URL(url).pathname.slice(1));
}

/** A name unlikely to clash with other runs sharing one server, e.g. `centurion_test_9f2c61ab04`. */
export function uniqueDatabaseName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString("hex")}`;
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export async function withClient<T>(url: string, fn: (client: PgClient) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  // Without a listener a server-side disconnect would crash the process instead of failing the query.
  client.on("error", () => {});
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

const CLONE_LOCK_KEY = 0x63656e74; // "cent": any constant shared by every process cloning on this server
const OBJECT_IN_USE = "55006";

/**
 * `CREATE DATABASE ... TEMPLATE` refuses to run while anyone else is connected to the template, so
 * clones are serialised with an advisory lock and retried if something still holds the template.
 */
export async function cloneDatabase(adminUrl: string, template: string, target: string): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query("select pg_advisory_lock($1)", [CLONE_LOCK_KEY]);
    try {
      for (let attempt = 1; ; attempt++) {
        try {
          await client.query(`create database ${quoteIdent(target)} template ${quoteIdent(template)}`);
          return;
        } catch (error) {
          if ((error as { code?: string }).code !== OBJECT_IN_USE || attempt >= 20) throw error;
          await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
        }
      }
    } finally {
      await client.query("select pg_advisory_unlock($1)", [CLONE_LOCK_KEY]);
    }
  });
}

export async function createDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`create database ${quoteIdent(name)}`));
}

/** `with (force)` (PostgreSQL 13+) ends sessions a test forgot to close rather than failing the drop. */
export async function dropDatabase(adminUrl: string, name: string): Promise<void> {
  await withClient(adminUrl, (client) => client.query(`drop database if exists ${quoteIdent(name)} with (force)`));
}
