import pg from "pg";
import { DEMO_ADMIN, DEMO_PASSWORD } from "./seeders/demo-people";

/**
 * Why `npm run db:seed` must not add the demo studio here, or null when it may. The demo accounts share a
 * published password (DEMO_PASSWORD), so they never go into a production database: refused when
 * NODE_ENV=production, and when the database has an admin other than the demo one (a real studio's,
 * e.g. made by `npm run create-admin`), whatever NODE_ENV says. `--allow-demo` overrides both.
 */
export async function demoSeedRefusal(databaseUrl: string, options: { nodeEnv?: string; allowDemo?: boolean }): Promise<string | null> {
  if (options.allowDemo) return null;
  const advice = `To start a real studio, run \`npm run create-admin\` instead; to add the demo accounts anyway, run \`npm run db:seed -- --allow-demo\`.`;
  if (options.nodeEnv === "production") {
    return `Refusing to add the demo accounts (all with the password "${DEMO_PASSWORD}") to a production database (NODE_ENV=production). ${advice}`;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ email: string }>(`select email from "user" where role = 'ADMIN' and email <> $1 order by id limit 1`, [
      DEMO_ADMIN.email,
    ]);
    if (rows.length) {
      return `Refusing to add the demo accounts (all with the password "${DEMO_PASSWORD}"): this database has a real admin (${rows[0].email}), so it looks like a studio in use. ${advice}`;
    }
    return null;
  } finally {
    await client.end();
  }
}
