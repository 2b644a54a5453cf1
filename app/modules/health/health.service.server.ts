// Health check-ins: a client's own entries (record, edit, delete, history, chart series), a coach
// entering one for a client they coach in a cohort, and the client's weight unit.
import type { EntityManager } from "@mikro-orm/postgresql";
import type { FieldErrors } from "~/utils/forms";
import { invalid, isUniqueViolation, refuse, type Failure } from "~/utils/result";
import { formatDate, isLocalDate, type LocalDate } from "~/utils/time";
import { User, type IUser } from "../auth/auth.entities.server";
import { activeCohortMembershipOf, coachesClientInCohort, type Viewer } from "../cohorts/cohort-access.server";
import { CohortCheckInConfig } from "../cohorts/cohorts.entities.server";
import { studioToday } from "../settings/settings.service.server";
import { Entry, type IEntry } from "./health.entities.server";
import {
  formatMetric,
  hasSomething,
  HEALTH_METRICS,
  healthCharts,
  kgToStonesPounds,
  metricRangeError,
  rangeDates,
  stonesPoundsToKg,
  WEIGHT_RANGE_ST_LB_MESSAGE,
  type ChartPoint,
  type HealthChartModel,
  type HealthMetric,
  type HealthRange,
  type WeightUnit,
} from "./health.rules";
import type { EntryInput } from "./health.schema";

export type { EntryInput } from "./health.schema";

/** A refusal of a second entry for a date carries the id of the one that exists (the page links to it). */
export type EntryResult = { ok: true; entry: IEntry } | (Failure & { existingEntryId?: number });

const NOTHING_ENTERED = "Enter at least one measurement or a note.";
const FIELDS_MARKED = "Please correct the fields marked below.";

/** A stored metric as a number (the driver may hand a double precision back as a string). */
export function metricValue(entry: IEntry, metric: HealthMetric): number | null {
  const value = entry[metric];
  return value == null ? null : Number(value);
}

// ---------- checking what was typed ----------

type CheckedEntry = { ok: true; date: LocalDate; values: Record<HealthMetric, number | null>; note: string | null };

/** The weight in kg from whichever unit the form used; an unchanged edit keeps the stored kg exactly. */
function weightFrom(input: EntryInput, current: IEntry | undefined, fieldErrors: FieldErrors): number | null {
  const stored = current ? metricValue(current, "weightKg") : null;
  const inStonesPounds = input.weightStones !== undefined || input.weightPounds !== undefined;
  if (inStonesPounds && input.weightKg !== undefined) {
    fieldErrors.weightKg = ["Give the weight in kg or in stones and pounds, not both."];
    return null;
  }
  if (inStonesPounds) {
    const stones = input.weightStones ?? 0;
    const pounds = input.weightPounds ?? 0;
    if (!Number.isInteger(stones) || stones < 0) fieldErrors.weightStones = ["Enter the stones as a whole number, 0 or more."];
    if (!(pounds >= 0 && pounds < 14)) fieldErrors.weightPounds = ["Enter the pounds as a number from 0 to 13.9."];
    if (fieldErrors.weightStones || fieldErrors.weightPounds) return null;
    if (stored !== null) {
      const shown = kgToStonesPounds(stored);
      if (shown.stones === stones && shown.pounds === pounds) return stored;
    }
    const kg = stonesPoundsToKg(stones, pounds);
    if (metricRangeError("weightKg", kg)) fieldErrors.weightStones = [WEIGHT_RANGE_ST_LB_MESSAGE];
    return kg;
  }
  if (input.weightKg === undefined) return null;
  // The edit form shows the stored kg to two decimals: the same number back is the stored one.
  if (stored !== null && Math.abs(stored - input.weightKg) < 0.005) return stored;
  const error = metricRangeError("weightKg", input.weightKg);
  if (error) fieldErrors.weightKg = [error];
  return input.weightKg;
}

async function checkEntry(em: EntityManager, input: EntryInput, options: { current?: IEntry; now: Date }): Promise<CheckedEntry | Failure> {
  const fieldErrors: FieldErrors = {};
  const today = await studioToday(em, options.now);
  const date = input.date ?? options.current?.date ?? today;
  if (!isLocalDate(date)) fieldErrors.date = ["Enter the date as YYYY-MM-DD, from 1900 onwards."];
  else if (date > today) fieldErrors.date = ["The date cannot be in the future."];

  const values = {} as Record<HealthMetric, number | null>;
  values.weightKg = weightFrom(input, options.current, fieldErrors);
  for (const metric of HEALTH_METRICS) {
    if (metric === "weightKg") continue;
    const value = input[metric];
    values[metric] = value ?? null;
    const error = value === undefined ? null : metricRangeError(metric, value);
    if (error) fieldErrors[metric] = [error];
  }
  const note = input.note?.trim() || null;
  if (note && note.length > 2000) fieldErrors.note = ["The note can be at most 2000 characters."];

  if (Object.keys(fieldErrors).length) return invalid(fieldErrors, FIELDS_MARKED);
  if (!hasSomething(values, note)) return refuse(NOTHING_ENTERED);
  return { ok: true, date, values, note };
}

function duplicateOf(date: LocalDate, existingEntryId: number | undefined, clientName?: string): EntryResult {
  const day = formatDate(date, "UTC");
  const message = clientName ? `${clientName} already has an entry for ${day}.` : `You already have an entry for ${day} — edit it instead.`;
  return { ...refuse(message, { date: ["There is already an entry for this date."] }, "duplicate"), existingEntryId };
}

async function entryIdOn(em: EntityManager, userId: number, date: LocalDate): Promise<number | undefined> {
  const rows = await em.execute<{ id: number }[]>(`select id from entry where user_id = ? and date = ?`, [userId, date]);
  return rows[0]?.id;
}

// ---------- commands ----------

/**
 * Records a check-in for `userId` (any client, in a cohort or not), one per studio-local date.
 * `enteredById` marks one a coach entered; `clientName` words the refusal of a second entry for them.
 */
export async function recordEntry(
  em: EntityManager,
  args: { userId: number; input: EntryInput; enteredById?: number | null; clientName?: string; now?: Date },
): Promise<EntryResult> {
  const checked = await checkEntry(em, args.input, { now: args.now ?? new Date() });
  if (!checked.ok) return checked;
  const existing = await entryIdOn(em, args.userId, checked.date);
  if (existing) return duplicateOf(checked.date, existing, args.clientName);
  const at = new Date();
  let id: number;
  try {
    // A plain insert, so a refused one leaves nothing pending in the request's unit of work.
    id = (await em.insert(Entry, {
      user: args.userId,
      date: checked.date,
      ...checked.values,
      note: checked.note,
      enteredBy: args.enteredById ?? null,
      createdAt: at,
      updatedAt: at,
    })) as number;
  } catch (error) {
    // Two submissions for one date at once: the unique index lets one through.
    if (!isUniqueViolation(error)) throw error;
    return duplicateOf(checked.date, await entryIdOn(em, args.userId, checked.date), args.clientName);
  }
  return { ok: true, entry: await em.findOneOrFail(Entry, id) };
}

/** Changes one of the client's own entries; null when `entryId` is not theirs (or does not exist). */
export async function updateEntry(em: EntityManager, args: { userId: number; entryId: number; input: EntryInput; now?: Date }): Promise<EntryResult | null> {
  const entry = await em.findOne(Entry, { id: args.entryId, user: args.userId });
  if (!entry) return null;
  const checked = await checkEntry(em, args.input, { current: entry, now: args.now ?? new Date() });
  if (!checked.ok) return checked;
  const clash = checked.date === entry.date ? undefined : await entryIdOn(em, args.userId, checked.date);
  if (clash) return duplicateOf(checked.date, clash);
  try {
    await em.nativeUpdate(Entry, { id: entry.id, user: args.userId }, { date: checked.date, ...checked.values, note: checked.note, updatedAt: new Date() });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return duplicateOf(checked.date, await entryIdOn(em, args.userId, checked.date));
  }
  return { ok: true, entry: await em.refreshOrFail(entry) };
}

/** Deletes one of the client's own entries; null when it is not theirs. */
export async function deleteEntry(em: EntityManager, args: { userId: number; entryId: number }): Promise<{ ok: true; date: LocalDate } | null> {
  const entry = await em.findOne(Entry, { id: args.entryId, user: args.userId });
  if (!entry) return null;
  const date = entry.date;
  await em.remove(entry).flush();
  return { ok: true, date };
}

export async function setWeightUnit(em: EntityManager, userId: number, weightUnit: WeightUnit): Promise<void> {
  await em.nativeUpdate(User, { id: userId }, { weightUnit, updatedAt: new Date() });
}

export async function getWeightUnit(em: EntityManager, userId: number): Promise<WeightUnit> {
  const user = await em.findOne(User, userId, { fields: ["weightUnit"] });
  return user?.weightUnit ?? "KG";
}

// ---------- a coach for a client ----------

export type ClientHealthAccess = { kind: "missing" } | { kind: "forbidden" } | { kind: "allowed"; client: IUser };

/**
 * Whether `viewer` may see and add to a client's health data: an admin always, a coach who coaches a
 * cohort the client is (or was) in. "missing" for an unknown user or one who is not a client.
 */
export async function clientHealthAccess(em: EntityManager, viewer: Viewer, clientId: number): Promise<ClientHealthAccess> {
  const client = await em.findOne(User, clientId);
  if (!client || client.role !== "CLIENT") return { kind: "missing" };
  if (viewer.role === "ADMIN") return { kind: "allowed", client };
  if (viewer.role === "COACH" && (await coachesClientInCohort(em, viewer.id, clientId))) return { kind: "allowed", client };
  return { kind: "forbidden" };
}

/** A coach (or admin) enters a check-in for a client; refused with reason "missing" or "forbidden" per clientHealthAccess. */
export async function recordEntryForClient(em: EntityManager, args: { viewer: Viewer; clientId: number; input: EntryInput; now?: Date }): Promise<EntryResult> {
  const access = await clientHealthAccess(em, args.viewer, args.clientId);
  if (access.kind === "missing") return refuse("We could not find that client.", {}, "missing");
  if (access.kind === "forbidden") return refuse("You can only enter check-ins for clients in a cohort you coach.", {}, "forbidden");
  return recordEntry(em, { userId: access.client.id, input: args.input, enteredById: args.viewer.id, clientName: access.client.name, now: args.now });
}

// ---------- reading ----------

export function findOwnEntry(em: EntityManager, userId: number, entryId: number): Promise<IEntry | null> {
  return em.findOne(Entry, { id: entryId, user: userId }, { populate: ["enteredBy"] });
}

/** A client's entries, newest first, a page at a time. */
export async function listEntries(em: EntityManager, userId: number, options: { page?: number; perPage?: number } = {}) {
  const perPage = options.perPage ?? 20;
  const [entries, total] = await em.findAndCount(
    Entry,
    { user: userId },
    { populate: ["enteredBy"], orderBy: { date: "desc" }, limit: perPage, offset: ((options.page ?? 1) - 1) * perPage },
  );
  return { entries, total, pageCount: Math.max(1, Math.ceil(total / perPage)) };
}

/** Each metric's values (stored units: kg, %, cm, h…) from `from` to `to` inclusive, oldest first. */
export async function entrySeries(em: EntityManager, userId: number, range: { from: LocalDate; to: LocalDate }): Promise<Record<HealthMetric, ChartPoint[]>> {
  const entries = await em.find(Entry, { user: userId, date: { $gte: range.from, $lte: range.to } }, { orderBy: { date: "asc" } });
  const series = Object.fromEntries(HEALTH_METRICS.map((metric) => [metric, [] as ChartPoint[]])) as Record<HealthMetric, ChartPoint[]>;
  for (const entry of entries) {
    for (const metric of HEALTH_METRICS) {
      const value = metricValue(entry, metric);
      if (value !== null) series[metric].push({ date: entry.date, value });
    }
  }
  return series;
}

export type CheckInAsk = { cohortId: number; cohortName: string; startDate: LocalDate; weeks: number; metrics: HealthMetric[]; frequencyDays: number | null };

/** What the client's active cohort asks them to record (no metrics when it has no check-in settings), or null outside a cohort. */
export async function checkInAskOf(em: EntityManager, userId: number): Promise<CheckInAsk | null> {
  const membership = await activeCohortMembershipOf(em, userId);
  if (!membership) return null;
  const cohort = membership.cohort;
  const config = await em.findOne(CohortCheckInConfig, { cohort: cohort.id });
  const metrics = HEALTH_METRICS.filter((metric) => config?.metrics.includes(metric));
  return {
    cohortId: cohort.id,
    cohortName: cohort.name,
    startDate: cohort.startDate,
    weeks: cohort.weeks,
    metrics,
    frequencyDays: config?.frequencyDays ?? null,
  };
}

export type EntryRow = {
  id: number;
  date: LocalDate;
  dateLabel: string;
  /** Each recorded metric as the reader sees it ("82.4 kg", "7/10"). */
  values: Partial<Record<HealthMetric, string>>;
  note: string | null;
  /** "Coach Gav" when a coach entered it, the admin's name for an admin, null when the client did. */
  enteredBy: string | null;
};

export function entryRow(entry: IEntry, unit: WeightUnit): EntryRow {
  const values: Partial<Record<HealthMetric, string>> = {};
  for (const metric of HEALTH_METRICS) {
    const value = metricValue(entry, metric);
    if (value !== null) values[metric] = formatMetric(metric, value, unit);
  }
  const by = entry.enteredBy;
  return {
    id: entry.id,
    date: entry.date,
    dateLabel: formatDate(entry.date, "UTC"),
    values,
    note: entry.note ?? null,
    enteredBy: by ? `${by.role === "COACH" ? "Coach " : ""}${by.name}` : null,
  };
}

/** The values an edit form starts from, in the client's unit (stored kg shown to two decimals). */
export function entryFormValues(entry: IEntry, unit: WeightUnit): Record<string, string> {
  const values: Record<string, string> = { date: entry.date, note: entry.note ?? "" };
  for (const metric of HEALTH_METRICS) {
    const value = metricValue(entry, metric);
    if (metric === "weightKg" || value === null) continue;
    values[metric] = String(value);
  }
  const kg = metricValue(entry, "weightKg");
  if (kg !== null) {
    if (unit === "ST_LB") {
      const { stones, pounds } = kgToStonesPounds(kg);
      values.weightStones = String(stones);
      values.weightPounds = String(pounds);
    } else {
      values.weightKg = String(Math.round(kg * 100) / 100);
    }
  }
  return values;
}

export type HealthOverview = {
  client: { id: number; name: string; weightUnit: WeightUnit };
  today: LocalDate;
  ask: CheckInAsk | null;
  rows: EntryRow[];
  total: number;
  page: number;
  pageCount: number;
  range: { key: HealthRange; from: LocalDate; to: LocalDate };
  charts: HealthChartModel[];
};

/** Everything a health page shows of a client: the table page, the charts of a range, what their cohort asks. */
export async function healthOverview(
  em: EntityManager,
  clientId: number,
  options: { page?: number; range?: HealthRange; now?: Date } = {},
): Promise<HealthOverview | null> {
  const client = await em.findOne(User, clientId);
  if (!client) return null;
  const unit = client.weightUnit;
  const today = await studioToday(em, options.now);
  const ask = await checkInAskOf(em, clientId);
  const rangeKey = options.range ?? "12w";
  const range = rangeDates(rangeKey, today, ask);
  const page = options.page ?? 1;
  const [list, series] = await Promise.all([listEntries(em, clientId, { page }), entrySeries(em, clientId, range)]);
  return {
    client: { id: client.id, name: client.name, weightUnit: unit },
    today,
    ask,
    rows: list.entries.map((entry) => entryRow(entry, unit)),
    total: list.total,
    page,
    pageCount: list.pageCount,
    range: { key: rangeKey, ...range },
    charts: healthCharts(series, unit),
  };
}
