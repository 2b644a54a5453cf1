// Health check-ins through the service: one entry per date (also under a race), ranges, units,
// ownership, a coach entering for a client, and a cohort's check-in settings.
import { describe, expect, it } from "vitest";
import { User } from "~/modules/auth/auth.entities.server";
import { getCheckInConfig, saveCheckInConfig } from "~/modules/cohorts/check-in-config.service.server";
import { CohortCheckInConfig } from "~/modules/cohorts/cohorts.entities.server";
import { Entry } from "~/modules/health/health.entities.server";
import { stonesPoundsToKg } from "~/modules/health/health.rules";
import {
  checkInAskOf,
  clientHealthAccess,
  deleteEntry,
  entrySeries,
  healthOverview,
  listEntries,
  recordEntry,
  recordEntryForClient,
  setWeightUnit,
  updateEntry,
  type EntryInput,
} from "~/modules/health/health.service.server";
import { addDays, todayIn } from "~/utils/time";
import { addCohortMember, createCohort, createEntry } from "../support/cohort-factories";
import { forkEm } from "../support/db";
import { createUser } from "../support/factories";

const today = () => todayIn("Europe/London");
const entriesOf = async (user: { id: number }) => (await forkEm()).find(Entry, { user: user.id }, { orderBy: { date: "asc" } });
const record = async (user: { id: number }, input: EntryInput) => recordEntry(await forkEm(), { userId: user.id, input });

describe("recording a check-in", () => {
  it("stores a client's entry for today by default, in kg, with nothing else filled in", async () => {
    const client = await createUser(await forkEm());
    const result = await record(client, { weightKg: 82.4, mood: 7, note: "  Good week  " });
    expect(result).toMatchObject({ ok: true });
    const [entry] = await entriesOf(client);
    expect(entry).toMatchObject({ date: today(), mood: 7, note: "Good week", bodyFatPct: null, steps: null, enteredBy: null });
    expect(Number(entry.weightKg)).toBe(82.4);
  });

  it("converts stones and pounds to kg", async () => {
    const client = await createUser(await forkEm());
    expect(await record(client, { weightStones: 12, weightPounds: 4.5 })).toMatchObject({ ok: true });
    expect(await record(client, { date: addDays(today(), -1), weightStones: 13 })).toMatchObject({ ok: true });
    const [yesterday, todays] = await entriesOf(client);
    expect(Number(todays.weightKg)).toBeCloseTo(stonesPoundsToKg(12, 4.5), 9);
    expect(Number(yesterday.weightKg)).toBeCloseTo(stonesPoundsToKg(13, 0), 9);
  });

  it("needs at least one measurement or a note", async () => {
    const client = await createUser(await forkEm());
    expect(await record(client, {})).toEqual({ ok: false, formError: "Enter at least one measurement or a note.", fieldErrors: {} });
    expect(await record(client, { note: "   " })).toMatchObject({ ok: false, formError: "Enter at least one measurement or a note." });
    expect(await entriesOf(client)).toEqual([]);
  });

  it("refuses values outside the database's ranges, each with its message, and writes nothing", async () => {
    const client = await createUser(await forkEm());
    const result = await record(client, { weightKg: 19.9, bodyFatPct: 71, waistCm: 29, sleepHours: 25, steps: 200_001, energy: 0, mood: 11 });
    expect(result).toEqual({
      ok: false,
      formError: "Please correct the fields marked below.",
      fieldErrors: {
        weightKg: ["Weight must be between 20 and 400 kg."],
        bodyFatPct: ["Body fat must be between 2 and 70%."],
        waistCm: ["Waist must be between 30 and 250 cm."],
        sleepHours: ["Sleep must be between 0 and 24 hours."],
        steps: ["Steps must be between 0 and 200,000."],
        energy: ["Energy must be between 1 and 10."],
        mood: ["Mood must be between 1 and 10."],
      },
    });
    expect(await record(client, { weightStones: 70 })).toMatchObject({
      ok: false,
      fieldErrors: { weightStones: ["Weight must be between 3 st 2.1 lb and 62 st 13.8 lb (20 to 400 kg)."] },
    });
    expect(await record(client, { weightStones: 12, weightPounds: 14 })).toMatchObject({
      fieldErrors: { weightPounds: ["Enter the pounds as a number from 0 to 13.9."] },
    });
    expect(await record(client, { weightKg: 80, weightStones: 12 })).toMatchObject({
      fieldErrors: { weightKg: ["Give the weight in kg or in stones and pounds, not both."] },
    });
    expect(await entriesOf(client)).toEqual([]);
  });

  it("takes any past date from 1900, never a future one", async () => {
    const client = await createUser(await forkEm());
    expect(await record(client, { date: addDays(today(), 1), mood: 5 })).toMatchObject({
      ok: false,
      fieldErrors: { date: ["The date cannot be in the future."] },
    });
    expect(await record(client, { date: "1899-12-31", mood: 5 })).toMatchObject({
      fieldErrors: { date: ["Enter the date as YYYY-MM-DD, from 1900 onwards."] },
    });
    expect(await record(client, { date: "1900-01-01", mood: 5 })).toMatchObject({ ok: true });
    expect(await record(client, { date: "2025-06-30", mood: 5 })).toMatchObject({ ok: true });
    expect((await entriesOf(client)).map((e) => e.date)).toEqual(["1900-01-01", "2025-06-30"]);
  });

  it("refuses a second entry for a date, pointing at the first", async () => {
    const client = await createUser(await forkEm());
    const first = await record(client, { date: "2026-03-02", mood: 6 });
    if (!first.ok) throw new Error("first entry refused");
    const message = "You already have an entry for Mon 2 Mar 2026 — edit it instead.";
    expect(await record(client, { date: "2026-03-02", energy: 8 })).toEqual({
      ok: false,
      formError: message,
      fieldErrors: { date: ["There is already an entry for this date."] },
      reason: "duplicate",
      existingEntryId: first.entry.id,
    });
    // Another client may have one that day.
    expect(await record(await createUser(await forkEm()), { date: "2026-03-02", mood: 6 })).toMatchObject({ ok: true });
    expect(await entriesOf(client)).toHaveLength(1);
  });

  it("lets exactly one of several racing submissions for a date through", async () => {
    for (let round = 0; round < 3; round++) {
      const client = await createUser(await forkEm());
      const results = await Promise.all([1, 2, 3, 4].map((mood) => record(client, { date: "2026-04-06", mood })));
      const saved = results.filter((r) => r.ok);
      expect(saved, `round ${round}`).toHaveLength(1);
      const entries = await entriesOf(client);
      expect(entries).toHaveLength(1);
      for (const refused of results.filter((r) => !r.ok)) {
        expect(refused).toMatchObject({ formError: "You already have an entry for Mon 6 Apr 2026 — edit it instead.", existingEntryId: entries[0].id });
      }
    }
  });
});

describe("editing and deleting one's own entries", () => {
  it("changes an entry, keeping the stored kg when the weight shown comes back unchanged", async () => {
    const client = await createUser(await forkEm());
    const entry = await createEntry(await forkEm(), { user: client, date: "2026-03-02", weightKg: 82.456, mood: 6 });
    // As the edit form shows it in st/lb (12 st 13.8 lb), with the mood changed.
    const result = await updateEntry(await forkEm(), {
      userId: client.id,
      entryId: entry.id,
      input: { date: "2026-03-02", weightStones: 12, weightPounds: 13.8, mood: 8 },
    });
    expect(result).toMatchObject({ ok: true });
    const [saved] = await entriesOf(client);
    expect(Number(saved.weightKg)).toBe(82.456);
    expect(saved.mood).toBe(8);
    // A changed weight is converted; a cleared metric is cleared.
    await updateEntry(await forkEm(), { userId: client.id, entryId: entry.id, input: { weightKg: 81, note: "lighter" } });
    const [changed] = await entriesOf(client);
    expect(changed).toMatchObject({ mood: null, note: "lighter", date: "2026-03-02" });
    expect(Number(changed.weightKg)).toBe(81);
  });

  it("refuses to move an entry onto a date that has one, and to empty it", async () => {
    const client = await createUser(await forkEm());
    const a = await createEntry(await forkEm(), { user: client, date: "2026-03-02", mood: 6 });
    await createEntry(await forkEm(), { user: client, date: "2026-03-03", mood: 7 });
    expect(await updateEntry(await forkEm(), { userId: client.id, entryId: a.id, input: { date: "2026-03-03", mood: 6 } })).toMatchObject({
      ok: false,
      formError: "You already have an entry for Tue 3 Mar 2026 — edit it instead.",
    });
    expect(await updateEntry(await forkEm(), { userId: client.id, entryId: a.id, input: {} })).toMatchObject({
      ok: false,
      formError: "Enter at least one measurement or a note.",
    });
    expect((await entriesOf(client)).map((e) => [e.date, e.mood])).toEqual([
      ["2026-03-02", 6],
      ["2026-03-03", 7],
    ]);
  });

  it("treats another client's entry as not found, for editing and deleting", async () => {
    const owner = await createUser(await forkEm());
    const other = await createUser(await forkEm());
    const entry = await createEntry(await forkEm(), { user: owner, date: "2026-03-02", mood: 6 });
    expect(await updateEntry(await forkEm(), { userId: other.id, entryId: entry.id, input: { mood: 1 } })).toBeNull();
    expect(await deleteEntry(await forkEm(), { userId: other.id, entryId: entry.id })).toBeNull();
    expect((await entriesOf(owner)).map((e) => e.mood)).toEqual([6]);
    expect(await deleteEntry(await forkEm(), { userId: owner.id, entryId: entry.id })).toEqual({ ok: true, date: "2026-03-02" });
    expect(await entriesOf(owner)).toEqual([]);
  });
});

describe("reading a client's history", () => {
  it("lists entries newest first a page at a time, and series per metric oldest first within a range", async () => {
    const client = await createUser(await forkEm());
    const em = await forkEm();
    for (let day = 0; day < 25; day++)
      await createEntry(em, { user: client, date: addDays("2026-01-01", day), weightKg: 90 - day / 10, mood: day % 2 ? 7 : null });
    const page1 = await listEntries(await forkEm(), client.id, { page: 1 });
    expect(page1.total).toBe(25);
    expect(page1.pageCount).toBe(2);
    expect(page1.entries[0].date).toBe("2026-01-25");
    expect((await listEntries(await forkEm(), client.id, { page: 2 })).entries.map((e) => e.date)).toEqual([
      "2026-01-05",
      "2026-01-04",
      "2026-01-03",
      "2026-01-02",
      "2026-01-01",
    ]);
    const series = await entrySeries(await forkEm(), client.id, { from: "2026-01-10", to: "2026-01-14" });
    expect(series.weightKg).toEqual([
      { date: "2026-01-10", value: 89.1 },
      { date: "2026-01-11", value: 89 },
      { date: "2026-01-12", value: 88.9 },
      { date: "2026-01-13", value: 88.8 },
      { date: "2026-01-14", value: 88.7 },
    ]);
    expect(series.mood.map((p) => p.date)).toEqual(["2026-01-10", "2026-01-12", "2026-01-14"]);
    expect(series.steps).toEqual([]);
  });

  it("shows weights in the client's unit, charts only metrics with data, and who entered each", async () => {
    const client = await createUser(await forkEm());
    const coach = await createUser(await forkEm(), { role: "COACH", name: "Gav" });
    await createEntry(await forkEm(), { user: client, date: addDays(today(), -7), weightKg: stonesPoundsToKg(12, 4.5), enteredBy: coach });
    await createEntry(await forkEm(), { user: client, date: today(), weightKg: stonesPoundsToKg(12, 2), sleepHours: 7.5 });
    await setWeightUnit(await forkEm(), client.id, "ST_LB");
    const overview = await healthOverview(await forkEm(), client.id, { range: "4w" });
    expect(overview?.client.weightUnit).toBe("ST_LB");
    expect(overview?.rows.map((r) => [r.values.weightKg, r.values.sleepHours, r.enteredBy])).toEqual([
      ["12 st 2 lb", "7.5 h", null],
      ["12 st 4.5 lb", undefined, "Coach Gav"],
    ]);
    expect(overview?.charts.map((c) => c.metric)).toEqual(["weightKg", "sleepHours"]);
    expect(overview?.charts[0].summary).toMatch(/^Weight: 12 st 4\.5 lb on .+ to 12 st 2 lb on .+, down 2\.5 lb over 7 days\.$/);
  });
});

describe("a coach entering a check-in for a client", () => {
  it("is allowed for a coach of a cohort the client is in, and marks the entry as theirs", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const client = await createUser(em);
    await createCohort(em, { coaches: [coach], members: [client] });
    const result = await recordEntryForClient(await forkEm(), { viewer: coach, clientId: client.id, input: { weightKg: 90 } });
    expect(result).toMatchObject({ ok: true });
    const [entry] = await entriesOf(client);
    expect(entry.enteredBy?.id).toBe(coach.id);
    // The second one for the day names the client.
    expect(await recordEntryForClient(await forkEm(), { viewer: coach, clientId: client.id, input: { mood: 5 } })).toMatchObject({
      ok: false,
      formError: expect.stringMatching(new RegExp(`^${client.name} already has an entry for `)),
    });
  });

  it("is forbidden to a coach who does not coach them, allowed to an admin, and missing for a non-client", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const otherCoach = await createUser(em, { role: "COACH" });
    const admin = await createUser(em, { role: "ADMIN" });
    const client = await createUser(em);
    await createCohort(em, { coaches: [otherCoach], members: [client] });
    // In no cohort of this coach's (the coach's own cohort has other members).
    await createCohort(em, { coaches: [coach], members: [await createUser(em)] });
    expect(await recordEntryForClient(await forkEm(), { viewer: coach, clientId: client.id, input: { mood: 5 } })).toMatchObject({
      ok: false,
      reason: "forbidden",
    });
    expect(await entriesOf(client)).toEqual([]);
    expect(await recordEntryForClient(await forkEm(), { viewer: admin, clientId: client.id, input: { mood: 5 } })).toMatchObject({ ok: true });
    expect(await clientHealthAccess(await forkEm(), coach, coach.id)).toEqual({ kind: "missing" });
    expect(await clientHealthAccess(await forkEm(), admin, 2_000_000_000)).toEqual({ kind: "missing" });
    expect(await clientHealthAccess(await forkEm(), { id: client.id, role: "CLIENT" }, client.id)).toEqual({ kind: "forbidden" });
  });

  it("still allows a coach of a cohort the client has left (their history stays visible)", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const client = await createUser(em);
    const cohort = await createCohort(em, { coaches: [coach] });
    await addCohortMember(em, cohort, client, "LEFT");
    expect((await clientHealthAccess(await forkEm(), coach, client.id)).kind).toBe("allowed");
  });
});

describe("a cohort's check-in settings", () => {
  it("are saved by its coach, asked of its active members, and validated", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const client = await createUser(em);
    const cohort = await createCohort(em, { coaches: [coach], members: [client] });
    expect(await getCheckInConfig(await forkEm(), cohort.id)).toMatchObject({ saved: false });
    expect(await checkInAskOf(await forkEm(), client.id)).toMatchObject({ cohortId: cohort.id, metrics: [], frequencyDays: null });

    const saved = await saveCheckInConfig(await forkEm(), coach, cohort.id, { metrics: ["mood", "weightKg", "mood"], frequencyDays: 3 });
    expect(saved).toEqual({ ok: true, config: { metrics: ["weightKg", "mood"], frequencyDays: 3 } });
    expect(await getCheckInConfig(await forkEm(), cohort.id)).toEqual({ metrics: ["weightKg", "mood"], frequencyDays: 3, saved: true });
    expect(await checkInAskOf(await forkEm(), client.id)).toMatchObject({ metrics: ["weightKg", "mood"], frequencyDays: 3 });

    // Saved again: the one row changes.
    await saveCheckInConfig(await forkEm(), coach, cohort.id, { metrics: ["steps"], frequencyDays: 28 });
    expect(await (await forkEm()).count(CohortCheckInConfig, { cohort: cohort.id })).toBe(1);
    expect(await getCheckInConfig(await forkEm(), cohort.id)).toMatchObject({ metrics: ["steps"], frequencyDays: 28 });

    expect(await saveCheckInConfig(await forkEm(), coach, cohort.id, { metrics: [], frequencyDays: 0 })).toEqual({
      ok: false,
      formError: "Please correct the fields marked below.",
      fieldErrors: {
        metrics: ["Choose at least one measurement to ask for."],
        frequencyDays: ["Ask at least every 28 days and at most every day (1 to 28)."],
      },
    });
    expect(await saveCheckInConfig(await forkEm(), coach, cohort.id, { metrics: ["height" as never], frequencyDays: 29 })).toMatchObject({
      fieldErrors: { metrics: ["Choose measurements from the list."], frequencyDays: [expect.any(String)] },
    });
    expect(await getCheckInConfig(await forkEm(), cohort.id)).toMatchObject({ metrics: ["steps"], frequencyDays: 28 });
  });

  it("are refused to another coach and a client, and allowed to an admin", async () => {
    const em = await forkEm();
    const cohort = await createCohort(em, { coaches: [await createUser(em, { role: "COACH" })] });
    const input = { metrics: ["weightKg" as const], frequencyDays: 7 };
    expect(await saveCheckInConfig(await forkEm(), await createUser(em, { role: "COACH" }), cohort.id, input)).toMatchObject({
      ok: false,
      reason: "forbidden",
    });
    expect(await saveCheckInConfig(await forkEm(), await createUser(em), cohort.id, input)).toMatchObject({ ok: false, reason: "forbidden" });
    expect(await saveCheckInConfig(await forkEm(), await createUser(em, { role: "ADMIN" }), 2_000_000_000, input)).toMatchObject({
      ok: false,
      reason: "missing",
    });
    expect(await getCheckInConfig(await forkEm(), cohort.id)).toMatchObject({ saved: false });
    expect(await saveCheckInConfig(await forkEm(), await createUser(em, { role: "ADMIN" }), cohort.id, input)).toMatchObject({ ok: true });
  });

  it("are not asked of a client who left the cohort", async () => {
    const em = await forkEm();
    const client = await createUser(em);
    const cohort = await createCohort(em, { checkIn: { metrics: ["weightKg"], frequencyDays: 7 } });
    await addCohortMember(em, cohort, client, "LEFT");
    expect(await checkInAskOf(await forkEm(), client.id)).toBeNull();
    expect((await (await forkEm()).findOneOrFail(User, client.id)).weightUnit).toBe("KG");
  });
});
