// What one signed-in page costs the database: the real Express app (server/app.ts) around the app's real
// routes, over HTTP, counting every statement sent from the cookie to the rendered page. The sign-in and
// the settings are read once per request although the server's feature guard, the root, the layout and
// the page each ask for them (issue 14). A regression guard on the count, not a timing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withRequestContext, getEm } from "~/modules/db.server";
import { getSettings, updateSettings } from "~/modules/settings/settings.service.server";
import { addDays, todayIn, toInstant } from "~/utils/time";
import { forkEm } from "../support/db";
import { createClassType, createMember, createRegistration, createSession, createUser } from "../support/factories";
import { signedInCookie } from "../support/routes";
import { serveAppBuild } from "../support/serve-app";
import { recordStatements } from "../support/sql-count";

let base = "";
let cookie = "";
let close: () => Promise<unknown> = async () => {};

beforeAll(async () => {
  const served = await serveAppBuild();
  base = served.base;
  close = served.close;

  const em = await forkEm();
  const coach = await createUser(em, { role: "COACH" });
  const { user: client, membership } = await createMember(em, { type: "PACK" });
  const classType = await createClassType(em);
  const tomorrow = addDays(todayIn("Europe/London"), 1);
  for (const time of ["07:00", "12:15", "18:05"]) {
    const session = await createSession(em, { coach, classType, start: toInstant(tomorrow, time, "Europe/London") });
    if (time === "18:05") await createRegistration(em, { session, user: client, membership });
  }
  cookie = await signedInCookie(client);
});

afterAll(async () => {
  await close();
});

async function statementsOf(path: string): Promise<string[]> {
  const { result: response, statements } = await recordStatements(() => fetch(`${base}${path}`, { headers: { Cookie: cookie } }));
  expect(response.status, path).toBe(200);
  await response.text();
  return statements;
}

const SIGN_IN = /from "?auth_session"?/;
const SETTINGS = /from "?system_settings"?/;

describe("a signed-in client's pages", () => {
  it("GET /client/sessions looks up the sign-in and the settings once, in one query, and its own reads in one more", async () => {
    await statementsOf("/client/sessions"); // the first request also loads the ORM's metadata
    const statements = await statementsOf("/client/sessions");
    const shown = statements.map((sql, i) => `${i + 1}. ${sql}`).join("\n");
    expect(
      statements.filter((sql) => SIGN_IN.test(sql)),
      shown,
    ).toHaveLength(1);
    expect(
      statements.filter((sql) => SETTINGS.test(sql)),
      shown,
    ).toHaveLength(1);
    // Two round trips: the sign-in and the settings in one query, then the page's own reads as one prepared
    // statement (readTogether), a JSON column each: the client's cohort, the week's sessions with their places
    // taken and the client's own registrations, the memberships and their week's use, and the class types.
    // 13 round trips before issue 14, 6 with the sign-in and the settings read apart, 5 with them together.
    expect(statements, shown).toHaveLength(2);
    const pageReads = statements[1].split("json_agg(").slice(1);
    expect(pageReads, shown).toHaveLength(5);
    for (const table of ["session", "cohort", "user_membership", "session_registration", "class_type"]) {
      expect(
        pageReads.some((sql) => new RegExp(`(from|join) "?${table}"?\\b`).test(sql)),
        `${table}\n${shown}`,
      ).toBe(true);
    }
  });

  it("reads a changed setting from the next request on", async () => {
    const before = await (await fetch(`${base}/client/sessions`, { headers: { Cookie: cookie } })).text();
    expect(before).toContain("Centurion");
    await updateSettings(await forkEm(), { studioName: "Studio Renamed" });
    try {
      const after = await (await fetch(`${base}/client/sessions`, { headers: { Cookie: cookie } })).text();
      expect(after).toContain("Studio Renamed");
    } finally {
      await updateSettings(await forkEm(), { studioName: "Centurion" });
    }
  });
});

describe("the settings within one request", () => {
  it("are read once, and again after the request changes them", async () => {
    await withRequestContext(async () => {
      const { statements } = await recordStatements(async () => {
        const [a, b] = await Promise.all([getSettings(getEm()), getSettings(getEm())]);
        expect(a).toEqual(b);
      });
      expect(statements.filter((sql) => SETTINGS.test(sql))).toHaveLength(1);

      await updateSettings(getEm(), { studioName: "Changed Within" });
      try {
        expect((await getSettings(getEm())).studioName).toBe("Changed Within");
      } finally {
        await updateSettings(getEm(), { studioName: "Centurion" });
      }
    });
  });

  it("are read afresh outside a request, and by a transaction", async () => {
    const em = await forkEm();
    const { statements } = await recordStatements(async () => {
      await getSettings(em);
      await getSettings(em);
    });
    expect(statements.filter((sql) => SETTINGS.test(sql))).toHaveLength(2);
    await withRequestContext(async () => {
      await getSettings(getEm());
      const inside = await recordStatements(() => getEm().transactional((tx) => getSettings(tx)));
      expect(inside.statements.filter((sql) => SETTINGS.test(sql))).toHaveLength(1);
    });
  });
});
