// Counts the SQL statements this process sends to PostgreSQL, through every pg client (the app's own ORM
// pool included), for tests that pin how many statements a request costs.
import pg from "pg";

type Query = typeof pg.Client.prototype.query;

function textOf(config: unknown): string {
  if (typeof config === "string") return config;
  if (config && typeof config === "object" && "text" in config) return String((config as { text: unknown }).text);
  return String(config);
}

/** Runs `fn` and answers its result with the text of each statement sent meanwhile, in order. */
export async function recordStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: string[] }> {
  const statements: string[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: pg.Client, ...args: Parameters<Query>) {
    statements.push(textOf(args[0]));
    return (original as (...a: unknown[]) => unknown).apply(this, args);
  } as Query;
  try {
    return { result: await fn(), statements };
  } finally {
    pg.Client.prototype.query = original;
  }
}
