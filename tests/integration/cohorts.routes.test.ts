// The cohort pages' HTTP answers, driven in-process: who may see and change a cohort (its coaches and
// admins; another coach 403, a client 403), the forms' 303 and 400 answers, /client/cohorts and the
// cohort section of /client/sessions.
import { randomUUID } from "node:crypto";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { CoachCohortMembership, Cohort, CohortMembership } from "~/modules/cohorts/cohorts.entities.server";
import { withRequestContext } from "~/modules/db.server";
import { action as overviewAction, loader as overviewLoader } from "~/routes/coach.cohorts.$id._index";
import { action as editAction, loader as editLoader } from "~/routes/coach.cohorts.$id.edit";
import { loader as listLoader } from "~/routes/coach.cohorts._index";
import { action as newAction } from "~/routes/coach.cohorts.new";
import { action as clientAction, loader as clientLoader } from "~/routes/client.cohorts";
import { loader as sessionsLoader } from "~/routes/client.sessions._index";
import { addDays, todayIn } from "~/utils/time";
import { createCohort, thisMonday } from "../support/cohort-factories";
import { forkEm } from "../support/db";
import { createMembership, createPlan, createSession, createUser } from "../support/factories";
import { loaderData, postForm, signedInCookie } from "../support/routes";

let coach: IUser;
let otherCoach: IUser;
let admin: IUser;
let client: IUser;
const cookies: Record<string, string> = {};
beforeAll(async () => {
  const em = await forkEm();
  coach = await createUser(em, { role: "COACH" });
  otherCoach = await createUser(em, { role: "COACH" });
  admin = await createUser(em, { role: "ADMIN" });
  client = await createUser(em);
  for (const [key, user] of Object.entries({ coach, otherCoach, admin, client })) cookies[key] = await signedInCookie(user);
});

/** A GET through a loader, answering its Response whatever the status (loaderData insists on 200). */
async function get(loader: (args: LoaderFunctionArgs) => Promise<unknown>, path: string, cookie: string, params: Record<string, string> = {}) {
  return withRequestContext(async () => {
    try {
      const result = await loader({
        request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }),
        params,
        context: { cspNonce: "test", clientIp: "127.0.0.1" },
      });
      return result instanceof Response ? result : Response.json(result);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

const post = (action: (args: ActionFunctionArgs) => Promise<unknown>, id: number | string, cookie: string, fields: Record<string, string>, suffix = "") =>
  postForm(action, { path: `/coach/cohorts/${id}${suffix}`, params: { id: String(id) }, cookie, fields });

const today = () => todayIn("Europe/London");

describe("who may see and change a cohort", () => {
  it("its coach and an admin: 200; another coach: 403 on every page and action; a client: 403", async () => {
    const cohort = await createCohort(await forkEm(), { coaches: [coach], status: "DRAFT" });
    const params = { id: String(cohort.id) };
    expect((await get(overviewLoader, `/coach/cohorts/${cohort.id}`, cookies.coach, params)).status).toBe(200);
    expect((await get(overviewLoader, `/coach/cohorts/${cohort.id}`, cookies.admin, params)).status).toBe(200);
    expect((await get(editLoader, `/coach/cohorts/${cohort.id}/edit`, cookies.admin, params)).status).toBe(200);
    for (const who of ["otherCoach", "client"]) {
      expect((await get(overviewLoader, `/coach/cohorts/${cohort.id}`, cookies[who], params)).status, who).toBe(403);
      expect((await get(editLoader, `/coach/cohorts/${cohort.id}/edit`, cookies[who], params)).status, who).toBe(403);
      const attempts: Record<string, string>[] = [
        { intent: "status", to: "ACTIVE" },
        { intent: "add-coach", coachId: String(otherCoach.id) },
        { intent: "add-member", email: client.email },
        { intent: "remove-member", userId: String(client.id) },
      ];
      for (const fields of attempts) {
        expect((await post(overviewAction, cohort.id, cookies[who], fields)).status, `${who} ${fields.intent}`).toBe(403);
      }
      expect((await post(editAction, cohort.id, cookies[who], { name: "Taken over" }, "/edit")).status, who).toBe(403);
      expect((await postForm(newAction, { path: "/coach/cohorts/new", cookie: cookies.client, fields: { name: "x" } })).status).toBe(403);
    }
    const em = await forkEm();
    expect(await em.findOneOrFail(Cohort, cohort.id)).toMatchObject({ status: "DRAFT", name: cohort.name });
    expect(await em.count(CohortMembership, { cohort: cohort.id })).toBe(0);
    expect(await em.count(CoachCohortMembership, { cohort: cohort.id })).toBe(1);
  });

  it("a missing or malformed id is 404, an unknown intent 400", async () => {
    for (const id of ["2000000000", "abc", "0", "99999999999"]) {
      expect((await get(overviewLoader, `/coach/cohorts/${id}`, cookies.admin, { id })).status, id).toBe(404);
      expect((await post(overviewAction, id, cookies.admin, { intent: "status", to: "ACTIVE" })).status, id).toBe(404);
    }
    const cohort = await createCohort(await forkEm(), { coaches: [coach] });
    expect((await post(overviewAction, cohort.id, cookies.coach, { intent: "explode" })).status).toBe(400);
    expect((await post(overviewAction, cohort.id, cookies.coach, { intent: "add-coach", coachId: "-1" })).status).toBe(400);
    expect((await post(overviewAction, cohort.id, cookies.coach, { intent: "status", to: "DELETED" })).status).toBe(400);
  });

  it("the list shows a coach the cohorts they coach, and an admin all of them", async () => {
    const mine = await createCohort(await forkEm(), { coaches: [coach] });
    const theirs = await createCohort(await forkEm(), { coaches: [otherCoach], status: "DRAFT" });
    type List = { cohorts: { id: number; when: string; coaches: string[] }[] };
    const forCoach = await loaderData<List>(listLoader, { path: "/coach/cohorts", cookie: cookies.coach });
    expect(forCoach.cohorts.map((c) => c.id)).toContain(mine.id);
    expect(forCoach.cohorts.map((c) => c.id)).not.toContain(theirs.id);
    const forAdmin = await loaderData<List>(listLoader, { path: "/coach/cohorts", cookie: cookies.admin });
    expect(forAdmin.cohorts.map((c) => c.id)).toEqual(expect.arrayContaining([mine.id, theirs.id]));
    expect(forAdmin.cohorts.find((c) => c.id === mine.id)).toMatchObject({ when: "Week 1 of 6", coaches: [coach.name] });
    const drafts = await loaderData<List>(listLoader, { path: "/coach/cohorts?status=DRAFT", cookie: cookies.admin });
    expect(drafts.cohorts.map((c) => c.id)).toContain(theirs.id);
    expect(drafts.cohorts.map((c) => c.id)).not.toContain(mine.id);
  });
});

describe("the coach's forms", () => {
  it("a start date that is not a Monday answers 400 with the message and keeps what was typed", async () => {
    const tuesday = addDays(thisMonday(), 8);
    const response = await postForm(newAction, {
      path: "/coach/cohorts/new",
      cookie: cookies.coach,
      fields: { name: "Autumn challenge", startDate: tuesday, weeks: "8", capacity: "10", formToken: randomUUID() },
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fieldErrors: Record<string, string[]>; values: Record<string, string> };
    expect(body.fieldErrors.startDate[0]).toContain("The start date must be a Monday");
    expect(body.values).toMatchObject({ name: "Autumn challenge", startDate: tuesday, weeks: "8" });
  });

  it("creates a cohort (303 to its page) that its creator coaches", async () => {
    const name = `Created ${Date.now()}`;
    const response = await postForm(newAction, {
      path: "/coach/cohorts/new",
      cookie: cookies.coach,
      fields: { name, startDate: addDays(thisMonday(), 7), weeks: "6", capacity: "10", formToken: randomUUID() },
    });
    expect(response.status).toBe(303);
    const cohort = await (await forkEm()).findOneOrFail(Cohort, { name });
    expect(response.headers.get("Location")).toBe(`/coach/cohorts/${cohort.id}`);
    expect(await (await forkEm()).count(CoachCohortMembership, { cohort, coach: coach.id })).toBe(1);
  });

  it("makes one cohort of a form sent twice, also when the two arrive together", async () => {
    const name = `Twice ${Date.now()}`;
    const fields = { name, startDate: addDays(thisMonday(), 7), weeks: "6", capacity: "10", formToken: randomUUID() };
    const send = () => postForm(newAction, { path: "/coach/cohorts/new", cookie: cookies.coach, fields });
    const answers = await Promise.all([send(), send()]);
    const third = await send();
    const cohorts = await (await forkEm()).find(Cohort, { name });
    expect(cohorts).toHaveLength(1);
    for (const answer of [...answers, third]) {
      expect(answer.status).toBe(303);
      expect(answer.headers.get("Location")).toBe(`/coach/cohorts/${cohorts[0].id}`);
    }
  });

  it("refuses a damaged form token with 400 and creates nothing", async () => {
    const name = `Damaged ${Date.now()}`;
    const response = await postForm(newAction, {
      path: "/coach/cohorts/new",
      cookie: cookies.coach,
      fields: { name, startDate: addDays(thisMonday(), 7), weeks: "6", capacity: "10", formToken: "not-a-token" },
    });
    expect(response.status).toBe(400);
    expect(await (await forkEm()).count(Cohort, { name })).toBe(0);
  });

  it("moves the status, adds and removes members, and shows the linked sessions", async () => {
    const em = await forkEm();
    const member = await createUser(em);
    const cohort = await createCohort(em, { coaches: [coach], status: "DRAFT" });
    const soon = await createSession(em, { coach, start: new Date(Date.now() + 2 * 86_400_000), cohort, title: "Cohort circuits" });
    const past = await createSession(em, { coach, start: new Date(Date.now() - 2 * 86_400_000), cohort, title: "Cohort intro" });
    await createSession(em, { coach, start: new Date(Date.now() + 86_400_000), title: "Not the cohort's" });

    expect((await post(overviewAction, cohort.id, cookies.coach, { intent: "status", to: "ACTIVE" })).status).toBe(303);
    const added = await post(overviewAction, cohort.id, cookies.coach, { intent: "add-member", email: member.email });
    expect(added.status).toBe(303);
    const again = await post(overviewAction, cohort.id, cookies.coach, { intent: "add-member", email: member.email });
    expect(again.status).toBe(400);
    expect(await again.json()).toMatchObject({
      intent: "add-member",
      formError: `${member.name} is already in “${cohort.name}”.`,
      values: { email: member.email },
    });

    type Overview = {
      cohort: { status: string };
      members: { userId: number; addedBy: string | null }[];
      upcomingSessions: { id: number; title: string; capacity: number }[];
      recentSessions: { id: number }[];
      matches: { id: number; activeCohort: string | null }[] | null;
    };
    const overview = await loaderData<Overview>(overviewLoader, {
      path: `/coach/cohorts/${cohort.id}?q=${encodeURIComponent(member.name)}`,
      params: { id: String(cohort.id) },
      cookie: cookies.coach,
    });
    expect(overview.cohort.status).toBe("ACTIVE");
    expect(overview.members).toEqual([expect.objectContaining({ userId: member.id, addedBy: coach.name })]);
    expect(overview.upcomingSessions.map((s) => s.id)).toEqual([soon.id]);
    expect(overview.recentSessions.map((s) => s.id)).toEqual([past.id]);
    expect(overview.matches).toEqual([expect.objectContaining({ id: member.id, activeCohort: cohort.name })]);

    expect((await post(overviewAction, cohort.id, cookies.coach, { intent: "remove-member", userId: String(member.id) })).status).toBe(303);
    expect((await (await forkEm()).findOneOrFail(CohortMembership, { cohort: cohort.id, user: member.id })).status).toBe("LEFT");
  });

  it("edits a cohort (303) and answers 400 for a capacity below its members", async () => {
    const em = await forkEm();
    const cohort = await createCohort(em, { coaches: [coach], capacity: 5, members: [await createUser(em), await createUser(em)] });
    const fields = { name: "Edited", startDate: cohort.startDate, weeks: "6", capacity: "1" };
    const refusedEdit = await post(editAction, cohort.id, cookies.coach, fields, "/edit");
    expect(refusedEdit.status).toBe(400);
    expect(await refusedEdit.json()).toMatchObject({ fieldErrors: { capacity: ["2 clients are members, so the capacity cannot go below 2."] } });
    expect((await post(editAction, cohort.id, cookies.coach, { ...fields, capacity: "2" }, "/edit")).status).toBe(303);
    expect(await (await forkEm()).findOneOrFail(Cohort, cohort.id)).toMatchObject({ name: "Edited", capacity: 2 });
  });
});

describe("/client/cohorts", () => {
  it("lists open cohorts with why the client may not join, joins (303) and leaves (303)", async () => {
    const em = await forkEm();
    const person = await createUser(em);
    const cookie = await signedInCookie(person);
    const plan = await createPlan(em, { type: "PREPAID", name: `Kickstarter ${Date.now()}` });
    const needsPlan = await createCohort(em, { plans: [plan] });
    const free = await createCohort(em, { isFree: true });
    const closed = await createCohort(em, { isFree: true, registrationOpensOn: addDays(today(), 3) });

    type Page = { mine: { id: number } | null; open: { id: number; refusal: string | null }[] };
    let page = await loaderData<Page>(clientLoader, { path: "/client/cohorts", cookie });
    expect(page.mine).toBeNull();
    expect(page.open.find((c) => c.id === needsPlan.id)?.refusal).toBe(`Joining “${needsPlan.name}” needs the ${plan.name} plan.`);
    expect(page.open.find((c) => c.id === free.id)?.refusal).toBeNull();
    expect(page.open.map((c) => c.id)).not.toContain(closed.id);

    const refusedJoin = await postForm(clientAction, { path: "/client/cohorts", cookie, fields: { intent: "join", cohortId: String(needsPlan.id) } });
    expect(refusedJoin.status).toBe(400);
    expect(await refusedJoin.json()).toMatchObject({ formError: `Joining “${needsPlan.name}” needs the ${plan.name} plan.` });
    expect((await postForm(clientAction, { path: "/client/cohorts", cookie, fields: { intent: "join", cohortId: "abc" } })).status).toBe(400);
    expect((await postForm(clientAction, { path: "/client/cohorts", cookie, fields: { intent: "dance", cohortId: String(free.id) } })).status).toBe(400);
    expect((await postForm(clientAction, { path: "/client/cohorts", cookie, fields: { intent: "join", cohortId: "2000000000" } })).status).toBe(404);

    const joined = await postForm(clientAction, { path: "/client/cohorts", cookie, fields: { intent: "join", cohortId: String(free.id) } });
    expect(joined.status).toBe(303);
    expect(joined.headers.get("Location")).toBe("/client/cohorts");
    page = await loaderData<Page>(clientLoader, { path: "/client/cohorts", cookie });
    expect(page.mine?.id).toBe(free.id);
    expect(page.open.find((c) => c.id === needsPlan.id)?.refusal).toBe(`Joining “${needsPlan.name}” needs the ${plan.name} plan.`);
    await createMembership(em, { user: person, plan, startDate: today() });
    page = await loaderData<Page>(clientLoader, { path: "/client/cohorts", cookie });
    expect(page.open.find((c) => c.id === needsPlan.id)?.refusal).toBe(`You are already in “${free.name}”: leave it first to join another.`);

    expect((await postForm(clientAction, { path: "/client/cohorts", cookie, fields: { intent: "leave", cohortId: String(free.id) } })).status).toBe(303);
    expect((await postForm(clientAction, { path: "/client/cohorts", cookie, fields: { intent: "join", cohortId: String(needsPlan.id) } })).status).toBe(303);
  });
});

describe("/client/sessions", () => {
  it("shows a member their cohort's upcoming sessions first, and nothing extra to others", async () => {
    const em = await forkEm();
    const member = await createUser(em);
    const cohort = await createCohort(em, { members: [member] });
    const inRange = await createSession(em, { coach, start: new Date(Date.now() + 3 * 86_400_000), cohort, title: "Cohort HIIT" });
    await createSession(em, { coach, start: new Date(Date.now() + 9 * 86_400_000), cohort, title: "Next week's" });
    await createSession(em, { coach, start: new Date(Date.now() - 86_400_000), cohort, title: "Yesterday's" });
    await createSession(em, { coach, start: new Date(Date.now() + 86_400_000), title: "Open class" });

    type Page = { cohort: { cohort: { id: number; name: string }; items: { id: number; title: string }[] } | null; items: { id: number }[] };
    const page = await loaderData<Page>(sessionsLoader, { path: "/client/sessions", cookie: await signedInCookie(member) });
    expect(page.cohort?.cohort).toEqual({ id: cohort.id, name: cohort.name });
    expect(page.cohort?.items.map((s) => s.id)).toEqual([inRange.id]);
    expect(page.items.map((s) => s.id)).toContain(inRange.id);

    const outsider = await loaderData<Page>(sessionsLoader, { path: "/client/sessions", cookie: cookies.client });
    expect(outsider.cohort).toBeNull();
  });
});
