// The recurring generator: a weekly pattern previewed, then created once (the unique index skips what exists).
import type { EntityManager } from "@mikro-orm/postgresql";
import type { FieldErrors } from "~/utils/forms";
import { hasErrors, invalid, type Failure } from "~/utils/result";
import { type LocalDate } from "~/utils/time";
import { Cohort } from "../cohorts/cohorts.entities.server";
import { getSettings } from "../settings/settings.service.server";
import { ClassType, Session, type IClassType } from "./sessions.entities.server";
import { bookingWindowFor, expandRecurrence } from "./sessions.rules";
import type { RecurringInput } from "./sessions.schema";
import { defaultLocation, findCoach } from "./lookups.server";

export type PlannedSession = { start: Date; end: Date; date: LocalDate; time: string; state: "new" | "exists" | "past" };

export type RecurringPlan = {
  ok: true;
  classType: IClassType;
  coachName: string;
  planned: PlannedSession[];
  counts: { new: number; exists: number; past: number };
};

/** What the generator would make: every occurrence, marked new, already there, or in the past. */
export async function planRecurring(em: EntityManager, input: RecurringInput, now = new Date()): Promise<RecurringPlan | Failure> {
  const settings = await getSettings(em);
  const errors: FieldErrors = {};
  const classType = await em.findOne(ClassType, { id: input.classTypeId, isActive: true });
  if (!classType) errors.classTypeId = ["Choose a class type from the list."];
  const coach = await findCoach(em, input.coachId);
  if (!coach) errors.coachId = ["Choose a coach from the list."];
  if (input.cohortId && !(await em.findOne(Cohort, input.cohortId))) errors.cohortId = ["Choose a cohort from the list."];
  if (hasErrors(errors) || !classType || !coach) return invalid(errors);

  let occurrences;
  try {
    occurrences = expandRecurrence(input, settings.studioTimeZone, input.durationMins ?? classType.defaultDurationMins);
  } catch (error) {
    if (error instanceof RangeError) return invalid({ to: ["Choose a range of at most a year."] });
    throw error;
  }
  if (occurrences.length === 0) return invalid({ weekdays: ["None of the chosen days fall between those dates."] });

  const existing = await em.find(Session, { classType, coach, startTime: { $in: occurrences.map((o) => o.start) } }, { fields: ["startTime"] });
  const taken = new Set(existing.map((s) => s.startTime.getTime()));
  const planned = occurrences.map((o): PlannedSession => ({
    ...o,
    state: o.start.getTime() < now.getTime() ? "past" : taken.has(o.start.getTime()) ? "exists" : "new",
  }));
  const counts = { new: 0, exists: 0, past: 0 };
  for (const p of planned) counts[p.state]++;
  return { ok: true, classType, coachName: coach.name, planned, counts };
}

/**
 * Creates the planned sessions that do not exist yet. A unique index on (class type, coach, start)
 * makes a second run, or two runs at once, create nothing twice.
 */
export async function generateRecurring(
  em: EntityManager,
  input: RecurringInput,
  now = new Date(),
): Promise<{ ok: true; created: number; skipped: number } | Failure> {
  const plan = await planRecurring(em, input, now);
  if (!plan.ok) return plan;
  const settings = await getSettings(em);
  const location = input.location ?? (await defaultLocation(em));
  const rows = plan.planned
    .filter((p) => p.state === "new")
    .map((p) => ({
      classTypeId: plan.classType.id,
      cohortId: input.cohortId ?? null,
      coachId: input.coachId,
      title: plan.classType.name,
      start: p.start,
      end: p.end,
      capacity: input.maxOccupancy ?? plan.classType.defaultCapacity,
      location,
      ...bookingWindowFor(plan.classType, settings),
    }));
  const created = await insertSessionsIgnoringDuplicates(em, rows);
  return { ok: true, created, skipped: plan.planned.length - created };
}

export type NewSessionRow = {
  classTypeId: number;
  cohortId: number | null;
  coachId: number;
  title: string;
  start: Date;
  end: Date;
  capacity: number;
  location: string | null;
  bookingOpensDaysBefore: number;
  bookingClosesMinutesBefore: number;
};

/** Multi-row insert that skips rows the unique index already holds; returns how many it made. */
export async function insertSessionsIgnoringDuplicates(em: EntityManager, rows: NewSessionRow[]): Promise<number> {
  let created = 0;
  const BATCH = 500;
  for (let i = 0; i < rows.length; i += BATCH) {
    const batch = rows.slice(i, i + BATCH);
    const params: unknown[] = [];
    const values = batch.map((r) => {
      params.push(
        r.classTypeId,
        r.cohortId,
        r.coachId,
        r.title,
        r.start,
        r.end,
        r.capacity,
        r.location,
        r.bookingOpensDaysBefore,
        r.bookingClosesMinutesBefore,
      );
      return "(?, ?, ?, ?, ?, ?, ?, ?, 'SCHEDULED', ?, ?, now(), now())";
    });
    const inserted = await em.execute<{ id: number }[]>(
      `insert into "session" ("class_type_id", "cohort_id", "coach_id", "title", "start_time", "end_time", "max_occupancy", "location", "status", "booking_opens_days_before", "booking_closes_minutes_before", "created_at", "updated_at")
       values ${values.join(", ")}
       on conflict do nothing returning "id"`,
      params,
    );
    created += inserted.length;
  }
  return created;
}
