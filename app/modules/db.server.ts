import { MikroORM, RequestContext, type EntityManager } from "@mikro-orm/postgresql";
import { env } from "~/utils/env.server";
import { ormConfig, poolMax } from "./orm-config.server";

// One ORM (one pool) per loaded build; the dev server closes the previous build's pool after a rebuild.
const ormHolder: { orm?: Promise<MikroORM> } = {};

export function getOrm(): Promise<MikroORM> {
  if (!ormHolder.orm) {
    const url = env().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set.");
    // The app keeps every connection it has opened (min = max): a new one is a new PostgreSQL backend with
    // cold caches and none of our prepared statements, which the next rush after a quiet spell would pay. ADR 33.
    const orm = MikroORM.init(ormConfig(url, { pool: { min: poolMax(), max: poolMax() } }));
    ormHolder.orm = orm;
    // A start that failed (the database out of reach) is tried again by the next request, not kept.
    orm.catch(() => {
      if (ormHolder.orm === orm) ormHolder.orm = undefined;
    });
  }
  return ormHolder.orm;
}

export async function closeOrm(): Promise<void> {
  const orm = ormHolder.orm;
  ormHolder.orm = undefined;
  if (orm) await (await orm).close();
}

/** Runs `fn` with a fresh EntityManager bound to the async context (one per HTTP request). */
export async function withRequestContext<T>(fn: () => T | Promise<T>): Promise<T> {
  const orm = await getOrm();
  return RequestContext.create(orm.em, fn);
}

/** The request's EntityManager; loaders and actions pass it to services. */
export function getEm(): EntityManager {
  const em = RequestContext.getEntityManager();
  if (!em) throw new Error("No request context: wrap the call in withRequestContext().");
  return em as EntityManager;
}

export async function isDatabaseUp(): Promise<boolean> {
  try {
    return await databaseAnswers(await getOrm());
  } catch {
    return false;
  }
}

/** True when the database answers a trivial query within a few seconds. */
export async function databaseAnswers(orm: MikroORM, timeoutMs = 3_000): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeoutMs)));
  const query = orm.em
    .getConnection()
    .execute("select 1")
    .then(() => true)
    .catch(() => false);
  try {
    return await Promise.race([query, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
