// The coach's review of a cohort (issue 12): the "needs reply" queue, weekly feedback, notes, nudges,
// a member's weeks. Services are driven with a fixed "now" in week 3 of a cohort.
import { describe, expect, it } from "vitest";
import { CoachNote, WeeklyCoachResponse } from "~/modules/coaching/coaching.entities.server";
import {
  addCoachNote,
  cohortReview,
  memberOverview,
  memberWeek,
  needsReplyForViewer,
  needsReplyQueue,
  nudgeMembers,
  saveFeedback,
} from "~/modules/coaching/review.service.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { toInstant } from "~/utils/time";
import { forkEm } from "../support/db";
import { addCohortMember, createCohort, createEntry, createFeedback, createQuestionnaire, createResponse } from "../support/cohort-factories";
import { createRegistration, createSession, createUser } from "../support/factories";

const ZONE = "Europe/London";
// Wednesday of week 3 of a 6-week cohort that started on Monday 2 November 2026: week 2's questionnaire is open
// (from Sunday 15 until Sunday 22 November), and the check-in period is 16–22 November.
const START = "2026-11-02";
const NOW = toInstant("2026-11-18", "12:00", ZONE);
const at = (date: string, time: string) => toInstant(date, time, ZONE);

async function setUp() {
  const em = await forkEm();
  const coach = await createUser(em, { role: "COACH" });
  const [keen, quiet, lagging] = [await createUser(em), await createUser(em), await createUser(em)];
  const cohort = await createCohort(em, {
    startDate: START,
    weeks: 6,
    coaches: [coach],
    members: [keen, quiet, lagging],
    checkIn: { metrics: ["weightKg", "mood"], frequencyDays: 7 },
  });
  const weeks = [await createQuestionnaire(em, cohort, 1), await createQuestionnaire(em, cohort, 2), await createQuestionnaire(em, cohort, 3)];
  return { em, coach, keen, quiet, lagging, cohort, weeks };
}

const notificationsOf = async (user: { id: number }, kind: "COHORT_NUDGE" | "COACH_FEEDBACK_PUBLISHED") =>
  (await forkEm()).find(Notification, { user: user.id, kind }, { orderBy: { id: "asc" } });

describe("the needs-reply queue", () => {
  it("lists submitted weeks without published feedback, oldest first; a draft keeps one in, publishing takes it out", async () => {
    const { em, coach, keen, quiet, lagging, cohort, weeks } = await setUp();
    const keenWeek1 = await createResponse(em, { bundle: weeks[0], user: keen, submittedAt: at("2026-11-08", "10:00") });
    const quietWeek1 = await createResponse(em, { bundle: weeks[0], user: quiet, submittedAt: at("2026-11-08", "09:00") });
    const keenWeek2 = await createResponse(em, { bundle: weeks[1], user: keen, submittedAt: at("2026-11-16", "07:00") });
    await createResponse(em, { bundle: weeks[1], user: lagging, submittedAt: null }); // a draft: not waiting for a reply
    // Someone who left is not waited on; another cohort's member is not in this queue.
    const left = await createUser(em);
    await addCohortMember(em, cohort, left, "LEFT");
    await createResponse(em, { bundle: weeks[0], user: left, submittedAt: at("2026-11-07", "09:00") });
    const otherMember = await createUser(em);
    const other = await createCohort(em, { startDate: START, weeks: 6, members: [otherMember] });
    await createResponse(em, { bundle: await createQuestionnaire(em, other, 1), user: otherMember });

    const queue = await needsReplyQueue(await forkEm(), { cohortIds: [cohort.id] });
    expect(queue.total).toBe(3);
    expect(queue.items.map((i) => i.responseId)).toEqual([quietWeek1.id, keenWeek1.id, keenWeek2.id]);
    expect(queue.items[0]).toMatchObject({
      cohortId: cohort.id,
      userId: quiet.id,
      userName: quiet.name,
      week: 1,
      submittedLabel: "Sun 8 Nov 2026 at 09:00",
      href: `/coach/cohorts/${cohort.id}/members/${quiet.id}/weeks/1`,
    });

    // A draft reply keeps the week waiting.
    await createFeedback(em, { cohort, user: quiet, coach, weekNumber: 1, status: "DRAFT" });
    expect((await needsReplyQueue(await forkEm(), { cohortIds: [cohort.id] })).items.map((i) => i.responseId)).toEqual([
      quietWeek1.id,
      keenWeek1.id,
      keenWeek2.id,
    ]);
    // Publishing it takes the week out, and tells the client.
    const saved = await saveFeedback(await forkEm(), { cohort, userId: quiet.id, week: 1, coachId: coach.id, body: "Nice start.", publish: true }, NOW);
    expect(saved).toMatchObject({ ok: true, state: "PUBLISHED", memberName: quiet.name });
    const after = await needsReplyQueue(await forkEm(), { cohortIds: [cohort.id] }, { limit: 1 });
    expect(after.total).toBe(2);
    expect(after.items.map((i) => i.responseId)).toEqual([keenWeek1.id]);
    const notified = await notificationsOf(quiet, "COACH_FEEDBACK_PUBLISHED");
    expect(notified).toHaveLength(1);
    expect(notified[0].payload).toEqual({ cohortId: cohort.id, week: 1, feedbackId: saved!.feedbackId });
    expect(notified[0].body).toContain("/client/cohort/weeks/1");

    // The dashboard panel: the coach's cohorts only; an admin's spans every cohort; a coach without cohorts has none.
    const mine = await needsReplyForViewer(await forkEm(), coach, 5);
    expect(mine.items.map((i) => i.responseId)).toEqual([keenWeek1.id, keenWeek2.id]);
    const admin = await createUser(em, { role: "ADMIN" });
    const all = await needsReplyForViewer(await forkEm(), admin, 500);
    expect(all.items.filter((i) => i.cohortId === cohort.id).map((i) => i.responseId)).toEqual([keenWeek1.id, keenWeek2.id]);
    expect(all.items.some((i) => i.cohortId === other.id)).toBe(true);
    expect(await needsReplyForViewer(await forkEm(), await createUser(em, { role: "COACH" }))).toEqual({ total: 0, items: [] });
  });
});

describe("weekly feedback", () => {
  it("saves a draft without telling the client, publishes once, and stays published when edited", async () => {
    const { coach, keen, cohort } = await setUp();
    const save = async (body: string, publish: boolean) =>
      saveFeedback(await forkEm(), { cohort, userId: keen.id, week: 2, coachId: coach.id, body, publish }, NOW);

    expect(await save("First thoughts", false)).toMatchObject({ state: "DRAFT" });
    expect(await notificationsOf(keen, "COACH_FEEDBACK_PUBLISHED")).toHaveLength(0);
    expect(await save("Great week", true)).toMatchObject({ state: "PUBLISHED" });
    expect(await save("Great week, really", false)).toMatchObject({ state: "UPDATED" });
    expect(await save("Great week, really!", true)).toMatchObject({ state: "UPDATED" });

    const rows = await (await forkEm()).find(WeeklyCoachResponse, { cohort: cohort.id, user: keen.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ weekNumber: 2, status: "PUBLISHED", body: "Great week, really!" });
    expect(rows[0].publishedAt).not.toBeNull();
    expect(await notificationsOf(keen, "COACH_FEEDBACK_PUBLISHED")).toHaveLength(1);
  });

  it("keeps one feedback and one notification when two coaches publish the first reply at once", async () => {
    const { em, coach, keen, cohort } = await setUp();
    const second = await createUser(em, { role: "COACH" });
    for (const week of [1, 2, 3]) {
      const results = await Promise.all(
        [coach, second].map(async (c) =>
          saveFeedback(await forkEm(), { cohort, userId: keen.id, week, coachId: c.id, body: `From ${c.name}`, publish: true }, NOW),
        ),
      );
      expect(results.map((r) => r?.state).sort()).toEqual(["PUBLISHED", "UPDATED"]);
    }
    expect(await (await forkEm()).count(WeeklyCoachResponse, { cohort: cohort.id, user: keen.id })).toBe(3);
    expect(await notificationsOf(keen, "COACH_FEEDBACK_PUBLISHED")).toHaveLength(3);
  });

  it("refuses (null: a 404) a member of another cohort and a week that is not 1..M or has not begun", async () => {
    const { em, coach, keen, cohort } = await setUp();
    const stranger = await createUser(em);
    const base = { cohort, coachId: coach.id, body: "Hello", publish: true };
    expect(await saveFeedback(await forkEm(), { ...base, userId: stranger.id, week: 1 }, NOW)).toBeNull();
    for (const week of [0, 4, 7]) expect(await saveFeedback(await forkEm(), { ...base, userId: keen.id, week }, NOW)).toBeNull();
    expect(await addCoachNote(await forkEm(), { cohort, userId: stranger.id, week: 1, coachId: coach.id, body: "x" }, NOW)).toBeNull();
    expect(await (await forkEm()).count(WeeklyCoachResponse, { cohort: cohort.id })).toBe(0);
  });
});

describe("nudges", () => {
  it("reminds each member who is behind once a day, and says who was up to date", async () => {
    const { em, keen, quiet, lagging, cohort, weeks } = await setUp();
    // keen: checked in this period and submitted week 2 — up to date.
    await createEntry(em, { user: keen, date: "2026-11-16", weightKg: 80 });
    await createResponse(em, { bundle: weeks[1], user: keen });
    // quiet: submitted, but last checked in before this period.
    await createEntry(em, { user: quiet, date: "2026-11-15", weightKg: 70 });
    await createResponse(em, { bundle: weeks[1], user: quiet });
    // lagging: checked in, but only a draft of week 2. A member who left is never nudged.
    await createEntry(em, { user: lagging, date: "2026-11-18", mood: 6 });
    await createResponse(em, { bundle: weeks[1], user: lagging, submittedAt: null });
    const left = await createUser(em);
    await addCohortMember(em, cohort, left, "LEFT");
    const nothing = await createUser(em);
    await addCohortMember(em, cohort, nothing);

    expect(await nudgeMembers(await forkEm(), { cohort }, NOW)).toEqual({ ok: true, nudged: 3, alreadyNudged: 0, upToDate: 1 });
    const [quietNudge] = await notificationsOf(quiet, "COHORT_NUDGE");
    expect(quietNudge).toMatchObject({ dedupeKey: `nudge:${cohort.id}:${quiet.id}:2026-11-18` });
    expect(quietNudge.payload).toEqual({ cohortId: cohort.id, week: 3, missing: [{ kind: "CHECK_IN", dueBy: "2026-11-22" }] });
    expect(quietNudge.body).toContain("/client/health");
    const [laggingNudge] = await notificationsOf(lagging, "COHORT_NUDGE");
    expect(laggingNudge.payload).toMatchObject({ missing: [{ kind: "QUESTIONNAIRE", week: 2, closesOn: "2026-11-22" }] });
    expect(laggingNudge.body).toContain("/client/cohort/questionnaire/2");
    expect((await notificationsOf(nothing, "COHORT_NUDGE"))[0].payload).toMatchObject({ missing: [{ kind: "CHECK_IN" }, { kind: "QUESTIONNAIRE", week: 2 }] });
    expect(await notificationsOf(keen, "COHORT_NUDGE")).toHaveLength(0);
    expect(await notificationsOf(left, "COHORT_NUDGE")).toHaveLength(0);

    // Later the same studio day: nothing new. The next day: again.
    expect(await nudgeMembers(await forkEm(), { cohort }, at("2026-11-18", "23:30"))).toEqual({ ok: true, nudged: 0, alreadyNudged: 3, upToDate: 1 });
    expect(await notificationsOf(quiet, "COHORT_NUDGE")).toHaveLength(1);
    expect(await nudgeMembers(await forkEm(), { cohort, userIds: [quiet.id] }, at("2026-11-19", "08:00"))).toEqual({
      ok: true,
      nudged: 1,
      alreadyNudged: 0,
      upToDate: 0,
    });
    expect(await notificationsOf(quiet, "COHORT_NUDGE")).toHaveLength(2);
  });

  it("sends one nudge per member when two coaches press at once", async () => {
    const { cohort, keen, quiet, lagging } = await setUp();
    const results = await Promise.all([nudgeMembers(await forkEm(), { cohort }, NOW), nudgeMembers(await forkEm(), { cohort }, NOW)]);
    const counts = results.map((r) => (r.ok ? r : null));
    expect(counts.every((c) => c !== null)).toBe(true);
    expect(counts.reduce((sum, c) => sum + c!.nudged, 0)).toBe(3);
    expect(counts.reduce((sum, c) => sum + c!.alreadyNudged, 0)).toBe(3);
    for (const member of [keen, quiet, lagging]) expect(await notificationsOf(member, "COHORT_NUDGE")).toHaveLength(1);
  });

  it("refuses when nothing is due or the cohort has ended, and a single nudge of someone not current", async () => {
    const { em, cohort, keen } = await setUp();
    expect(await nudgeMembers(await forkEm(), { cohort: { ...cohort, status: "COMPLETED" } }, NOW)).toMatchObject({ ok: false });
    const quietCohort = await createCohort(em, { startDate: START, weeks: 6, members: [await createUser(em)] }); // no check-ins asked, no questionnaires
    expect(await nudgeMembers(await forkEm(), { cohort: quietCohort }, NOW)).toMatchObject({
      ok: false,
      formError: "Nothing is due in this cohort today: no check-in period and no open questionnaire.",
    });
    const left = await createUser(em);
    await addCohortMember(em, cohort, left, "LEFT");
    expect(await nudgeMembers(await forkEm(), { cohort, userIds: [left.id] }, NOW)).toMatchObject({ ok: false });
    expect(await notificationsOf(keen, "COHORT_NUDGE")).toHaveLength(0);
  });
});

describe("a cohort's review and a member's weeks", () => {
  it("shows each current member's compliance, sorted as asked", async () => {
    const { em, coach, keen, quiet, lagging, cohort, weeks } = await setUp();
    await createEntry(em, { user: keen, date: "2026-11-03", weightKg: 80 });
    await createEntry(em, { user: keen, date: "2026-11-16", weightKg: 79 });
    await createResponse(em, { bundle: weeks[1], user: keen });
    const session = await createSession(em, { coach, start: at("2026-11-17", "06:30") });
    await createRegistration(em, { session, user: quiet, status: "ATTENDED" });
    const left = await createUser(em);
    await addCohortMember(em, cohort, left, "LEFT");

    const review = await cohortReview(await forkEm(), cohort, "check-ins", NOW);
    expect(review.day).toEqual({ phase: "RUNNING", week: 3 });
    expect(review.canNudge).toBe(true);
    expect(review.rows.map((r) => r.userId)).not.toContain(left.id);
    expect(review.rows.at(-1)).toMatchObject({
      userId: keen.id,
      thisWeek: { checkIns: { done: 1, due: 1 }, questionnaire: { week: 2, state: "SUBMITTED" }, classesAttended: 0 },
      programme: { checkIns: { done: 2, due: 3 }, questionnaires: { done: 1, due: 2 } },
    });
    expect(review.rows.find((r) => r.userId === quiet.id)).toMatchObject({ thisWeek: { classesAttended: 1 }, programme: { classesAttended: 1 } });
    expect(
      review.rows
        .map((r) => r.userId)
        .slice(0, 2)
        .sort(),
    ).toEqual([quiet.id, lagging.id].sort());
  });

  it("gives the member's weeks at a glance, and null for someone not in the cohort", async () => {
    const { em, coach, keen, cohort, weeks } = await setUp();
    await createEntry(em, { user: keen, date: "2026-11-04", weightKg: 80 });
    await createResponse(em, { bundle: weeks[0], user: keen });
    await createFeedback(em, { cohort, user: keen, coach, weekNumber: 1 });
    await createFeedback(em, { cohort, user: keen, coach, weekNumber: 2, status: "DRAFT" });
    await addCoachNote(await forkEm(), { cohort, userId: keen.id, week: 1, coachId: coach.id, body: "Knee niggle" }, NOW);

    const overview = await memberOverview(await forkEm(), cohort, keen.id, NOW);
    expect(overview?.weeks.slice(0, 4)).toEqual([
      expect.objectContaining({ week: 1, begun: true, checkIns: { done: 1, due: 1, entries: 1 }, questionnaire: "SUBMITTED", feedback: "PUBLISHED", notes: 1 }),
      expect.objectContaining({ week: 2, begun: true, checkIns: { done: 0, due: 1, entries: 0 }, questionnaire: "OPEN", feedback: "DRAFT", notes: 0 }),
      expect.objectContaining({ week: 3, begun: true, current: true, questionnaire: "NOT_OPEN", feedback: "NONE" }),
      expect.objectContaining({ week: 4, begun: false, checkIns: { done: 0, due: 0, entries: 0 } }),
    ]);
    expect(overview?.canNudge).toBe(true);
    expect(await memberOverview(await forkEm(), cohort, (await createUser(em)).id, NOW)).toBeNull();
  });

  it("shows a week's check-ins with their trend, the answers, the feedback in any state and the notes", async () => {
    const { em, coach, keen, cohort, weeks } = await setUp();
    await createEntry(em, { user: keen, date: "2026-11-06", weightKg: 80.2, waistCm: 90 });
    await createEntry(em, { user: keen, date: "2026-11-10", weightKg: 79.6, mood: 7, enteredBy: coach });
    await createEntry(em, { user: keen, date: "2026-11-13", waistCm: 89.5 });
    await createResponse(em, { bundle: weeks[1], user: keen, answers: { "q-wins": "Slept better", "q-effort": 8 } });
    await createFeedback(em, { cohort, user: keen, coach, weekNumber: 2, status: "DRAFT", body: "Draft words" });
    await addCoachNote(await forkEm(), { cohort, userId: keen.id, week: 2, coachId: coach.id, body: "Ask about sleep" }, NOW);

    const week = await memberWeek(await forkEm(), cohort, keen.id, 2, NOW);
    expect(week?.checkIns.map((c) => ({ date: c.date, trend: c.trend, enteredBy: c.enteredBy }))).toEqual([
      { date: "2026-11-10", trend: { weightKg: -0.6 }, enteredBy: coach.name },
      { date: "2026-11-13", trend: { waistCm: -0.5 }, enteredBy: null },
    ]);
    expect(week?.questionnaire?.response).toMatchObject({ status: "SUBMITTED", answers: { "q-wins": "Slept better", "q-effort": 8 } });
    expect(week?.feedback).toMatchObject({ status: "DRAFT", body: "Draft words", coachName: coach.name });
    expect(week?.notes).toEqual([expect.objectContaining({ body: "Ask about sleep", author: coach.name })]);
    expect(await (await forkEm()).count(CoachNote, { client: keen.id })).toBe(1);
    for (const w of [0, 4, 7]) expect(await memberWeek(await forkEm(), cohort, keen.id, w, NOW)).toBeNull();
  });
});
