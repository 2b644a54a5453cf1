// A new production database: `npm run create-admin` makes the first admin (and refuses a second), and
// `npm run db:seed` refuses to put the demo accounts, with their published password, into it.
// The commands run as the operator runs them: as processes, on this file's database.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { PasswordToken, User } from "~/modules/auth/auth.entities.server";
import { verifyLogin } from "~/modules/auth/auth.service.server";
import { findPasswordLink, hashPasswordToken } from "~/modules/auth/password-tokens.service.server";
import { createFirstAdmin } from "~/modules/auth/people.service.server";
import { SystemSettings } from "~/modules/settings/settings.entities.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { demoSeedRefusal } from "../../db/seed-guard";
import { DEMO_ADMIN } from "../../db/seeders/demo-people";
import { forkEm, testDatabaseUrl } from "../support/db";

const ROOT = path.resolve(import.meta.dirname, "../..");
const TSX = path.join(ROOT, "node_modules/.bin/tsx");

/** Runs a project script with tsx, as `npm run …` does, on this file's database. */
function runScript(script: string, args: string[], env: Record<string, string | undefined> = {}) {
  const result = spawnSync(TSX, [script, ...args], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: testDatabaseUrl(), ADMIN_PASSWORD: undefined, ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const PASSWORD = "the-owners-password";

// The tests run in order: the database starts with nobody in it.
describe("npm run create-admin and the demo seed on a new production database", () => {
  it("starts from an empty database, where seeding outside production is allowed", async () => {
    expect(await (await forkEm()).count(User, {})).toBe(0);
    expect(await demoSeedRefusal(testDatabaseUrl(), { nodeEnv: "development" })).toBeNull();
  });

  it("refuses to seed the demo accounts when NODE_ENV=production, and adds nobody", async () => {
    const run = runScript("db/seed.ts", [], { NODE_ENV: "production" });
    expect(run.code).toBe(1);
    expect(await (await forkEm()).count(User, {})).toBe(0);
    expect(run.stderr).toContain("Refusing to add the demo accounts");
    expect(run.stderr).toContain("NODE_ENV=production");
    expect(run.stderr).toContain("npm run create-admin");
  });

  it("creates the first admin with the password from ADMIN_PASSWORD, who can then sign in", async () => {
    expect(await (await forkEm()).count(User, {})).toBe(0);
    // A new database stores no settings (the test template stores this one, tests/support/global-setup.ts).
    await (await forkEm()).nativeDelete(SystemSettings, { key: "staffTwoFactorRequired" });
    const run = runScript("scripts/create-admin.ts", ["--email", "Owner@Studio.example", "--name", "Sam Owner"], {
      NODE_ENV: "production",
      ADMIN_PASSWORD: PASSWORD,
    });
    expect(run.stderr).toBe("");
    expect(run.code).toBe(0);
    expect(run.stdout).toContain("Created the admin Sam Owner <owner@studio.example>: they sign in with the password from ADMIN_PASSWORD.");
    // A new studio requires a second factor of its coaches and admins (ADR 0026).
    expect(run.stdout).toContain("At their first sign-in they set up two-step sign-in");
    expect((await getSettings(await forkEm())).staffTwoFactorRequired).toBe(true);
    const em = await forkEm();
    expect(await em.findOneOrFail(User, { email: "owner@studio.example" })).toMatchObject({ role: "ADMIN", name: "Sam Owner", deactivatedAt: null });
    expect(await verifyLogin(em, { email: "owner@studio.example", password: PASSWORD, ipAddress: "192.0.2.1" })).toMatchObject({ ok: true });
  });

  it("refuses a second admin while one exists, saying why, and adds it with --force", async () => {
    const refused = runScript("scripts/create-admin.ts", ["--email", "second@studio.example", "--name", "Second"], { ADMIN_PASSWORD: PASSWORD });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("No admin created: The studio already has an admin (owner@studio.example).");
    expect(await (await forkEm()).count(User, { email: "second@studio.example" })).toBe(0);

    // With --force and no ADMIN_PASSWORD: a single-use link to choose the password.
    const forced = runScript("scripts/create-admin.ts", ["--email", "second@studio.example", "--name", "Second", "--force"], {
      APP_URL: "https://book.studio.example/",
    });
    expect(forced.code).toBe(0);
    const link = /https:\/\/book\.studio\.example\/reset-password\/([\w-]+)/.exec(forced.stdout);
    expect(link, forced.stdout).not.toBeNull();
    const em = await forkEm();
    const second = await em.findOneOrFail(User, { email: "second@studio.example" });
    expect(second.role).toBe("ADMIN");
    expect(await findPasswordLink(em, link![1])).toEqual({ purpose: "INVITE", name: "Second", email: "second@studio.example" });
    const token = await em.findOneOrFail(PasswordToken, { tokenHash: hashPasswordToken(link![1]) });
    expect(token.expiresAt.getTime() - token.createdAt.getTime()).toBe(24 * 60 * 60 * 1000);
  });

  it("explains bad arguments (exit 2) and refuses an address that has an account", async () => {
    const bad = runScript("scripts/create-admin.ts", ["--email", "not-an-email"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("--email: Enter a valid email address");
    expect(bad.stderr).toContain("--name: Give --name.");
    const taken = await createFirstAdmin(await forkEm(), { email: "owner@studio.example", name: "Again", force: true });
    expect(taken).toMatchObject({ ok: false, reason: "email-taken" });
    const weak = runScript("scripts/create-admin.ts", ["--email", "third@studio.example", "--name", "Third"], { ADMIN_PASSWORD: "short" });
    expect(weak.code).toBe(2);
    expect(weak.stderr).toContain("ADMIN_PASSWORD: Use at least 10 characters.");
  });

  it("refuses to seed a database with a real admin even outside production, unless told --allow-demo", async () => {
    const refusal = await demoSeedRefusal(testDatabaseUrl(), { nodeEnv: "development" });
    expect(refusal).toContain("this database has a real admin (owner@studio.example)");
    expect(await demoSeedRefusal(testDatabaseUrl(), { nodeEnv: "production", allowDemo: true })).toBeNull();
    const run = runScript("db/seed.ts", [], { NODE_ENV: "development" });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--allow-demo");
    expect(await (await forkEm()).count(User, { email: DEMO_ADMIN.email })).toBe(0);
  });
});
