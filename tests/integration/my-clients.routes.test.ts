// The "My clients" pages: who may open which client, and that health data and answers reach only a coach
// of the client's cohort (or an admin).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import type { ClientDetail, ClientList } from "~/modules/coaching/clients.service.server";
import { withRequestContext } from "~/modules/db.server";
import { loader as listLoader } from "~/routes/coach.clients._index";
import { loader as clientLoader } from "~/routes/coach.clients.$userId._index";
import { addDays } from "~/utils/time";
import { forkEm } from "../support/db";
import { createCohort, createEntry, createFeedback, createQuestionnaire, createResponse, thisMonday } from "../support/cohort-factories";
import { createRegistration, createSession, createUser, uniqueName } from "../support/factories";
import { loaderData, signedInCookie } from "../support/routes";

/** The loader's Response, whether it answered or threw it (403, 404). */
async function get(loader: (args: LoaderFunctionArgs) => Promise<unknown>, path: string, cookie: string, params: Record<string, string> = {}) {
  const request = new Request(`http://localhost${path}`, { headers: { Cookie: cookie } });
  return withRequestContext(async () => {
    try {
      const result = await loader({ request, params, context: { cspNonce: "test", clientIp: "127.0.0.1" } });
      return result instanceof Response ? result : Response.json(result);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

const clientPage = (user: { id: number }, cookie: string, query = "") =>
  get(clientLoader, `/coach/clients/${user.id}${query}`, cookie, { userId: String(user.id) });

let cohortCoach: IUser, classCoach: IUser, strangerCoach: IUser, admin: IUser, member: IUser, outsider: IUser;
let cohortId: number;
const NOTE = "Slept badly, knee sore";

beforeAll(async () => {
  const em = await forkEm();
  cohortCoach = await createUser(em, { role: "COACH" });
  classCoach = await createUser(em, { role: "COACH" });
  strangerCoach = await createUser(em, { role: "COACH" });
  admin = await createUser(em, { role: "ADMIN" });
  member = await createUser(em, { name: uniqueName("Member") });
  outsider = await createUser(em, { name: uniqueName("Outsider") });
  const start = addDays(thisMonday(), -14);
  const cohort = await createCohort(em, {
    name: uniqueName("8 Week Challenge"),
    startDate: start,
    weeks: 8,
    coaches: [cohortCoach],
    members: [member],
    checkIn: { metrics: ["weightKg", "mood"], frequencyDays: 7 },
  });
  cohortId = cohort.id;
  const week1 = await createQuestionnaire(em, cohort, 1);
  const week2 = await createQuestionnaire(em, cohort, 2);
  await createQuestionnaire(em, cohort, 5);
  await createResponse(em, { bundle: week1, user: member });
  await createResponse(em, { bundle: week2, user: member });
  await createFeedback(em, { cohort, user: member, coach: cohortCoach, weekNumber: 1 });
  await createEntry(em, { user: member, date: addDays(start, 2), weightKg: 88.4, mood: 6, note: NOTE });
  await createEntry(em, { user: member, date: addDays(start, 9), weightKg: 87.9, mood: 7, enteredBy: cohortCoach });
  // The member also books one of another coach's classes; the outsider books only the stranger's.
  const past = await createSession(em, { coach: classCoach, start: new Date(Date.now() - 2 * 86_400_000), title: uniqueName("HIIT") });
  await createRegistration(em, { session: past, user: member, status: "ATTENDED" });
  const next = await createSession(em, { coach: classCoach, start: new Date(Date.now() + 2 * 86_400_000), title: uniqueName("CORE") });
  await createRegistration(em, { session: next, user: member, status: "REGISTERED" });
  const stranger = await createSession(em, { coach: strangerCoach, start: new Date(Date.now() - 86_400_000) });
  await createRegistration(em, { session: stranger, user: outsider, status: "ATTENDED" });
});

describe("/coach/clients", () => {
  it("lists the coach's own clients, and an admin's search finds anyone", async () => {
    const forCohortCoach = await loaderData<ClientList>(listLoader, { path: "/coach/clients", cookie: await signedInCookie(cohortCoach) });
    expect(forCohortCoach.clients.map((c) => c.id)).toEqual([member.id]);
    expect(forCohortCoach.clients[0]).toMatchObject({ inClasses: false, cohorts: [{ id: cohortId }], compliance: { questionnaires: { done: 2, due: 2 } } });
    const forClassCoach = await loaderData<ClientList>(listLoader, { path: "/coach/clients?sort=lastAttended", cookie: await signedInCookie(classCoach) });
    expect(forClassCoach.clients.map((c) => c.id)).toEqual([member.id]);
    // The class coach does not coach the cohort: the row does not name it.
    expect(forClassCoach.clients[0]).toMatchObject({ inClasses: true, cohorts: [], compliance: null, attendance: { attended: 1, booked: 1 } });

    const search = new URLSearchParams({ q: outsider.name.toUpperCase() });
    const forAdmin = await loaderData<ClientList>(listLoader, { path: `/coach/clients?${search}`, cookie: await signedInCookie(admin) });
    expect(forAdmin.clients.map((c) => c.id)).toEqual([outsider.id]);
  });

  it("ignores a malformed search instead of failing", async () => {
    const data = await loaderData<ClientList & { invalid: boolean }>(listLoader, {
      path: "/coach/clients?sort=shoe-size&page=-3",
      cookie: await signedInCookie(cohortCoach),
    });
    expect(data).toMatchObject({ invalid: true, sort: "name", page: 1 });
    expect(data.clients.map((c) => c.id)).toEqual([member.id]);
  });

  it("answers 403 to a client", async () => {
    const cookie = await signedInCookie(member);
    expect((await get(listLoader, "/coach/clients", cookie)).status).toBe(403);
    expect((await clientPage(member, cookie)).status).toBe(403);
  });
});

describe("/coach/clients/:userId", () => {
  it("shows a coach of the client's cohort their check-ins, weeks, bookings and attendance", async () => {
    const data = await loaderData<ClientDetail>(clientLoader, {
      path: `/coach/clients/${member.id}`,
      params: { userId: String(member.id) },
      cookie: await signedInCookie(cohortCoach),
    });
    expect(data.client).toMatchObject({ id: member.id, name: member.name, email: member.email });
    expect(data.coaching?.checkIns.map((c) => [c.weightKg, c.mood, c.enteredBy])).toEqual([
      [87.9, 7, cohortCoach.name],
      [88.4, 6, null],
    ]);
    expect(data.coaching?.checkIns[1].note).toBe(NOTE);
    const [cohort] = data.coaching!.cohorts;
    expect(cohort).toMatchObject({ id: cohortId, membershipStatus: "ACTIVE", weeks: 8, compliance: { week: 3 } });
    expect(cohort.weekRows.slice(0, 5).map((w) => [w.week, w.questionnaire, w.feedback])).toEqual([
      [1, "SUBMITTED", "PUBLISHED"],
      [2, "SUBMITTED", null],
      [3, "NONE", null],
      [4, "NONE", null],
      [5, "NOT_OPEN", null],
    ]);
    expect(data.upcoming).toHaveLength(1);
    expect(data.history).toMatchObject({ total: 1, page: 1, pageCount: 1 });
    expect(data.history.items[0]).toMatchObject({ status: "ATTENDED", coachName: classCoach.name });
  });

  it("shows a coach who only teaches the client bookings and attendance, but no health data or answers", async () => {
    const response = await clientPage(member, await signedInCookie(classCoach));
    expect(response.status).toBe(200);
    const text = await response.text();
    const data = JSON.parse(text) as ClientDetail;
    expect(data.coaching).toBeNull();
    expect(data.history.total).toBe(1);
    expect(data.upcoming).toHaveLength(1);
    // Nothing of the check-ins or the cohort leaks anywhere in the data.
    for (const secret of [NOTE, "88.4", "87.9", "SUBMITTED", "weekRows"]) expect(text).not.toContain(secret);
  });

  it("answers 404 for a client outside the coach's clients, an unknown id and a malformed one; an admin opens anyone", async () => {
    const cookie = await signedInCookie(cohortCoach);
    expect((await clientPage(outsider, cookie)).status).toBe(404);
    expect((await clientPage({ id: 2_000_000_000 }, cookie)).status).toBe(404);
    expect((await clientPage(classCoach, cookie)).status).toBe(404);
    expect((await get(clientLoader, "/coach/clients/abc", cookie, { userId: "abc" })).status).toBe(404);
    expect((await get(clientLoader, "/coach/clients/99999999999", cookie, { userId: "99999999999" })).status).toBe(404);
    expect((await clientPage(member, await signedInCookie(strangerCoach))).status).toBe(404);

    const adminCookie = await signedInCookie(admin);
    const outsiderPage = await clientPage(outsider, adminCookie);
    expect(outsiderPage.status).toBe(200);
    expect(((await outsiderPage.json()) as ClientDetail).coaching).toEqual({ checkIns: [], cohorts: [] });
    const memberPage = (await (await clientPage(member, adminCookie, "?page=zz")).json()) as ClientDetail;
    expect(memberPage.coaching?.checkIns).toHaveLength(2);
    expect(memberPage.history.page).toBe(1);
  });
});
