// Feature switches that mean it: the real Express app (server/app.ts) around the app's real routes, over
// HTTP. A switched-off area's pages, actions and data fetches answer 404 to every role, from the next
// request on; switched on again, they answer as before, with no restart.
import type { ServerBuild } from "@remix-run/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { replaceCalendarFeed } from "~/modules/booking/calendar-feed.server";
import { FEATURE_AREAS, featureOfPath, type Feature } from "~/modules/settings/feature-areas";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { addDays, todayIn, toInstant } from "~/utils/time";
import { createCohort } from "../support/cohort-factories";
import { forkEm } from "../support/db";
import { createClassType, createMember, createRegistration, createSession, createUser } from "../support/factories";
import { signedInCookie } from "../support/routes";
import { serveAppBuild } from "../support/serve-app";

type Role = "CLIENT" | "COACH" | "ADMIN";

let base = "";
let build: ServerBuild;
let close: () => Promise<unknown> = async () => {};
const cookies = {} as Record<Role, string>;
/** Real pages of each area, with real ids, and the role whose pages they are. */
let pages: Record<Feature, { path: string; role: Role | null }[]>;

beforeAll(async () => {
  const served = await serveAppBuild();
  build = served.build;
  base = served.base;
  close = served.close;

  const em = await forkEm();
  const coach = await createUser(em, { role: "COACH" });
  const admin = await createUser(em, { role: "ADMIN" });
  const { user: client, membership } = await createMember(em, { type: "PACK" });
  const classType = await createClassType(em);
  const tomorrow = addDays(todayIn("Europe/London"), 1);
  const session = await createSession(em, { coach, classType, start: toInstant(tomorrow, "18:05", "Europe/London") });
  await createRegistration(em, { session, user: client, membership });
  const cohort = await createCohort(em, { coaches: [coach], members: [client] });
  const feedToken = await replaceCalendarFeed(em, client.id);
  cookies.CLIENT = await signedInCookie(client);
  cookies.COACH = await signedInCookie(coach);
  cookies.ADMIN = await signedInCookie(admin);
  pages = {
    sessions: [
      { path: "/client/sessions", role: "CLIENT" },
      { path: "/client/sessions/calendar", role: "CLIENT" },
      { path: `/client/sessions/${session.id}`, role: "CLIENT" },
      { path: `/client/sessions/${session.id}/ics`, role: "CLIENT" },
      { path: "/coach/sessions", role: "COACH" },
      { path: "/coach/sessions/new", role: "COACH" },
      { path: "/coach/sessions/calendar", role: "COACH" },
      { path: "/coach/sessions/recurring", role: "COACH" },
      { path: `/coach/sessions/${session.id}`, role: "COACH" },
      { path: `/coach/sessions/${session.id}/edit`, role: "COACH" },
      { path: "/coach/class-types", role: "COACH" },
      { path: `/coach/class-types/${classType.id}`, role: "COACH" },
      { path: `/calendar/feed/${feedToken}`, role: null },
    ],
    cohorts: [
      { path: "/client/cohort", role: "CLIENT" },
      { path: "/client/cohorts", role: "CLIENT" },
      { path: "/coach/cohorts", role: "COACH" },
      { path: "/coach/cohorts/new", role: "COACH" },
      { path: `/coach/cohorts/${cohort.id}`, role: "COACH" },
      { path: `/coach/cohorts/${cohort.id}/edit`, role: "COACH" },
      { path: `/coach/cohorts/${cohort.id}/review`, role: "COACH" },
      { path: `/coach/cohorts/${cohort.id}/check-ins`, role: "COACH" },
      { path: `/coach/cohorts/${cohort.id}/questionnaires`, role: "COACH" },
    ],
    appointments: [],
  };
});

afterAll(async () => {
  await close();
});

async function switchTo(flags: Partial<Record<Feature, boolean>>) {
  const changes: Record<string, boolean> = {};
  for (const [feature, on] of Object.entries(flags)) changes[`features.${feature}.enabled`] = on;
  await updateSettings(await forkEm(), changes);
}

function get(path: string, role: Role | null) {
  return fetch(`${base}${path}`, { headers: role ? { Cookie: cookies[role] } : {}, redirect: "manual" });
}

function post(path: string, role: Role | null, fields: Record<string, string> = { intent: "anything" }) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { ...(role ? { Cookie: cookies[role] } : {}), "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

/** Every route of the app whose URL lies in the feature's area, as a URL with each parameter filled in. */
function areaRoutes(feature: Feature): { id: string; url: string }[] {
  const fullPath = (id: string): string => {
    const route = build.routes[id];
    const parent = route.parentId && route.parentId !== "root" ? fullPath(route.parentId) : "";
    return route.path ? `${parent}/${route.path}` : parent;
  };
  return Object.keys(build.routes)
    .filter((id) => id !== "root")
    .map((id) => ({ id, url: fullPath(id).replace(/:[A-Za-z]+/g, "1") || "/" }))
    .filter(({ url }) => featureOfPath(url) === feature);
}

const ROLES: Role[] = ["CLIENT", "COACH", "ADMIN"];

describe("feature switches", () => {
  it("finds the routes of each built area in the app", () => {
    expect(areaRoutes("sessions").map((r) => r.url)).toEqual(expect.arrayContaining(["/client/sessions", "/coach/class-types", "/calendar/feed/1"]));
    expect(areaRoutes("cohorts").map((r) => r.url)).toEqual(expect.arrayContaining(["/client/cohort", "/client/cohorts", "/coach/cohorts/1/review"]));
    for (const feature of ["sessions", "cohorts"] as const) {
      for (const page of pages[feature]) expect(featureOfPath(page.path)).toBe(feature);
    }
  });

  for (const feature of Object.keys(FEATURE_AREAS) as Feature[]) {
    it(`switched off, every ${feature} page, action and data fetch answers 404 to every role (and to no one signed in)`, async () => {
      await switchTo({ [feature]: false });
      try {
        const urls = [...areaRoutes(feature).map((r) => ({ ...r, url: r.url })), ...FEATURE_AREAS[feature].map((url) => ({ id: null, url }))];
        for (const role of [...ROLES, null]) {
          for (const { id, url } of urls) {
            expect((await get(url, role)).status, `GET ${url} as ${role}`).toBe(404);
            expect((await post(url, role)).status, `POST ${url} as ${role}`).toBe(404);
            if (id) {
              const data = await get(`${url}?_data=${encodeURIComponent(id)}`, role);
              expect(data.status, `GET ${url}?_data as ${role}`).toBe(404);
            }
          }
        }
      } finally {
        await switchTo({ [feature]: feature !== "appointments" });
      }
    });
  }

  it("answers 404 for the real pages of a switched-off area, in the normal layout, and brings them back when switched on", async () => {
    for (const feature of ["sessions", "cohorts"] as const) {
      for (const { path, role } of pages[feature]) expect((await get(path, role)).status, `GET ${path} as ${role}, ${feature} on`).toBe(200);

      await switchTo({ [feature]: false });
      for (const { path, role } of pages[feature]) {
        for (const who of [role, ...ROLES]) expect((await get(path, who)).status, `GET ${path} as ${who}, ${feature} off`).toBe(404);
      }

      await switchTo({ [feature]: true });
      for (const { path, role } of pages[feature]) expect((await get(path, role)).status, `GET ${path} as ${role}, ${feature} back on`).toBe(200);
    }
  });

  it("shows the error page with the signed-in layout and no link to the switched-off area", async () => {
    await switchTo({ cohorts: false });
    try {
      const response = await get("/coach/cohorts", "COACH");
      expect(response.status).toBe(404);
      const html = await response.text();
      expect(html).toContain("Page not found");
      expect(html).toContain('href="/coach/sessions"');
      expect(html).not.toContain('href="/coach/cohorts"');
    } finally {
      await switchTo({ cohorts: true });
    }
    const html = await (await get("/coach", "COACH")).text();
    expect(html).toContain('href="/coach/cohorts"');
  });

  it("leaves pages outside the areas alone while every area is off", async () => {
    await switchTo({ sessions: false, cohorts: false, appointments: false });
    try {
      expect((await get("/client/health", "CLIENT")).status).toBe(200);
      expect((await get("/client/membership", "CLIENT")).status).toBe(200);
      expect((await get("/coach/clients", "COACH")).status).toBe(200);
      expect((await get("/coach", "COACH")).status).toBe(200);
      expect((await get("/admin/settings", "ADMIN")).status).toBe(200);
      expect((await get("/client/sessionsx", "CLIENT")).status).toBe(404);
    } finally {
      await switchTo({ sessions: true, cohorts: true });
    }
  });

  it("matches an area's URLs however they are spelled", async () => {
    await switchTo({ cohorts: false });
    try {
      for (const path of ["/Coach/Cohorts", "/coach/cohorts/", "//coach//cohorts", "/coach/%63ohorts", "/coach/x/../cohorts", "/coach/cohorts?x=1"]) {
        expect((await get(path, "COACH")).status, path).toBe(404);
      }
    } finally {
      await switchTo({ cohorts: true });
    }
  });
});
