// Weekly questionnaires through their pages (issue 12, item 2): the coach builds and copies weeks, a member
// answers and submits (then nothing can change it), a coach corrects an answer; who may see what.
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { QuestionnaireBundle, WeeklyQuestionnaireResponse } from "~/modules/cohorts/cohorts.entities.server";
import * as weekPage from "~/routes/coach.cohorts.$id.questionnaires.$week";
import * as indexPage from "~/routes/coach.cohorts.$id.questionnaires._index";
import * as responsePage from "~/routes/coach.cohorts.$id.responses.$responseId";
import * as memberPage from "~/routes/client.cohort.questionnaire.$week";
import { addDays } from "~/utils/time";
import { createCohort, createQuestionnaire, createResponse, thisMonday } from "../support/cohort-factories";
import { forkEm } from "../support/db";
import { createUser } from "../support/factories";
import { loaderData, postForm, signedInCookie } from "../support/routes";

/** Week 1 of a cohort that started last Monday: its questionnaire is open today (from its last day until week 2 ends). */
const OPEN_WEEK_1 = () => addDays(thisMonday(), -7);

let coach: IUser;
let coachCookie: string;
let otherCoach: IUser;
beforeAll(async () => {
  const em = await forkEm();
  coach = await createUser(em, { role: "COACH", name: "Gav Builder" });
  otherCoach = await createUser(em, { role: "COACH" });
  coachCookie = await signedInCookie(coach);
});

const bundleOf = async (cohortId: number, week: number) => (await forkEm()).findOne(QuestionnaireBundle, { cohort: cohortId, weekNumber: week });
const responseOf = async (bundleId: number, userId: number) => (await forkEm()).findOne(WeeklyQuestionnaireResponse, { bundle: bundleId, user: userId });

function postBuilder(cohortId: number, week: number | string, fields: Record<string, string>, cookie = coachCookie) {
  return postForm(weekPage.action, {
    path: `/coach/cohorts/${cohortId}/questionnaires/${week}`,
    params: { id: String(cohortId), week: String(week) },
    cookie,
    fields,
  });
}

async function memberSetup(startDate = OPEN_WEEK_1()) {
  const em = await forkEm();
  const member = await createUser(em);
  const cohort = await createCohort(em, { startDate, coaches: [coach], members: [member] });
  const bundle = await createQuestionnaire(em, cohort, 1);
  return { member, cohort, bundle, cookie: await signedInCookie(member) };
}

function postAnswers(week: number | string, cookie: string, fields: Record<string, string> | URLSearchParams) {
  const request = new Request(`http://localhost/client/cohort/questionnaire/${week}`, {
    method: "POST",
    headers: { Cookie: cookie, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields).toString(),
  });
  return runAction(memberPage.action, request, { week: String(week) });
}

/** Like postForm, but with a body that may repeat a field (checkboxes). */
async function runAction(action: typeof memberPage.action, request: Request, params: Record<string, string>): Promise<Response> {
  const { withRequestContext } = await import("~/modules/db.server");
  return withRequestContext(async () => {
    try {
      return (await action({ request, params, context: { cspNonce: "test", clientIp: "127.0.0.1" } })) as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

const FULL_ANSWERS = new URLSearchParams([
  ["answer.q-wins", "Three classes"],
  ["answer.q-water", "2,5"],
  ["answer.q-effort", "8"],
  ["answer.q-diet", "Mostly"],
  ["answer.q-struggles", "Work"],
  ["answer.q-struggles", "Sleep"],
]);
const withIntent = (intent: string, answers = FULL_ANSWERS) => new URLSearchParams([["intent", intent], ...answers]);

describe("the coach builds a week", () => {
  it("answers 400 with the messages and what was typed for a bad question set, then saves a good one", async () => {
    const cohort = await createCohort(await forkEm(), { coaches: [coach], weeks: 4 });
    const bad = await postBuilder(cohort.id, 1, {
      intent: "save",
      title: "Week 1 check-in",
      "questions.0.prompt": "How was your week?",
      "questions.0.kind": "SINGLE_CHOICE",
      "questions.0.options": "Good",
      "questions.0.required": "on",
      "questions.1.prompt": "",
      "questions.1.kind": "TEXT",
    });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      intent: "save",
      formError: "Please correct the questions marked below.",
      fieldErrors: { "questions.0.options": ["Give at least 2 options, one per line."] },
      values: { "questions.0.prompt": "How was your week?", "questions.0.options": "Good" },
    });
    expect(await bundleOf(cohort.id, 1)).toBeNull();

    const noTitle = await postBuilder(cohort.id, 1, { intent: "save", title: " ", "questions.0.prompt": "Anything?" });
    expect(noTitle.status).toBe(400);
    expect(await noTitle.json()).toMatchObject({ fieldErrors: { title: ["Give the questionnaire a title."] } });

    const saved = await postBuilder(cohort.id, 1, {
      intent: "save",
      title: "Week 1 check-in",
      intro: "Tell us about your first week.",
      "questions.0.prompt": "How was your week?",
      "questions.0.kind": "SINGLE_CHOICE",
      "questions.0.options": "Good\nOK\nHard",
      "questions.0.required": "on",
      "questions.0.order": "2",
      "questions.1.prompt": "Weight",
      "questions.1.kind": "NUMBER",
      "questions.1.unit": "kg",
      "questions.1.order": "1",
      "questions.2.prompt": "",
      "questions.2.kind": "TEXT",
      "questions.2.required": "on",
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.get("Location")).toBe(`/coach/cohorts/${cohort.id}/questionnaires/1`);
    const bundle = await bundleOf(cohort.id, 1);
    expect(bundle).toMatchObject({ title: "Week 1 check-in", intro: "Tell us about your first week." });
    expect(bundle?.questions).toEqual([
      { id: expect.stringMatching(/^q-[0-9a-f]{10}$/), kind: "NUMBER", prompt: "Weight", required: false, unit: "kg" },
      { id: expect.stringMatching(/^q-[0-9a-f]{10}$/), kind: "SINGLE_CHOICE", prompt: "How was your week?", required: true, options: ["Good", "OK", "Hard"] },
    ]);

    // Editing keeps the ids (the hidden fields), rewords one question and removes the other.
    const [weight, feeling] = bundle!.questions;
    const edited = await postBuilder(cohort.id, 1, {
      intent: "save",
      title: "Week 1",
      "questions.0.id": weight.id,
      "questions.0.prompt": "Weight",
      "questions.0.kind": "NUMBER",
      "questions.0.remove": "on",
      "questions.1.id": feeling.id,
      "questions.1.prompt": "How did your week feel?",
      "questions.1.kind": "SINGLE_CHOICE",
      "questions.1.options": "Good\nOK\nHard",
    });
    expect(edited.status).toBe(303);
    expect((await bundleOf(cohort.id, 1))?.questions).toEqual([{ ...feeling, prompt: "How did your week feel?", required: false }]);

    // The builder's loader shows the saved questions; a week beyond the programme is 404, bad input never 500.
    const data = await loaderData<{ bundle: { questions: unknown[] } }>(weekPage.loader, {
      path: `/coach/cohorts/${cohort.id}/questionnaires/1`,
      params: { id: String(cohort.id), week: "1" },
      cookie: coachCookie,
    });
    expect(data.bundle.questions).toHaveLength(1);
    for (const week of ["5", "0", "abc", "99999999999"]) {
      expect((await postBuilder(cohort.id, week, { intent: "save", title: "x" })).status, week).toBe(404);
    }
    expect((await postBuilder(cohort.id, 1, { intent: "delete-everything" })).status).toBe(400);
  });

  it("copies a week to the next, and replaces the next week's only when the coach ticks the box", async () => {
    const em = await forkEm();
    const cohort = await createCohort(em, { coaches: [coach], weeks: 3 });
    await createQuestionnaire(em, cohort, 1);
    const copy = (fields: Record<string, string>) =>
      postForm(indexPage.action, { path: `/coach/cohorts/${cohort.id}/questionnaires`, params: { id: String(cohort.id) }, cookie: coachCookie, fields });

    const first = await copy({ intent: "copy-next", week: "1" });
    expect(first.status).toBe(303);
    expect(first.headers.get("Location")).toBe(`/coach/cohorts/${cohort.id}/questionnaires/2`);
    const week1 = await bundleOf(cohort.id, 1);
    const week2 = await bundleOf(cohort.id, 2);
    expect(week2).toMatchObject({ title: "Week 2 check-in", questions: week1?.questions });

    // Week 2 now differs; copying week 1 again needs the tick.
    await postBuilder(cohort.id, 2, { intent: "save", title: "Week 2 special", "questions.0.prompt": "Only this?" });
    const refused = await copy({ intent: "copy-next", week: "1" });
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({
      intent: "copy-next",
      formError: "Week 2 already has a questionnaire. Tick “Replace week 2” to overwrite it with week 1's.",
      values: { week: "1" },
    });
    expect(await bundleOf(cohort.id, 2)).toMatchObject({ title: "Week 2 special" });

    const replaced = await copy({ intent: "copy-next", week: "1", replace: "on" });
    expect(replaced.status).toBe(303);
    expect(await bundleOf(cohort.id, 2)).toMatchObject({ title: "Week 2 check-in", questions: week1?.questions });

    // From the builder page too; the last week cannot be copied onwards.
    expect((await postBuilder(cohort.id, 2, { intent: "copy-next", week: "2" })).status).toBe(303);
    const last = await postBuilder(cohort.id, 3, { intent: "copy-next", week: "3" });
    expect(last.status).toBe(400);
    expect(await last.json()).toMatchObject({ formError: "Week 3 is the programme's last week, so there is no week 4 to copy it to." });
    const bad = await copy({ intent: "copy-next", week: "abc" });
    expect(bad.status).toBe(400);

    const overview = await loaderData<{ weeks: { week: number; bundle: { questionCount: number } | null }[] }>(indexPage.loader, {
      path: `/coach/cohorts/${cohort.id}/questionnaires`,
      params: { id: String(cohort.id) },
      cookie: coachCookie,
    });
    expect(overview.weeks.map((w) => w.bundle?.questionCount)).toEqual([5, 5, 5]);
  });

  it("is 403 for a coach of another cohort and 404 for a cohort that does not exist", async () => {
    const cohort = await createCohort(await forkEm(), { coaches: [coach] });
    const stranger = await signedInCookie(otherCoach);
    expect((await postBuilder(cohort.id, 1, { intent: "save", title: "Mine now", "questions.0.prompt": "?" }, stranger)).status).toBe(403);
    expect(await bundleOf(cohort.id, 1)).toBeNull();
    expect((await postBuilder(2_000_000_000, 1, { intent: "save", title: "x" })).status).toBe(404);
    const client = await signedInCookie(await createUser(await forkEm()));
    expect((await postBuilder(cohort.id, 1, { intent: "save", title: "x" }, client)).status).toBe(403);
  });
});

describe("a member answers the week", () => {
  it("saves a draft, submits, and then a further POST is 400 with nothing changed", async () => {
    const { member, bundle, cookie } = await memberSetup();
    const draft = await postAnswers(1, cookie, withIntent("save", new URLSearchParams([["answer.q-wins", "Half done"]])));
    expect(draft.status).toBe(303);
    expect(await responseOf(bundle.id, member.id)).toMatchObject({ status: "DRAFT", answers: { "q-wins": "Half done" }, submittedAt: null });

    const submitted = await postAnswers(1, cookie, withIntent("submit"));
    expect(submitted.status).toBe(303);
    const before = await responseOf(bundle.id, member.id);
    expect(before).toMatchObject({
      status: "SUBMITTED",
      answers: { "q-wins": "Three classes", "q-water": 2.5, "q-effort": 8, "q-diet": "Mostly", "q-struggles": ["Work", "Sleep"] },
    });

    for (const intent of ["save", "submit"]) {
      const again = await postAnswers(1, cookie, withIntent(intent, new URLSearchParams([["answer.q-wins", "Changed my mind"]])));
      expect(again.status, intent).toBe(400);
      const body = (await again.json()) as { formError: string };
      expect(body.formError).toMatch(/^You submitted this week's answers on .+; they can no longer be changed\.$/);
      const after = await responseOf(bundle.id, member.id);
      expect(after?.answers).toEqual(before?.answers);
      expect(after?.updatedAt.getTime()).toBe(before?.updatedAt.getTime());
      expect(after?.submittedAt?.getTime()).toBe(before?.submittedAt?.getTime());
    }

    // The page is read-only now.
    const page = await loaderData<{ response: { status: string; submittedAt: string }; lockedReason: string | null }>(memberPage.loader, {
      path: "/client/cohort/questionnaire/1",
      params: { week: "1" },
      cookie,
    });
    expect(page.response).toMatchObject({ status: "SUBMITTED", submittedAt: expect.any(String) });
    expect(page.lockedReason).toMatch(/^You submitted this week's answers on /);
  });

  it("refuses a submit with a required answer missing (400 with the field message) and keeps what was typed", async () => {
    const { member, bundle, cookie } = await memberSetup();
    const response = await postAnswers(
      1,
      cookie,
      new URLSearchParams([
        ["intent", "submit"],
        ["answer.q-wins", "Good"],
        ["answer.q-effort", "8"],
        ["answer.q-struggles", "Work"],
        ["answer.q-struggles", "Travel"],
      ]),
    );
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      fieldErrors: { "q-diet": ["Choose an answer: this question is required."] },
      values: { "answer.q-wins": "Good", "answer.q-struggles": ["Work", "Travel"] },
    });
    expect(await responseOf(bundle.id, member.id)).toBeNull();

    const bad = await postAnswers(1, cookie, { intent: "save", "answer.q-effort": "11" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ fieldErrors: { "q-effort": ["Choose a whole number from 1 to 10."] } });
    expect((await postAnswers(1, cookie, { intent: "publish" })).status).toBe(400);
  });

  it("refuses answers outside the window: not yet open, and closed", async () => {
    const soon = await memberSetup(addDays(thisMonday(), 7));
    const early = await postAnswers(1, soon.cookie, withIntent("save"));
    expect(early.status).toBe(400);
    expect(((await early.json()) as { formError: string }).formError).toMatch(/^Week 1's questionnaire opens on \w{3} \d{1,2} \w{3} \d{4}\.$/);
    expect(await responseOf(soon.bundle.id, soon.member.id)).toBeNull();

    const past = await memberSetup(addDays(thisMonday(), -21));
    const late = await postAnswers(1, past.cookie, withIntent("submit"));
    expect(late.status).toBe(400);
    expect(((await late.json()) as { formError: string }).formError).toMatch(/^Week 1's questionnaire closed on /);
    expect(await responseOf(past.bundle.id, past.member.id)).toBeNull();
    const page = await loaderData<{ lockedReason: string }>(memberPage.loader, {
      path: "/client/cohort/questionnaire/1",
      params: { week: "1" },
      cookie: past.cookie,
    });
    expect(page.lockedReason).toMatch(/closed on/);
  });

  it("is 404 for a client of another cohort, a client in none, and a week without a questionnaire", async () => {
    await memberSetup();
    const em = await forkEm();
    const outsider = await createUser(em);
    await createCohort(em, { startDate: OPEN_WEEK_1(), coaches: [otherCoach], members: [outsider] });
    const outsiderCookie = await signedInCookie(outsider);
    // The outsider's own cohort has no week-1 questionnaire: the other cohort's is not theirs to see.
    await expect(loaderData(memberPage.loader, { path: "/client/cohort/questionnaire/1", params: { week: "1" }, cookie: outsiderCookie })).rejects.toThrow(
      /answered 404/,
    );
    expect((await postAnswers(1, outsiderCookie, withIntent("submit"))).status).toBe(404);
    const loner = await signedInCookie(await createUser(em));
    expect((await postAnswers(1, loner, withIntent("save"))).status).toBe(404);
    for (const week of ["0", "53", "x"]) expect((await postAnswers(week, loner, withIntent("save"))).status, week).toBe(404);
  });
});

describe("a coach corrects an answer", () => {
  it("records who and when, keeps the status, and is 403 for a coach of another cohort", async () => {
    const { member, cohort, bundle } = await memberSetup();
    const response = await createResponse(await forkEm(), { bundle, user: member, answers: { "q-wins": "Three classes", "q-effort": 7, "q-diet": "Mostly" } });
    const correct = (fields: Record<string, string>, cookie = coachCookie) =>
      postForm(responsePage.action, {
        path: `/coach/cohorts/${cohort.id}/responses/${response.id}`,
        params: { id: String(cohort.id), responseId: String(response.id) },
        cookie,
        fields,
      });

    const forbidden = await correct({ intent: "correct", questionId: "q-effort", "answer.q-effort": "9" }, await signedInCookie(otherCoach));
    expect(forbidden.status).toBe(403);

    const bad = await correct({ intent: "correct", questionId: "q-effort", "answer.q-effort": "12" });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({
      intent: "correct",
      fieldErrors: { "q-effort": ["Choose a whole number from 1 to 10."] },
      values: { questionId: "q-effort" },
    });
    const cleared = await correct({ intent: "correct", questionId: "q-wins", "answer.q-wins": "" });
    expect(cleared.status).toBe(400);
    expect(await cleared.json()).toMatchObject({ fieldErrors: { "q-wins": ["Answer this question: it is required."] } });
    expect((await correct({ intent: "correct", questionId: "q-nope", "answer.q-nope": "1" })).status).toBe(400);

    const before = Date.now();
    const ok = await correct({ intent: "correct", questionId: "q-effort", "answer.q-effort": "9" });
    expect(ok.status).toBe(303);
    const saved = await responseOf(bundle.id, member.id);
    expect(saved).toMatchObject({ status: "SUBMITTED", answers: { "q-wins": "Three classes", "q-effort": 9, "q-diet": "Mostly" } });
    expect(saved?.submittedAt?.getTime()).toBe(response.submittedAt?.getTime());
    expect(saved?.corrections).toEqual([{ questionId: "q-effort", before: 7, after: 9, byUserId: coach.id, byName: "Gav Builder", at: expect.any(String) }]);
    expect(Date.parse(saved!.corrections[0].at)).toBeGreaterThanOrEqual(before - 1000);

    const page = await loaderData<{ response: { corrections: { byName: string; at: string }[]; answers: Record<string, unknown> } }>(responsePage.loader, {
      path: `/coach/cohorts/${cohort.id}/responses/${response.id}`,
      params: { id: String(cohort.id), responseId: String(response.id) },
      cookie: coachCookie,
    });
    expect(page.response.corrections).toEqual([expect.objectContaining({ byName: "Gav Builder", at: expect.stringMatching(/ at \d\d:\d\d$/) })]);

    // The week's page lists the member's submitted response with a link target.
    const week = await loaderData<{ responses: { userId: number; responseId: number | null; submittedAt: string | null }[] }>(weekPage.loader, {
      path: `/coach/cohorts/${cohort.id}/questionnaires/1`,
      params: { id: String(cohort.id), week: "1" },
      cookie: coachCookie,
    });
    expect(week.responses).toEqual([
      { userId: member.id, name: member.name, responseId: response.id, status: "SUBMITTED", submittedAt: expect.stringMatching(/ at /) },
    ]);

    // A response of another cohort is not found through this cohort's address.
    const elsewhere = await memberSetup();
    const theirs = await createResponse(await forkEm(), { bundle: elsewhere.bundle, user: elsewhere.member });
    const wrongCohort = await postForm(responsePage.action, {
      path: `/coach/cohorts/${cohort.id}/responses/${theirs.id}`,
      params: { id: String(cohort.id), responseId: String(theirs.id) },
      cookie: coachCookie,
      fields: { intent: "correct", questionId: "q-effort", "answer.q-effort": "1" },
    });
    expect(wrongCohort.status).toBe(404);
  });

  it("lets an admin correct a draft", async () => {
    const { member, cohort, bundle } = await memberSetup();
    const em = await forkEm();
    const admin = await createUser(em, { role: "ADMIN" });
    const response = await createResponse(em, { bundle, user: member, answers: { "q-wins": "Draft" }, submittedAt: null });
    const ok = await postForm(responsePage.action, {
      path: `/coach/cohorts/${cohort.id}/responses/${response.id}`,
      params: { id: String(cohort.id), responseId: String(response.id) },
      cookie: await signedInCookie(admin),
      fields: { intent: "correct", questionId: "q-struggles", "answer.q-struggles": "Travel" },
    });
    expect(ok.status).toBe(303);
    expect(await responseOf(bundle.id, member.id)).toMatchObject({
      status: "DRAFT",
      answers: { "q-wins": "Draft", "q-struggles": ["Travel"] },
      corrections: [{ questionId: "q-struggles", before: null, after: ["Travel"], byUserId: admin.id }],
    });
  });
});
