// `npm run create-admin -- --email owner@studio.example --name "Sam Owner" [--force]`
// Creates the studio's first admin on a new (production) database: migrates it first, refuses when an
// admin exists already (unless --force). The password comes from ADMIN_PASSWORD; without it the command
// prints a single-use link (valid 24 hours, built on APP_URL) where the admin chooses one.
import { MikroORM } from "@mikro-orm/postgresql";
import { parseArgs } from "node:util";
import { ormConfig } from "../app/modules/orm-config.server";
import { ResetPasswordSchema } from "../app/modules/auth/auth.schema";
import { CreateAdminSchema } from "../app/modules/auth/people.schema";
import { createFirstAdmin } from "../app/modules/auth/people.service.server";
import { getSettings } from "../app/modules/settings/settings.service.server";
import { migrate } from "../db/migrate";
import { openDevDatabase } from "../server/dev-database";

const USAGE = `Usage: npm run create-admin -- --email <address> --name "<full name>" [--force]
  Password: set ADMIN_PASSWORD (at least 10 characters), or leave it unset to get a one-time link
  (built on APP_URL, e.g. https://book.mystudio.example) where the admin chooses it.
  --force   add this admin even though the studio has one already.`;

function fail(message: string, code = 1): never {
  console.error(message);
  process.exit(code);
}

let args: { email?: string; name?: string; force?: boolean; help?: boolean };
try {
  args = parseArgs({
    options: { email: { type: "string" }, name: { type: "string" }, force: { type: "boolean" }, help: { type: "boolean", short: "h" } },
  }).values;
} catch (error) {
  fail(`${(error as Error).message}\n\n${USAGE}`, 2);
}
if (args.help) {
  console.log(USAGE);
  process.exit(0);
}

const input = CreateAdminSchema.safeParse({ email: args.email ?? "", name: args.name ?? "" });
if (!input.success) fail(`${input.error.issues.map((i) => `--${String(i.path[0])}: ${i.message}`).join("\n")}\n\n${USAGE}`, 2);

const password = process.env.ADMIN_PASSWORD || undefined;
if (password) {
  const checked = ResetPasswordSchema.safeParse({ password, confirmPassword: password });
  if (!checked.success) fail(`ADMIN_PASSWORD: ${checked.error.issues[0].message}`, 2);
}
if (process.env.NODE_ENV === "production" && !process.env.DATABASE_URL)
  fail("Set DATABASE_URL to the studio's database (postgres://user:pass@host:5432/db).", 2);

const database = await openDevDatabase();
try {
  const applied = await migrate(database.url);
  if (applied.length) console.log(`Applied ${applied.length} migration(s).`);
  const orm = await MikroORM.init(ormConfig(database.url));
  try {
    const result = await createFirstAdmin(orm.em.fork(), { ...input.data, password, force: args.force });
    if (!result.ok) {
      console.error(`No admin created: ${result.formError}`);
      process.exitCode = 1;
    } else if (result.link) {
      console.log(`Created the admin ${result.user.name} <${result.user.email}>.`);
      console.log(`They choose their password here (the link works once, for 24 hours):\n\n  ${result.link}\n`);
      console.log("Then they sign in and invite coaches and admins at /admin/people.");
    } else {
      console.log(`Created the admin ${result.user.name} <${result.user.email}>: they sign in with the password from ADMIN_PASSWORD.`);
      console.log("Then they invite coaches and admins at /admin/people.");
    }
    if (result.ok && (await getSettings(orm.em.fork())).staffTwoFactorRequired)
      console.log(
        "At their first sign-in they set up two-step sign-in with an authenticator app: the studio requires it of coaches and admins (/admin/settings).",
      );
  } finally {
    await orm.close();
  }
} finally {
  await database.stop();
}
