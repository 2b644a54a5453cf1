// The questionnaire service on its own: the answering window in the studio's dates, submission locking
// under racing requests, finished programmes, the coach's overview, copies and corrections.
import { describe, expect, it } from "vitest";
import { WeeklyQuestionnaireResponse } from "~/modules/cohorts/cohorts.entities.server";
import { rowsFromQuestions } from "~/modules/cohorts/questionnaire.rules";
import {
  copyWeekToNext,
  correctAnswer,
  questionnaireForMember,
  questionnaireOverview,
  responsesForWeek,
  saveBundle,
  saveDraft,
  submitQuestionnaire,
} from "~/modules/cohorts/questionnaires.service.server";
import { addDays } from "~/utils/time";
import { addCohortMember, createCohort, createQuestionnaire, createResponse, SAMPLE_QUESTIONS, thisMonday } from "../support/cohort-factories";
import { forkEm } from "../support/db";
import { createUser } from "../support/factories";
import { refused } from "../support/results";

const ANSWERS = { "q-wins": "Three classes", "q-effort": "7", "q-diet": "Mostly" };
const LOCKED = /^You submitted this week's answers on .+; they can no longer be changed\.$/;

async function member(startDate: string = addDays(thisMonday(), -7), weeks = 6) {
  const em = await forkEm();
  const user = await createUser(em);
  const cohort = await createCohort(em, { startDate, weeks, members: [user] });
  const bundle = await createQuestionnaire(em, cohort, 1);
  return { user, cohort, bundle };
}

const responseOf = async (bundleId: number, userId: number) => (await forkEm()).findOne(WeeklyQuestionnaireResponse, { bundle: bundleId, user: userId });

describe("the answering window, in the studio's dates", () => {
  // Week 1 runs Mon 12 – Sun 18 October 2026; it is answered from its last day until week 2 ends (Sun 25, the clock change).
  it("opens at the studio's midnight of the week's last day and closes after the next week's last day", async () => {
    const { user } = await member("2026-10-12");
    const at = async (iso: string) => questionnaireForMember(await forkEm(), user, 1, new Date(iso));

    expect(await at("2026-10-17T22:30:00Z")).toMatchObject({
      window: { state: "NOT_YET_OPEN", opensOn: "2026-10-18", closesOn: "2026-10-25" },
      lockedReason: "Week 1's questionnaire opens on Sun 18 Oct 2026.",
    });
    // 00:30 BST on Sunday 18 October is still the 17th in UTC.
    expect(await at("2026-10-17T23:30:00Z")).toMatchObject({ window: { state: "OPEN" }, lockedReason: null, response: null });
    // 23:30 GMT on Sunday 25 October (after the clock went back): still open; an hour later it is closed.
    expect(await at("2026-10-25T23:30:00Z")).toMatchObject({ window: { state: "OPEN" } });
    expect(await at("2026-10-26T00:30:00Z")).toMatchObject({ window: { state: "CLOSED" }, lockedReason: "Week 1's questionnaire closed on Sun 25 Oct 2026." });

    const early = await saveDraft(await forkEm(), user, 1, ANSWERS, new Date("2026-10-17T12:00:00Z"));
    expect(early).toEqual(refused("Week 1's questionnaire opens on Sun 18 Oct 2026."));
    const late = await submitQuestionnaire(await forkEm(), user, 1, ANSWERS, new Date("2026-10-26T00:30:00Z"));
    expect(late).toEqual(refused("Week 1's questionnaire closed on Sun 25 Oct 2026."));
    const inTime = await submitQuestionnaire(await forkEm(), user, 1, ANSWERS, new Date("2026-10-25T23:30:00Z"));
    expect(inTime).toMatchObject({ ok: true, response: { status: "SUBMITTED", answers: { "q-wins": "Three classes", "q-effort": 7, "q-diet": "Mostly" } } });
  });

  it("is not found outside the programme's weeks or for a week without a questionnaire", async () => {
    const { user } = await member(undefined, 2);
    expect(await questionnaireForMember(await forkEm(), user, 2)).toBeNull();
    expect(await questionnaireForMember(await forkEm(), user, 3)).toBeNull();
    expect(await saveDraft(await forkEm(), user, 3, ANSWERS)).toBeNull();
  });
});

describe("submitting locks the answers", () => {
  it("lets exactly one of two racing submits win, with or without a draft first", async () => {
    for (const withDraft of [false, true]) {
      const { user, bundle } = await member();
      if (withDraft) expect(await saveDraft(await forkEm(), user, 1, { "q-wins": "Draft" })).toMatchObject({ ok: true });
      const results = await Promise.all([
        submitQuestionnaire(await forkEm(), user, 1, { ...ANSWERS, "q-wins": "First" }),
        submitQuestionnaire(await forkEm(), user, 1, { ...ANSWERS, "q-wins": "Second" }),
        saveDraft(await forkEm(), user, 1, { "q-wins": "A late draft" }),
      ]);
      const winners = results.filter((r) => r?.ok);
      expect(
        winners.filter((r) => r?.ok && r.response.status === "SUBMITTED"),
        `draft first: ${withDraft}`,
      ).toHaveLength(1);
      const saved = await responseOf(bundle.id, user.id);
      expect(saved?.status).toBe("SUBMITTED");
      // The submit that won wrote its answers; anything after it was refused with the lock message.
      expect(["First", "Second"]).toContain(saved?.answers["q-wins"]);
      for (const result of results) {
        if (result && !result.ok) expect(result.formError).toMatch(LOCKED);
      }
      expect(await (await forkEm()).count(WeeklyQuestionnaireResponse, { user: user.id })).toBe(1);
    }
  });

  it("refuses every later save or submit, and keeps the row as it was", async () => {
    const { user, bundle } = await member();
    await submitQuestionnaire(await forkEm(), user, 1, ANSWERS);
    const before = await responseOf(bundle.id, user.id);
    expect((await saveDraft(await forkEm(), user, 1, { "q-wins": "New" }))?.ok).toBe(false);
    // Even a submit with invalid answers hears about the lock, not the answers.
    const again = await submitQuestionnaire(await forkEm(), user, 1, { "q-effort": "99" });
    expect(again).toMatchObject({ ok: false, fieldErrors: {} });
    expect(again && !again.ok && again.formError).toMatch(LOCKED);
    const after = await responseOf(bundle.id, user.id);
    expect(after?.answers).toEqual(before?.answers);
    expect(after?.updatedAt.getTime()).toBe(before?.updatedAt.getTime());
  });

  it("shows a finished programme's week read-only, and answers for the member's active cohort first", async () => {
    const em = await forkEm();
    const user = await createUser(em);
    const finished = await createCohort(em, { startDate: addDays(thisMonday(), -7), status: "COMPLETED" });
    await addCohortMember(em, finished, user, "COMPLETED");
    const oldBundle = await createQuestionnaire(em, finished, 1);
    await createResponse(em, { bundle: oldBundle, user, answers: { "q-wins": "Old" }, submittedAt: null });

    const view = await questionnaireForMember(em, user, 1);
    expect(view).toMatchObject({
      membershipStatus: "COMPLETED",
      window: { state: "OPEN" },
      lockedReason: "This programme has finished, so its questionnaires can no longer be answered.",
      response: { status: "DRAFT", answers: { "q-wins": "Old" } },
    });
    expect(await saveDraft(await forkEm(), user, 1, ANSWERS)).toEqual(refused("This programme has finished, so its questionnaires can no longer be answered."));

    const current = await createCohort(em, { startDate: addDays(thisMonday(), -7), members: [user] });
    const currentBundle = await createQuestionnaire(em, current, 1);
    expect(await questionnaireForMember(await forkEm(), user, 1)).toMatchObject({ membershipStatus: "ACTIVE", cohort: { id: current.id }, lockedReason: null });
    expect(await saveDraft(await forkEm(), user, 1, ANSWERS)).toMatchObject({ ok: true });
    expect(await responseOf(currentBundle.id, user.id)).toMatchObject({ status: "DRAFT" });
  });
});

describe("the coach's side", () => {
  it("refuses a week outside the programme and copies nothing that does not exist", async () => {
    const em = await forkEm();
    const cohort = await createCohort(em, { weeks: 2 });
    const rows = rowsFromQuestions(SAMPLE_QUESTIONS);
    expect(await saveBundle(em, cohort, 3, { title: "Week 3", rows })).toEqual(refused("Week 3 is outside this programme, which runs for 2 weeks."));
    expect(await copyWeekToNext(em, cohort, 1, { replace: false })).toEqual(refused("Week 1 has no questionnaire to copy yet."));
    expect(await saveBundle(em, cohort, 1, { title: "Week 1 check-in", rows })).toMatchObject({ ok: true, created: true });
    expect(await saveBundle(em, cohort, 1, { title: "Week 1 check-in", rows })).toMatchObject({ ok: true, created: false });
    expect(await copyWeekToNext(em, cohort, 1, { replace: false })).toMatchObject({
      ok: true,
      replaced: false,
      bundle: { weekNumber: 2, title: "Week 2 check-in" },
    });
  });

  it("counts each week's submissions and lists the members' responses", async () => {
    const em = await forkEm();
    const [a, b, c, gone] = [
      await createUser(em, { name: "Anna" }),
      await createUser(em, { name: "Ben" }),
      await createUser(em, { name: "Cara" }),
      await createUser(em, { name: "Dan" }),
    ];
    const cohort = await createCohort(em, { weeks: 3, members: [a, b, c] });
    await addCohortMember(em, cohort, gone, "LEFT");
    const week1 = await createQuestionnaire(em, cohort, 1);
    await createResponse(em, { bundle: week1, user: a });
    await createResponse(em, { bundle: week1, user: b, submittedAt: null });
    await createResponse(em, { bundle: week1, user: gone });

    const overview = await questionnaireOverview(await forkEm(), cohort);
    expect(overview.members).toBe(3);
    expect(overview.weeks).toEqual([
      { week: 1, bundle: expect.objectContaining({ id: week1.id, questionCount: 5 }), submitted: 2, drafts: 1 },
      { week: 2, bundle: null, submitted: 0, drafts: 0 },
      { week: 3, bundle: null, submitted: 0, drafts: 0 },
    ]);
    const rows = await responsesForWeek(await forkEm(), cohort.id, 1);
    expect(rows.map((r) => [r.name.split(" ")[0], r.status])).toEqual([
      ["Anna", "SUBMITTED"],
      ["Ben", "DRAFT"],
      ["Cara", null],
      ["Dan", "SUBMITTED"],
    ]);
    expect(rows[0]).toMatchObject({ userId: a.id, responseId: expect.any(Number), submittedAt: expect.any(Date) });
  });

  it("refuses a correction that changes nothing, and appends each correction", async () => {
    const { user, cohort, bundle } = await member();
    const response = await createResponse(await forkEm(), { bundle, user, answers: { "q-wins": "Three classes", "q-effort": 7, "q-diet": "Mostly" } });
    const by = { id: 1, name: "Gav" };
    const correct = async (questionId: string, values: string[]) =>
      correctAnswer(await forkEm(), { cohortId: cohort.id, responseId: response.id, questionId, values, by });

    expect(await correct("q-effort", ["7"])).toMatchObject({ ok: false, formError: "That is the answer already, so nothing changed." });
    expect(await correct("q-struggles", ["Work", "Sleep"])).toMatchObject({ ok: true, correction: { before: null, after: ["Work", "Sleep"] } });
    expect(await correct("q-struggles", [])).toMatchObject({ ok: true, correction: { before: ["Work", "Sleep"], after: null } });
    const saved = await responseOf(bundle.id, user.id);
    expect(saved?.answers).toEqual({ "q-wins": "Three classes", "q-effort": 7, "q-diet": "Mostly" });
    expect(saved?.corrections.map((c) => c.questionId)).toEqual(["q-struggles", "q-struggles"]);
    expect(saved?.status).toBe("SUBMITTED");
    expect(await correctAnswer(await forkEm(), { cohortId: cohort.id + 1, responseId: response.id, questionId: "q-effort", values: ["1"], by })).toBeNull();
  });
});
