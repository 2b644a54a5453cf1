// "My clients" (issue 12, PRD section 12): the coach's clients are exactly the union of the members of the
// cohorts they run and the clients booked into their sessions; search, sort, pages, memberships and usage.
import { describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { isMyClient, listMyClients, CLIENTS_PAGE_SIZE } from "~/modules/coaching/clients.service.server";
import type { ClientSearch } from "~/modules/coaching/clients.schema";
import { addDays } from "~/utils/time";
import { forkEm } from "../support/db";
import { addCohortMember, createCohort, createEntry, createQuestionnaire, createResponse, thisMonday } from "../support/cohort-factories";
import { createMembership, createPlan, createRegistration, createSession, createUser, uniqueName } from "../support/factories";
import type { RegistrationStatus } from "~/modules/booking/booking.entities.server";

const DAY = 86_400_000;
const viewerOf = (user: IUser) => ({ id: user.id, role: user.role });

async function list(viewer: IUser, search: ClientSearch = {}) {
  return listMyClients(await forkEm(), viewerOf(viewer), search);
}
const names = (result: Awaited<ReturnType<typeof list>>) => result.clients.map((c) => c.name);

/** A session of `coach` that started `daysAgo` days ago (negative: in the future), with the given bookings. */
async function sessionOf(coach: IUser, daysAgo: number, bookings: [IUser, RegistrationStatus][] = []) {
  const em = await forkEm();
  const session = await createSession(em, { coach, start: new Date(Date.now() - daysAgo * DAY), capacity: 20 });
  for (const [user, status] of bookings) await createRegistration(em, { session, user, status });
  return session;
}

describe("the coach's clients", () => {
  it("are exactly the members of their cohorts and the clients booked into their sessions, each once", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const otherCoach = await createUser(em, { role: "COACH" });
    const client = (prefix: string) => createUser(em, { name: uniqueName(prefix) });
    const [neither, cohortOnly, classOnly, both, lateCancel, noShow, waitlisted, cancelled, left, completed, othersMember] = [
      await client("Neither"),
      await client("Cohort only"),
      await client("Class only"),
      await client("Both"),
      await client("Late cancel"),
      await client("No show"),
      await client("Waitlisted"),
      await client("Cancelled"),
      await client("Left"),
      await client("Completed"),
      await client("Other coach's member"),
    ];
    const cohort = await createCohort(em, { name: uniqueName("Challenge"), coaches: [coach], members: [cohortOnly, both] });
    await addCohortMember(em, cohort, left, "LEFT");
    const finished = await createCohort(em, {
      name: uniqueName("Old cohort"),
      startDate: addDays(thisMonday(), -70),
      weeks: 4,
      status: "COMPLETED",
      coaches: [coach],
    });
    await addCohortMember(em, finished, completed, "COMPLETED");
    await createCohort(em, { coaches: [otherCoach], members: [othersMember] });
    await sessionOf(coach, 2, [
      [classOnly, "ATTENDED"],
      [both, "REGISTERED"],
      [lateCancel, "LATE_CANCELLED"],
      [noShow, "NO_SHOW"],
      [waitlisted, "WAITLISTED"],
      [cancelled, "CANCELLED"],
    ]);
    await sessionOf(otherCoach, 3, [
      [neither, "ATTENDED"],
      [left, "ATTENDED"],
    ]);

    const mine = await list(coach);
    expect(names(mine).sort()).toEqual([cohortOnly, classOnly, both, lateCancel, noShow, completed].map((u) => u.name).sort());
    expect(mine.total).toBe(6);
    const row = (user: IUser) => mine.clients.find((c) => c.id === user.id)!;
    expect(row(both)).toMatchObject({ inClasses: true, cohorts: [{ id: cohort.id, name: cohort.name, status: "ACTIVE" }] });
    expect(row(cohortOnly)).toMatchObject({ inClasses: false, cohorts: [{ id: cohort.id }] });
    expect(row(classOnly)).toMatchObject({ inClasses: true, cohorts: [] });
    expect(row(completed)).toMatchObject({ inClasses: false, cohorts: [{ id: finished.id, status: "COMPLETED" }] });

    // The other coach's clients are theirs, not this coach's.
    expect(names(await list(otherCoach)).sort()).toEqual([neither, left, othersMember].map((u) => u.name).sort());
    for (const user of [neither, waitlisted, cancelled, left, othersMember]) expect(await isMyClient(await forkEm(), viewerOf(coach), user.id)).toBe(false);
    for (const user of [cohortOnly, classOnly, both]) expect(await isMyClient(await forkEm(), viewerOf(coach), user.id)).toBe(true);
    // A coach is never their own client, nor is another coach.
    expect(await isMyClient(await forkEm(), viewerOf(coach), otherCoach.id)).toBe(false);

    // An admin sees every client, with all their cohorts.
    const admin = await createUser(em, { role: "ADMIN" });
    for (const user of [neither, waitlisted, cancelled, left, othersMember, both]) {
      const found = await list(admin, { q: user.name });
      expect(names(found)).toEqual([user.name]);
      expect(await isMyClient(await forkEm(), viewerOf(admin), user.id)).toBe(true);
    }
    expect((await list(admin, { q: both.name })).clients[0]).toMatchObject({ inClasses: true, cohorts: [{ id: cohort.id }] });
    expect((await list(admin, { q: waitlisted.name })).clients[0]).toMatchObject({ inClasses: false, cohorts: [] });
    expect(await isMyClient(await forkEm(), viewerOf(admin), coach.id)).toBe(false);
  });

  it("are found by name or email in any case, and a search's wildcards are taken literally", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const ann = await createUser(em, { name: uniqueName("Annabel Quince") });
    const bob = await createUser(em, { name: uniqueName("Bob Marsh"), email: `${uniqueName("rob").replace(/\W+/g, ".")}@Example.test` });
    await createCohort(em, { coaches: [coach], members: [ann, bob] });

    expect(names(await list(coach, { q: "annabel quince" }))).toEqual([ann.name]);
    expect(names(await list(coach, { q: "EXAMPLE.TEST" }))).toEqual([bob.name]);
    expect(names(await list(coach, { q: "%" }))).toEqual([]);
    expect(names(await list(coach, { q: "_" }))).toEqual([]);
    expect((await list(coach, { q: "nobody-at-all" })).total).toBe(0);
  });

  it("sort by name, last attended, attendance over four weeks and cohort compliance, either way", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const anna = await createUser(em, { name: uniqueName("Anna") });
    const bert = await createUser(em, { name: uniqueName("Bert") });
    const cara = await createUser(em, { name: uniqueName("Cara") });
    // Anna: 2 of 2 in the last four weeks, last yesterday. Bert: 1 of 3, last ten days ago (and a class
    // five weeks ago, outside the four weeks). Cara: no classes.
    await sessionOf(coach, 1, [[anna, "ATTENDED"]]);
    await sessionOf(coach, 3, [
      [anna, "ATTENDED"],
      [bert, "NO_SHOW"],
    ]);
    await sessionOf(coach, 10, [[bert, "ATTENDED"]]);
    await sessionOf(coach, 12, [[bert, "LATE_CANCELLED"]]);
    await sessionOf(coach, 35, [[bert, "ATTENDED"]]);
    await sessionOf(coach, -2, [[bert, "REGISTERED"]]); // in the future: not counted yet
    // A cohort in its second week: two check-ins and one questionnaire are due so far.
    const start = addDays(thisMonday(), -7);
    const cohort = await createCohort(em, { startDate: start, coaches: [coach], members: [anna, cara], checkIn: { metrics: ["weightKg"], frequencyDays: 7 } });
    const week1 = await createQuestionnaire(em, cohort, 1);
    await createEntry(em, { user: anna, date: addDays(start, 1), weightKg: 80 });
    await createEntry(em, { user: cara, date: addDays(start, 1), weightKg: 70 });
    await createEntry(em, { user: cara, date: thisMonday(), weightKg: 69.5 });
    await createResponse(em, { bundle: week1, user: cara });

    const all = await list(coach);
    const row = (user: IUser) => all.clients.find((c) => c.id === user.id)!;
    expect(row(anna)).toMatchObject({ attendance: { attended: 2, booked: 2 }, compliance: { cohortId: cohort.id, week: 2 } });
    expect(row(anna).compliance).toMatchObject({
      checkIns: { done: 1, due: 2 },
      questionnaires: { done: 0, due: 1 },
      labels: { checkIns: "1/2", questionnaires: "0/1" },
    });
    expect(row(bert)).toMatchObject({ attendance: { attended: 1, booked: 3 }, compliance: null, cohorts: [], inClasses: true });
    expect(row(cara)).toMatchObject({ attendance: { attended: 0, booked: 0 }, lastAttended: null, inClasses: false });
    expect(row(cara).compliance).toMatchObject({ checkIns: { done: 2, due: 2 }, questionnaires: { done: 1, due: 1 } });
    expect(row(anna).lastAttended! > row(bert).lastAttended!).toBe(true);

    const order = async (search: ClientSearch) => (await list(coach, search)).clients.map((c) => c.id);
    expect(await order({})).toEqual([anna.id, bert.id, cara.id]);
    expect(await order({ sort: "name", dir: "desc" })).toEqual([cara.id, bert.id, anna.id]);
    expect(await order({ sort: "lastAttended" })).toEqual([anna.id, bert.id, cara.id]);
    expect(await order({ sort: "lastAttended", dir: "asc" })).toEqual([cara.id, bert.id, anna.id]);
    expect(await order({ sort: "attendance" })).toEqual([bert.id, anna.id, cara.id]);
    expect(await order({ sort: "attendance", dir: "desc" })).toEqual([anna.id, bert.id, cara.id]);
    expect(await order({ sort: "compliance" })).toEqual([anna.id, cara.id, bert.id]);
    expect(await order({ sort: "compliance", dir: "desc" })).toEqual([cara.id, anna.id, bert.id]);
  });

  it("come a page at a time, in every sort", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const clients: IUser[] = [];
    for (let i = 0; i < CLIENTS_PAGE_SIZE + 2; i++) clients.push(await createUser(em, { name: uniqueName(`Paged ${String(i).padStart(2, "0")}`) }));
    await createCohort(em, { coaches: [coach], members: clients });
    for (const sort of ["name", "lastAttended", "attendance", "compliance"] as const) {
      const first = await list(coach, { sort });
      const second = await list(coach, { sort, page: 2 });
      expect(first).toMatchObject({ total: CLIENTS_PAGE_SIZE + 2, page: 1, pageCount: 2 });
      expect(first.clients).toHaveLength(CLIENTS_PAGE_SIZE);
      expect(second.clients).toHaveLength(2);
      expect(new Set([...first.clients, ...second.clients].map((c) => c.id)).size).toBe(CLIENTS_PAGE_SIZE + 2);
    }
    expect((await list(coach, { page: 3 })).clients).toEqual([]);
  });

  it("show each current membership with its usage", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const client = await createUser(em);
    const today = new Date().toISOString().slice(0, 10);
    const recurring = await createPlan(em, { type: "RECURRING", name: uniqueName("Committed"), sessionsPerWeek: 3 });
    const pack = await createPlan(em, { type: "PACK", name: uniqueName("Ten pack"), totalSessions: 10 });
    const expired = await createPlan(em, { type: "PREPAID", name: uniqueName("Old pass"), durationDays: 7 });
    const monthly = await createMembership(em, { user: client, plan: recurring, startDate: addDays(today, -40) });
    await createMembership(em, { user: client, plan: pack, startDate: addDays(today, -10), sessionsRemaining: 5 });
    await createMembership(em, { user: client, plan: expired, startDate: addDays(today, -60) });
    const session = await createSession(em, { coach, start: new Date(Date.now() - 60_000) });
    await createRegistration(em, { session, user: client, membership: monthly });

    const [row] = (await list(coach)).clients;
    expect(row.memberships.map((m) => `${m.planName}: ${m.usageLabel}`)).toEqual([`${recurring.name}: 1 of 3 this week`, `${pack.name}: 5 sessions left`]);
    expect(row.memberships[0].usage).toMatchObject({ type: "recurring", used: 1, limit: 3 });
  });
});
