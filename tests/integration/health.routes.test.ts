// The health pages as a browser drives them (plain form posts, signed-in cookies): /client/health,
// /client/health/:id, /coach/clients/:userId/health and /coach/cohorts/:id/check-ins.
import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { User } from "~/modules/auth/auth.entities.server";
import { CohortCheckInConfig } from "~/modules/cohorts/cohorts.entities.server";
import { withRequestContext } from "~/modules/db.server";
import { Entry } from "~/modules/health/health.entities.server";
import { stonesPoundsToKg, type HealthChartModel } from "~/modules/health/health.rules";
import type { EntryRow } from "~/modules/health/health.service.server";
import { HealthChart } from "~/components/health-chart";
import * as clientHealth from "~/routes/client.health._index";
import * as clientEntry from "~/routes/client.health.$id";
import * as coachClientHealth from "~/routes/coach.clients.$userId.health";
import * as checkIns from "~/routes/coach.cohorts.$id.check-ins";
import { addDays, todayIn } from "~/utils/time";
import { createCohort, createEntry } from "../support/cohort-factories";
import { forkEm } from "../support/db";
import { createUser } from "../support/factories";
import { loaderData, postForm, signedInCookie } from "../support/routes";

const today = () => todayIn("Europe/London");
const entriesOf = async (user: { id: number }) => (await forkEm()).find(Entry, { user: user.id }, { orderBy: { date: "asc" }, populate: ["enteredBy"] });

/** A loader's status, whether it answered or threw (403, 404). */
async function loaderStatus(loader: (args: LoaderFunctionArgs) => Promise<unknown>, path: string, params: Record<string, string>, cookie: string) {
  const request = new Request(`http://localhost${path}`, { headers: { Cookie: cookie } });
  return withRequestContext(async () => {
    try {
      const result = await loader({ request, params, context: { cspNonce: "test", clientIp: "127.0.0.1" } });
      return result instanceof Response ? result.status : 200;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown.status;
      throw thrown;
    }
  });
}

type Overview = { rows: EntryRow[]; charts: HealthChartModel[]; client: { weightUnit: string }; total: number };

let admin: IUser;
beforeAll(async () => {
  admin = await createUser(await forkEm(), { role: "ADMIN" });
});

describe("/client/health", () => {
  it("lets a client outside any cohort record a check-in: 303, stored in kg, shown in the history and a chart", async () => {
    const client = await createUser(await forkEm());
    const cookie = await signedInCookie(client);
    const response = await postForm(clientHealth.action, {
      path: "/client/health",
      cookie,
      fields: { intent: "record", date: "", weightKg: "82.4", waistCm: "", steps: "10500", mood: "7", note: "First week" },
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/client/health");
    const [entry] = await entriesOf(client);
    expect(entry).toMatchObject({ date: today(), steps: 10500, mood: 7, note: "First week", waistCm: null, enteredBy: null });
    expect(Number(entry.weightKg)).toBe(82.4);

    const page = await loaderData<Overview>(clientHealth.loader, { path: "/client/health", cookie });
    expect(page.rows).toEqual([
      expect.objectContaining({ id: entry.id, values: { weightKg: "82.4 kg", steps: "10,500 steps", mood: "7/10" }, note: "First week", enteredBy: null }),
    ]);
    expect(page.charts.map((c) => c.metric)).toEqual(["weightKg", "steps", "mood"]);
    // The chart is an image with a title, a description and a visible text alternative.
    const html = renderToStaticMarkup(createElement(HealthChart, { chart: page.charts[0] }));
    expect(html).toContain('role="img"');
    expect(html).toMatch(/<title id="chart-weightKg-title">Weight chart<\/title>/);
    expect(html).toMatch(/<desc id="chart-weightKg-desc">Weight: 82.4 kg on \d+ \w+\.<\/desc>/);
    expect(html).toMatch(/<figcaption[^>]*>Weight: 82.4 kg on \d+ \w+\.<\/figcaption>/);
  });

  it("takes stones and pounds, stores kg, and shows them back in stones and pounds", async () => {
    const client = await createUser(await forkEm());
    const cookie = await signedInCookie(client);
    expect((await postForm(clientHealth.action, { path: "/client/health", cookie, fields: { intent: "unit", weightUnit: "ST_LB" } })).status).toBe(303);
    expect((await (await forkEm()).findOneOrFail(User, client.id)).weightUnit).toBe("ST_LB");
    const response = await postForm(clientHealth.action, {
      path: "/client/health",
      cookie,
      fields: { intent: "record", date: addDays(today(), -2), weightStones: "12", weightPounds: "4.5" },
    });
    expect(response.status).toBe(303);
    const [entry] = await entriesOf(client);
    expect(Number(entry.weightKg)).toBeCloseTo(stonesPoundsToKg(12, 4.5), 9);
    const page = await loaderData<Overview>(clientHealth.loader, { path: "/client/health", cookie });
    expect(page.rows[0].values.weightKg).toBe("12 st 4.5 lb");
    const edit = await loaderData<{ values: Record<string, string> }>(clientEntry.loader, {
      path: `/client/health/${entry.id}`,
      params: { id: String(entry.id) },
      cookie,
    });
    expect(edit.values).toMatchObject({ weightStones: "12", weightPounds: "4.5" });
    // A unit that is not offered is a 400.
    expect((await postForm(clientHealth.action, { path: "/client/health", cookie, fields: { intent: "unit", weightUnit: "STONE" } })).status).toBe(400);
  });

  it("answers 400 with the messages and what was typed, and writes nothing, for an empty or out-of-range check-in", async () => {
    const client = await createUser(await forkEm());
    const cookie = await signedInCookie(client);
    const empty = await postForm(clientHealth.action, { path: "/client/health", cookie, fields: { intent: "record", date: "", weightKg: "", note: " " } });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ intent: "record", formError: "Enter at least one measurement or a note." });

    const outOfRange = await postForm(clientHealth.action, {
      path: "/client/health",
      cookie,
      fields: { intent: "record", weightKg: "500", energy: "11", sleepHours: "7" },
    });
    expect(outOfRange.status).toBe(400);
    expect(await outOfRange.json()).toMatchObject({
      intent: "record",
      fieldErrors: { weightKg: ["Weight must be between 20 and 400 kg."], energy: ["Energy must be between 1 and 10."] },
      values: { weightKg: "500", energy: "11", sleepHours: "7" },
    });

    const malformed = await postForm(clientHealth.action, {
      path: "/client/health",
      cookie,
      fields: { intent: "record", weightKg: "eighty", steps: "1.5", date: "2026-02-30" },
    });
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({
      fieldErrors: {
        weightKg: ["Enter the weight as a number of kg, like 82.4."],
        steps: ["Enter steps as a whole number."],
        date: ["Enter the date as YYYY-MM-DD, from 1900 onwards."],
      },
    });
    const future = await postForm(clientHealth.action, { path: "/client/health", cookie, fields: { intent: "record", date: addDays(today(), 1), mood: "5" } });
    expect(future.status).toBe(400);
    expect(await future.json()).toMatchObject({ fieldErrors: { date: ["The date cannot be in the future."] } });
    expect(await entriesOf(client)).toEqual([]);
  });

  it("refuses a second check-in for a date with a 400 that links to the first", async () => {
    const client = await createUser(await forkEm());
    const cookie = await signedInCookie(client);
    const first = await createEntry(await forkEm(), { user: client, date: "2026-03-02", mood: 6 });
    const response = await postForm(clientHealth.action, { path: "/client/health", cookie, fields: { intent: "record", date: "2026-03-02", mood: "8" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      intent: "record",
      formError: "You already have an entry for Mon 2 Mar 2026 — edit it instead.",
      existingEntryId: first.id,
      values: { date: "2026-03-02", mood: "8" },
    });
    expect((await entriesOf(client)).map((e) => e.mood)).toEqual([6]);
  });

  it("answers an unknown intent with 400, and a coach with 403", async () => {
    const client = await createUser(await forkEm());
    expect((await postForm(clientHealth.action, { path: "/client/health", cookie: await signedInCookie(client), fields: { intent: "explode" } })).status).toBe(
      400,
    );
    const coach = await signedInCookie(await createUser(await forkEm(), { role: "COACH" }));
    expect(await loaderStatus(clientHealth.loader, "/client/health", {}, coach)).toBe(403);
    expect((await postForm(clientHealth.action, { path: "/client/health", cookie: coach, fields: { intent: "record", mood: "5" } })).status).toBe(403);
  });
});

describe("/client/health/:id", () => {
  it("edits and deletes the client's own entry", async () => {
    const client = await createUser(await forkEm());
    const cookie = await signedInCookie(client);
    const entry = await createEntry(await forkEm(), { user: client, date: "2026-03-02", weightKg: 80, mood: 6 });
    const path = `/client/health/${entry.id}`;
    const params = { id: String(entry.id) };
    const updated = await postForm(clientEntry.action, { path, params, cookie, fields: { intent: "update", date: "2026-03-03", weightKg: "79.5", mood: "" } });
    expect(updated.status).toBe(303);
    const [saved] = await entriesOf(client);
    expect(saved).toMatchObject({ date: "2026-03-03", mood: null });
    expect(Number(saved.weightKg)).toBe(79.5);

    const emptied = await postForm(clientEntry.action, { path, params, cookie, fields: { intent: "update", date: "2026-03-03" } });
    expect(emptied.status).toBe(400);
    expect(await emptied.json()).toMatchObject({ intent: "update", formError: "Enter at least one measurement or a note." });

    expect((await postForm(clientEntry.action, { path, params, cookie, fields: { intent: "nope" } })).status).toBe(400);
    const deleted = await postForm(clientEntry.action, { path, params, cookie, fields: { intent: "delete" } });
    expect(deleted.status).toBe(303);
    expect(await entriesOf(client)).toEqual([]);
    expect(await loaderStatus(clientEntry.loader, path, params, cookie)).toBe(404);
  });

  it("answers 404 for another client's entry (read, edit and delete) and for a malformed id", async () => {
    const owner = await createUser(await forkEm());
    const entry = await createEntry(await forkEm(), { user: owner, date: "2026-03-02", mood: 6, note: "private" });
    const intruder = await signedInCookie(await createUser(await forkEm()));
    const path = `/client/health/${entry.id}`;
    const params = { id: String(entry.id) };
    expect(await loaderStatus(clientEntry.loader, path, params, intruder)).toBe(404);
    expect((await postForm(clientEntry.action, { path, params, cookie: intruder, fields: { intent: "update", mood: "1" } })).status).toBe(404);
    expect((await postForm(clientEntry.action, { path, params, cookie: intruder, fields: { intent: "update", mood: "" } })).status).toBe(404);
    expect((await postForm(clientEntry.action, { path, params, cookie: intruder, fields: { intent: "delete" } })).status).toBe(404);
    expect((await entriesOf(owner)).map((e) => [e.mood, e.note])).toEqual([[6, "private"]]);
    for (const id of ["abc", "0", "-1", "99999999999", "1.5"]) {
      expect(await loaderStatus(clientEntry.loader, `/client/health/${id}`, { id }, intruder), id).toBe(404);
    }
  });
});

describe("/coach/clients/:userId/health", () => {
  async function setUp() {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH", name: `Gav ${Math.random().toString(36).slice(2, 8)}` });
    const client = await createUser(em);
    await createCohort(em, { coaches: [coach], members: [client], checkIn: { metrics: ["weightKg", "mood"], frequencyDays: 7 } });
    return { coach, client, path: `/coach/clients/${client.id}/health`, params: { userId: String(client.id) } };
  }

  it("lets a coach of the client's cohort see their data and enter a check-in, marked as entered by the coach", async () => {
    const { coach, client, path, params } = await setUp();
    const cookie = await signedInCookie(coach);
    await createEntry(await forkEm(), { user: client, date: addDays(today(), -7), weightKg: 84 });
    const before = await loaderData<Overview & { ask: { metrics: string[] } }>(coachClientHealth.loader, { path, params, cookie });
    expect(before.rows).toHaveLength(1);
    expect(before.ask.metrics).toEqual(["weightKg", "mood"]);

    const response = await postForm(coachClientHealth.action, { path, params, cookie, fields: { intent: "record", weightKg: "83.2", mood: "6" } });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(path);
    const entries = await entriesOf(client);
    expect(entries).toHaveLength(2);
    expect(entries[1].enteredBy?.id).toBe(coach.id);

    // The client's own page says who entered it.
    const page = await loaderData<Overview>(clientHealth.loader, { path: "/client/health", cookie: await signedInCookie(client) });
    expect(page.rows[0].enteredBy).toBe(`Coach ${coach.name}`);

    const again = await postForm(coachClientHealth.action, { path, params, cookie, fields: { intent: "record", mood: "7" } });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({ formError: expect.stringContaining(`${client.name} already has an entry for`) });
  });

  it("answers 403 to a coach who does not coach the client, and lets an admin in", async () => {
    const { client, path, params } = await setUp();
    const stranger = await signedInCookie(await createUser(await forkEm(), { role: "COACH" }));
    expect(await loaderStatus(coachClientHealth.loader, path, params, stranger)).toBe(403);
    expect((await postForm(coachClientHealth.action, { path, params, cookie: stranger, fields: { intent: "record", mood: "5" } })).status).toBe(403);
    expect(await entriesOf(client)).toEqual([]);

    const adminCookie = await signedInCookie(admin);
    expect(await loaderStatus(coachClientHealth.loader, path, params, adminCookie)).toBe(200);
    expect((await postForm(coachClientHealth.action, { path, params, cookie: adminCookie, fields: { intent: "record", mood: "5" } })).status).toBe(303);
    expect((await entriesOf(client))[0].enteredBy?.id).toBe(admin.id);
    // A client may not use the coach's page at all.
    expect(await loaderStatus(coachClientHealth.loader, path, params, await signedInCookie(client))).toBe(403);
  });

  it("answers 404 for an unknown user, a user who is not a client, and a malformed id", async () => {
    const { coach } = await setUp();
    const cookie = await signedInCookie(coach);
    const otherCoach = await createUser(await forkEm(), { role: "COACH" });
    for (const userId of ["2000000000", String(otherCoach.id), String(coach.id), "x", "0"]) {
      expect(await loaderStatus(coachClientHealth.loader, `/coach/clients/${userId}/health`, { userId }, cookie), userId).toBe(404);
    }
    expect(
      (
        await postForm(coachClientHealth.action, {
          path: "/coach/clients/2000000000/health",
          params: { userId: "2000000000" },
          cookie,
          fields: { intent: "record", mood: "5" },
        })
      ).status,
    ).toBe(404);
  });
});

describe("/coach/cohorts/:id/check-ins", () => {
  it("saves the settings for the cohort's coach, and answers 400 with messages for bad ones", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const cohort = await createCohort(em, { coaches: [coach] });
    const cookie = await signedInCookie(coach);
    const path = `/coach/cohorts/${cohort.id}/check-ins`;
    const params = { id: String(cohort.id) };
    const page = await loaderData<{ cohort: { name: string }; config: { saved: boolean } }>(checkIns.loader, { path, params, cookie });
    expect(page).toMatchObject({ cohort: { name: cohort.name }, config: { saved: false } });

    const body = new URLSearchParams([
      ["metrics", "weightKg"],
      ["metrics", "sleepHours"],
      ["frequencyDays", "14"],
    ]);
    const saved = await withRequestContext(() =>
      checkIns.action({
        request: new Request(`http://localhost${path}`, {
          method: "POST",
          headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
          body: body.toString(),
        }),
        params,
        context: { cspNonce: "test", clientIp: "127.0.0.1" },
      }),
    );
    expect(saved.status).toBe(303);
    expect(await (await forkEm()).findOneOrFail(CohortCheckInConfig, { cohort: cohort.id })).toMatchObject({
      metrics: ["weightKg", "sleepHours"],
      frequencyDays: 14,
    });

    const none = await postForm(checkIns.action, { path, params, cookie, fields: { frequencyDays: "7" } });
    expect(none.status).toBe(400);
    expect(await none.json()).toMatchObject({ fieldErrors: { metrics: ["Choose at least one measurement to ask for."] } });
    const badDays = await postForm(checkIns.action, { path, params, cookie, fields: { metrics: "mood", frequencyDays: "29" } });
    expect(badDays.status).toBe(400);
    expect(await badDays.json()).toMatchObject({
      fieldErrors: { frequencyDays: ["Ask at least every 28 days and at most every day (1 to 28)."] },
      values: { metrics: ["mood"] },
    });
    const unknownMetric = await postForm(checkIns.action, { path, params, cookie, fields: { metrics: "height", frequencyDays: "7" } });
    expect(unknownMetric.status).toBe(400);
    expect(await (await forkEm()).findOneOrFail(CohortCheckInConfig, { cohort: cohort.id })).toMatchObject({
      metrics: ["weightKg", "sleepHours"],
      frequencyDays: 14,
    });
  });

  it("answers 403 to another coach, 404 for an unknown cohort, and lets an admin save", async () => {
    const em = await forkEm();
    const cohort = await createCohort(em, { coaches: [await createUser(em, { role: "COACH" })] });
    const path = `/coach/cohorts/${cohort.id}/check-ins`;
    const params = { id: String(cohort.id) };
    const stranger = await signedInCookie(await createUser(em, { role: "COACH" }));
    expect(await loaderStatus(checkIns.loader, path, params, stranger)).toBe(403);
    expect((await postForm(checkIns.action, { path, params, cookie: stranger, fields: { metrics: "mood", frequencyDays: "7" } })).status).toBe(403);
    expect(await (await forkEm()).count(CohortCheckInConfig, { cohort: cohort.id })).toBe(0);
    expect(await loaderStatus(checkIns.loader, "/coach/cohorts/2000000000/check-ins", { id: "2000000000" }, stranger)).toBe(404);
    expect(await loaderStatus(checkIns.loader, "/coach/cohorts/abc/check-ins", { id: "abc" }, stranger)).toBe(404);
    const adminCookie = await signedInCookie(admin);
    expect((await postForm(checkIns.action, { path, params, cookie: adminCookie, fields: { metrics: "mood", frequencyDays: "7" } })).status).toBe(303);
    expect(await (await forkEm()).count(CohortCheckInConfig, { cohort: cohort.id })).toBe(1);
  });
});
