import { beforeEach, describe, expect, it } from "vitest";
import { User } from "~/modules/auth/auth.entities.server";
import { ClassType, Session, Venue } from "~/modules/sessions/sessions.entities.server";
import { addDays, localDateOf, localTimeOf, mondayOf, todayIn, weekdayOf, type LocalDate } from "~/utils/time";
import { seed } from "../../db/seed";
import { DEMO_VENUE, seedTimetable, TIMETABLE_WEEKS, WEEKLY_TIMETABLE } from "../../db/seeders/timetable";
import { forkEm, testDatabaseUrl } from "../support/db";

const ZONE = "Europe/London";
const PER_WEEK = WEEKLY_TIMETABLE.length;
const JANUARY = new Date("2026-01-07T12:00:00Z"); // a Wednesday: the weeks run from Mon 5 January 2026
const OCTOBER = new Date("2026-10-21T12:00:00Z"); // a Wednesday: the weeks run from Mon 19 October 2026

type Row = { classType: string; coachEmail: string; start: Date; end: Date };

async function allSessions(): Promise<Row[]> {
  const em = await forkEm();
  const sessions = await em.find(Session, {}, { populate: ["classType", "coach"], orderBy: { startTime: "asc" } });
  return sessions.map((s) => ({ classType: s.classType!.name, coachEmail: s.coach.email, start: s.startTime, end: s.endTime }));
}

function sessionsInWeek(rows: Row[], monday: LocalDate) {
  return rows.filter((r) => mondayOf(localDateOf(r.start, ZONE)) === monday);
}

/** The week's sessions as "HIIT 1 06:30" keys, against the timetable's. */
function expectWeekMatchesTimetable(rows: Row[], monday: LocalDate) {
  const week = sessionsInWeek(rows, monday);
  expect(week, `week of ${monday}`).toHaveLength(PER_WEEK);
  expect(week.filter((r) => r.classType === "HIIT")).toHaveLength(37);
  expect(week.filter((r) => r.classType === "CORE")).toHaveLength(9);
  const actual = week.map((r) => `${r.classType} ${weekdayOf(localDateOf(r.start, ZONE))} ${localTimeOf(r.start, ZONE)}`).sort();
  const expected = WEEKLY_TIMETABLE.map((s) => `${s.classType} ${s.weekday} ${s.time}`).sort();
  expect(actual).toEqual(expected);
}

async function clearSessions() {
  await (await forkEm()).nativeDelete(Session, {});
}

describe("the weekly timetable data", () => {
  it("has 37 HIIT and 9 CORE classes, none on Sunday", () => {
    expect(WEEKLY_TIMETABLE).toHaveLength(46);
    expect(WEEKLY_TIMETABLE.filter((s) => s.classType === "HIIT")).toHaveLength(37);
    expect(WEEKLY_TIMETABLE.filter((s) => s.classType === "CORE")).toHaveLength(9);
    expect(WEEKLY_TIMETABLE.some((s) => s.weekday === 7)).toBe(false);
    expect(new Set(WEEKLY_TIMETABLE.map((s) => `${s.classType} ${s.weekday} ${s.time}`)).size).toBe(46);
  });
});

describe("timetable seed", () => {
  // The users (and settings) come from the full seed; each test then starts from its own sessions.
  beforeEach(async () => {
    await seed(testDatabaseUrl());
    await clearSessions();
  });

  it("is part of the demo seed: the venue, two class types and 26 weeks from this week, and a second run adds nothing", async () => {
    await seed(testDatabaseUrl());
    const before = await allSessions();
    await seed(testDatabaseUrl());
    const after = await allSessions();
    expect(after).toHaveLength(before.length);
    expect(after).toHaveLength(TIMETABLE_WEEKS * PER_WEEK);

    const em = await forkEm();
    expect(await em.findOne(Venue, { name: DEMO_VENUE.name })).toMatchObject({ address: DEMO_VENUE.address });
    expect(await em.count(Venue)).toBe(1);
    // The membership seed adds "Sports Massage", which has no timetable.
    const types = await em.find(ClassType, { name: { $in: ["HIIT", "CORE"] } }, { orderBy: { name: "asc" } });
    expect(types.map((t) => [t.name, t.defaultDurationMins, t.defaultCapacity, t.bookingOpensDaysBefore, t.bookingClosesMinutesBefore])).toEqual([
      ["CORE", 25, 15, null, null],
      ["HIIT", 25, 10, null, null],
    ]);
    const first = mondayOf(todayIn(ZONE));
    expectWeekMatchesTimetable(after, first);
    expectWeekMatchesTimetable(after, addDays(first, 7 * (TIMETABLE_WEEKS - 1)));
  });

  it("fills 26 weeks of 46 classes at the timetable's local times, across the spring clock change", async () => {
    const em = await forkEm();
    expect(await seedTimetable(em, JANUARY)).toEqual({ created: TIMETABLE_WEEKS * PER_WEEK, skipped: 0 });
    const rows = await allSessions();
    expect(rows).toHaveLength(TIMETABLE_WEEKS * PER_WEEK);
    for (let week = 0; week < TIMETABLE_WEEKS; week++) expectWeekMatchesTimetable(rows, addDays("2026-01-05", 7 * week));
    expect(mondayOf(localDateOf(rows[0].start, ZONE))).toBe("2026-01-05");
    expect(mondayOf(localDateOf(rows[rows.length - 1].start, ZONE))).toBe(addDays("2026-01-05", 7 * (TIMETABLE_WEEKS - 1)));

    // Clocks go forward on Sunday 29 March 2026: 06:30 is GMT the Monday before, BST the Monday after.
    const starts = new Set(rows.map((r) => r.start.toISOString()));
    expect(starts.has("2026-03-23T06:30:00.000Z")).toBe(true);
    expect(starts.has("2026-03-30T05:30:00.000Z")).toBe(true);
    expect(starts.has("2026-03-28T08:45:00.000Z")).toBe(true); // Sat 28 March 08:45 GMT
    expect(starts.has("2026-04-04T07:45:00.000Z")).toBe(true); // Sat 4 April 08:45 BST

    // Each class lasts its class type's 25 minutes and carries the seed's details.
    expect(rows.every((r) => r.end.getTime() - r.start.getTime() === 25 * 60_000)).toBe(true);
    const sample = await (await forkEm()).findOneOrFail(Session, { startTime: new Date("2026-03-30T05:30:00.000Z") }, { populate: ["classType"] });
    expect(sample).toMatchObject({
      title: "HIIT",
      maxOccupancy: 10,
      location: DEMO_VENUE.name,
      status: "SCHEDULED",
      bookingOpensDaysBefore: 14,
      bookingClosesMinutesBefore: 0,
    });

    expect(await seedTimetable(await forkEm(), JANUARY)).toEqual({ created: 0, skipped: TIMETABLE_WEEKS * PER_WEEK });
    expect(await allSessions()).toHaveLength(TIMETABLE_WEEKS * PER_WEEK);
  });

  it("keeps local times across the autumn clock change", async () => {
    await seedTimetable(await forkEm(), OCTOBER);
    const rows = await allSessions();
    for (let week = 0; week < TIMETABLE_WEEKS; week++) expectWeekMatchesTimetable(rows, addDays("2026-10-19", 7 * week));
    // Clocks go back on Sunday 25 October 2026.
    const starts = new Set(rows.map((r) => r.start.toISOString()));
    expect(starts.has("2026-10-19T05:30:00.000Z")).toBe(true);
    expect(starts.has("2026-10-24T07:45:00.000Z")).toBe(true); // Sat 24 October 08:45 BST
    expect(starts.has("2026-10-26T06:30:00.000Z")).toBe(true);
    expect(starts.has("2026-10-31T08:45:00.000Z")).toBe(true); // Sat 31 October 08:45 GMT
  });

  it("run again weeks later only adds the new weeks, never a second class in a slot", async () => {
    await seedTimetable(await forkEm(), JANUARY);
    const original = await allSessions();
    const later = new Date("2026-01-28T09:00:00Z"); // three weeks on: Mon 26 January
    expect(await seedTimetable(await forkEm(), later)).toEqual({ created: 3 * PER_WEEK, skipped: (TIMETABLE_WEEKS - 3) * PER_WEEK });
    const rows = await allSessions();
    expect(rows).toHaveLength((TIMETABLE_WEEKS + 3) * PER_WEEK);
    for (let week = 0; week < TIMETABLE_WEEKS + 3; week++) expectWeekMatchesTimetable(rows, addDays("2026-01-05", 7 * week));
    // The sessions already there keep their coaches.
    const byStart = new Map(rows.map((r) => [`${r.classType}@${r.start.toISOString()}`, r.coachEmail]));
    for (const r of original) expect(byStart.get(`${r.classType}@${r.start.toISOString()}`)).toBe(r.coachEmail);
  });

  it("skips a slot that already has its class, whoever coaches it", async () => {
    const em = await forkEm();
    await seedTimetable(em, JANUARY);
    // Hand one class to Conor; a rerun must not give the slot back to its seeded coach as a second class.
    const conor = await em.findOneOrFail(User, { email: "conor@centurion.test" });
    const moved = await em.findOneOrFail(Session, { startTime: new Date("2026-03-30T05:30:00.000Z") });
    moved.coach = conor;
    await em.flush();
    expect((await seedTimetable(await forkEm(), JANUARY)).created).toBe(0);
    expect(await (await forkEm()).count(Session, { startTime: new Date("2026-03-30T05:30:00.000Z") })).toBe(1);
  });

  it("deals the classes to Gav, Rory, Clare and Josh by weight, deterministically, and none to Conor or Jacki", async () => {
    await seedTimetable(await forkEm(), JANUARY);
    const first = await allSessions();
    const count = (email: string) => first.filter((r) => r.coachEmail === email).length;
    const [gav, rory, clare, josh] = ["gav", "rory", "clare", "josh"].map((name) => count(`${name}@centurion.test`));
    expect(gav).toBeGreaterThan(rory);
    expect(rory).toBeGreaterThan(clare);
    expect(clare).toBeGreaterThan(josh);
    expect(josh).toBeGreaterThan(0);
    expect(count("conor@centurion.test")).toBe(0);
    expect(count("jacki@centurion.test")).toBe(0);
    expect(gav + rory + clare + josh).toBe(TIMETABLE_WEEKS * PER_WEEK);

    await clearSessions();
    await seedTimetable(await forkEm(), JANUARY);
    const second = await allSessions();
    expect(second.map((r) => `${r.start.toISOString()} ${r.classType} ${r.coachEmail}`)).toEqual(
      first.map((r) => `${r.start.toISOString()} ${r.classType} ${r.coachEmail}`),
    );
  });
});
