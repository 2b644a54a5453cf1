// Cohorts themselves (issue 12, item 1): creating, editing, status, coaches, members added by a coach,
// and clients joining and leaving themselves. Races are in cohorts.concurrency.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import {
  CoachCohortMembership,
  Cohort,
  CohortCheckInConfig,
  CohortMembership,
  CohortPlan,
  QuestionnaireBundle,
} from "~/modules/cohorts/cohorts.entities.server";
import { CohortCreateSchema, type CohortCreateInput } from "~/modules/cohorts/cohorts.schema";
import {
  addCohortCoach,
  addCohortMember,
  advanceCohortStatus,
  createCohort,
  joinCohort,
  leaveCohort,
  removeCohortCoach,
  removeCohortMember,
  updateCohort,
} from "~/modules/cohorts/cohorts.service.server";
import { parseForm } from "~/utils/forms";
import { addDays, todayIn } from "~/utils/time";
import { createCohort as makeCohort, addCohortMember as makeMember, createQuestionnaire, SAMPLE_QUESTIONS, thisMonday } from "../support/cohort-factories";
import { forkEm } from "../support/db";
import { createMembership, createPlan, createUser } from "../support/factories";
import { refused } from "../support/results";

const today = () => todayIn("Europe/London");

let coach: IUser;
let otherCoach: IUser;
let admin: IUser;
beforeAll(async () => {
  const em = await forkEm();
  coach = await createUser(em, { role: "COACH" });
  otherCoach = await createUser(em, { role: "COACH" });
  admin = await createUser(em, { role: "ADMIN" });
});

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const one of [value].flat()) data.append(key, one);
  return data;
}

/** The new-cohort form as typed, through its schema (as the route does). */
function input(fields: Record<string, string | string[]> = {}): CohortCreateInput {
  const parsed = parseForm(
    CohortCreateSchema,
    form({
      name: "Kickstarter",
      startDate: addDays(thisMonday(), 7),
      weeks: "6",
      capacity: "12",
      registrationOpensOn: "",
      registrationClosesOn: "",
      ...fields,
    }),
  );
  if (!parsed.ok) throw new Error(`Test input does not parse: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.data;
}

const asCoach = () => ({ id: coach.id, role: "COACH" as const });
const asAdmin = () => ({ id: admin.id, role: "ADMIN" as const });

async function statusOf(cohortId: number, userId: number) {
  return (await (await forkEm()).findOne(CohortMembership, { cohort: cohortId, user: userId }))?.status ?? null;
}

describe("creating a cohort", () => {
  it("makes a DRAFT cohort with its plans, and the creating coach among its coaches", async () => {
    const plan = await createPlan(await forkEm(), { type: "PREPAID", name: "Kickstarter pass" });
    const result = await createCohort(
      await forkEm(),
      asCoach(),
      input({ name: "  Spring Kickstarter ", planIds: [String(plan.id)], coachIds: [String(otherCoach.id)], isFree: "on" }),
    );
    expect(result).toMatchObject({ ok: true, copied: { questionnaires: 0, checkIn: false } });
    if (!result.ok) return;
    const em = await forkEm();
    const cohort = await em.findOneOrFail(Cohort, result.cohort.id);
    expect(cohort).toMatchObject({ name: "Spring Kickstarter", status: "DRAFT", weeks: 6, capacity: 12, isFree: true, registrationOpensOn: null });
    const coaches = await em.find(CoachCohortMembership, { cohort }, { orderBy: { coach: "asc" } });
    expect(coaches.map((c) => c.coach.id).sort()).toEqual([coach.id, otherCoach.id].sort());
    expect((await em.find(CohortPlan, { cohort })).map((p) => p.plan.id)).toEqual([plan.id]);
  });

  it("refuses a start date that is not a Monday, naming the Mondays around it", async () => {
    const monday = addDays(thisMonday(), 14);
    const result = await createCohort(await forkEm(), asCoach(), input({ startDate: addDays(monday, 2) }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.startDate?.[0]).toMatch(
      /^The start date must be a Monday, because programme weeks run Monday to Sunday: .* is a Wednesday\. Try .* or .*\.$/,
    );
  });

  it("checks the registration window, the plans and the coaches", async () => {
    const em = await forkEm();
    const retired = await createPlan(em, { type: "PACK", isActive: false });
    const client = await createUser(em);
    const start = addDays(thisMonday(), 7);
    const before = await em.count(Cohort, {});
    expect(
      await createCohort(
        await forkEm(),
        asCoach(),
        input({ registrationOpensOn: start, registrationClosesOn: addDays(start, -1), planIds: [String(retired.id)], coachIds: [String(client.id)] }),
      ),
    ).toEqual({
      ok: false,
      fieldErrors: {
        registrationClosesOn: ["Registration must close on or after the day it opens."],
        planIds: ["Choose plans from the list (active plans only)."],
        coachIds: ["Choose coaches from the list."],
      },
    });
    expect(await createCohort(await forkEm(), asCoach(), input({ registrationClosesOn: start }))).toEqual({
      ok: false,
      fieldErrors: { registrationOpensOn: ["Enter the day registration opens too, or leave both dates blank."] },
    });
    // An admin is not added by default, so an admin must choose someone.
    expect(await createCohort(await forkEm(), asAdmin(), input())).toEqual({ ok: false, fieldErrors: { coachIds: ["Choose at least one coach."] } });
    expect(await (await forkEm()).count(Cohort, {})).toBe(before);
  });

  it("refuses out-of-range weeks and capacity in the form", () => {
    const parsed = parseForm(CohortCreateSchema, form({ name: "", startDate: thisMonday(), weeks: "53", capacity: "0" }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok)
      expect(parsed.fieldErrors).toEqual({
        name: ["Enter a name."],
        weeks: ["The number of weeks must be at most 52."],
        capacity: ["The capacity must be at least 1."],
      });
  });

  it("copies the programme of another cohort: the questionnaires that fit and the check-in settings", async () => {
    const em = await forkEm();
    const source = await makeCohort(em, { weeks: 8, coaches: [coach], checkIn: { metrics: ["weightKg", "sleepHours"], frequencyDays: 3 } });
    for (const week of [1, 2, 6, 7, 8]) await createQuestionnaire(em, source, week);
    const result = await createCohort(await forkEm(), asCoach(), input({ weeks: "6", copyFromCohortId: String(source.id) }));
    expect(result).toMatchObject({ ok: true, copied: { questionnaires: 3, checkIn: true } });
    if (!result.ok) return;
    const check = await forkEm();
    const bundles = await check.find(QuestionnaireBundle, { cohort: result.cohort.id }, { orderBy: { weekNumber: "asc" } });
    expect(bundles.map((b) => b.weekNumber)).toEqual([1, 2, 6]);
    expect(bundles[0]).toMatchObject({ title: "Week 1 check-in", questions: SAMPLE_QUESTIONS });
    expect(await check.findOne(CohortCheckInConfig, { cohort: result.cohort.id })).toMatchObject({ metrics: ["weightKg", "sleepHours"], frequencyDays: 3 });
    // The source is untouched.
    expect(await check.count(QuestionnaireBundle, { cohort: source.id })).toBe(5);
  });

  it("copies only from a cohort the coach runs (an admin: any)", async () => {
    const em = await forkEm();
    const theirs = await makeCohort(em, { coaches: [otherCoach], checkIn: { metrics: ["mood"], frequencyDays: 7 } });
    expect(await createCohort(await forkEm(), asCoach(), input({ copyFromCohortId: String(theirs.id) }))).toEqual({
      ok: false,
      fieldErrors: { copyFromCohortId: ["Choose a cohort to copy from the list."] },
    });
    const byAdmin = await createCohort(await forkEm(), asAdmin(), input({ coachIds: [String(coach.id)], copyFromCohortId: String(theirs.id) }));
    expect(byAdmin).toMatchObject({ ok: true, copied: { questionnaires: 0, checkIn: true } });
  });
});

describe("editing a cohort", () => {
  const edit = async (cohortId: number, fields: Record<string, string | string[]> = {}) => updateCohort(await forkEm(), cohortId, input(fields));

  it("saves the fields and replaces the plans", async () => {
    const em = await forkEm();
    const [a, b] = [await createPlan(em, { type: "PACK" }), await createPlan(em, { type: "PACK" })];
    const cohort = await makeCohort(em, { plans: [a], coaches: [coach] });
    const result = await edit(cohort.id, { name: "Renamed", weeks: "8", capacity: "20", planIds: [String(b.id)] });
    expect(result).toMatchObject({ ok: true, cohort: { name: "Renamed", weeks: 8, capacity: 20 } });
    expect((await (await forkEm()).find(CohortPlan, { cohort: cohort.id })).map((p) => p.plan.id)).toEqual([b.id]);
  });

  it("keeps a capacity at or above the members, and a length that covers every questionnaire", async () => {
    const em = await forkEm();
    const cohort = await makeCohort(em, { weeks: 8, capacity: 5, members: [await createUser(em), await createUser(em)] });
    await createQuestionnaire(em, cohort, 7);
    expect(await edit(cohort.id, { capacity: "1", weeks: "6" })).toEqual({
      ok: false,
      fieldErrors: {
        capacity: ["2 clients are members, so the capacity cannot go below 2."],
        weeks: ["Week 7 has a questionnaire, so the programme needs at least 7 weeks. Delete that week's questionnaire first to make it shorter."],
      },
    });
    expect(await edit(cohort.id, { capacity: "2", weeks: "7" })).toMatchObject({ ok: true });
  });

  it("refuses an archived cohort, and answers null for a missing one", async () => {
    const cohort = await makeCohort(await forkEm(), { status: "ARCHIVED" });
    expect(await edit(cohort.id)).toEqual(refused(`“${cohort.name}” is archived and can no longer be changed.`));
    expect(await edit(2_000_000_000)).toBeNull();
  });
});

describe("the status", () => {
  it("moves forward one step at a time, and a stale button moves nothing", async () => {
    const cohort = await makeCohort(await forkEm(), { status: "DRAFT" });
    expect(await advanceCohortStatus(await forkEm(), cohort.id, "COMPLETED")).toEqual(
      refused(`“${cohort.name}” is draft now, so it cannot move to completed.`),
    );
    expect(await advanceCohortStatus(await forkEm(), cohort.id, "ACTIVE")).toMatchObject({ ok: true, from: "DRAFT", to: "ACTIVE", completedMembers: 0 });
    expect(await advanceCohortStatus(await forkEm(), cohort.id, "ACTIVE")).toEqual(refused(`“${cohort.name}” is active now, so it cannot move to active.`));
    expect(await advanceCohortStatus(await forkEm(), cohort.id, "COMPLETED")).toMatchObject({ ok: true, to: "COMPLETED" });
    expect(await advanceCohortStatus(await forkEm(), cohort.id, "ARCHIVED")).toMatchObject({ ok: true, to: "ARCHIVED" });
    expect(await advanceCohortStatus(await forkEm(), cohort.id, "ARCHIVED")).toEqual(refused(`“${cohort.name}” is archived: there is no further step.`));
  });

  it("completing a cohort completes its active members and frees them for another cohort", async () => {
    const em = await forkEm();
    const [stays, left] = [await createUser(em), await createUser(em)];
    const cohort = await makeCohort(em, { members: [stays] });
    await makeMember(em, cohort, left, "LEFT");
    const next = await makeCohort(em, { status: "DRAFT" });
    expect(await addCohortMember(await forkEm(), { cohortId: next.id, client: { userId: stays.id }, addedById: coach.id })).toEqual(
      refused(`${stays.name} is already in the active cohort “${cohort.name}”.`),
    );

    expect(await advanceCohortStatus(await forkEm(), cohort.id, "COMPLETED")).toMatchObject({ ok: true, completedMembers: 1 });
    expect(await statusOf(cohort.id, stays.id)).toBe("COMPLETED");
    expect(await statusOf(cohort.id, left.id)).toBe("LEFT");
    expect(await addCohortMember(await forkEm(), { cohortId: next.id, client: { userId: stays.id }, addedById: coach.id })).toMatchObject({ ok: true });
  });
});

describe("coaches", () => {
  it("adds a coach once, and keeps at least one", async () => {
    const cohort = await makeCohort(await forkEm(), { coaches: [coach] });
    expect(await addCohortCoach(await forkEm(), cohort.id, otherCoach.id)).toMatchObject({ ok: true, coach: { id: otherCoach.id } });
    expect(await addCohortCoach(await forkEm(), cohort.id, otherCoach.id)).toEqual(refused(`${otherCoach.name} already coaches “${cohort.name}”.`));
    const client = await createUser(await forkEm());
    expect(await addCohortCoach(await forkEm(), cohort.id, client.id)).toEqual({ ok: false, fieldErrors: { coachId: ["Choose a coach from the list."] } });

    expect(await removeCohortCoach(await forkEm(), cohort.id, coach.id)).toMatchObject({ ok: true });
    expect(await removeCohortCoach(await forkEm(), cohort.id, otherCoach.id)).toEqual(
      refused(`${otherCoach.name} is the only coach of “${cohort.name}”: add another coach first.`),
    );
    expect(await (await forkEm()).count(CoachCohortMembership, { cohort: cohort.id })).toBe(1);
  });

  it("never leaves a cohort without a coach when two removals race", async () => {
    const cohort = await makeCohort(await forkEm(), { coaches: [coach, otherCoach] });
    const results = await Promise.all([removeCohortCoach(await forkEm(), cohort.id, coach.id), removeCohortCoach(await forkEm(), cohort.id, otherCoach.id)]);
    expect(results.filter((r) => r?.ok)).toHaveLength(1);
    expect(await (await forkEm()).count(CoachCohortMembership, { cohort: cohort.id })).toBe(1);
  });
});

describe("members added by a coach", () => {
  const add = async (cohortId: number, client: { userId?: number; email?: string }) =>
    addCohortMember(await forkEm(), { cohortId, client, addedById: coach.id });

  it("adds a client by email (any case) and records who added them", async () => {
    const em = await forkEm();
    const client = await createUser(em);
    const cohort = await makeCohort(em);
    expect(await add(cohort.id, { email: client.email.toUpperCase() })).toMatchObject({ ok: true, member: { id: client.id } });
    const row = await (await forkEm()).findOneOrFail(CohortMembership, { cohort: cohort.id, user: client.id });
    expect(row).toMatchObject({ status: "ACTIVE", leftAt: null });
    expect(row.addedBy?.id).toBe(coach.id);
    expect(await add(cohort.id, { userId: client.id })).toEqual(refused(`${client.name} is already in “${cohort.name}”.`));
  });

  it("refuses an unknown email, a coach, a full cohort and a finished one", async () => {
    const em = await forkEm();
    const cohort = await makeCohort(em, { capacity: 1, members: [await createUser(em)] });
    const client = await createUser(em);
    expect(await add(cohort.id, { email: "nobody@factory.test" })).toEqual(refused("Nobody has the email address nobody@factory.test."));
    expect(await add(cohort.id, { userId: otherCoach.id })).toEqual(refused(`${otherCoach.name} is not a client: only clients can be members of a cohort.`));
    expect(await add(cohort.id, { userId: client.id })).toEqual(refused(`“${cohort.name}” is full (1 place).`));
    const done = await makeCohort(em, { status: "COMPLETED" });
    expect(await add(done.id, { userId: client.id })).toEqual(refused(`“${done.name}” is completed, so nobody can join it.`));
    expect(await add(2_000_000_000, { userId: client.id })).toBeNull();
  });

  it("refuses a client who is already in another active cohort, naming it", async () => {
    const em = await forkEm();
    const client = await createUser(em);
    const first = await makeCohort(em, { status: "DRAFT", members: [client] });
    const second = await makeCohort(em);
    expect(await add(second.id, { userId: client.id })).toEqual(refused(`${client.name} is already in the active cohort “${first.name}”.`));
    expect(await (await forkEm()).count(CohortMembership, { user: client.id })).toBe(1);
  });

  it("removes a member (LEFT, with the time), who can be added again on the same row", async () => {
    const em = await forkEm();
    const client = await createUser(em);
    const cohort = await makeCohort(em, { members: [client] });
    const other = await makeCohort(em);
    const removed = await removeCohortMember(await forkEm(), { cohortId: cohort.id, userId: client.id });
    expect(removed).toMatchObject({ ok: true, member: { id: client.id } });
    const row = await (await forkEm()).findOneOrFail(CohortMembership, { cohort: cohort.id, user: client.id });
    expect(row.status).toBe("LEFT");
    expect(row.leftAt).toBeInstanceOf(Date);
    expect(await removeCohortMember(await forkEm(), { cohortId: cohort.id, userId: client.id })).toEqual(
      refused(`That client is not an active member of “${cohort.name}”.`),
    );
    // Free for another cohort now, and back into this one after that.
    expect(await add(other.id, { userId: client.id })).toMatchObject({ ok: true });
    expect(await removeCohortMember(await forkEm(), { cohortId: other.id, userId: client.id })).toMatchObject({ ok: true });
    expect(await add(cohort.id, { userId: client.id })).toMatchObject({ ok: true });
    const rows = await (await forkEm()).find(CohortMembership, { cohort: cohort.id, user: client.id });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "ACTIVE", leftAt: null });
  });
});

describe("clients joining themselves", () => {
  const join = async (cohortId: number, user: { id: number }) => joinCohort(await forkEm(), { cohortId, userId: user.id });

  it("joins a free cohort while registration is open, and not before or after", async () => {
    const em = await forkEm();
    const client = await createUser(em);
    const notYet = await makeCohort(em, { isFree: true, registrationOpensOn: addDays(today(), 1) });
    const over = await makeCohort(em, { isFree: true, registrationOpensOn: addDays(today(), -10), registrationClosesOn: addDays(today(), -1) });
    const byCoach = await makeCohort(em, { isFree: true, registrationOpensOn: null });
    expect((await join(notYet.id, client)) as object).toMatchObject({ ok: false, formError: expect.stringMatching(/^Registration for “.*” opens on /) });
    expect(await join(over.id, client)).toEqual(refused(`Registration for “${over.name}” is closed.`));
    expect(await join(byCoach.id, client)).toEqual(refused(`“${byCoach.name}” is not open to self-registration: ask a coach to add you.`));

    const open = await makeCohort(em, { isFree: true, registrationOpensOn: today(), registrationClosesOn: today() });
    expect(await join(open.id, client)).toMatchObject({ ok: true, cohort: { id: open.id } });
    const row = await (await forkEm()).findOneOrFail(CohortMembership, { cohort: open.id, user: client.id });
    expect(row).toMatchObject({ status: "ACTIVE", addedBy: null });
    expect(await join(open.id, client)).toEqual(refused(`You are already in “${open.name}”.`));
  });

  it("needs a membership of one of the cohort's plans that is active today", async () => {
    const em = await forkEm();
    const kickstarter = await createPlan(em, { type: "PREPAID", name: `Kickstarter ${Date.now()}` });
    const other = await createPlan(em, { type: "PACK" });
    const cohort = await makeCohort(em, { plans: [kickstarter] });
    const needs = refused(`Joining “${cohort.name}” needs the ${kickstarter.name} plan.`);

    const nothing = await createUser(em);
    expect(await join(cohort.id, nothing)).toEqual(needs);
    const wrongPlan = await createUser(em);
    await createMembership(em, { user: wrongPlan, plan: other, startDate: addDays(today(), -3) });
    expect(await join(cohort.id, wrongPlan)).toEqual(needs);
    const expired = await createUser(em);
    await createMembership(em, { user: expired, plan: kickstarter, startDate: addDays(today(), -40), endDate: addDays(today(), -1) });
    expect(await join(cohort.id, expired)).toEqual(needs);
    const future = await createUser(em);
    await createMembership(em, { user: future, plan: kickstarter, startDate: addDays(today(), 1) });
    expect(await join(cohort.id, future)).toEqual(needs);
    const cancelled = await createUser(em);
    await createMembership(em, { user: cancelled, plan: kickstarter, startDate: addDays(today(), -3), status: "CANCELLED" });
    expect(await join(cohort.id, cancelled)).toEqual(needs);

    const holder = await createUser(em);
    await createMembership(em, { user: holder, plan: kickstarter, startDate: addDays(today(), -3), endDate: today() });
    expect(await join(cohort.id, holder)).toMatchObject({ ok: true });
  });

  it("is refused to a coach, and when the client is in another active cohort or the cohort is full", async () => {
    const em = await forkEm();
    expect(await join((await makeCohort(em, { isFree: true })).id, coach)).toEqual(refused("Only clients can join a cohort."));
    const client = await createUser(em);
    const first = await makeCohort(em, { isFree: true, members: [client] });
    expect(await join((await makeCohort(em, { isFree: true })).id, client)).toEqual(refused(`You are already in the active cohort “${first.name}”.`));
    const full = await makeCohort(em, { isFree: true, capacity: 1, members: [await createUser(em)] });
    expect(await join(full.id, await createUser(em))).toEqual(refused(`“${full.name}” is full (1 place).`));
  });

  it("leaves a cohort and rejoins on the same row", async () => {
    const em = await forkEm();
    const client = await createUser(em);
    const cohort = await makeCohort(em, { isFree: true });
    expect(await join(cohort.id, client)).toMatchObject({ ok: true });
    expect(await leaveCohort(await forkEm(), { cohortId: cohort.id, userId: client.id })).toMatchObject({ ok: true, cohort: { id: cohort.id } });
    expect(await statusOf(cohort.id, client.id)).toBe("LEFT");
    expect(await leaveCohort(await forkEm(), { cohortId: cohort.id, userId: client.id })).toEqual(refused(`You are not a member of “${cohort.name}”.`));
    expect(await join(cohort.id, client)).toMatchObject({ ok: true });
    expect(await (await forkEm()).count(CohortMembership, { cohort: cohort.id, user: client.id })).toBe(1);
    expect(await statusOf(cohort.id, client.id)).toBe("ACTIVE");
  });
});
