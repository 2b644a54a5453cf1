// The demo cohort programme (issue 12): a running "8 Week Challenge" in its fourth week and a DRAFT
// Kickstarter open for registration; seeding again adds nothing.
import { beforeAll, describe, expect, it } from "vitest";
import { User } from "~/modules/auth/auth.entities.server";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { CoachNote, WeeklyCoachResponse } from "~/modules/coaching/coaching.entities.server";
import { listMyClients } from "~/modules/coaching/clients.service.server";
import { complianceFor } from "~/modules/coaching/compliance.server";
import {
  CoachCohortMembership,
  Cohort,
  CohortCheckInConfig,
  CohortMembership,
  CohortPlan,
  QuestionnaireBundle,
  WeeklyQuestionnaireResponse,
} from "~/modules/cohorts/cohorts.entities.server";
import { currentWeek, isRegistrationOpen } from "~/modules/cohorts/cohorts.rules";
import { Entry } from "~/modules/health/health.entities.server";
import { Session } from "~/modules/sessions/sessions.entities.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { addDays, mondayOf, todayIn } from "~/utils/time";
import { seed } from "../../db/seed";
import { CHALLENGE, KICKSTARTER_COHORT } from "../../db/seeders/cohorts";
import { forkEm, testDatabaseUrl } from "../support/db";

const TABLES = [
  "cohort",
  "cohort_membership",
  "coach_cohort_membership",
  "cohort_plan",
  "cohort_check_in_config",
  "questionnaire_bundle",
  "weekly_questionnaire_response",
  "entry",
  "weekly_coach_response",
  "coach_note",
  "session",
  "session_registration",
];

/** Rows per table, to compare before and after a run. */
async function counts() {
  const em = await forkEm();
  return Promise.all(TABLES.map(async (table) => (await em.execute<{ n: number }[]>(`select count(*)::int as n from "${table}"`))[0].n));
}

const challenge = async () => (await forkEm()).findOneOrFail(Cohort, { name: CHALLENGE.name });

describe("cohort seed", () => {
  beforeAll(async () => {
    await seed(testDatabaseUrl());
  });

  it("runs the 8 Week Challenge in its fourth week, with Gav and Rory coaching twelve demo clients", async () => {
    const em = await forkEm();
    const cohort = await challenge();
    const monday = mondayOf(todayIn("Europe/London"));
    expect(cohort).toMatchObject({ status: "ACTIVE", weeks: 8, capacity: 15, startDate: addDays(monday, -21), isFree: false });
    expect(cohort.description).toBeTruthy();
    expect(cohort.registrationOpensOn! <= cohort.startDate && cohort.startDate <= cohort.registrationClosesOn!).toBe(true);
    expect(currentWeek(cohort, todayIn("Europe/London"))).toBe(4);

    const coaches = await em.find(CoachCohortMembership, { cohort }, { populate: ["coach"] });
    expect(coaches.map((c) => c.coach.email).sort()).toEqual(["gav@centurion.test", "rory@centurion.test"]);
    const members = await em.find(CohortMembership, { cohort }, { populate: ["user"] });
    expect(members.map((m) => m.user.email).sort()).toEqual([...CHALLENGE.clients].sort());
    expect(members.every((m) => m.status === "ACTIVE")).toBe(true);
    // Nobody is in a second cohort.
    expect(await em.count(CohortMembership, { user: { $in: members.map((m) => m.user.id) } })).toBe(12);
    expect(await em.findOne(CohortCheckInConfig, { cohort })).toMatchObject({
      frequencyDays: 7,
      metrics: ["weightKg", "waistCm", "sleepHours", "energy", "mood"],
    });
  });

  it("has a questionnaire for each of the eight weeks, with every kind of question, required and optional", async () => {
    const bundles = await (await forkEm()).find(QuestionnaireBundle, { cohort: (await challenge()).id }, { orderBy: { weekNumber: "asc" } });
    expect(bundles.map((b) => b.weekNumber)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    const questions = bundles.flatMap((b) => b.questions);
    expect(new Set(questions.map((q) => q.kind))).toEqual(new Set(["TEXT", "NUMBER", "SCALE", "SINGLE_CHOICE", "MULTIPLE_CHOICE"]));
    expect(questions.some((q) => q.required) && questions.some((q) => !q.required)).toBe(true);
    expect(questions.filter((q) => q.kind === "NUMBER").every((q) => q.unit)).toBe(true);
    expect(questions.filter((q) => q.kind.endsWith("CHOICE")).every((q) => (q.options?.length ?? 0) >= 2)).toBe(true);
    for (const bundle of bundles) expect(new Set(bundle.questions.map((q) => q.id)).size).toBe(bundle.questions.length);
  });

  it("has check-ins and answers for the weeks passed, weights trending down, and compliance that varies", async () => {
    const em = await forkEm();
    const cohort = await challenge();
    const members = await em.find(CohortMembership, { cohort }, { populate: ["user"] });
    const ids = members.map((m) => m.user.id);
    const today = todayIn("Europe/London");
    const entries = await em.find(Entry, { user: { $in: ids } }, { orderBy: { date: "asc" } });
    expect(entries.length).toBeGreaterThan(30);
    expect(entries.every((e) => e.date >= cohort.startDate && e.date <= today)).toBe(true);
    for (const id of ids) {
      const weights = entries.filter((e) => e.user.id === id).map((e) => Number(e.weightKg));
      if (weights.length >= 2) expect(weights.at(-1)!).toBeLessThan(weights[0]);
    }
    const responses = await em.find(WeeklyQuestionnaireResponse, { user: { $in: ids } }, { populate: ["bundle"] });
    expect(responses.every((r) => r.bundle.weekNumber <= 3)).toBe(true);
    expect(responses.filter((r) => r.status === "SUBMITTED").length).toBeGreaterThan(20);
    expect(responses.some((r) => r.status === "DRAFT")).toBe(true);
    // Every submitted answer set answers the week's required questions.
    for (const response of responses.filter((r) => r.status === "SUBMITTED")) {
      for (const q of response.bundle.questions.filter((q) => q.required)) expect(response.answers[q.id]).toBeDefined();
    }

    const compliance = await complianceFor(em, cohort, ids, today, await getSettings(em));
    const checkIns = [...compliance.values()].map((c) => c.programme.checkIns);
    expect(checkIns.every((c) => c.due === 4)).toBe(true);
    expect(new Set(checkIns.map((c) => c.done)).size).toBeGreaterThan(1);
    expect(new Set([...compliance.values()].map((c) => c.programme.questionnaires.done)).size).toBeGreaterThan(1);
  });

  it("has feedback published for some weeks and submitted weeks still waiting for a reply, and coach notes", async () => {
    const em = await forkEm();
    const cohort = await challenge();
    const feedback = await em.find(WeeklyCoachResponse, { cohort });
    expect(feedback.filter((f) => f.status === "PUBLISHED").length).toBeGreaterThan(5);
    const submitted = await em.find(WeeklyQuestionnaireResponse, { bundle: { cohort: cohort.id }, status: "SUBMITTED" }, { populate: ["bundle"] });
    const answered = new Set(feedback.map((f) => `${f.user.id}:${f.weekNumber}`));
    const waiting = submitted.filter((r) => !answered.has(`${r.user.id}:${r.bundle.weekNumber}`));
    expect(waiting.length).toBeGreaterThan(5);
    expect(new Set(waiting.map((r) => r.bundle.weekNumber))).toEqual(new Set([2, 3]));
    expect(await em.count(CoachNote, { cohort })).toBeGreaterThanOrEqual(2);
  });

  it("gives the challenge's members classes attended, and makes them Gav's clients", async () => {
    const em = await forkEm();
    const cohort = await challenge();
    const attended = await em.count(SessionRegistration, { status: "ATTENDED", session: { cohort: cohort.id } });
    expect(attended).toBeGreaterThan(20);
    // The timetable's Monday 18:05 and Wednesday 18:35 HIIT classes of the weeks to come are the cohort's.
    expect(await em.count(Session, { cohort: cohort.id, startTime: { $gte: new Date() } })).toBeGreaterThanOrEqual(8);
    const gav = await em.findOneOrFail(User, { email: "gav@centurion.test" });
    const list = await listMyClients(em, { id: gav.id, role: gav.role }, { q: "client4" });
    const members = list.clients.filter((c) => c.cohorts.some((link) => link.id === cohort.id));
    expect(members.length).toBeGreaterThanOrEqual(9);
    expect(members.every((c) => c.compliance?.cohortName === CHALLENGE.name && c.lastAttended !== null)).toBe(true);
  });

  it("adds a DRAFT Kickstarter for January, open for registration to holders of the Kickstarter plan, with no members", async () => {
    const em = await forkEm();
    const cohort = await em.findOneOrFail(Cohort, { name: KICKSTARTER_COHORT.name });
    expect(cohort).toMatchObject({ status: "DRAFT", isFree: false, weeks: 6 });
    expect(cohort.startDate.slice(5, 7)).toBe("01");
    expect(
      isRegistrationOpen(
        { ...cohort, registrationOpensOn: cohort.registrationOpensOn ?? null, registrationClosesOn: cohort.registrationClosesOn ?? null },
        todayIn("Europe/London"),
      ),
    ).toBe(true);
    const plans = await em.find(CohortPlan, { cohort }, { populate: ["plan"] });
    expect(plans.map((p) => p.plan.name)).toEqual(["Kickstarter"]);
    expect(await em.count(CohortMembership, { cohort })).toBe(0);
    expect(await em.count(CoachCohortMembership, { cohort })).toBeGreaterThan(0);
  });

  it("adds nothing when run again", async () => {
    const before = await counts();
    await seed(testDatabaseUrl());
    expect(await counts()).toEqual(before);
  });
});
