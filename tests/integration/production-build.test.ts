// Production runs compiled JavaScript: scripts/build-server.mjs (the last step of `npm run build`) bundles
// the server's entry points and compiles the migrations. Built here into a scratch folder, the migrator and
// create-admin run on plain node, with no TypeScript loader, on an empty database, as in the Docker image.
// (The compiled web server itself is what the end-to-end tests run: tests/e2e/run.ts.)
import { spawnSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createDatabase, dropDatabase, uniqueDatabaseName, withClient, withDatabase } from "../support/pg";

const ROOT = path.resolve(import.meta.dirname, "../..");
// Beside build/server (git, ESLint and Prettier skip build/), so that the bundles find node_modules as it does.
const OUT = path.join(ROOT, "build", `.server-test-${randomBytes(4).toString("hex")}`);
const blank = uniqueDatabaseName("centurion_compiled");
const blankUrl = () => withDatabase(inject("pgAdminUrl"), blank);

/** `node <file> ...args` from the repository's root, without any loader this process may have. */
function runNode(file: string, args: string[] = [], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(process.execPath, [file, ...args], {
    cwd: ROOT,
    env: { ...process.env, NODE_OPTIONS: undefined, ADMIN_PASSWORD: undefined, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  const built = runNode("scripts/build-server.mjs", [OUT]);
  expect(built.stderr).toBe("");
  expect(built.code).toBe(0);
  await createDatabase(inject("pgAdminUrl"), blank);
});

afterAll(async () => {
  rmSync(OUT, { recursive: true, force: true });
  await dropDatabase(inject("pgAdminUrl"), blank);
});

describe("the compiled server build", () => {
  it("holds every migration as JavaScript, and the migrator applies them all to an empty database", async () => {
    const sources = readdirSync(path.join(ROOT, "db/migrations"))
      .filter((name) => name.endsWith(".ts"))
      .map((name) => name.replace(/\.ts$/, ""))
      .sort();
    expect(readdirSync(path.join(OUT, "migrations")).sort()).toEqual(sources.map((name) => `${name}.js`));

    const run = runNode(path.join(OUT, "migrate.js"), [], { DATABASE_URL: blankUrl() });
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain(`Applied ${sources.length} migration(s)`);
    const applied = await withClient(blankUrl(), (client) => client.query<{ name: string }>("select name from mikro_orm_migrations order by name"));
    expect(applied.rows.map((row) => row.name)).toEqual(sources);

    const again = runNode(path.join(OUT, "migrate.js"), [], { DATABASE_URL: blankUrl() });
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain("Database is up to date.");
  });

  it("creates the first admin with the compiled create-admin", async () => {
    const run = runNode(path.join(OUT, "create-admin.js"), ["--email", "owner@compiled.example", "--name", "Compiled Owner"], {
      DATABASE_URL: blankUrl(),
      NODE_ENV: "production",
      ADMIN_PASSWORD: "the-owners-password",
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Created the admin Compiled Owner <owner@compiled.example>");
    const admins = await withClient(blankUrl(), (client) => client.query<{ email: string; role: string }>(`select email, role from "user"`));
    expect(admins.rows).toEqual([{ email: "owner@compiled.example", role: "ADMIN" }]);
  });
});
