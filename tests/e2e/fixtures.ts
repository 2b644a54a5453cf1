// The end-to-end fixture. Every test makes its own people, plans and timetable straight in the database
// and signs people in by cookie, so tests share nothing, run in any order and in parallel:
//
// - `make.*` writes rows with the shared factories (tests/support/factories.ts) through one ORM per worker,
//   on the database tests/e2e/run.ts created (E2E_DATABASE_URL). People get the factory's TEST_PASSWORD.
// - `signedIn(person)` signs the person in with a plain `POST /login` through Playwright's request API,
//   puts the session cookie into a browser context of the person's own (with the project's JavaScript
//   setting) and returns its page. Call it once per person to act as several people at once.
//   Only auth.spec.ts signs in through the form itself. `page` is a guest's page, without cookies.
// - Browser contexts are pooled per worker: opening one (and the renderer process behind its page) costs
//   more than most tests, so a context goes back to the pool after the test, wiped clean: its page left
//   (about:blank), its cookies cleared, the listeners the test put on its page removed. Nothing else
//   survives from test to test except the HTTP cache (the app stores nothing in the browser). Tests call
//   the HTTP API with the page's cookies as `page.request` (not `page.context().request`).
// - `test.use({ changesStudioSettings: true })` is for the rare test that changes studio-wide settings
//   (see `studioSettings` below).
import { MikroORM, type EntityManager } from "@mikro-orm/postgresql";
import { test as base, expect, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { createRequire } from "node:module";
import type { Role } from "~/modules/auth/auth.entities.server";
// The app's ORM options (the same the server uses), for making test data straight in the database.
import { ormConfig } from "../../app/modules/orm-config.server";
import { syncPlan } from "../../app/modules/billing/plan-sync.service.server";
import { createStripe } from "../../app/modules/billing/stripe.server";
import { addDays, mondayOf, todayIn, toInstant, type LocalDate, type LocalTime } from "../../app/utils/time";
import {
  createClassType,
  createMembership,
  createPlan,
  createRegistration,
  createSession,
  createUser,
  TEST_PASSWORD,
  type ClassTypeFields,
  type MembershipFields,
  type PlanFields,
  type RegistrationFields,
  type SessionFields,
  type UserFields,
} from "../support/factories";
import { createCohort, type CohortFields } from "../support/cohort-factories";
import type { PgClient } from "../support/pg";

export { expect } from "@playwright/test";

// ---------- where and when ----------

/** The studio's time zone (the seeded default setting). */
export const ZONE = "Europe/London";
export const today = todayIn(ZONE);
export const thisMonday = mondayOf(today);
export const nextMonday = addDays(thisMonday, 7);
/** `n` days from today in the studio's zone. */
export const inDays = (n: number): LocalDate => addDays(today, n);
/** The instant of a wall-clock time on a studio date. */
export const at = (date: LocalDate, time: LocalTime): Date => toInstant(date, time, ZONE);
/**
 * The week of the seeded timetable that the coach calendar spec reads, untouched by every other test:
 * tests put the sessions they make inside the booking window (tomorrow to 13 days ahead, see
 * `bookingDay`) or in weeks 8 and later, and this week (15 to 27 days ahead) lies between.
 */
export const SEED_WEEK = addDays(thisMonday, 21);
/** A day inside the booking window (booking opens 14 days before a session): 1 (tomorrow) to 13. */
export function bookingDay(n: number): LocalDate {
  if (n < 1 || n > 13) throw new RangeError(`bookingDay(${n}): the booking window is 1 to 13 days ahead`);
  return inDays(n);
}

// ---------- people ----------

/** Someone who can sign in. */
export type Person = { id: number; email: string; name: string; role: Role; password: string };

export const DEMO_PASSWORD = "centurion-demo";

/** A seeded demo account (README): only for tests whose behaviour is the seed itself. */
export function demo(email: string, name: string, role: Role): Person {
  return { id: 0, email, name, role, password: DEMO_PASSWORD };
}

// ---------- the fixture ----------

type SessionAt = Omit<SessionFields, "coach" | "start"> & { coach?: { id: number }; date: LocalDate; time: LocalTime };

export type Make = {
  client(fields?: Omit<UserFields, "role">): Promise<Person>;
  coach(fields?: Omit<UserFields, "role">): Promise<Person>;
  admin(fields?: Omit<UserFields, "role">): Promise<Person>;
  plan(fields: PlanFields): ReturnType<typeof createPlan>;
  /** A plan clients can buy online: made, then synced with the local Stripe server the app uses. */
  planOnSale(fields: PlanFields): ReturnType<typeof createPlan>;
  /** A membership that starts today unless told otherwise. */
  membership(fields: MembershipFields): ReturnType<typeof createMembership>;
  /** A new client holding a new plan (membership from today unless told otherwise). */
  member(
    plan: PlanFields,
    membership?: Omit<MembershipFields, "user" | "plan">,
    user?: Omit<UserFields, "role">,
  ): Promise<{ person: Person; plan: Awaited<ReturnType<typeof createPlan>>; membership: Awaited<ReturnType<typeof createMembership>> }>;
  classType(fields?: ClassTypeFields): ReturnType<typeof createClassType>;
  /** A scheduled session at a studio date and time, by a new coach unless one is given. */
  session(fields: SessionAt): ReturnType<typeof createSession>;
  registration(fields: RegistrationFields): ReturnType<typeof createRegistration>;
  /** An ACTIVE cohort (6 weeks from this Monday unless told otherwise): tests/support/cohort-factories.ts. */
  cohort(fields?: CohortFields): ReturnType<typeof createCohort>;
};

type TestFixtures = {
  /** An EntityManager of its own for the test (one ORM per worker underneath). */
  em: EntityManager;
  make: Make;
  newContextOptions: ContextOptions;
  signedIn: (person: Pick<Person, "email" | "password">) => Promise<Page>;
  /** Set with `test.use({ changesStudioSettings: true })` by tests that change studio-wide settings. */
  changesStudioSettings: boolean;
  /** Set with `test.use({ needsStudioSettings: true })` by tests of an area another test switches off for a while. */
  needsStudioSettings: boolean;
  studioSettings: void;
};

type WorkerFixtures = { orm: MikroORM; databaseUrl: string; contextPool: ContextPool };

type ContextOptions = Parameters<Browser["newContext"]>[0];

/** Browser contexts of one worker, each with one page, lent to one test at a time. */
class ContextPool {
  private readonly browser: Browser;
  private readonly idle = new Map<string, Page[]>();
  private readonly keys = new WeakMap<Page, string>();
  /** Pages whose test used `page.request` (see `give`). */
  private readonly requested = new WeakSet<Page>();
  private readonly all = new Set<BrowserContext>();

  constructor(browser: Browser) {
    this.browser = browser;
  }

  /** A clean context's page: no cookies, on about:blank. */
  async take(options: ContextOptions): Promise<Page> {
    const key = JSON.stringify(options);
    const page = this.idle.get(key)?.pop();
    if (page) return page;
    const context = await this.browser.newContext(options);
    this.all.add(context);
    const fresh = await context.newPage();
    this.keys.set(fresh, key);
    const request = context.request;
    Object.defineProperty(fresh, "request", {
      configurable: true,
      get: () => {
        this.requested.add(fresh);
        return request;
      },
    });
    return fresh;
  }

  /**
   * Wipes a page's context and keeps it for the next test; one that cannot be wiped is closed. So is one
   * whose test used `page.request`: its request API keeps connections alive, and the server closes an idle
   * one after 5 seconds, so a later test could send on a connection that is just closing (ECONNRESET).
   */
  async give(page: Page): Promise<void> {
    const context = page.context();
    try {
      if (page.isClosed()) throw new Error("page closed by the test");
      if (this.requested.has(page)) throw new Error("the test used page.request");
      page.removeAllListeners();
      // Leaving the page first stops whatever it was still loading or fetching (which could set cookies).
      await page.goto("about:blank");
      for (const other of context.pages()) if (other !== page) await other.close();
      await context.clearCookies();
      await context.clearPermissions();
      const key = this.keys.get(page)!;
      this.idle.set(key, [...(this.idle.get(key) ?? []), page]);
    } catch {
      this.all.delete(context);
      await context.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.all].map((context) => context.close().catch(() => undefined)));
    this.all.clear();
    this.idle.clear();
  }
}

function databaseUrlFromEnv(): string {
  const url = process.env.E2E_DATABASE_URL;
  if (!url) throw new Error("E2E_DATABASE_URL is not set: run the end-to-end tests with `npm run test:e2e` (tests/e2e/run.ts).");
  return url;
}

const { Client } = createRequire(import.meta.url)("pg") as { Client: new (config: { connectionString: string }) => PgClient };

export const test = base.extend<TestFixtures, WorkerFixtures>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern.
  databaseUrl: [async ({}, provide) => provide(databaseUrlFromEnv()), { scope: "worker" }],

  orm: [
    async ({ databaseUrl }, provide) => {
      const orm = await MikroORM.init(ormConfig(databaseUrl, { pool: { min: 0, max: 4 } }));
      await provide(orm);
      await orm.close();
    },
    { scope: "worker" },
  ],

  contextPool: [
    async ({ browser }, provide) => {
      const pool = new ContextPool(browser);
      await provide(pool);
      await pool.close();
    },
    { scope: "worker" },
  ],

  em: async ({ orm }, provide) => provide(orm.em.fork()),

  make: async ({ em }, provide) => {
    const person = async (role: Role, fields: Omit<UserFields, "role"> = {}): Promise<Person> => {
      const user = await createUser(em, { ...fields, role });
      return { id: user.id, email: user.email, name: user.name, role: user.role, password: fields.password ?? TEST_PASSWORD };
    };
    const make: Make = {
      client: (fields) => person("CLIENT", fields),
      coach: (fields) => person("COACH", fields),
      admin: (fields) => person("ADMIN", fields),
      plan: (fields) => createPlan(em, fields),
      planOnSale: async (fields) => {
        const plan = await createPlan(em, fields);
        const synced = await syncPlan(em, createStripe({ apiUrl: process.env.E2E_STRIPE_API_URL }), plan.id);
        if (!synced?.ok) throw new Error(`The plan could not be synced with the local Stripe server: ${JSON.stringify(synced)}`);
        return synced.plan;
      },
      membership: (fields) => createMembership(em, { startDate: today, ...fields }),
      member: async (planFields, membershipFields = {}, userFields = {}) => {
        const who = await person("CLIENT", userFields);
        const plan = await createPlan(em, planFields);
        const membership = await createMembership(em, { startDate: today, ...membershipFields, user: who, plan });
        return { person: who, plan, membership };
      },
      classType: (fields) => createClassType(em, fields),
      session: async ({ date, time, coach, ...fields }) => createSession(em, { ...fields, coach: coach ?? (await person("COACH")), start: at(date, time) }),
      registration: (fields) => createRegistration(em, fields),
      cohort: (fields) => createCohort(em, fields),
    };
    await provide(make);
  },

  // The options Playwright would open the test's own context with (the project's device and JS setting).
  newContextOptions: async (
    { contextOptions, baseURL, javaScriptEnabled, viewport, userAgent, deviceScaleFactor, isMobile, hasTouch, locale, timezoneId },
    provide,
  ) => provide({ ...contextOptions, baseURL, javaScriptEnabled, viewport, userAgent, deviceScaleFactor, isMobile, hasTouch, locale, timezoneId }),

  page: async ({ contextPool, newContextOptions }, provide) => {
    const page = await contextPool.take(newContextOptions);
    await provide(page);
    await contextPool.give(page);
  },

  signedIn: async ({ contextPool, newContextOptions, playwright, baseURL }, provide) => {
    const pages: Page[] = [];
    await provide(async ({ email, password }) => {
      // A request context of its own for each sign-in, so no connection is ever reused (see `give`).
      const api = await playwright.request.newContext({ baseURL });
      const response = await api.post("/login", { form: { email, password }, maxRedirects: 0 });
      expect(response.status(), `POST /login as ${email}`).toBe(303);
      const { cookies } = await api.storageState();
      await api.dispose();
      const page = await contextPool.take(newContextOptions);
      pages.push(page);
      await page.context().addCookies(cookies);
      return page;
    });
    for (const page of pages) await contextPool.give(page);
  },

  changesStudioSettings: [false, { option: true }],
  needsStudioSettings: [false, { option: true }],

  // Studio-wide settings are one row per key for the whole studio, so a test that changes them would
  // change them under every test running beside it, including its own twin in the other JS mode. Such a
  // test says so with `test.use({ changesStudioSettings: true })`, and this fixture then waits for a
  // PostgreSQL advisory lock (so those tests run one at a time, whichever worker and project they are in),
  // notes every setting, and afterwards writes them all back (even if the test failed) before letting the
  // next one in. Tests that only read settings keep seeing the seeded values, as long as the changing
  // test changes nothing that they read. A test of an area that a changing test switches off for a while
  // (reports.spec.ts turns cohorts off and on) says `test.use({ needsStudioSettings: true })`: it holds
  // the same lock shared, so it runs beside other such tests but never while settings are being changed.
  studioSettings: [
    async ({ changesStudioSettings, needsStudioSettings, databaseUrl }, provide) => {
      if (changesStudioSettings) return withStudioSettingsLock(databaseUrl, provide);
      if (needsStudioSettings) return withStudioSettingsShared(databaseUrl, provide);
      return provide();
    },
    { auto: true },
  ],
});

async function withStudioSettingsShared(databaseUrl: string, provide: () => Promise<void>) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock_shared(hashtext('centurion-e2e:studio-settings'))");
    try {
      await provide();
    } finally {
      await client.query("select pg_advisory_unlock_shared(hashtext('centurion-e2e:studio-settings'))");
    }
  } finally {
    await client.end();
  }
}

async function withStudioSettingsLock(databaseUrl: string, provide: () => Promise<void>) {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query("select pg_advisory_lock(hashtext('centurion-e2e:studio-settings'))");
    const { rows } = await client.query<{ key: string; value: unknown }>("select key, value from system_settings");
    try {
      await provide();
    } finally {
      await client.query(`delete from system_settings where not (key = any($1))`, [rows.map((row) => row.key)]);
      for (const row of rows) {
        await client.query(
          `insert into system_settings (key, value, updated_at) values ($1, $2::jsonb, now())
           on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
          [row.key, JSON.stringify(row.value)],
        );
      }
      await client.query("select pg_advisory_unlock(hashtext('centurion-e2e:studio-settings'))");
    }
  } finally {
    await client.end();
  }
}
