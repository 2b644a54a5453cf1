// The member's cohort pages (issue 12): what is due now, published feedback only, past weeks read-only,
// only their own data; and the week arithmetic in the studio's zone.
import { describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { addCoachNote } from "~/modules/coaching/review.service.server";
import { clientCohortPage } from "~/modules/coaching/client-cohort.server";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { loader as homeLoader } from "~/routes/client._index";
import { loader as cohortLoader } from "~/routes/client.cohort._index";
import { loader as weekLoader } from "~/routes/client.cohort.weeks.$week";
import { addDays, todayIn, toInstant } from "~/utils/time";
import { forkEm } from "../support/db";
import { addCohortMember, createCohort, createEntry, createFeedback, createQuestionnaire, createResponse, thisMonday } from "../support/cohort-factories";
import { clientWeekRead } from "~/modules/booking/client-views.server";
import { runRead } from "~/modules/reads.server";
import { createClassType, createSession, createUser } from "../support/factories";
import { getLoader, loaderData, signedInCookie } from "../support/routes";

type Page = Record<string, unknown> & { member: boolean };

async function page(user: IUser): Promise<Page> {
  return loaderData<Page>(cohortLoader, { path: "/client/cohort", cookie: await signedInCookie(user) });
}

async function weekStatus(user: IUser, week: string): Promise<{ status: number; data?: Record<string, unknown> }> {
  const response = await getLoader(weekLoader, { path: `/client/cohort/weeks/${week}`, params: { week }, cookie: await signedInCookie(user) });
  return response.status === 200 ? { status: 200, data: (await response.json()) as Record<string, unknown> } : { status: response.status };
}

/** A cohort in its week 3 (started two Mondays ago) with two members, a coach, questionnaires for weeks 1–3. */
async function runningCohort() {
  const em = await forkEm();
  const coach = await createUser(em, { role: "COACH" });
  const [member, other] = [await createUser(em), await createUser(em)];
  const cohort = await createCohort(em, {
    startDate: addDays(thisMonday(), -14),
    weeks: 6,
    coaches: [coach],
    members: [member, other],
    checkIn: { metrics: ["weightKg", "mood"], frequencyDays: 7 },
  });
  const weeks = [await createQuestionnaire(em, cohort, 1), await createQuestionnaire(em, cohort, 2), await createQuestionnaire(em, cohort, 3)];
  return { em, coach, member, other, cohort, weeks };
}

describe("/client/cohort", () => {
  it("sends a client without a cohort to browse and join one", async () => {
    const client = await createUser(await forkEm());
    expect(await page(client)).toEqual({ member: false });
    const left = await createUser(await forkEm());
    await addCohortMember(await forkEm(), await runningCohort().then((c) => c.cohort), left, "LEFT");
    expect(await page(left)).toEqual({ member: false });
  });

  it("shows the week, what is due now with its state, published feedback only, coaches, sessions and past weeks", async () => {
    const { em, coach, member, other, cohort, weeks } = await runningCohort();
    await createResponse(em, { bundle: weeks[0], user: member, answers: { "q-wins": "Week one answer" } });
    await createResponse(em, { bundle: weeks[1], user: member, submittedAt: null, answers: { "q-wins": "Half-written" } });
    await createFeedback(em, { cohort, user: member, coach, weekNumber: 2, body: "Published words for week two" });
    await createFeedback(em, { cohort, user: member, coach, weekNumber: 3, status: "DRAFT", body: "Secret draft words" });
    await createFeedback(em, { cohort, user: other, coach, weekNumber: 2, body: "Words for someone else" });
    await addCoachNote(await forkEm(), { cohort, userId: member.id, week: 2, coachId: coach.id, body: "Private coach note" });
    const upcoming = await createSession(em, { coach, cohort, start: new Date(Date.now() + 2 * 86_400_000), title: "Cohort circuits" });
    await createSession(em, { coach, cohort, start: new Date(Date.now() - 86_400_000), title: "Yesterday's circuits" });

    const data = await page(member);
    const text = JSON.stringify(data);
    expect(data).toMatchObject({ member: true, membershipStatus: "ACTIVE", day: { phase: "RUNNING", week: 3 }, cohort: { id: cohort.id, weeks: 6 } });
    expect(data.checkIn).toMatchObject({ metrics: ["weightKg", "mood"], from: thisMonday(), to: addDays(thisMonday(), 6), done: false });
    // Week 2's questionnaire is open (from its last day until week 3 ends), with the draft saved.
    expect(data.questionnaires).toEqual(expect.arrayContaining([expect.objectContaining({ week: 2, state: "DRAFT", closesOn: addDays(thisMonday(), 6) })]));
    expect(data.feedback).toEqual([expect.objectContaining({ week: 2, body: "Published words for week two", coachName: coach.name })]);
    expect(text).not.toContain("Secret draft words");
    expect(text).not.toContain("Private coach note");
    expect(text).not.toContain("Words for someone else");
    expect(data.coaches).toEqual([{ id: coach.id, name: coach.name }]);
    expect(data.sessions).toEqual([expect.objectContaining({ id: upcoming.id, title: "Cohort circuits" })]);
    expect((data.pastWeeks as { week: number }[]).map((w) => w.week)).toEqual([3, 2, 1]);
    expect(data.pastWeeks).toEqual(expect.arrayContaining([expect.objectContaining({ week: 1, submitted: true, feedback: false })]));

    // A check-in today marks this period's done.
    await createEntry(em, { user: member, date: todayIn("Europe/London"), weightKg: 80 });
    expect((await page(member)).checkIn).toMatchObject({ done: true });
  });

  it("shows a week read-only: the answers as submitted, its published feedback and its check-ins; others are 404", async () => {
    const { em, coach, member, other, cohort, weeks } = await runningCohort();
    const week1 = addDays(thisMonday(), -14);
    await createResponse(em, { bundle: weeks[0], user: member, answers: { "q-wins": "Three classes", "q-effort": 7 } });
    await createResponse(em, { bundle: weeks[0], user: other, answers: { "q-wins": "Someone else's answer" } });
    await createEntry(em, { user: member, date: addDays(week1, 1), weightKg: 80 });
    await createEntry(em, { user: member, date: addDays(week1, 5), weightKg: 79.4 });
    await createEntry(em, { user: other, date: addDays(week1, 2), weightKg: 60 });
    await createFeedback(em, { cohort, user: member, coach, weekNumber: 1, status: "DRAFT", body: "Not yet" });
    await addCoachNote(await forkEm(), { cohort, userId: member.id, week: 1, coachId: coach.id, body: "Never for the client" });

    const first = await weekStatus(member, "1");
    expect(first.status).toBe(200);
    expect(first.data).toMatchObject({
      week: 1,
      feedback: null,
      questionnaire: { state: "SUBMITTED", answers: { "q-wins": "Three classes", "q-effort": 7 }, open: false },
    });
    expect((first.data!.checkIns as { trend: unknown }[]).map((c) => c.trend)).toEqual([{}, { weightKg: -0.6 }]);
    const text = JSON.stringify(first.data);
    expect(text).not.toContain("Someone else's answer");
    expect(text).not.toContain("Never for the client");
    expect(text).not.toContain("Not yet");

    await createFeedback(em, { cohort, user: member, coach, weekNumber: 2, body: "Published for week 2" });
    expect((await weekStatus(member, "2")).data).toMatchObject({
      feedback: { body: "Published for week 2" },
      questionnaire: { state: "NOT_STARTED", open: true },
    });
    // Another member asking for the same week gets only their own.
    expect(JSON.stringify((await weekStatus(other, "2")).data)).not.toContain("Published for week 2");

    for (const week of ["0", "4", "7", "x", "99999999999"]) expect((await weekStatus(member, week)).status, `week ${week}`).toBe(404);
    expect((await weekStatus(await createUser(em), "1")).status).toBe(404);
  });

  it("still shows a completed programme's weeks, with nothing due", async () => {
    const em = await forkEm();
    const member = await createUser(em);
    const cohort = await createCohort(em, {
      startDate: addDays(thisMonday(), -28),
      weeks: 2,
      status: "COMPLETED",
      checkIn: { metrics: ["mood"], frequencyDays: 7 },
    });
    await addCohortMember(em, cohort, member, "COMPLETED");
    const data = await page(member);
    expect(data).toMatchObject({ member: true, membershipStatus: "COMPLETED", day: { phase: "FINISHED" }, checkIn: null, questionnaires: [], sessions: [] });
    expect((data.pastWeeks as { week: number }[]).map((w) => w.week)).toEqual([2, 1]);
    expect((await weekStatus(member, "2")).status).toBe(200);
  });
});

describe("the timetable's cohort list (/client/sessions)", () => {
  it("shows a member their cohort's sessions of the week that have not started and are not cancelled, whatever class is filtered", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const [member, outsider] = [await createUser(em), await createUser(em)];
    const cohort = await createCohort(em, { coaches: [coach], members: [member] });
    const [hiit, core] = [await createClassType(em), await createClassType(em)];
    const monday = thisMonday();
    const at = (day: number, time: string) => toInstant(addDays(monday, day), time, "Europe/London");
    const now = at(1, "12:00");
    const started = await createSession(em, { coach, classType: hiit, cohort, start: at(1, "11:45") });
    const cohortHiit = await createSession(em, { coach, classType: hiit, cohort, start: at(2, "07:00") });
    const cohortCore = await createSession(em, { coach, classType: core, cohort, start: at(3, "07:00") });
    const cancelled = await createSession(em, { coach, classType: hiit, cohort, start: at(4, "07:00") });
    await em.execute(`update session set status = 'CANCELLED' where id = ?`, [cancelled.id]);
    const open = await createSession(em, { coach, classType: hiit, start: at(2, "08:00") });
    const nextWeek = await createSession(em, { coach, classType: hiit, cohort, start: at(8, "07:00") });
    const studio = { studioTimeZone: "Europe/London", defaultLateCancelCutoffHours: 2 };
    const ids = (items: { id: number }[]) => items.map((item) => item.id);

    const week = await runRead(await forkEm(), clientWeekRead(studio, { userId: member.id, from: monday }, now));
    expect(week.cohort?.cohort).toEqual({ id: cohort.id, name: cohort.name });
    expect(ids(week.cohort!.items)).toEqual([cohortHiit.id, cohortCore.id]);
    expect(ids(week.items)).toEqual(expect.arrayContaining([started.id, cohortHiit.id, open.id, cohortCore.id, cancelled.id]));
    expect(ids(week.items)).not.toContain(nextWeek.id);

    const hiitOnly = await runRead(await forkEm(), clientWeekRead(studio, { userId: member.id, from: monday, classTypeId: hiit.id }, now));
    expect(ids(hiitOnly.items).filter((id) => [started.id, cohortHiit.id, cohortCore.id, cancelled.id, open.id].includes(id))).toEqual([
      started.id,
      cohortHiit.id,
      open.id,
      cancelled.id,
    ]);
    expect(ids(hiitOnly.cohort!.items)).toEqual([cohortHiit.id, cohortCore.id]);

    expect((await runRead(await forkEm(), clientWeekRead(studio, { userId: outsider.id, from: monday }, now))).cohort).toBeNull();
  });
});

describe("week arithmetic in the studio's zone", () => {
  it("starts week 1 at the studio's midnight, just after the spring clock change, whatever UTC says", async () => {
    const em = await forkEm();
    const member = await createUser(em);
    // Clocks went forward on Sunday 29 March 2026; the cohort starts the Monday after.
    await createCohort(em, { startDate: "2026-03-30", weeks: 4, members: [member], checkIn: { metrics: ["weightKg"], frequencyDays: 7 } });
    const justAfterMidnight = toInstant("2026-03-30", "00:30", "Europe/London"); // 23:30 UTC on Sunday
    expect(justAfterMidnight.toISOString()).toBe("2026-03-29T23:30:00.000Z");
    const london = await clientCohortPage(await forkEm(), member.id, justAfterMidnight);
    expect(london).toMatchObject({ member: true, day: { phase: "RUNNING", week: 1 }, checkIn: { from: "2026-03-30", to: "2026-04-05", done: false } });
    expect(await clientCohortPage(await forkEm(), member.id, toInstant("2026-04-05", "23:59", "Europe/London"))).toMatchObject({ day: { week: 1 } });
    expect(await clientCohortPage(await forkEm(), member.id, toInstant("2026-04-06", "00:00", "Europe/London"))).toMatchObject({ day: { week: 2 } });

    // A studio in New York is still on Sunday evening at that instant: the programme has not started.
    await updateSettings(await forkEm(), { studioTimeZone: "America/New_York" });
    try {
      expect(await clientCohortPage(await forkEm(), member.id, justAfterMidnight)).toMatchObject({
        day: { phase: "NOT_STARTED", startsInDays: 1 },
        checkIn: null,
      });
    } finally {
      await updateSettings(await forkEm(), { studioTimeZone: "Europe/London" });
    }
  });
});

describe("the client's home page", () => {
  it("says where a member is in their programme and what is due now, and nothing for a client outside a cohort", async () => {
    const { em, member, cohort, weeks } = await runningCohort();
    type Home = { cohort: { name: string; where: string; due: string[] } | null };
    const before = await loaderData<Home>(homeLoader, { path: "/client", cookie: await signedInCookie(member) });
    expect(before.cohort).toMatchObject({ name: cohort.name, where: "Week 3 of 6" });
    expect(before.cohort?.due.join(" ")).toMatch(/check-in/);
    // Week 2's questionnaire is open whatever the weekday (it closes when week 3 ends).
    expect(before.cohort?.due).toContain("the week 2 questionnaire");

    await createResponse(em, { bundle: weeks[1], user: member });
    const after = await loaderData<Home>(homeLoader, { path: "/client", cookie: await signedInCookie(member) });
    expect(after.cohort?.due).not.toContain("the week 2 questionnaire");

    const outsider = await createUser(await forkEm());
    expect((await loaderData<Home>(homeLoader, { path: "/client", cookie: await signedInCookie(outsider) })).cohort).toBeNull();
  });
});
