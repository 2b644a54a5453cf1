import type { Locator, Page } from "@playwright/test";
import { CohortMembership, WeeklyQuestionnaireResponse } from "../../app/modules/cohorts/cohorts.entities.server";
import { formatAnswer, type Answers } from "../../app/modules/cohorts/questionnaire.rules";
import { CoachNote, WeeklyCoachResponse } from "../../app/modules/coaching/coaching.entities.server";
import { Entry } from "../../app/modules/health/health.entities.server";
import { formatStonesPounds } from "../../app/modules/health/health.rules";
import { Notification } from "../../app/modules/notifications/notifications.entities.server";
import { addDays, formatDate, formatDateTime } from "../../app/utils/time";
import { createEntry, createQuestionnaire, createResponse, SAMPLE_QUESTIONS } from "../support/cohort-factories";
import { uniqueName } from "../support/factories";
import { at, expect, test, thisMonday, today, ZONE } from "./fixtures";
import { flash, submitStatus } from "./helpers";

// The cohort programme end to end. Every test makes its own coach, members and cohort. The cohorts start on
// the Monday of last week, so today (whatever weekday it is) falls in week 2 and week 1's questionnaire is
// open: it opens on week 1's last day and closes when week 2 ends. Only week 1 has a questionnaire, so on a
// Sunday (when week 2's would open too) nothing else is due.
const lastMonday = addDays(thisMonday, -7);
const CHECK_IN = { metrics: ["weightKg" as const, "mood" as const], frequencyDays: 7 };

/** A `<section aria-labelledby>` found by its heading. */
function region(page: Page, name: string | RegExp): Locator {
  return page.getByRole("region", { name, exact: typeof name === "string" ? true : undefined });
}

/** A radio or checkbox of a question's fieldset (the legend ends with "(required)" or "(optional)"). */
function choice(page: Page, prompt: string, option: string): Locator {
  return page.getByRole("group", { name: new RegExp(`^${prompt.replace(/[?.]/g, "\\$&")}`) }).getByLabel(option, { exact: true });
}

// reports.spec.ts switches cohorts off for a moment: these tests never run while it does.
test.use({ needsStudioSettings: true });

test.describe("a member's week", () => {
  test("a member records a check-in, saves a draft, submits the questionnaire and cannot change it afterwards", async ({ make, em, signedIn }) => {
    const coach = await make.coach();
    const member = await make.client();
    const cohort = await make.cohort({ startDate: lastMonday, weeks: 6, coaches: [coach], members: [member], checkIn: CHECK_IN });
    const bundle = await createQuestionnaire(em, cohort, 1);
    const page = await signedIn(member);

    // ---- the check-in: typed in kg, kept in kg, shown in the unit the member picks ----
    await page.goto("/client/health");
    await expect(page.getByRole("heading", { name: "Health check-ins", level: 1 })).toBeVisible();
    await expect(page.getByRole("main")).toContainText(`${cohort.name} asks for weight and mood every 7 days.`);
    const record = page.getByRole("form", { name: "Save check-in" });
    await expect(record.getByLabel("Date")).toHaveValue(today);
    await record.getByLabel("Weight (kg)").fill("82.5");
    await record.getByLabel("Mood (1 to 10)").fill("7");
    await record.getByRole("button", { name: "Save check-in" }).click();
    await expect(flash(page)).toHaveText(`Check-in for ${formatDate(today, "UTC")} saved.`);

    const history = page.getByRole("table", { name: /^Your check-ins, newest first \(1 in all\)/ });
    const row = history.getByRole("row").filter({ has: page.getByRole("rowheader", { name: formatDate(today, "UTC"), exact: true }) });
    await expect(row.getByRole("cell")).toHaveText(["82.5 kg", "7/10", "", "You", /^Edit/]);
    await expect(page.getByRole("img", { name: /^Weight chart/ })).toBeVisible();
    await expect(page.getByRole("img", { name: /^Mood chart/ })).toBeVisible();
    const entry = await em.fork().findOneOrFail(Entry, { user: member.id, date: today });
    expect(entry).toMatchObject({ weightKg: 82.5, mood: 7, energy: null, enteredBy: null });

    await page.getByLabel("Stones and pounds (st & lb)").check();
    await page.getByRole("button", { name: "Save unit" }).click();
    await expect(flash(page)).toHaveText("Weights now show in stones and pounds.");
    await expect(row.getByRole("cell").first()).toHaveText(formatStonesPounds(82.5));
    expect((await em.fork().findOneOrFail(Entry, entry.id)).weightKg).toBe(82.5);

    // ---- the cohort page says what is due and links to it ----
    await page.goto("/client/cohort");
    await expect(page.getByRole("heading", { name: cohort.name, level: 1 })).toBeVisible();
    await expect(page.getByText("Week 2 of 6", { exact: true })).toBeVisible();
    const due = region(page, "Due now");
    const checkIn = due.getByRole("listitem").filter({ hasText: /^Check-in/ });
    await expect(checkIn).toContainText("Done ✓");
    await expect(checkIn.getByRole("link", { name: "See my check-ins" })).toHaveAttribute("href", "/client/health");
    const questionnaire = due.getByRole("listitem").filter({ hasText: "Week 1 questionnaire" });
    await expect(questionnaire).toContainText(`Week 1 questionnaire: ${bundle.title}`);
    await expect(questionnaire).toContainText("Not started — open until");
    await questionnaire.getByRole("link", { name: "Answer now" }).click();

    // ---- a draft is kept ----
    await expect(page).toHaveURL(/\/client\/cohort\/questionnaire\/1$/);
    await expect(page.getByRole("heading", { name: bundle.title, level: 1 })).toBeVisible();
    await page.getByLabel("What went well this week?").fill("Three classes and a long walk");
    await page.getByLabel("Water a day").fill("2,5");
    await choice(page, "How hard did you train?", "7").check();
    await choice(page, "How was your eating?", "Mostly").check();
    await choice(page, "What got in the way?", "Work").check();
    await choice(page, "What got in the way?", "Sleep").check();
    await page.getByRole("button", { name: "Save draft" }).click();
    await expect(flash(page)).toHaveText("Draft saved. Submit it when you are ready.");
    const draft = await em.fork().findOneOrFail(WeeklyQuestionnaireResponse, { bundle: bundle.id, user: member.id });
    expect(draft).toMatchObject({ status: "DRAFT", submittedAt: null });
    expect(draft.answers).toEqual({
      "q-wins": "Three classes and a long walk",
      "q-water": 2.5,
      "q-effort": 7,
      "q-diet": "Mostly",
      "q-struggles": ["Work", "Sleep"],
    });

    await page.reload();
    await expect(page.getByText(/^Draft saved /)).toBeVisible();
    await expect(page.getByLabel("What went well this week?")).toHaveValue("Three classes and a long walk");
    await expect(page.getByLabel("Water a day")).toHaveValue("2.5");
    await expect(choice(page, "How hard did you train?", "7")).toBeChecked();
    await expect(choice(page, "How was your eating?", "Mostly")).toBeChecked();
    await expect(choice(page, "What got in the way?", "Work")).toBeChecked();
    await expect(choice(page, "What got in the way?", "Sleep")).toBeChecked();
    await expect(choice(page, "What got in the way?", "Travel")).not.toBeChecked();

    // ---- submitted: read-only, no form ----
    await page.getByLabel("What went well this week?").fill("Three classes, a long walk and a swim");
    await page.getByRole("button", { name: "Submit" }).click();
    await expect(flash(page)).toHaveText("Week 1's answers are submitted. Thank you!");
    const submitted = await em.fork().findOneOrFail(WeeklyQuestionnaireResponse, draft.id);
    expect(submitted.status).toBe("SUBMITTED");
    expect(submitted.submittedAt).toBeInstanceOf(Date);
    expect(submitted.answers["q-wins"]).toBe("Three classes, a long walk and a swim");
    await expect(page.getByText(`Submitted on ${formatDateTime(submitted.submittedAt!, ZONE)}. Your answers can no longer be changed.`)).toBeVisible();
    const main = page.getByRole("main");
    await expect(main.locator("form")).toHaveCount(0);
    await expect(main.getByRole("button")).toHaveCount(0);
    await expect(main.getByRole("textbox")).toHaveCount(0);
    await expect(main.getByRole("radio")).toHaveCount(0);
    const answers = region(page, "Your answers").getByRole("definition");
    await expect(answers).toHaveText(SAMPLE_QUESTIONS.map((q) => formatAnswer(q, submitted.answers[q.id])));

    // ---- a crafted post after submission changes nothing ----
    const crafted: Record<string, string> = { "answer.q-wins": "Nothing went well", "answer.q-effort": "2", "answer.q-diet": "Off plan" };
    for (const intent of ["submit", "save"]) {
      const response = await page.request.post("/client/cohort/questionnaire/1", { form: { intent, ...crafted }, maxRedirects: 0 });
      expect(response.status(), `intent=${intent}`).toBe(400);
    }
    const after = await em.fork().findOneOrFail(WeeklyQuestionnaireResponse, draft.id);
    expect(after.status).toBe("SUBMITTED");
    expect(after.answers).toEqual(submitted.answers);
    expect(after.submittedAt).toEqual(submitted.submittedAt);
    expect(after.updatedAt).toEqual(submitted.updatedAt);
    await page.reload();
    await expect(answers.first()).toHaveText("Three classes, a long walk and a swim");

    // The cohort page now offers the answers to read.
    await page.goto("/client/cohort");
    await expect(questionnaire).toContainText("Submitted ✓");
    await expect(questionnaire.getByRole("link", { name: "See my answers" })).toHaveAttribute("href", "/client/cohort/questionnaire/1");
  });
});

test.describe("the coach's review", () => {
  test("a coach works the needs-reply queue: publishes feedback and writes a private note, and the member reads only the feedback", async ({
    make,
    em,
    signedIn,
  }) => {
    const coach = await make.coach();
    const member = await make.client();
    const cohort = await make.cohort({ startDate: lastMonday, weeks: 6, coaches: [coach], members: [member], checkIn: CHECK_IN });
    const bundle = await createQuestionnaire(em, cohort, 1);
    await createEntry(em, { user: member, date: addDays(lastMonday, 2), weightKg: 80.2, mood: 6 });
    const answers: Answers = { "q-wins": "Four classes this week", "q-effort": 8, "q-diet": "On plan" };
    await createResponse(em, { bundle, user: member, answers, submittedAt: at(addDays(lastMonday, 6), "19:30") });
    const feedback = `Strong week, ${uniqueName("fb")}: keep the four classes going.`;
    const note = `Private: ${uniqueName("note")} mentioned a sore knee.`;
    const page = await signedIn(coach);

    // The dashboard and the cohort's review both list the submitted week.
    await page.goto("/coach");
    const panel = region(page, "Needs reply (1)");
    await expect(panel.getByRole("link", { name: new RegExp(`^${member.name} — week 1`) })).toBeVisible();

    await page.goto(`/coach/cohorts/${cohort.id}/review`);
    await expect(page.getByRole("heading", { name: `${cohort.name}: review`, level: 1 })).toBeVisible();
    const queue = region(page, "Needs reply (1)");
    await expect(queue.getByRole("listitem")).toHaveCount(1);
    await queue.getByRole("link", { name: `${member.name} — week 1`, exact: true }).click();

    // The member's week: their check-in and answers, then the feedback and a note.
    await expect(page.getByRole("heading", { name: `${member.name}, week 1 of 6`, level: 1 })).toBeVisible();
    await expect(region(page, "Check-ins")).toContainText("80.2 kg");
    await expect(region(page, "Questionnaire")).toContainText("Four classes this week");
    const feedbackForm = region(page, "Weekly feedback");
    await expect(feedbackForm).toContainText(`No feedback yet. ${member.name} sees it once you publish it.`);
    await feedbackForm.getByLabel(`Feedback for ${member.name}`).fill(feedback);
    await feedbackForm.getByRole("button", { name: `Publish to ${member.name}` }).click();
    await expect(flash(page)).toHaveText(`Feedback published. ${member.name} has been notified.`);
    await expect(feedbackForm).toContainText(`by ${coach.name}. It stays published`);
    await expect(feedbackForm.getByLabel(`Feedback for ${member.name}`)).toHaveValue(feedback);
    await expect(feedbackForm.getByRole("button")).toHaveText(["Save changes"]);

    const notes = region(page, "Private notes");
    await notes.getByLabel("New private note").fill(note);
    await notes.getByRole("button", { name: "Add note" }).click();
    await expect(flash(page)).toHaveText("Note added. Only coaches can read it.");
    await expect(notes.getByRole("listitem")).toHaveCount(1);
    await expect(notes.getByRole("listitem")).toContainText(note);
    await expect(notes.getByRole("listitem")).toContainText(coach.name);

    const db = em.fork();
    const published = await db.findOneOrFail(WeeklyCoachResponse, { cohort: cohort.id, user: member.id, weekNumber: 1 });
    expect(published).toMatchObject({ status: "PUBLISHED", body: feedback });
    expect(published.coach.id).toBe(coach.id);
    expect(published.publishedAt).toBeInstanceOf(Date);
    const notesInDb = await db.find(CoachNote, { client: member.id });
    expect(notesInDb.map((n) => ({ body: n.body, week: n.weekNumber, cohort: n.cohort?.id, coach: n.coach.id }))).toEqual([
      { body: note, week: 1, cohort: cohort.id, coach: coach.id },
    ]);
    expect(await db.count(Notification, { user: member.id, kind: "COACH_FEEDBACK_PUBLISHED" })).toBe(1);

    // Back on the review, and on the dashboard, the week has left the queue.
    await page.getByRole("link", { name: `Review of ${cohort.name}` }).click();
    await expect(region(page, "Needs reply (0)")).toContainText("Every submitted questionnaire has published feedback.");
    await expect(page.getByRole("link", { name: `${member.name} — week 1`, exact: true })).toHaveCount(0);
    await page.goto("/coach");
    await expect(region(page, "Needs reply (0)")).toContainText("No submitted questionnaires are waiting for your feedback.");

    // The member reads the feedback, and the note is nowhere on their pages (nor in the data they load).
    const them = await signedIn(member);
    await them.goto("/client/cohort");
    const card = region(them, "Feedback from your coach").getByRole("article", { name: "Feedback on week 1" });
    await expect(card).toContainText(feedback);
    await expect(card).toContainText(`From ${coach.name}`);
    await expect(them.getByText(note)).toHaveCount(0);
    await them.getByRole("link", { name: "Week 1", exact: true }).click();
    await expect(them).toHaveURL(/\/client\/cohort\/weeks\/1$/);
    await expect(region(them, "Your coach's feedback")).toContainText(feedback);
    await expect(region(them, "Your questionnaire")).toContainText("Four classes this week");
    await expect(them.getByText(note)).toHaveCount(0);
    for (const path of ["/client/cohort", "/client/cohort/weeks/1", "/client/cohort/questionnaire/1", "/client/health"]) {
      const response = await them.request.get(path);
      expect(response.status(), path).toBe(200);
      const html = await response.text();
      expect(html, path).not.toContain(note);
    }
  });

  test("a coach nudges the member who is behind, once a day", async ({ make, em, signedIn }) => {
    const coach = await make.coach();
    const lagging = await make.client();
    const upToDate = await make.client();
    const cohort = await make.cohort({ startDate: lastMonday, weeks: 6, coaches: [coach], members: [lagging, upToDate], checkIn: CHECK_IN });
    const bundle = await createQuestionnaire(em, cohort, 1);
    await createEntry(em, { user: upToDate, date: today, weightKg: 70, mood: 8 });
    await createResponse(em, { bundle, user: upToDate });
    const page = await signedIn(coach);

    await page.goto(`/coach/cohorts/${cohort.id}/review`);
    const compliance = page.getByRole("table", { name: /^Compliance of each member/ });
    const rowOf = (name: string) => compliance.getByRole("row").filter({ has: page.getByRole("rowheader", { name, exact: true }) });
    await expect(rowOf(lagging.name)).toBeVisible();
    await expect(rowOf(upToDate.name)).toContainText("Week 1: Submitted");

    const nudge = page.getByRole("button", { name: "Nudge members who are behind" });
    await nudge.click();
    await expect(flash(page)).toHaveText("Nudged 1 member; 1 is up to date.");
    const nudges = async (who: { id: number }) => em.fork().find(Notification, { user: who.id, kind: "COHORT_NUDGE" });
    const sent = await nudges(lagging);
    expect(sent).toHaveLength(1);
    expect(sent[0].payload).toMatchObject({ cohortId: cohort.id });
    expect(sent[0].body).toContain("/client/health");
    expect(sent[0].body).toContain("/client/cohort/questionnaire/1");
    expect(await nudges(upToDate)).toHaveLength(0);

    // Pressed again the same day: nobody new.
    await nudge.click();
    await expect(flash(page)).toHaveText("Nudged 0 members; 1 was already nudged today; 1 is up to date.");
    expect(await nudges(lagging)).toHaveLength(1);
    expect(await nudges(upToDate)).toHaveLength(0);
  });
});

test.describe("cohorts and their members", () => {
  test("a coach creates a cohort, adds a member by email, and a client in another active cohort is refused", async ({ make, em, signedIn }) => {
    const coach = await make.coach();
    const client = await make.client();
    const busy = await make.client();
    const other = await make.cohort({ coaches: [await make.coach()], members: [busy] });
    const name = uniqueName("Kickstarter");
    const page = await signedIn(coach);

    await page.goto("/coach/cohorts/new");
    await expect(page.getByRole("heading", { name: "New cohort", level: 1 })).toBeVisible();
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Description").fill("Six weeks to build the habit.");
    await page.getByLabel("Weeks").fill("6");
    await page.getByLabel("Capacity").fill("12");
    await expect(page.getByRole("checkbox", { name: coach.name, exact: true })).toBeChecked();
    await page.getByRole("button", { name: "Create cohort" }).click();
    await expect(flash(page)).toHaveText(`Cohort “${name}” created as a draft.`);
    await expect(page.getByRole("heading", { name, level: 1 })).toBeVisible();
    await expect(page).toHaveURL(/\/coach\/cohorts\/\d+$/);
    const cohortId = Number(new URL(page.url()).pathname.split("/").at(-1));

    const members = region(page, /^Members \(/);
    await members.getByLabel("Client's email").fill(client.email);
    await members.getByRole("button", { name: "Add member" }).click();
    await expect(flash(page)).toHaveText(`${client.name} is now a member of “${name}”.`);
    await expect(region(page, "Members (1)").getByRole("row").filter({ hasText: client.email })).toContainText(`(added by ${coach.name})`);

    await region(page, "Members (1)").getByLabel("Client's email").fill(busy.email);
    expect(await submitStatus(page, region(page, "Members (1)").getByRole("button", { name: "Add member" }))).toBe(400);
    await expect(region(page, "Members (1)").getByRole("alert")).toHaveText(`${busy.name} is already in the active cohort “${other.name}”.`);
    await expect(region(page, "Members (1)").getByLabel("Client's email")).toHaveValue(busy.email);

    const db = em.fork();
    const joined = await db.find(CohortMembership, { cohort: cohortId }, { populate: ["user", "addedBy"] });
    expect(joined.map((m) => ({ user: m.user.id, status: m.status, addedBy: m.addedBy?.id }))).toEqual([
      { user: client.id, status: "ACTIVE", addedBy: coach.id },
    ]);
    const stillElsewhere = await db.find(CohortMembership, { user: busy.id });
    expect(stillElsewhere.map((m) => ({ cohort: m.cohort.id, status: m.status }))).toEqual([{ cohort: other.id, status: "ACTIVE" }]);
  });
});
