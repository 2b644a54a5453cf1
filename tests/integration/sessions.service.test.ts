import type { EntityManager } from "@mikro-orm/postgresql";
import { describe, expect, it } from "vitest";
import { SessionRegistration, type RegistrationStatus } from "~/modules/booking/booking.entities.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { Session, Venue } from "~/modules/sessions/sessions.entities.server";
import { RecurringFormSchema, SessionFormSchema, type RecurringInput, type SessionEditInput, type SessionInput } from "~/modules/sessions/sessions.schema";
import { calendar, getSessionDetail, listSessions } from "~/modules/sessions/session-views.server";
import { cancelSession, createSession, markAttendance, updateSession } from "~/modules/sessions/scheduling.service.server";
import { generateRecurring, planRecurring } from "~/modules/sessions/recurring.service.server";
import { SystemSettings } from "~/modules/settings/settings.entities.server";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { parseForm } from "~/utils/forms";
import { localDateOf, localTimeOf } from "~/utils/time";
import { forkEm } from "../support/db";
import * as factories from "../support/factories";

const ZONE = "Europe/London";
const NOW = new Date("2026-01-01T12:00:00Z");

// ---------- helpers ----------

const makeUser = async (role: "CLIENT" | "COACH" | "ADMIN" = "COACH", name?: string) =>
  factories.createUser(await forkEm(), { role, ...(name ? { name } : {}) });

const makeClassType = async (fields: factories.ClassTypeFields = {}) => factories.createClassType(await forkEm(), fields);

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  return data;
}

/** A new-session form as posted (blank fields included), through the schema. */
function sessionInput(fields: Record<string, string>): SessionInput {
  const blank = { classTypeId: "", coachId: "", cohortId: "", title: "", date: "", startTime: "", endTime: "", maxOccupancy: "", location: "", notes: "" };
  const parsed = parseForm(SessionFormSchema, form({ ...blank, ...fields }));
  if (!parsed.ok) throw new Error(`Test input does not parse: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.data;
}

function recurringInput(fields: Record<string, string | string[]>): RecurringInput {
  const parsed = parseForm(RecurringFormSchema, form({ cohortId: "", durationMins: "", maxOccupancy: "", location: "Studio", ...fields }));
  if (!parsed.ok) throw new Error(`Test input does not parse: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.data;
}

/**
 * Fixtures name a location unless a test is about the default one: with the location left blank
 * createSession and generateRecurring currently throw (see "defaults the location…" below).
 */
async function newSession(fields: Record<string, string>, now = NOW) {
  const result = await createSession(await forkEm(), sessionInput({ location: "Studio", ...fields }), now);
  if (!result.ok) throw new Error(`Could not create session: ${JSON.stringify(result)}`);
  return result.session;
}

const register = async (sessionId: number, userId: number, status: RegistrationStatus, extra: { waitlistPosition?: number; cancelledAt?: Date } = {}) =>
  factories.createRegistration(await forkEm(), {
    session: { id: sessionId },
    user: { id: userId },
    status,
    waitlistPosition: extra.waitlistPosition,
    cancelledAt: extra.cancelledAt ?? null,
  });

async function clients(n: number) {
  const list = [];
  for (let i = 0; i < n; i++) list.push(await makeUser("CLIENT"));
  return list;
}

function load(em: EntityManager, id: number) {
  return em.findOneOrFail(Session, id);
}

// ---------- createSession ----------

describe("createSession", () => {
  it("takes the title, capacity and duration from the class type when left blank", async () => {
    const coach = await makeUser();
    const type = await makeClassType({ name: "Spin", defaultCapacity: 16, defaultDurationMins: 45 });
    const session = await newSession({ classTypeId: String(type.id), coachId: String(coach.id), date: "2026-02-02", startTime: "18:00" });

    const stored = await load(await forkEm(), session.id);
    expect(stored).toMatchObject({ title: "Spin", maxOccupancy: 16, status: "SCHEDULED", location: "Studio", notes: null });
    expect(stored.startTime.toISOString()).toBe("2026-02-02T18:00:00.000Z");
    expect(stored.endTime.toISOString()).toBe("2026-02-02T18:45:00.000Z");
  });

  it("lets the form's own title, capacity and end time win", async () => {
    const coach = await makeUser();
    const type = await makeClassType({ defaultCapacity: 16, defaultDurationMins: 45 });
    const session = await newSession({
      classTypeId: String(type.id),
      coachId: String(coach.id),
      title: "Saturday Special",
      date: "2026-02-07",
      startTime: "09:15",
      endTime: "10:45",
      maxOccupancy: "30",
      location: "The park",
      notes: "Bring water",
    });
    const stored = await load(await forkEm(), session.id);
    expect(stored).toMatchObject({ title: "Saturday Special", maxOccupancy: 30, location: "The park", notes: "Bring water" });
    expect(localTimeOf(stored.startTime, ZONE)).toBe("09:15");
    expect(localTimeOf(stored.endTime, ZONE)).toBe("10:45");
  });

  it("creates a session without a class type from its title, with 12 places and an hour", async () => {
    const coach = await makeUser("ADMIN");
    const session = await newSession({ coachId: String(coach.id), title: "Open gym", date: "2026-02-03", startTime: "12:00" });
    const stored = await load(await forkEm(), session.id);
    expect(stored).toMatchObject({ title: "Open gym", maxOccupancy: 12, classType: null });
    expect(stored.endTime.getTime() - stored.startTime.getTime()).toBe(60 * 60_000);
  });

  it("refuses an unknown or inactive class type", async () => {
    const coach = await makeUser();
    const inactive = await makeClassType({ isActive: false });
    for (const classTypeId of ["999999", String(inactive.id)]) {
      const result = await createSession(
        await forkEm(),
        sessionInput({ classTypeId, coachId: String(coach.id), title: "X", date: "2026-02-04", startTime: "10:00" }),
        NOW,
      );
      expect(result, classTypeId).toMatchObject({ ok: false, fieldErrors: { classTypeId: ["Choose a class type from the list."] } });
    }
    expect(await (await forkEm()).count(Session, { coach: coach.id })).toBe(0);
  });

  it("refuses a client, or nobody, as the coach", async () => {
    const client = await makeUser("CLIENT");
    const type = await makeClassType();
    for (const coachId of [String(client.id), "999999"]) {
      const result = await createSession(await forkEm(), sessionInput({ classTypeId: String(type.id), coachId, date: "2026-02-04", startTime: "10:00" }), NOW);
      expect(result, coachId).toEqual({ ok: false, fieldErrors: { coachId: ["Choose a coach from the list."] }, formError: undefined });
    }
  });

  it("refuses a start in the past", async () => {
    const coach = await makeUser();
    const type = await makeClassType();
    const yesterday = await createSession(
      await forkEm(),
      sessionInput({ classTypeId: String(type.id), coachId: String(coach.id), date: "2025-12-31", startTime: "18:00" }),
      NOW,
    );
    expect(yesterday).toMatchObject({ ok: false, fieldErrors: { date: ["Choose a start time in the future."] } });
    // Earlier the same day counts as the past too (NOW is 12:00 in London).
    const thisMorning = await createSession(
      await forkEm(),
      sessionInput({ classTypeId: String(type.id), coachId: String(coach.id), date: "2026-01-01", startTime: "11:59" }),
      NOW,
    );
    expect(thisMorning).toMatchObject({ ok: false, fieldErrors: { date: ["Choose a start time in the future."] } });
  });

  it("refuses an end time that is not after the start", async () => {
    const coach = await makeUser();
    const result = await createSession(
      await forkEm(),
      sessionInput({ coachId: String(coach.id), title: "Backwards", date: "2026-02-05", startTime: "10:00", endTime: "09:00" }),
      NOW,
    );
    expect(result).toMatchObject({ ok: false, fieldErrors: { endTime: ["The end must be after the start."] } });
  });

  it("refuses a capacity of 0 in the schema", async () => {
    const parsed = parseForm(SessionFormSchema, form({ coachId: "1", title: "X", date: "2026-02-05", startTime: "10:00", maxOccupancy: "0" }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.fieldErrors).toEqual({ maxOccupancy: ["The capacity must be at least 1."] });
  });

  it("explains badly typed dates and times in the schema", () => {
    const parsed = parseForm(SessionFormSchema, form({ coachId: "", date: "05/02/2026", startTime: "25:00", endTime: "9am", classTypeId: "abc" }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.fieldErrors).toMatchObject({
        coachId: ["Choose a coach."],
        date: ["Enter the date as YYYY-MM-DD."],
        startTime: ["Enter the start time as HH:MM."],
        endTime: ["Enter the end time as HH:MM."],
        classTypeId: ["Choose a class type from the list."],
      });
    }
  });

  it("needs a title when there is no class type", async () => {
    const coach = await makeUser();
    const result = await createSession(await forkEm(), sessionInput({ coachId: String(coach.id), date: "2026-02-05", startTime: "10:00" }), NOW);
    expect(result).toEqual({ ok: false, fieldErrors: { title: ["Enter a title, or pick a class type."] }, formError: undefined });
  });

  it("copies the booking window from the class type, or else from the studio defaults (14 days, 0 minutes)", async () => {
    const coach = await makeUser();
    const own = await makeClassType({ bookingOpensDaysBefore: 3, bookingClosesMinutesBefore: 60 });
    const partly = await makeClassType({ bookingOpensDaysBefore: 0, bookingClosesMinutesBefore: null });
    const plain = await makeClassType();

    const a = await newSession({ classTypeId: String(own.id), coachId: String(coach.id), date: "2026-02-09", startTime: "07:00" });
    const b = await newSession({ classTypeId: String(partly.id), coachId: String(coach.id), date: "2026-02-09", startTime: "08:00" });
    const c = await newSession({ classTypeId: String(plain.id), coachId: String(coach.id), date: "2026-02-09", startTime: "09:00" });
    const d = await newSession({ coachId: String(coach.id), title: "No type", date: "2026-02-09", startTime: "10:00" });
    const em = await forkEm();
    expect(await load(em, a.id)).toMatchObject({ bookingOpensDaysBefore: 3, bookingClosesMinutesBefore: 60 });
    expect(await load(em, b.id)).toMatchObject({ bookingOpensDaysBefore: 0, bookingClosesMinutesBefore: 0 });
    expect(await load(em, c.id)).toMatchObject({ bookingOpensDaysBefore: 14, bookingClosesMinutesBefore: 0 });
    expect(await load(em, d.id)).toMatchObject({ bookingOpensDaysBefore: 14, bookingClosesMinutesBefore: 0 });
  });

  it("follows changed studio defaults", async () => {
    const coach = await makeUser();
    const plain = await makeClassType();
    try {
      await updateSettings(await forkEm(), { bookingOpensDaysBefore: 7, bookingClosesMinutesBefore: 120 });
      const session = await newSession({ classTypeId: String(plain.id), coachId: String(coach.id), date: "2026-02-10", startTime: "07:00" });
      expect(await load(await forkEm(), session.id)).toMatchObject({ bookingOpensDaysBefore: 7, bookingClosesMinutesBefore: 120 });
    } finally {
      await (await forkEm()).nativeDelete(SystemSettings, {});
    }
  });

  it("defaults the location to the first venue's name once there is one", async () => {
    const coach = await makeUser();
    const before = await newSession({ coachId: String(coach.id), title: "Nowhere yet", date: "2026-02-11", startTime: "07:00", location: "" });
    expect((await load(await forkEm(), before.id)).location).toBeNull();

    const em = await forkEm();
    em.create(Venue, { name: "Hitsona Bangor", address: "1 High Street" });
    await em.flush();
    em.create(Venue, { name: "Annex", address: "2 High Street" });
    await em.flush();
    try {
      const after = await newSession({ coachId: String(coach.id), title: "At the venue", date: "2026-02-11", startTime: "08:00", location: "" });
      expect((await load(await forkEm(), after.id)).location).toBe("Hitsona Bangor");
      const elsewhere = await newSession({ coachId: String(coach.id), title: "Outdoors", date: "2026-02-11", startTime: "09:00", location: "The beach" });
      expect((await load(await forkEm(), elsewhere.id)).location).toBe("The beach");
    } finally {
      await (await forkEm()).nativeDelete(Venue, {});
    }
  });

  it("refuses a duplicate (same class type, coach and start) with a form error", async () => {
    const coach = await makeUser();
    const type = await makeClassType();
    const fields = { classTypeId: String(type.id), coachId: String(coach.id), date: "2026-02-12", startTime: "18:00", location: "Studio" };
    await newSession(fields);
    const duplicate = await createSession(await forkEm(), sessionInput({ ...fields, title: "Another name" }), NOW);
    expect(duplicate).toEqual({ ok: false, fieldErrors: {}, formError: "This coach already has this class at that time." });
    expect(await (await forkEm()).count(Session, { classType: type.id, coach: coach.id })).toBe(1);

    // Another coach, or the same coach at another time, is fine.
    const other = await makeUser();
    await newSession({ ...fields, coachId: String(other.id) });
    await newSession({ ...fields, startTime: "19:00" });
  });
});

// ---------- the recurring generator ----------

describe("planRecurring and generateRecurring", () => {
  const MWF = { weekdays: ["1", "3", "5"], times: "06:30", from: "2026-01-05", to: "2026-06-30" };

  it("plans 76 Mon/Wed/Fri 06:30 sessions from 5 January to 30 June, all new", async () => {
    const coach = await makeUser();
    const type = await makeClassType({ defaultDurationMins: 45 });
    const plan = await planRecurring(await forkEm(), recurringInput({ ...MWF, classTypeId: String(type.id), coachId: String(coach.id) }), NOW);
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.counts).toEqual({ new: 76, exists: 0, past: 0 });
    expect(plan.coachName).toBe(coach.name);
    expect(plan.planned[0].date).toBe("2026-01-05");
    expect(plan.planned.at(-1)?.date).toBe("2026-06-29");
    expect(plan.planned.every((p) => p.time === "06:30")).toBe(true);
    // Planning writes nothing.
    expect(await (await forkEm()).count(Session, { coach: coach.id })).toBe(0);
  });

  it("creates 76 sessions at 06:30 London time across the March clock change, and a second run creates none", async () => {
    const coach = await makeUser();
    const type = await makeClassType({ name: "Early HIIT", defaultDurationMins: 45, defaultCapacity: 14, bookingOpensDaysBefore: 5 });
    const input = recurringInput({ ...MWF, classTypeId: String(type.id), coachId: String(coach.id) });

    expect(await generateRecurring(await forkEm(), input, NOW)).toEqual({ ok: true, created: 76, skipped: 0 });

    const sessions = await (await forkEm()).find(Session, { coach: coach.id }, { orderBy: { startTime: "asc" } });
    expect(sessions).toHaveLength(76);
    for (const s of sessions) {
      expect(localTimeOf(s.startTime, ZONE), s.startTime.toISOString()).toBe("06:30");
      expect(localTimeOf(s.endTime, ZONE)).toBe("07:15");
      expect(s).toMatchObject({ title: "Early HIIT", maxOccupancy: 14, status: "SCHEDULED", bookingOpensDaysBefore: 5, bookingClosesMinutesBefore: 0 });
    }
    expect(new Set(sessions.map((s) => localDateOf(s.startTime, ZONE))).size).toBe(76);
    // 06:30 GMT before the change, 06:30 BST (05:30 UTC) after it.
    const friday = sessions.find((s) => localDateOf(s.startTime, ZONE) === "2026-03-27");
    const monday = sessions.find((s) => localDateOf(s.startTime, ZONE) === "2026-03-30");
    expect(friday?.startTime.toISOString()).toBe("2026-03-27T06:30:00.000Z");
    expect(monday?.startTime.toISOString()).toBe("2026-03-30T05:30:00.000Z");

    expect(await generateRecurring(await forkEm(), input, NOW)).toEqual({ ok: true, created: 0, skipped: 76 });
    const replan = await planRecurring(await forkEm(), input, NOW);
    expect(replan.ok && replan.counts).toEqual({ new: 0, exists: 76, past: 0 });
    expect(await (await forkEm()).count(Session, { coach: coach.id })).toBe(76);
  });

  it("fills only the gaps when some of the sessions already exist", async () => {
    const coach = await makeUser();
    const type = await makeClassType();
    await newSession({ classTypeId: String(type.id), coachId: String(coach.id), date: "2026-03-30", startTime: "06:30" });
    const input = recurringInput({ ...MWF, classTypeId: String(type.id), coachId: String(coach.id) });
    const plan = await planRecurring(await forkEm(), input, NOW);
    expect(plan.ok && plan.counts).toEqual({ new: 75, exists: 1, past: 0 });
    expect(await generateRecurring(await forkEm(), input, NOW)).toEqual({ ok: true, created: 75, skipped: 1 });
  });

  it("creates each session once when two runs start at the same time", async () => {
    const coach = await makeUser();
    const type = await makeClassType();
    const input = recurringInput({ ...MWF, classTypeId: String(type.id), coachId: String(coach.id) });
    const results = await Promise.all([generateRecurring(await forkEm(), input, NOW), generateRecurring(await forkEm(), input, NOW)]);
    let created = 0;
    for (const r of results) {
      expect(r.ok).toBe(true);
      if (r.ok) {
        created += r.created;
        expect(r.created + r.skipped).toBe(76);
      }
    }
    expect(created).toBe(76);
    expect(await (await forkEm()).count(Session, { coach: coach.id })).toBe(76);
  });

  it("counts occurrences before now as past and does not create them", async () => {
    const coach = await makeUser();
    const type = await makeClassType();
    const input = recurringInput({ ...MWF, classTypeId: String(type.id), coachId: String(coach.id) });
    const later = new Date("2026-01-09T08:00:00Z"); // Friday 9 January, after its 06:30 class
    const plan = await planRecurring(await forkEm(), input, later);
    expect(plan.ok && plan.counts).toEqual({ new: 73, exists: 0, past: 3 });
    expect(plan.ok && plan.planned.filter((p) => p.state === "past").map((p) => p.date)).toEqual(["2026-01-05", "2026-01-07", "2026-01-09"]);

    expect(await generateRecurring(await forkEm(), input, later)).toEqual({ ok: true, created: 73, skipped: 3 });
    const first = await (await forkEm()).findOneOrFail(Session, { coach: coach.id }, { orderBy: { startTime: "asc" } });
    expect(localDateOf(first.startTime, ZONE)).toBe("2026-01-12");
  });

  it("uses the form's duration, capacity and location over the class type's", async () => {
    const coach = await makeUser();
    const type = await makeClassType({ defaultDurationMins: 45, defaultCapacity: 10 });
    const input = recurringInput({
      classTypeId: String(type.id),
      coachId: String(coach.id),
      weekdays: "2",
      times: "17:30, 19:00",
      from: "2026-04-01",
      to: "2026-04-30",
      durationMins: "30",
      maxOccupancy: "6",
      location: "Studio 2",
    });
    expect(await generateRecurring(await forkEm(), input, NOW)).toEqual({ ok: true, created: 8, skipped: 0 });
    const sessions = await (await forkEm()).find(Session, { coach: coach.id }, { orderBy: { startTime: "asc" } });
    expect(sessions.map((s) => `${localDateOf(s.startTime, ZONE)} ${localTimeOf(s.startTime, ZONE)}`).slice(0, 2)).toEqual([
      "2026-04-07 17:30",
      "2026-04-07 19:00",
    ]);
    for (const s of sessions) {
      expect(s.endTime.getTime() - s.startTime.getTime()).toBe(30 * 60_000);
      expect(s).toMatchObject({ maxOccupancy: 6, location: "Studio 2" });
    }
  });

  it("gives generated sessions the first venue's name when the location is left blank", async () => {
    const coach = await makeUser();
    const type = await makeClassType();
    const em = await forkEm();
    em.create(Venue, { name: "Main Hall", address: "3 High Street" });
    await em.flush();
    try {
      const input = recurringInput({
        classTypeId: String(type.id),
        coachId: String(coach.id),
        weekdays: "4",
        times: "12:00",
        from: "2026-04-01",
        to: "2026-04-30",
        location: "",
      });
      expect(input.location).toBeUndefined();
      expect(await generateRecurring(await forkEm(), input, NOW)).toEqual({ ok: true, created: 5, skipped: 0 });
      const locations = (await (await forkEm()).find(Session, { coach: coach.id })).map((s) => s.location);
      expect(locations).toEqual(Array(5).fill("Main Hall"));
    } finally {
      await (await forkEm()).nativeDelete(Venue, {});
    }
  });

  it("refuses a range of more than a year, an inverted range, and a range with none of the days", async () => {
    const coach = await makeUser();
    const type = await makeClassType();
    const base = { ...MWF, classTypeId: String(type.id), coachId: String(coach.id) };

    const tooLong = await planRecurring(await forkEm(), recurringInput({ ...base, to: "2027-01-10" }), NOW);
    expect(tooLong).toEqual({ ok: false, fieldErrors: { to: ["Choose a range of at most a year."] }, formError: undefined });
    expect(await generateRecurring(await forkEm(), recurringInput({ ...base, to: "2027-01-10" }), NOW)).toMatchObject({
      ok: false,
      fieldErrors: { to: ["Choose a range of at most a year."] },
    });
    expect(await (await forkEm()).count(Session, { coach: coach.id })).toBe(0);

    const inverted = parseForm(RecurringFormSchema, form({ ...base, from: "2026-03-01", to: "2026-02-01" }));
    expect(inverted.ok).toBe(false);
    if (!inverted.ok) expect(inverted.fieldErrors).toEqual({ to: ["The last date must be on or after the first."] });

    // 2026-03-03 is a Tuesday.
    const noDays = await planRecurring(await forkEm(), recurringInput({ ...base, from: "2026-03-03", to: "2026-03-03" }), NOW);
    expect(noDays).toMatchObject({ ok: false, fieldErrors: { weekdays: ["None of the chosen days fall between those dates."] } });
  });

  it("refuses an inactive class type and a non-coach", async () => {
    const client = await makeUser("CLIENT");
    const inactive = await makeClassType({ isActive: false });
    const result = await planRecurring(await forkEm(), recurringInput({ ...MWF, classTypeId: String(inactive.id), coachId: String(client.id) }), NOW);
    expect(result).toMatchObject({
      ok: false,
      fieldErrors: { classTypeId: ["Choose a class type from the list."], coachId: ["Choose a coach from the list."] },
    });
  });

  it("explains a form with no days and malformed times", () => {
    const parsed = parseForm(RecurringFormSchema, form({ classTypeId: "1", coachId: "1", times: "6.30", from: "2026-01-05", to: "2026-01-31" }));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) {
      expect(parsed.fieldErrors.weekdays).toEqual(["Choose at least one day."]);
      expect(parsed.fieldErrors.times).toEqual(["Enter times as HH:MM, separated by commas (for example 06:30, 17:30)."]);
    }
  });
});

// ---------- edit and cancel ----------

function edit(session: { coach: { id: number } }, fields: Partial<SessionEditInput> = {}): SessionEditInput {
  return { coachId: session.coach.id, date: "2026-04-15", startTime: "18:00", endTime: "19:00", maxOccupancy: 10, ...fields };
}

describe("updateSession", () => {
  it("refuses a capacity below the places already booked, naming the count, and allows raising it", async () => {
    const coach = await makeUser();
    const type = await makeClassType();
    const session = await newSession({
      classTypeId: String(type.id),
      coachId: String(coach.id),
      date: "2026-04-15",
      startTime: "18:00",
      endTime: "19:00",
      maxOccupancy: "10",
    });
    const [a, b, c, d, e] = await clients(5);
    await register(session.id, a.id, "REGISTERED");
    await register(session.id, b.id, "REGISTERED");
    await register(session.id, c.id, "REGISTERED");
    await register(session.id, d.id, "WAITLISTED", { waitlistPosition: 1 });
    await register(session.id, e.id, "CANCELLED", { cancelledAt: NOW });

    const tooSmall = await updateSession(await forkEm(), session.id, edit(session, { maxOccupancy: 2 }), NOW);
    expect(tooSmall).toEqual({
      ok: false,
      fieldErrors: { maxOccupancy: ["3 clients are booked, so the capacity cannot go below 3."] },
      formError: undefined,
    });
    expect((await load(await forkEm(), session.id)).maxOccupancy).toBe(10);

    expect(await updateSession(await forkEm(), session.id, edit(session, { maxOccupancy: 3 }), NOW)).toMatchObject({ ok: true });
    expect((await load(await forkEm(), session.id)).maxOccupancy).toBe(3);

    const raised = await updateSession(await forkEm(), session.id, edit(session, { maxOccupancy: 20, location: "Main room", notes: "Moved" }), NOW);
    expect(raised).toMatchObject({ ok: true });
    expect(await load(await forkEm(), session.id)).toMatchObject({ maxOccupancy: 20, location: "Main room", notes: "Moved" });
  });

  it("uses the singular for one booked client", async () => {
    const coach = await makeUser();
    const session = await newSession({
      coachId: String(coach.id),
      title: "Small",
      date: "2026-04-15",
      startTime: "18:00",
      endTime: "19:00",
      maxOccupancy: "4",
    });
    const [a, b] = await clients(2);
    await register(session.id, a.id, "REGISTERED");
    // Must not even reach the database check (capacity >= 1): 0 is refused with the capacity message.
    const result = await updateSession(await forkEm(), session.id, edit(session, { maxOccupancy: 0 }), NOW);
    expect(result).toMatchObject({ ok: false, fieldErrors: { maxOccupancy: ["1 client is booked, so the capacity cannot go below 1."] } });
    await register(session.id, b.id, "WAITLISTED", { waitlistPosition: 1 });
    expect(await updateSession(await forkEm(), session.id, edit(session, { maxOccupancy: 1 }), NOW)).toMatchObject({ ok: true });
  });

  it("moves a session in local time and refuses moving it into the past", async () => {
    const coach = await makeUser();
    const other = await makeUser();
    const session = await newSession({
      coachId: String(coach.id),
      title: "Mover",
      date: "2026-04-15",
      startTime: "18:00",
      endTime: "19:00",
      maxOccupancy: "10",
    });

    const moved = await updateSession(
      await forkEm(),
      session.id,
      edit(session, { coachId: other.id, date: "2026-04-16", startTime: "07:00", endTime: "07:50" }),
      NOW,
    );
    expect(moved).toMatchObject({ ok: true });
    const stored = await (await forkEm()).findOneOrFail(Session, session.id, { populate: ["coach"] });
    expect(stored.coach.id).toBe(other.id);
    expect(stored.startTime.toISOString()).toBe("2026-04-16T06:00:00.000Z");
    expect(stored.endTime.toISOString()).toBe("2026-04-16T06:50:00.000Z");

    const past = await updateSession(await forkEm(), session.id, edit(session, { coachId: other.id, date: "2025-12-01" }), NOW);
    expect(past).toMatchObject({ ok: false, fieldErrors: { date: ["Choose a start time in the future."] } });

    const client = await makeUser("CLIENT");
    const notCoach = await updateSession(
      await forkEm(),
      session.id,
      edit(session, { coachId: client.id, date: "2026-04-16", startTime: "07:00", endTime: "07:50" }),
      NOW,
    );
    expect(notCoach).toMatchObject({ ok: false, fieldErrors: { coachId: ["Choose a coach from the list."] } });
  });

  it("refuses editing a cancelled session, and returns null for an unknown one", async () => {
    const coach = await makeUser();
    const session = await newSession({
      coachId: String(coach.id),
      title: "Doomed",
      date: "2026-04-17",
      startTime: "18:00",
      endTime: "19:00",
      maxOccupancy: "10",
    });
    expect(await cancelSession(await forkEm(), session.id, "Coach ill", NOW)).toMatchObject({ ok: true });
    const result = await updateSession(await forkEm(), session.id, edit(session, { date: "2026-04-17", maxOccupancy: 12 }), NOW);
    expect(result).toEqual({ ok: false, fieldErrors: {}, formError: "This session is cancelled and can no longer be changed." });
    expect((await load(await forkEm(), session.id)).maxOccupancy).toBe(10);

    expect(await updateSession(await forkEm(), 999_999, edit(session), NOW)).toBeNull();
  });
});

describe("cancelSession", () => {
  it("cancels the session, its bookings and waitlist, and notifies each affected client once", async () => {
    const coach = await makeUser();
    const type = await makeClassType({ name: "Cancel Me" });
    const session = await newSession({ classTypeId: String(type.id), coachId: String(coach.id), date: "2026-05-04", startTime: "18:00" });
    const [booked1, booked2, waiting1, waiting2, gone] = await clients(5);
    const earlier = new Date("2025-12-20T10:00:00Z");
    await register(session.id, booked1.id, "REGISTERED");
    await register(session.id, booked2.id, "REGISTERED");
    await register(session.id, waiting1.id, "WAITLISTED", { waitlistPosition: 1 });
    await register(session.id, waiting2.id, "WAITLISTED", { waitlistPosition: 2 });
    const alreadyCancelled = await register(session.id, gone.id, "CANCELLED", { cancelledAt: earlier });

    const cancelledAt = new Date("2026-04-01T09:00:00Z");
    expect(await cancelSession(await forkEm(), session.id, "Roof leak", cancelledAt)).toEqual({ ok: true, notified: 4 });

    const em = await forkEm();
    const stored = await load(em, session.id);
    expect(stored).toMatchObject({ status: "CANCELLED", cancellationReason: "Roof leak" });
    expect(stored.cancelledAt?.toISOString()).toBe(cancelledAt.toISOString());

    const registrations = await em.find(SessionRegistration, { session: session.id }, { orderBy: { id: "asc" } });
    for (const r of registrations.filter((r) => r.id !== alreadyCancelled.id)) {
      expect(r).toMatchObject({ status: "CANCELLED", waitlistPosition: null });
      expect(r.cancelledAt?.toISOString()).toBe(cancelledAt.toISOString());
    }
    const untouched = registrations.find((r) => r.id === alreadyCancelled.id);
    expect(untouched?.status).toBe("CANCELLED");
    expect(untouched?.cancelledAt?.toISOString()).toBe(earlier.toISOString());

    const notifications = await em.find(Notification, { user: { $in: [booked1.id, booked2.id, waiting1.id, waiting2.id, gone.id] } });
    expect(notifications).toHaveLength(4);
    expect(notifications.map((n) => n.user.id).sort()).toEqual([booked1.id, booked2.id, waiting1.id, waiting2.id].sort());
    for (const n of notifications) {
      expect(n.kind).toBe("SESSION_CANCELLED");
      expect(n.subject).toBe("Cancelled: Cancel Me on Mon 4 May 2026 at 18:00");
      expect(n.body).toContain("Reason: Roof leak");
      expect(n.payload).toMatchObject({ sessionId: session.id, reason: "Roof leak" });
      expect(n.sentAt ?? null).toBeNull();
    }

    // Cancelling again is refused and notifies nobody.
    expect(await cancelSession(await forkEm(), session.id, "Again", cancelledAt)).toEqual({
      ok: false,
      fieldErrors: {},
      formError: "This session is already cancelled.",
    });
    expect(await (await forkEm()).count(Notification, { user: { $in: [booked1.id, booked2.id, waiting1.id, waiting2.id, gone.id] } })).toBe(4);
    expect((await load(await forkEm(), session.id)).cancellationReason).toBe("Roof leak");
  });

  it("cancels a session with no bookings and no class type", async () => {
    const coach = await makeUser();
    const session = await newSession({ coachId: String(coach.id), title: "Empty", date: "2026-05-05", startTime: "18:00" });
    expect(await cancelSession(await forkEm(), session.id, "Nobody came", NOW)).toEqual({ ok: true, notified: 0 });
    expect((await load(await forkEm(), session.id)).status).toBe("CANCELLED");
  });

  it("refuses cancelling a session that has finished, and returns null for an unknown one", async () => {
    const coach = await makeUser();
    const session = await newSession({ coachId: String(coach.id), title: "Done", date: "2026-01-02", startTime: "18:00" });
    const client = await makeUser("CLIENT");
    await register(session.id, client.id, "REGISTERED");
    const afterwards = new Date("2026-01-02T19:00:00Z"); // exactly the end
    expect(await cancelSession(await forkEm(), session.id, "Too late", afterwards)).toEqual({
      ok: false,
      fieldErrors: {},
      formError: "This session has finished, so it cannot be cancelled.",
    });
    expect((await load(await forkEm(), session.id)).status).toBe("SCHEDULED");
    expect(await (await forkEm()).count(Notification, { user: client.id })).toBe(0);

    // While it is still running it can be cancelled.
    expect(await cancelSession(await forkEm(), session.id, "Fire alarm", new Date("2026-01-02T18:30:00Z"))).toEqual({ ok: true, notified: 1 });
    expect(await cancelSession(await forkEm(), 999_999, "Nothing", NOW)).toBeNull();
  });
});

// ---------- listing ----------

describe("listSessions", () => {
  const LIST_NOW = new Date("2026-07-10T12:00:00Z");
  const ids: Record<string, number> = {};
  let typeA: number, typeB: number, coach1: number, coach2: number;

  async function setUp() {
    if (Object.keys(ids).length) return;
    coach1 = (await makeUser("COACH", "List Coach 1")).id;
    coach2 = (await makeUser("COACH", "List Coach 2")).id;
    typeA = (await makeClassType({ name: "List A" })).id;
    typeB = (await makeClassType({ name: "List B" })).id;
    const make = async (name: string, type: number, coach: number, date: string, startTime: string) => {
      ids[name] = (await newSession({ classTypeId: String(type), coachId: String(coach), date, startTime })).id;
    };
    await make("s0", typeB, coach2, "2026-07-06", "00:30"); // 5 July 23:30 UTC
    await make("s1", typeA, coach1, "2026-07-06", "09:00");
    await make("s2", typeB, coach2, "2026-07-08", "09:00");
    await make("s3", typeA, coach2, "2026-07-13", "23:30"); // 13 July 22:30 UTC
    await make("s4", typeB, coach1, "2026-07-15", "09:00");
    await make("s5", typeA, coach1, "2026-07-20", "09:00");
    await make("s6", typeA, coach1, "2026-07-14", "00:30"); // 13 July 23:30 UTC, but the 14th in London
    expect(await cancelSession(await forkEm(), ids.s4, "Holiday", NOW)).toMatchObject({ ok: true });
  }

  const names = (result: { sessions: { id: number }[] }) => result.sessions.map((s) => Object.keys(ids).find((k) => ids[k] === s.id) ?? `#${s.id}`);

  it("filters by local date range, both ends inclusive", async () => {
    await setUp();
    const result = await listSessions(await forkEm(), { from: "2026-07-06", to: "2026-07-13" }, LIST_NOW);
    expect(names(result)).toEqual(["s0", "s1", "s2", "s3"]);
    expect(result).toMatchObject({ from: "2026-07-06", page: 1, pageCount: 1, total: 4 });
    expect(names(await listSessions(await forkEm(), { from: "2026-07-14", to: "2026-07-14" }, LIST_NOW))).toEqual(["s6"]);
  });

  it("starts from today when no start date is given", async () => {
    await setUp();
    const result = await listSessions(await forkEm(), { to: "2026-07-26" }, LIST_NOW);
    expect(result.from).toBe("2026-07-10");
    expect(names(result)).toEqual(["s3", "s6", "s4", "s5"]);
  });

  it("filters by class type and by coach", async () => {
    await setUp();
    const range = { from: "2026-07-01", to: "2026-07-26" };
    expect(names(await listSessions(await forkEm(), { ...range, classType: typeA }, LIST_NOW))).toEqual(["s1", "s3", "s6", "s5"]);
    expect(names(await listSessions(await forkEm(), { ...range, coach: coach1 }, LIST_NOW))).toEqual(["s1", "s6", "s4", "s5"]);
    expect(names(await listSessions(await forkEm(), { ...range, coach: coach2, classType: typeB }, LIST_NOW))).toEqual(["s0", "s2"]);
  });

  it("filters by status, counting a scheduled session that has ended as completed", async () => {
    await setUp();
    const range = { from: "2026-07-01", to: "2026-07-26" };
    const scheduled = await listSessions(await forkEm(), { ...range, status: "SCHEDULED" }, LIST_NOW);
    expect(names(scheduled)).toEqual(["s3", "s6", "s5"]);
    expect(scheduled.sessions.every((s) => s.status === "SCHEDULED")).toBe(true);

    const cancelled = await listSessions(await forkEm(), { ...range, status: "CANCELLED" }, LIST_NOW);
    expect(names(cancelled)).toEqual(["s4"]);
    expect(cancelled.sessions[0]).toMatchObject({ status: "CANCELLED", cancellationReason: "Holiday" });

    const completed = await listSessions(await forkEm(), { ...range, status: "COMPLETED" }, LIST_NOW);
    expect(names(completed)).toEqual(["s0", "s1", "s2"]);
    expect(completed.sessions.every((s) => s.status === "COMPLETED")).toBe(true);
    // The stored status is unchanged.
    expect((await load(await forkEm(), ids.s1)).status).toBe("SCHEDULED");

    const all = await listSessions(await forkEm(), range, LIST_NOW);
    expect(Object.fromEntries(all.sessions.map((s) => [names({ sessions: [s] })[0], s.status]))).toEqual({
      s0: "COMPLETED",
      s1: "COMPLETED",
      s2: "COMPLETED",
      s3: "SCHEDULED",
      s6: "SCHEDULED",
      s4: "CANCELLED",
      s5: "SCHEDULED",
    });
  });

  it("summarises each session with its local date, times, colour, coach and counts", async () => {
    await setUp();
    const client = await makeUser("CLIENT");
    await register(ids.s3, client.id, "REGISTERED");
    const [summary] = (await listSessions(await forkEm(), { from: "2026-07-13", to: "2026-07-13" }, LIST_NOW)).sessions;
    expect(summary).toMatchObject({
      id: ids.s3,
      title: "List A",
      classTypeId: typeA,
      classTypeName: "List A",
      color: "#123456",
      coachId: coach2,
      coachName: "List Coach 2",
      date: "2026-07-13",
      startLabel: "23:30",
      endLabel: "00:15",
      startIso: "2026-07-13T22:30:00.000Z",
      capacity: 10,
      registered: 1,
      waitlisted: 0,
      status: "SCHEDULED",
    });
  });

  it("pages 25 at a time", async () => {
    const coach = await makeUser();
    const type = await makeClassType();
    const input = recurringInput({
      classTypeId: String(type.id),
      coachId: String(coach.id),
      weekdays: ["1", "2", "3", "4", "5", "6", "7"],
      times: "06:00 07:00 08:00 09:00 10:00 11:00",
      from: "2026-07-27",
      to: "2026-07-31",
    });
    expect(await generateRecurring(await forkEm(), input, NOW)).toMatchObject({ ok: true, created: 30 });

    const filters = { from: "2026-07-27", to: "2026-07-31", coach: coach.id };
    const page1 = await listSessions(await forkEm(), filters, LIST_NOW);
    const page2 = await listSessions(await forkEm(), { ...filters, page: 2 }, LIST_NOW);
    const page3 = await listSessions(await forkEm(), { ...filters, page: 3 }, LIST_NOW);
    expect(page1).toMatchObject({ page: 1, pageCount: 2, total: 30 });
    expect(page1.sessions).toHaveLength(25);
    expect(page2).toMatchObject({ page: 2, pageCount: 2, total: 30 });
    expect(page2.sessions).toHaveLength(5);
    expect(page3.sessions).toHaveLength(0);
    const all = [...page1.sessions, ...page2.sessions];
    expect(new Set(all.map((s) => s.id)).size).toBe(30);
    const starts = all.map((s) => s.startIso);
    expect(starts).toEqual([...starts].sort());

    const empty = await listSessions(await forkEm(), { from: "2026-07-27", to: "2026-07-31", coach: 999_999 }, LIST_NOW);
    expect(empty).toMatchObject({ total: 0, pageCount: 1, sessions: [] });
  });
});

// ---------- calendar ----------

describe("calendar", () => {
  // The week of 23–29 March 2026; the clocks go forward at 01:00 UTC on Sunday the 29th.
  let coach: number;
  const ids: Record<string, number> = {};
  async function setUp() {
    if (coach) return;
    coach = (await makeUser()).id;
    const type = await makeClassType({ name: "Cal" });
    const make = async (name: string, date: string, startTime: string) => {
      ids[name] = (await newSession({ classTypeId: String(type.id), coachId: String(coach), date, startTime })).id;
    };
    await make("prevSunday", "2026-03-22", "23:30");
    await make("monday", "2026-03-23", "00:30");
    await make("wednesday", "2026-03-25", "12:00");
    await make("wednesdayLate", "2026-03-25", "18:00");
    await make("sunday", "2026-03-29", "23:30"); // 22:30 UTC
    await make("nextMonday", "2026-03-30", "00:30"); // 29 March 23:30 UTC
  }
  const names = (sessions: { id: number }[]) => sessions.map((s) => Object.keys(ids).find((k) => ids[k] === s.id));

  it("shows Monday to Sunday of the week containing the date, each session on its local day", async () => {
    await setUp();
    const week = await calendar(await forkEm(), { date: "2026-03-25", view: "week", coachId: coach }, NOW);
    expect(week.zone).toBe(ZONE);
    expect(week.view).toBe("week");
    expect(week.date).toBe("2026-03-25");
    expect(week.days.map((d) => d.date)).toEqual(["2026-03-23", "2026-03-24", "2026-03-25", "2026-03-26", "2026-03-27", "2026-03-28", "2026-03-29"]);
    expect(week.days.map((d) => names(d.sessions))).toEqual([["monday"], [], ["wednesday", "wednesdayLate"], [], [], [], ["sunday"]]);
    expect(week.previous).toBe("2026-03-18");
    expect(week.next).toBe("2026-04-01");
  });

  it("starts the next week at local midnight on Monday, after the clock change", async () => {
    await setUp();
    const week = await calendar(await forkEm(), { date: "2026-04-05", view: "week", coachId: coach }, NOW);
    expect(week.days[0].date).toBe("2026-03-30");
    expect(names(week.days[0].sessions)).toEqual(["nextMonday"]);
    expect(week.days.flatMap((d) => d.sessions)).toHaveLength(1);
  });

  it("shows one day in day view, the 23-hour clock-change day included", async () => {
    await setUp();
    const day = await calendar(await forkEm(), { date: "2026-03-29", view: "day", coachId: coach }, NOW);
    expect(day.days).toHaveLength(1);
    expect(day.days[0].date).toBe("2026-03-29");
    expect(names(day.days[0].sessions)).toEqual(["sunday"]);
    expect(day.previous).toBe("2026-03-28");
    expect(day.next).toBe("2026-03-30");

    const monday = await calendar(await forkEm(), { date: "2026-03-30", view: "day", coachId: coach }, NOW);
    expect(names(monday.days[0].sessions)).toEqual(["nextMonday"]);
  });

  it("defaults to today in the studio's zone", async () => {
    await setUp();
    const late = new Date("2026-03-22T23:45:00Z"); // still Sunday 22 March in London (GMT)
    const result = await calendar(await forkEm(), { view: "week", coachId: coach }, late);
    expect(result).toMatchObject({ today: "2026-03-22", date: "2026-03-22" });
    expect(result.days[0].date).toBe("2026-03-16");
    expect(names(result.days[6].sessions)).toEqual(["prevSunday"]);
  });
});

// ---------- detail and attendance ----------

describe("getSessionDetail and markAttendance", () => {
  // Wednesday 6 May 2026, 18:00–19:00 BST = 17:00–18:00 UTC.
  const BEFORE = new Date("2026-05-06T16:59:00Z");
  const START = new Date("2026-05-06T17:00:00Z");
  const DURING = new Date("2026-05-06T17:30:00Z");
  const LAST_MINUTE = new Date("2026-05-06T22:59:59Z");
  const MIDNIGHT = new Date("2026-05-06T23:00:00Z");
  /** The end of the studio's default window: 7 days after the class day, Wednesday 13 May 24:00 BST. */
  const WINDOW_CLOSED = new Date("2026-05-13T23:00:00Z");

  let sessionId: number;
  const reg: Record<string, number> = {};
  async function setUp() {
    if (sessionId) return;
    const coach = await makeUser();
    const type = await makeClassType({ name: "Detail", defaultDurationMins: 60 });
    sessionId = (await newSession({ classTypeId: String(type.id), coachId: String(coach.id), date: "2026-05-06", startTime: "18:00" })).id;
    const users = [];
    for (const name of ["Ann", "Ben", "Cat", "Dev", "Eve"]) users.push(await makeUser("CLIENT", name));
    const [ann, ben, cat, dev, eve] = users;
    reg.ann = (await register(sessionId, ann.id, "REGISTERED")).id;
    reg.cat = (await register(sessionId, cat.id, "WAITLISTED", { waitlistPosition: 2 })).id;
    reg.ben = (await register(sessionId, ben.id, "REGISTERED")).id;
    reg.dev = (await register(sessionId, dev.id, "WAITLISTED", { waitlistPosition: 1 })).id;
    reg.eve = (await register(sessionId, eve.id, "CANCELLED", { cancelledAt: NOW })).id;
  }

  it("lists booked clients and the waitlist in position order, leaving out cancellations", async () => {
    await setUp();
    const detail = await getSessionDetail(await forkEm(), sessionId, NOW);
    expect(detail).not.toBeNull();
    if (!detail) return;
    expect(detail.registered.map((r) => r.name)).toEqual(["Ann", "Ben"]);
    expect(detail.registered.map((r) => r.id)).toEqual([reg.ann, reg.ben]);
    expect(detail.waitlist.map((r) => [r.name, r.waitlistPosition])).toEqual([
      ["Dev", 1],
      ["Cat", 2],
    ]);
    expect(detail.session).toMatchObject({
      id: sessionId,
      title: "Detail",
      date: "2026-05-06",
      startTime: "18:00",
      endTime: "19:00",
      durationMins: 60,
      registered: 2,
      waitlisted: 2,
      bookingOpensDaysBefore: 14,
      bookingClosesMinutesBefore: 0,
      cancelledAt: null,
    });
    expect(detail.attendanceEditable).toBe(false);
    expect((await getSessionDetail(await forkEm(), sessionId, DURING))?.attendanceEditable).toBe(true);
    // Attendance can be corrected for 7 days after the class day (issue 10), no longer only until midnight.
    expect((await getSessionDetail(await forkEm(), sessionId, MIDNIGHT))?.attendanceEditable).toBe(true);
    expect((await getSessionDetail(await forkEm(), sessionId, WINDOW_CLOSED))?.attendanceEditable).toBe(false);
    expect(await getSessionDetail(await forkEm(), 999_999, NOW)).toBeNull();
  });

  it("refuses attendance before the start and after the end of the studio's window (7 days after the class day)", async () => {
    await setUp();
    const refusal = { ok: false, fieldErrors: {}, formError: "Attendance can be marked from the start of the session until the end of Wed 13 May 2026." };
    expect(await markAttendance(await forkEm(), { sessionId, registrationId: reg.ann, attendance: "ATTENDED" }, BEFORE)).toEqual(refusal);
    expect(await markAttendance(await forkEm(), { sessionId, registrationId: reg.ann, attendance: "ATTENDED" }, WINDOW_CLOSED)).toEqual(refusal);
    const stored = await (await forkEm()).findOneOrFail(SessionRegistration, reg.ann);
    expect(stored.status).toBe("REGISTERED");
    expect(stored.attendanceMarkedAt ?? null).toBeNull();
  });

  it("marks booked clients from the start, and lets a mark be changed", async () => {
    await setUp();
    expect(await markAttendance(await forkEm(), { sessionId, registrationId: reg.ann, attendance: "ATTENDED" }, START)).toEqual({ ok: true });
    expect(await markAttendance(await forkEm(), { sessionId, registrationId: reg.ben, attendance: "NO_SHOW" }, DURING)).toEqual({ ok: true });
    let ben = await (await forkEm()).findOneOrFail(SessionRegistration, reg.ben);
    expect(ben.status).toBe("NO_SHOW");
    expect(ben.attendanceMarkedAt?.toISOString()).toBe(DURING.toISOString());

    // Ben turned up late after all.
    expect(await markAttendance(await forkEm(), { sessionId, registrationId: reg.ben, attendance: "ATTENDED" }, LAST_MINUTE)).toEqual({ ok: true });
    ben = await (await forkEm()).findOneOrFail(SessionRegistration, reg.ben);
    expect(ben.status).toBe("ATTENDED");

    const detail = await getSessionDetail(await forkEm(), sessionId, DURING);
    expect(detail?.registered.map((r) => [r.name, r.status])).toEqual([
      ["Ann", "ATTENDED"],
      ["Ben", "ATTENDED"],
    ]);
    expect(detail?.session.registered).toBe(2);
  });

  it("refuses marking waitlisted or cancelled registrations", async () => {
    await setUp();
    const refusal = { ok: false, fieldErrors: {}, formError: "Only booked clients can be marked." };
    expect(await markAttendance(await forkEm(), { sessionId, registrationId: reg.dev, attendance: "ATTENDED" }, DURING)).toEqual(refusal);
    expect(await markAttendance(await forkEm(), { sessionId, registrationId: reg.eve, attendance: "ATTENDED" }, DURING)).toEqual(refusal);
    expect((await (await forkEm()).findOneOrFail(SessionRegistration, reg.dev)).status).toBe("WAITLISTED");
  });

  it("returns null for an unknown registration or one from another session", async () => {
    await setUp();
    expect(await markAttendance(await forkEm(), { sessionId, registrationId: 999_999, attendance: "ATTENDED" }, DURING)).toBeNull();
    const coach = await makeUser();
    const other = await newSession({ coachId: String(coach.id), title: "Other", date: "2026-05-06", startTime: "18:00" });
    expect(await markAttendance(await forkEm(), { sessionId: other.id, registrationId: reg.ann, attendance: "NO_SHOW" }, DURING)).toBeNull();
  });

  it("refuses attendance for a cancelled session", async () => {
    const coach = await makeUser();
    const session = await newSession({ coachId: String(coach.id), title: "Called off", date: "2026-05-07", startTime: "18:00" });
    const client = await makeUser("CLIENT");
    const registration = await register(session.id, client.id, "REGISTERED");
    expect(await cancelSession(await forkEm(), session.id, "Storm", NOW)).toMatchObject({ ok: true });
    expect(
      await markAttendance(
        await forkEm(),
        { sessionId: session.id, registrationId: registration.id, attendance: "ATTENDED" },
        new Date("2026-05-07T17:30:00Z"),
      ),
    ).toEqual({
      ok: false,
      fieldErrors: {},
      formError: "This session was cancelled.",
    });
    expect((await getSessionDetail(await forkEm(), session.id, new Date("2026-05-07T17:30:00Z")))?.attendanceEditable).toBe(false);
  });
});
