import { MikroORM, type EntityManager, type Options } from "@mikro-orm/postgresql";
import { ormConfig } from "~/modules/orm-config.server";

/** This test file's own database (created from the migrated template by tests/support/integration-setup.ts). */
export function testDatabaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL is not set: tests/support/db.ts is meant for the integration project.");
  return url;
}

const opened = new Set<MikroORM>();

/** A new ORM on this file's database. It is closed after the file if the test does not close it itself. */
export async function createTestOrm(extra: Partial<Options> = {}): Promise<MikroORM> {
  const orm = await MikroORM.init(ormConfig(testDatabaseUrl(), extra));
  opened.add(orm);
  return orm;
}

let shared: Promise<MikroORM> | undefined;

/** One ORM shared by the whole test file, created on first use. */
export function getTestOrm(): Promise<MikroORM> {
  shared ??= createTestOrm();
  return shared;
}

/** A fresh EntityManager with its own identity map, like one HTTP request gets. */
export async function forkEm(): Promise<EntityManager> {
  return (await getTestOrm()).em.fork();
}

export async function closeTestOrms(): Promise<void> {
  shared = undefined;
  const orms = [...opened];
  opened.clear();
  await Promise.all(orms.map(async (orm) => (await orm.isConnected()) && orm.close()));
}
