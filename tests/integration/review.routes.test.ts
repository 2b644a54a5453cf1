// The coach's review pages over HTTP (issue 12): who may see and change what, and the answers the forms get.
// The cohort runs in real time: it started two Mondays before this week's, so this is its week 3.
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { CoachNote, WeeklyCoachResponse } from "~/modules/coaching/coaching.entities.server";
import type { ICohort } from "~/modules/cohorts/cohorts.entities.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { loader as dashboardLoader } from "~/routes/coach._index";
import { action as memberAction, loader as memberLoader } from "~/routes/coach.cohorts.$id.members.$userId._index";
import { action as weekAction, loader as weekLoader } from "~/routes/coach.cohorts.$id.members.$userId.weeks.$week";
import { action as reviewAction, loader as reviewLoader } from "~/routes/coach.cohorts.$id.review";
import { getFlashStorage } from "~/utils/flash.server";
import { addDays } from "~/utils/time";
import { forkEm } from "../support/db";
import { createCohort, createQuestionnaire, createResponse, thisMonday } from "../support/cohort-factories";
import { createUser } from "../support/factories";
import { getLoader, loaderData, postForm, signedInCookie } from "../support/routes";

type Handler = (args: never) => Promise<unknown>;

let coach: IUser, otherCoach: IUser, admin: IUser, member: IUser, otherMember: IUser, outsider: IUser;
let cohort: ICohort;
const cookies = new Map<number, string>();
const cookieOf = (user: IUser) => cookies.get(user.id)!;

beforeAll(async () => {
  const em = await forkEm();
  [coach, otherCoach, admin] = [await createUser(em, { role: "COACH" }), await createUser(em, { role: "COACH" }), await createUser(em, { role: "ADMIN" })];
  [member, otherMember, outsider] = [await createUser(em), await createUser(em), await createUser(em)];
  cohort = await createCohort(em, {
    startDate: addDays(thisMonday(), -14),
    weeks: 6,
    coaches: [coach],
    members: [member, otherMember],
    checkIn: { metrics: ["weightKg"], frequencyDays: 7 },
  });
  await createCohort(em, { coaches: [otherCoach] });
  const week1 = await createQuestionnaire(em, cohort, 1);
  await createResponse(em, { bundle: week1, user: member, submittedAt: new Date(Date.now() - 3 * 86_400_000) });
  for (const user of [coach, otherCoach, admin, member, otherMember, outsider]) cookies.set(user.id, await signedInCookie(user));
});

/** The status a GET of `path` answers (loaders throw 403/404 as responses). */
async function statusOf(loader: Handler, path: string, params: Record<string, string>, user: IUser): Promise<number> {
  return (await getLoader(loader as never, { path, params, cookie: cookieOf(user) })).status;
}

const reviewPath = () => ({ path: `/coach/cohorts/${cohort.id}/review`, params: { id: String(cohort.id) } });
const memberPath = (userId = member.id) => ({
  path: `/coach/cohorts/${cohort.id}/members/${userId}`,
  params: { id: String(cohort.id), userId: String(userId) },
});
const weekPath = (week: string | number, userId = member.id) => ({
  path: `/coach/cohorts/${cohort.id}/members/${userId}/weeks/${week}`,
  params: { id: String(cohort.id), userId: String(userId), week: String(week) },
});

describe("who may open the review pages", () => {
  it("lets the cohort's coaches and admins in, answers 403 to other coaches and clients", async () => {
    for (const [page, loader] of [
      [reviewPath(), reviewLoader],
      [memberPath(), memberLoader],
      [weekPath(1), weekLoader],
    ] as const) {
      expect(await statusOf(loader, page.path, page.params, coach), page.path).toBe(200);
      expect(await statusOf(loader, page.path, page.params, admin), page.path).toBe(200);
      expect(await statusOf(loader, page.path, page.params, otherCoach), page.path).toBe(403);
      expect(await statusOf(loader, page.path, page.params, member), page.path).toBe(403);
    }
  });

  it("answers 404 for a cohort, member or week that is not there", async () => {
    expect(await statusOf(reviewLoader, "/coach/cohorts/2147483647/review", { id: "2147483647" }, coach)).toBe(404);
    expect(await statusOf(reviewLoader, "/coach/cohorts/abc/review", { id: "abc" }, coach)).toBe(404);
    expect(await statusOf(reviewLoader, "/coach/cohorts/99999999999/review", { id: "99999999999" }, coach)).toBe(404);
    const stranger = memberPath(outsider.id);
    expect(await statusOf(memberLoader, stranger.path, stranger.params, coach)).toBe(404);
    for (const week of [0, 4, 7, "x", "1.5"]) {
      const page = weekPath(week);
      expect(await statusOf(weekLoader, page.path, page.params, coach), `week ${week}`).toBe(404);
    }
    const strangerWeek = weekPath(1, outsider.id);
    expect(await statusOf(weekLoader, strangerWeek.path, strangerWeek.params, coach)).toBe(404);
  });

  it("shows the review with the queue and each member's compliance", async () => {
    const data = await loaderData<{ rows: { userId: number }[]; queue: { total: number; items: { userId: number; week: number }[] }; day: unknown }>(
      reviewLoader,
      { ...reviewPath(), path: `${reviewPath().path}?sort=bogus`, cookie: cookieOf(coach) },
    );
    expect(data.day).toEqual({ phase: "RUNNING", week: 3 });
    expect(data.rows.map((r) => r.userId).sort()).toEqual([member.id, otherMember.id].sort());
    expect(data.queue.items).toEqual([expect.objectContaining({ userId: member.id, week: 1 })]);
    const dashboard = await loaderData<{ needsReply: { items: { userId: number; cohortId: number }[] } }>(dashboardLoader, {
      path: "/coach",
      cookie: cookieOf(coach),
    });
    expect(dashboard.needsReply.items).toEqual([expect.objectContaining({ userId: member.id, cohortId: cohort.id })]);
    const elsewhere = await loaderData<{ needsReply: { total: number } }>(dashboardLoader, { path: "/coach", cookie: cookieOf(otherCoach) });
    expect(elsewhere.needsReply.total).toBe(0);
  });
});

describe("the forms", () => {
  const post = (action: Handler, page: { path: string; params: Record<string, string> }, user: IUser, fields: Record<string, string>) =>
    postForm(action as never, { ...page, cookie: cookieOf(user), fields });

  it("refuses feedback, notes and nudges from anyone who does not coach the cohort, changing nothing", async () => {
    for (const user of [otherCoach, member]) {
      expect((await post(weekAction, weekPath(1), user, { intent: "publish-feedback", body: "Hi" })).status).toBe(403);
      expect((await post(weekAction, weekPath(1), user, { intent: "add-note", body: "Hi" })).status).toBe(403);
      expect((await post(reviewAction, reviewPath(), user, { intent: "nudge" })).status).toBe(403);
      expect((await post(memberAction, memberPath(), user, { intent: "nudge" })).status).toBe(403);
    }
    const em = await forkEm();
    expect(await em.count(WeeklyCoachResponse, { cohort: cohort.id })).toBe(0);
    expect(await em.count(CoachNote, { cohort: cohort.id })).toBe(0);
    expect(await em.count(Notification, { user: { $in: [member.id, otherMember.id] } })).toBe(0);
  });

  it("answers 400 with the message and what was typed, and 404 for a member or week not there", async () => {
    const empty = await post(weekAction, weekPath(1), coach, { intent: "publish-feedback", body: "   " });
    expect(empty.status).toBe(400);
    expect(await empty.json()).toMatchObject({ intent: "publish-feedback", fieldErrors: { body: ["Write the feedback first."] } });
    const missing = await post(weekAction, weekPath(1), coach, { intent: "add-note" });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ intent: "add-note", fieldErrors: { body: ["Write the note first."] } });
    const long = await post(weekAction, weekPath(1), coach, { intent: "save-feedback", body: "x".repeat(5001) });
    expect(long.status).toBe(400);
    expect(await long.json()).toMatchObject({ values: { body: "x".repeat(5001) } });
    expect((await post(weekAction, weekPath(1), coach, { intent: "delete-everything" })).status).toBe(400);
    expect((await post(reviewAction, reviewPath(), coach, { intent: "nope" })).status).toBe(400);
    expect((await post(weekAction, weekPath(1, outsider.id), coach, { intent: "publish-feedback", body: "Hi" })).status).toBe(404);
    expect((await post(weekAction, weekPath(5), coach, { intent: "publish-feedback", body: "Hi" })).status).toBe(404);
    expect((await post(memberAction, memberPath(outsider.id), coach, { intent: "nudge" })).status).toBe(404);
    expect(await (await forkEm()).count(WeeklyCoachResponse, { cohort: cohort.id })).toBe(0);
  });

  it("publishes feedback (the client is notified), adds a note and nudges, each answering 303 with a message", async () => {
    const saved = await post(weekAction, weekPath(1), coach, { intent: "save-feedback", body: "Draft first" });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe(weekPath(1).path);
    expect(await flashOf(saved)).toBe(`Draft saved. ${member.name} will see it once you publish it.`);
    const published = await post(weekAction, weekPath(1), admin, { intent: "publish-feedback", body: "Well done this week." });
    expect(await flashOf(published)).toBe(`Feedback published. ${member.name} has been notified.`);
    const em = await forkEm();
    expect(await em.findOne(WeeklyCoachResponse, { cohort: cohort.id, user: member.id, weekNumber: 1 })).toMatchObject({
      status: "PUBLISHED",
      body: "Well done this week.",
      coach: expect.objectContaining({ id: admin.id }),
    });
    expect(await em.count(Notification, { user: member.id, kind: "COACH_FEEDBACK_PUBLISHED" })).toBe(1);

    const note = await post(weekAction, weekPath(1), coach, { intent: "add-note", body: "Mentioned a sore knee" });
    expect(note.status).toBe(303);
    expect(await em.count(CoachNote, { cohort: cohort.id, client: member.id, weekNumber: 1, coach: coach.id })).toBe(1);

    // Nobody has checked in this period, so both members are behind.
    const nudged = await post(reviewAction, reviewPath(), coach, { intent: "nudge" });
    expect(nudged.status).toBe(303);
    expect(await flashOf(nudged)).toBe("Nudged 2 members.");
    const again = await post(memberAction, memberPath(), coach, { intent: "nudge" });
    expect(await flashOf(again)).toBe("Nudged 0 members; 1 was already nudged today.");
    expect(await em.count(Notification, { user: member.id, kind: "COHORT_NUDGE" })).toBe(1);
  });
});

async function flashOf(response: Response): Promise<string | undefined> {
  const cookie = response.headers.get("Set-Cookie")?.split(";")[0];
  const session = await getFlashStorage().getSession(cookie);
  return (session.get("flash") as { message: string } | undefined)?.message;
}
