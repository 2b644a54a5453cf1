// Bad input, proven harmless (ASVS V1/V2/V3): every action of the app is posted, through the real Express
// app over HTTP, forms built by fast-check from the forms its page renders — fields missing, duplicated,
// renamed, unknown, and values that are hostile (SQL and HTML injection, emoji, control characters, 1 MB),
// malformed (impossible dates and times), out of range (negative, 2^31, 2^63, 1e309) or someone else's
// (other users' ids) — as each role that may use it. Every loader gets such query strings too. Whatever
// comes in: never a 5xx; a 4xx changes nothing in the database; and no input comes back as live markup in
// a page. Runs are bounded and repeatable: a fixed seed per route and a few forms each.
import http from "node:http";
import type { AddressInfo } from "node:net";
import fc from "fast-check";
import { pino } from "pino";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { User } from "~/modules/auth/auth.entities.server";
import type { Settings } from "~/modules/settings/settings.rules";
import { getSettings, updateSettings } from "~/modules/settings/settings.service.server";
import { addDays, todayIn } from "~/utils/time";
import { createApp } from "../../server/app";
import { startLocalStripe, type LocalStripe } from "../../tools/stripe-local/server";
import { ACCESS_TABLE, allowedRoles, type Outcomes } from "../support/access-table";
import { createAccessWorld, type AccessRole, type AccessWorld } from "../support/access-world";
import { captureState, changesSince, describeChange, type Change, type DbState } from "../support/db-snapshot";
import { forkEm } from "../support/db";
import { linkQueryNames, pageForms, type PageForm } from "../support/html-forms";
import { appRoutes, fillPattern, type AppRoute } from "../support/route-manifest";
import { signedInCookie } from "../support/routes";

/** Random forms per action (besides the sweep of each field), and query strings per loader. */
const ACTION_RUNS = 6;
const LOADER_RUNS = 2;
const ONE_MB = "A".repeat(1024 * 1024);

const { build, routes } = await appRoutes();

let w: AccessWorld;
let state: DbState;
let base = "";
let close: () => Promise<unknown> = async () => {};
let stripe: LocalStripe;
let settings: Settings;
const savedEnv = { STRIPE_API_URL: process.env.STRIPE_API_URL, STRIPE_WEBHOOK_SECRET: process.env.STRIPE_WEBHOOK_SECRET };

beforeAll(async () => {
  w = await createAccessWorld();
  settings = await getSettings(await forkEm());
  // Billing on, against the project's local Stripe-compatible server, so checkout and webhooks run for real.
  stripe = await startLocalStripe({ port: 0 });
  process.env.STRIPE_API_URL = stripe.url;
  process.env.STRIPE_WEBHOOK_SECRET = stripe.webhookSecret;
  const app = createApp({ getBuild: async () => build, mode: "production", https: false, logger: pino({ level: "silent" }) });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(resolve));
  state = await captureState();
});

afterAll(async () => {
  await close();
  await stripe?.stop();
  for (const [key, value] of Object.entries(savedEnv)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});

// A random form may succeed (an admin's fuzzed form deactivating someone or changing the studio's settings,
// a signed-out session): put the people and the settings back, so every route is fuzzed as the roles it is
// meant for, in the same studio.
afterEach(async () => {
  const em = await forkEm();
  await updateSettings(em, settings);
  for (const [role, user] of Object.entries(w.users)) {
    await em.nativeUpdate(User, { id: user.id }, { role: user.role, deactivatedAt: null });
    w.cookies[role as AccessRole] = await signedInCookie(user);
  }
  state = (await changesSince(state)).now;
});

// ---------- what is sent ----------

const today = todayIn("Europe/London");
const HOSTILE = [
  `<script>alert("fuzz")</script>`,
  `"><img src=x onerror=alert(1)>`,
  `" onmouseover="alert(1)`,
  `</textarea><svg onload=alert(1)>`,
  `' OR '1'='1' --`,
  `1; DROP TABLE "user"; --`,
  `'); DELETE FROM session_registration; --`,
  `{{7*7}}\${7*7}`,
  "🏋️‍♀️💪🏽🔥",
  "Ünïcødé ∑ 漢字 𝔘𝔫𝔦",
  "\u202egnp.exe",
  "a\u0000b",
  "\u0000",
  "\uFEFF\u200B",
  "\r\n\t",
  "   ",
  "",
  "null",
  "undefined",
  "[object Object]",
  "../../etc/passwd",
  "javascript:alert(1)",
  "//evil.example/",
  "https://evil.example/x",
  "/\\evil.example",
  "/ünï-漢字-🔥",
  "x".repeat(5000),
];
const NUMBERS = [
  "-1",
  "0",
  "-0",
  "1.5",
  "2147483647",
  "2147483648",
  "-2147483649",
  "4294967296",
  "9007199254740993",
  "9223372036854775807",
  "9223372036854775808",
  "-9223372036854775809",
  "1e309",
  "-1e309",
  "1e3",
  "NaN",
  "Infinity",
  "0x1F",
  " 7 ",
  "007",
  "٣",
];
const DATES = [
  "2026-02-30",
  "2026-13-01",
  "2026-00-10",
  "0000-01-01",
  "9999-12-31",
  "275760-09-13",
  "-000001-01-01",
  "2026-1-1",
  "31/12/2026",
  "2028-02-29",
  "2026-03-29T01:30",
  "1970-01-01",
  today,
  addDays(today, 1),
  addDays(today, -400),
  addDays(today, 3650),
];
const TIMES = ["25:00", "24:00", "23:59", "00:00", "12:60", "7:5", "-01:00", "12:00:00", "06:30"];
const PROTOTYPE_NAMES = ["toString", "__proto__", "constructor", "valueOf", "hasOwnProperty", "prototype", "__defineGetter__"];
/** Names the app's forms give ids. */
const ID_FIELDS = [
  "id",
  "userId",
  "planId",
  "sessionId",
  "membershipId",
  "cohortId",
  "coachId",
  "classTypeId",
  "slotId",
  "entryId",
  "responseId",
  "upTo",
  "week",
];
/** Names any form might have: the id names, and the rest. */
const GENERIC_FIELDS = ["intent", ...ID_FIELDS, "date", "startDate", "redirectTo", "formToken", "email", "name", "reason", "body"];
/** The kinds of value every query name gets in turn. */
const QUERY_SWEEP = ["2147483648", "9223372036854775808", `"><script>alert("fuzz")</script>\u0000`, "/ünï-漢字-🔥"];
const QUERY_NAMES = [
  "date",
  "classType",
  "page",
  "range",
  "q",
  "status",
  "sort",
  "view",
  "coach",
  "type",
  "from",
  "to",
  "by",
  "session_id",
  "redirectTo",
  "delete",
];

/** Other people's ids, and ids of records that are not the asker's. */
function someoneElsesIds(): string[] {
  const records = [w.session, w.membership, w.spareMembership, w.otherMembership, w.cohort, w.otherCohort, w.entry, w.otherEntry];
  const more = [w.response, w.booking, w.slot, w.otherSlot, w.plan, w.classType, w.notification, w.bundle, w.payment, w.registration, w.email];
  return [...Object.values(w.users), ...records, ...more].map((r) => String(r.id));
}

function valueFor(name: string, offered: string[]): fc.Arbitrary<string> {
  const options: fc.WeightedArbitrary<string>[] = [
    { weight: 3, arbitrary: fc.constantFrom(...HOSTILE) },
    { weight: 2, arbitrary: fc.constantFrom(...NUMBERS) },
    { weight: 2, arbitrary: fc.constantFrom(...someoneElsesIds()) },
    { weight: 1, arbitrary: fc.constantFrom(...DATES) },
    { weight: 1, arbitrary: fc.constantFrom(...TIMES) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
    { weight: 1, arbitrary: fc.oneof(fc.integer(), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n })).map(String) },
  ];
  if (name === "intent") options.push({ weight: 3, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) });
  if (offered.length) options.push({ weight: 4, arbitrary: fc.constantFrom(...offered) });
  return fc.oneof(...options);
}

type Fuzzed = { role: AccessRole; url: string; fields: [string, string][] };

/** A form for one of the roles: a form of its page (or none), with fields changed, dropped, doubled or added. */
function formArbitrary(targets: { role: AccessRole; url: string; forms: PageForm[] }[]): fc.Arbitrary<Fuzzed> {
  return fc.constantFrom(...targets).chain(({ role, url, forms }) => {
    const offered = new Map<string, string[]>();
    for (const form of forms) for (const [name, values] of form.choices) offered.set(name, [...(offered.get(name) ?? []), ...values]);
    const own = [...offered.keys()];
    const nameArb = fc.oneof(
      ...(own.length ? [{ weight: 8, arbitrary: fc.constantFrom(...own) }] : []),
      { weight: 2, arbitrary: fc.constantFrom(...GENERIC_FIELDS) },
      { weight: 1, arbitrary: fc.constantFrom(...PROTOTYPE_NAMES) },
      { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
    );
    const change = nameArb.chain((name) => fc.tuple(fc.constant(name), fc.array(valueFor(name, offered.get(name) ?? []), { maxLength: 3 })));
    const start = forms.length ? fc.constantFrom(...forms.map((f) => f.fields)) : fc.constant([] as [string, string][]);
    return fc.record({ start, changes: fc.array(change, { minLength: 1, maxLength: 3 }) }).map(({ start: fields, changes }) => {
      let result = [...fields];
      // Each change replaces the field's values: none (missing), one, or several (duplicated).
      for (const [name, values] of changes) result = [...result.filter(([n]) => n !== name), ...values.map((v): [string, string] => [name, v])];
      return { role, url, fields: result };
    });
  });
}

/**
 * The same hostile values for every action, one kind at a time, each in a form that is otherwise as the page
 * renders it (so the rest passes validation and the value reaches the code behind it): an intent, and the
 * values picked from lists, named after an Object property; 2^31 and 2^63 in each number or id, and in a
 * group of id checkboxes; an impossible date and time; markup and a NUL in every text field; every field
 * sent twice; ids the form does not show; 1 MB in one field.
 */
function sweep(targets: { role: AccessRole; url: string; forms: PageForm[] }[]): Fuzzed[] {
  const cases: Fuzzed[] = [];
  const seen = new Set<string>();
  for (const { role, url, forms } of targets) {
    for (const form of forms) {
      const signature = form.fields.map(([name, value]) => (name === "intent" ? `${name}=${value}` : name)).join("&");
      if (seen.has(signature)) continue;
      seen.add(signature);
      const kind = (name: string) => form.kinds.get(name) ?? "text";
      const withValue = (name: string, value: string): Fuzzed => ({
        role,
        url,
        fields: form.fields.map(([n, v]): [string, string] => [n, n === name ? value : v]),
      });
      const withEach = (test: (name: string, value: string) => boolean, value: string): Fuzzed => ({
        role,
        url,
        fields: form.fields.map(([n, v]): [string, string] => [n, test(n, v) ? value : v]),
      });
      const names = [...new Set(form.fields.map(([n]) => n))];
      const valueOf = (name: string) => form.fields.find(([n]) => n === name)?.[1] ?? "";
      const isText = (name: string) => ["text", "textarea", "email", "search", "url", "tel", "password"].includes(kind(name));
      if (names.includes("intent")) cases.push(withValue("intent", "toString"), withValue("intent", "__proto__"));
      for (const name of names.filter((n) => n !== "formToken" && n !== "intent" && (/^-?\d+(\.\d+)?$/.test(valueOf(n)) || /(^id$|Id$|Ids$)/.test(n)))) {
        cases.push(withValue(name, "2147483648"), withValue(name, "9223372036854775808"));
      }
      const dates = names.filter((n) => kind(n) === "date" || /^\d{4}-\d{2}-\d{2}$/.test(valueOf(n)));
      if (dates.length) cases.push(withEach((n) => dates.includes(n), "2026-02-30"));
      const times = names.filter((n) => kind(n) === "time" || /^\d{2}:\d{2}$/.test(valueOf(n)));
      if (times.length) cases.push(withEach((n) => times.includes(n), "24:60"));
      if (names.some(isText)) {
        cases.push(withEach(isText, `"><script>alert("fuzz")</script>`), withEach(isText, "a\u0000b"));
      }
      // A value picked from a list (a select, radio buttons, a hidden field) named after an Object property.
      const picked = (name: string) => name !== "intent" && name !== "formToken" && ["select", "radio", "hidden"].includes(kind(name));
      if (names.some(picked)) cases.push(withEach(picked, "toString"), withEach(picked, "__proto__"));
      // Every checkbox of a group of ids ticked, with one more past PostgreSQL's integer.
      const idBoxes = [...form.choices].filter(([name, values]) => kind(name) === "checkbox" && [...values].every((v) => /^\d+$/.test(v)));
      if (idBoxes.length) {
        const ticked = idBoxes.flatMap(([name, values]) => [...values, "2147483648"].map((v): [string, string] => [name, v]));
        cases.push({ role, url, fields: [...form.fields.filter(([n]) => !idBoxes.some(([box]) => box === n)), ...ticked] });
      }
      cases.push({
        role,
        url,
        fields: form.fields.flatMap(([n, v]): [string, string][] => [
          [n, v],
          [n, `${v}x`],
        ]),
      });
      // Ids the form does not show (a search result's button, another page's form), past PostgreSQL's integer.
      cases.push({ role, url, fields: [...form.fields, ...ID_FIELDS.filter((n) => !names.includes(n)).map((n): [string, string] => [n, "2147483648"])] });
    }
  }
  // 1 MB in the first field the page shows (or in a field of no form).
  const first = targets[0];
  const form = first.forms[0];
  const big = form?.fields.find(([name]) => name !== "intent" && name !== "formToken")?.[0] ?? "name";
  cases.push({ role: first.role, url: first.url, fields: [...(form?.fields ?? []).filter(([n]) => n !== big), [big, ONE_MB]] });
  return cases;
}

function seedOf(text: string): number {
  let hash = 0;
  for (const ch of text) hash = (Math.imul(hash, 31) + ch.charCodeAt(0)) | 0;
  return hash;
}

// ---------- who fuzzes what ----------

/** The roles that may use it (not refused by the table), one client and one coach standing for both. */
function fuzzRoles(outcomes: Outcomes): AccessRole[] {
  const may = allowedRoles(outcomes);
  const picked = may.filter((r) => r === "guest" || r === "client" || r === "coach" || r === "admin");
  // A page every role may use (sign-in, sign-up…) is fuzzed as a guest and a client (or one of them); one no
  // one may use, as both too.
  if (!may.length) return ["guest", "client"];
  if (picked.length > 2) return picked.filter((r) => r === "guest" || r === "client");
  return picked.length ? picked : may;
}

function paramsOf(route: AppRoute): Record<string, string> {
  return Object.fromEntries(Object.entries(ACCESS_TABLE[route.id]?.params?.(w) ?? {}).map(([k, v]) => [k, String(v)]));
}

type Answer = { status: number; contentType: string; body: string };

/**
 * One request on a connection of its own (no keep-alive), so a request the server cuts short cannot fail the
 * next one on a shared socket; redirects are not followed.
 */
function request(url: string, role: AccessRole, options: { method?: string; form?: URLSearchParams } = {}): Promise<Answer> {
  const body = options.form ? Buffer.from(options.form.toString()) : undefined;
  const headers: Record<string, string | number> = { Cookie: w.cookies[role], Origin: base };
  if (body) Object.assign(headers, { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": body.length });
  return new Promise((resolve, reject) => {
    const req = http.request(`${base}${url}`, { method: options.method ?? "GET", headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (chunk: Buffer) => chunks.push(chunk));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers["content-type"] ?? ""), body: Buffer.concat(chunks).toString("utf8") }),
      );
      res.on("error", reject);
    });
    req.on("error", reject);
    req.end(body);
  });
}

/** The forms of the route's page that post to it, and the URL they post to, as `role` sees the page. */
async function targetFor(route: AppRoute, role: AccessRole): Promise<{ role: AccessRole; url: string; forms: PageForm[] }> {
  const path = fillPattern(route, paramsOf(route));
  if (!route.hasPage) return { role, url: path, forms: [] };
  const html = (await request(path, role)).body;
  const forms = pageForms(html).filter((f) => f.method === "post" && (f.action === null || new URL(f.action, "http://x").pathname === path));
  const indexed = forms.find((f) => f.action?.includes("?index"));
  return { role, url: indexed?.action ?? path, forms };
}

// ---------- the checks ----------

/** The writes a refused post may make, and why: a failed sign-in (or sign-up) is counted, to throttle guessing. */
const ATTEMPT_TABLES = ["public.login_attempt", "public.signup_attempt"];
function allowedOnRefusal(change: Change): boolean {
  return ATTEMPT_TABLES.includes(change.table) && !change.before;
}

const clip = (text: string) => (text.length > 80 ? `${text.slice(0, 60)}…(${text.length} chars)` : text);
const show = (fields: [string, string][]) => fields.map(([k, v]) => `${JSON.stringify(clip(k))}=${JSON.stringify(clip(v))}`).join("&");

/** Markup-like input (a tag, a quote that would close an attribute) must come back escaped, never as it was sent. */
const isMarkup = (value: string) => /<[a-z/!]|["<>]/i.test(value) && value.length >= 3;

/** Sends one request and answers what is wrong with the answer: "<what> ← <request>", the request cut short. */
async function send(label: string, route: AppRoute, run: () => Promise<Answer>, sent: string[], onGet: boolean): Promise<string[]> {
  const problems: string[] = [];
  const request = label.length > 400 ? `${label.slice(0, 400)}…` : label;
  let response: Answer;
  try {
    response = await run();
  } catch (error) {
    return [`no answer (${String(error)}) ← ${request}`];
  }
  const { body } = response;
  const { changes, now } = await changesSince(state);
  state = now;
  if (response.status >= 500) problems.push(`${response.status} ← ${request}`);
  // A GET writes nothing beyond the columns db-snapshot.ts leaves out; a refused post only counts its attempt.
  const writes = onGet ? changes : changes.filter((c) => !allowedOnRefusal(c));
  if (onGet && writes.length) problems.push(`a GET changed ${writes.map(describeChange).join("; ")} ← ${request}`);
  if (!onGet && response.status >= 400 && response.status < 500 && writes.length) {
    problems.push(`refused (${response.status}) yet changed ${writes.map(describeChange).join("; ")} ← ${request}`);
  }
  if (response.contentType.includes("text/html")) {
    for (const value of new Set(sent.filter(isMarkup)))
      if (body.includes(value)) problems.push(`${JSON.stringify(clip(value))} came back unescaped ← ${request}`);
  }
  return problems;
}

// ---------- the tests ----------

describe("every action, posted bad forms by the roles that may use it", () => {
  it("fuzzes every route that has an action", () => {
    expect(routes.filter((r) => r.action).length).toBeGreaterThan(40);
  });

  for (const route of routes.filter((r) => r.action)) {
    it(`POST ${route.pattern}: never a 5xx, a 4xx changes nothing, nothing comes back unescaped`, async () => {
      const rule = ACCESS_TABLE[route.id];
      expect(rule?.action, `no row for ${route.id} in tests/support/access-table.ts`).toBeDefined();
      const targets = [];
      for (const role of fuzzRoles(rule!.action!)) targets.push(await targetFor(route, role));
      state = (await changesSince(state)).now;

      const cases: Fuzzed[] = [...fc.sample(formArbitrary(targets), { seed: seedOf(route.id), numRuns: ACTION_RUNS }), ...sweep(targets)];
      // Each parameter of the address in turn past PostgreSQL's integer, with the page's form.
      const params = paramsOf(route);
      for (const name of Object.keys(params)) {
        const url = fillPattern(route, { ...params, [name]: "2147483648" }) + (targets[0].url.includes("?index") ? "?index" : "");
        cases.push({ role: targets[0].role, url, fields: targets[0].forms[0]?.fields ?? [] });
      }
      const problems: string[] = [];
      const unique = [...new Map(cases.map((c) => [JSON.stringify(c), c])).values()];
      for (const { role, url, fields } of unique) {
        const form = new URLSearchParams();
        for (const [k, v] of fields) form.append(k, v);
        const post = () => request(url, role, { method: "POST", form });
        problems.push(
          ...(await send(
            `POST ${url} as ${role} ${show(fields)}`,
            route,
            post,
            fields.map(([, v]) => v),
            false,
          )),
        );
      }
      expect(problems).toEqual([]);
    });
  }
});

describe("every loader, asked bad query strings and addresses by the roles that may read it", () => {
  for (const route of routes.filter((r) => r.loader && r.id !== "root")) {
    it(`GET ${route.pattern}?…: never a 5xx, nothing changes, nothing comes back unescaped`, async () => {
      const rule = ACCESS_TABLE[route.id];
      expect(rule?.loader, `no row for ${route.id} in tests/support/access-table.ts`).toBeDefined();
      const params = paramsOf(route);
      const path = fillPattern(route, params);
      const roles = fuzzRoles(rule!.loader!);
      // The query names the page itself uses (its GET forms, its links back to itself), and the usual ones.
      const names = new Set(QUERY_NAMES);
      for (const role of roles) {
        const html = (await request(path, role)).body;
        for (const form of pageForms(html).filter((f) => f.method === "get")) for (const [name] of form.fields) names.add(name);
        for (const name of linkQueryNames(html, path)) names.add(name);
      }
      state = (await changesSince(state)).now;

      const cases: { role: AccessRole; url: string; sent: string[] }[] = [];
      const withQuery = (role: AccessRole, query: [string, string][], at = path) => ({
        role,
        url: `${at}?${new URLSearchParams(query).toString()}`,
        sent: query.map(([, v]) => v),
      });
      const random = fc.record({
        role: fc.constantFrom(...roles),
        // A URL stays within what browsers and Node's 16 KB header limit accept.
        query: fc.array(
          fc.constantFrom(...names).chain((name) =>
            fc.tuple(
              fc.constant(name),
              valueFor(name, []).map((v) => v.slice(0, 1000)),
            ),
          ),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
      });
      for (const { role, query } of fc.sample(random, { seed: seedOf(route.id), numRuns: LOADER_RUNS })) cases.push(withQuery(role, query));
      // Every name with each hostile kind of value, the kinds shifted from one request to the next.
      const list = [...names];
      for (let shift = 0; shift < QUERY_SWEEP.length; shift++) {
        cases.push(
          withQuery(
            roles[shift % roles.length],
            list.map((name, i): [string, string] => [name, QUERY_SWEEP[(i + shift) % QUERY_SWEEP.length]]),
          ),
        );
      }
      // Each parameter of the address in turn: past PostgreSQL's integer, then markup for all of them.
      for (const name of Object.keys(params)) cases.push({ role: roles[0], url: fillPattern(route, { ...params, [name]: "2147483648" }), sent: [] });
      if (Object.keys(params).length) {
        const markup = Object.fromEntries(Object.keys(params).map((name) => [name, `"><script>alert("fuzz")</script>`]));
        cases.push({ role: roles[0], url: fillPattern(route, markup), sent: [`"><script>alert("fuzz")</script>`] });
      }

      const problems: string[] = [];
      for (const { role, url, sent } of cases) problems.push(...(await send(`GET ${url} as ${role}`, route, () => request(url, role), sent, true)));
      expect(problems).toEqual([]);
    });
  }
});
