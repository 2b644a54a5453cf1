import type { EntityManager } from "@mikro-orm/postgresql";
import { User } from "../../app/modules/auth/auth.entities.server";
import { getSettings } from "../../app/modules/settings/settings.service.server";
import { ClassType, Session, Venue, type IClassType } from "../../app/modules/sessions/sessions.entities.server";
import { assignCoaches } from "../../app/modules/sessions/sessions.rules";
import { insertSessionsIgnoringDuplicates, type NewSessionRow } from "../../app/modules/sessions/recurring.service.server";
import { addDays, mondayOf, todayIn, toInstant, type LocalDate, type LocalTime } from "../../app/utils/time";

/** The demo studio's venue (PRD section 14). */
export const DEMO_VENUE = { name: "Hitsona Bangor", address: "UNIT 54 3 BALLOO DRIVE, BANGOR, Down, BT19 7QY, GB" };

export type DemoClassTypeName = "HIIT" | "CORE";

/** The demo class types; booking windows are left to the studio defaults. */
export const DEMO_CLASS_TYPES: Record<DemoClassTypeName, { description: string; color: string; defaultDurationMins: number; defaultCapacity: number }> = {
  HIIT: { description: "25-minute coach-led small group sessions", color: "#dc2626", defaultDurationMins: 25, defaultCapacity: 10 },
  CORE: { description: "Core strength training", color: "#0d9488", defaultDurationMins: 25, defaultCapacity: 15 },
};

/** One weekly slot: ISO weekday (1 = Monday … 7 = Sunday) and a wall-clock start in the studio zone. */
export type TimetableSlot = { classType: DemoClassTypeName; weekday: number; time: LocalTime };

const MON = 1,
  TUE = 2,
  WED = 3,
  THU = 4,
  FRI = 5,
  SAT = 6;

const HIIT_TIMES: Record<number, LocalTime[]> = {
  [MON]: ["06:30", "07:00", "09:30", "10:05", "12:30", "17:30", "18:05", "19:05"],
  [TUE]: ["06:30", "07:00", "10:05", "12:30", "17:30", "18:05"],
  [WED]: ["06:30", "07:00", "09:30", "10:05", "12:30", "17:00", "17:30", "18:35"],
  [THU]: ["06:30", "07:00", "09:30", "10:05", "12:30", "17:30"],
  [FRI]: ["06:30", "07:00", "09:30", "10:05", "12:30", "17:30"],
  [SAT]: ["08:45", "09:45", "10:45"],
};

const CORE_TIMES: Record<number, LocalTime[]> = {
  [MON]: ["10:35", "18:35"],
  [TUE]: ["10:30", "18:35"],
  [WED]: ["07:30", "18:05"],
  [THU]: ["10:30"],
  [SAT]: ["09:15", "10:15"],
};

function slotsOf(classType: DemoClassTypeName, times: Record<number, LocalTime[]>): TimetableSlot[] {
  return Object.entries(times).flatMap(([weekday, list]) => list.map((time) => ({ classType, weekday: Number(weekday), time })));
}

/** The studio's weekly timetable: 37 HIIT and 9 CORE classes, sorted by weekday and time. */
export const WEEKLY_TIMETABLE: readonly TimetableSlot[] = [...slotsOf("HIIT", HIIT_TIMES), ...slotsOf("CORE", CORE_TIMES)].sort(
  (a, b) => a.weekday - b.weekday || a.time.localeCompare(b.time) || a.classType.localeCompare(b.classType),
);

/** How many weeks the seed fills, starting with the current one. */
export const TIMETABLE_WEEKS = 26;

/** Relative share of the classes each demo coach takes (Conor and Jacki teach none). */
export const DEMO_COACH_WEIGHTS = [
  { email: "gav@centurion.test", weight: 760 },
  { email: "rory@centurion.test", weight: 310 },
  { email: "clare@centurion.test", weight: 103 },
  { email: "josh@centurion.test", weight: 6 },
] as const;

export type PlannedSlot = { classType: DemoClassTypeName; date: LocalDate; time: LocalTime; start: Date };

/** Every slot of `weeks` weeks from the Monday of `firstMonday`, in time order (ties by class type). */
export function planTimetable(firstMonday: LocalDate, zone: string, weeks = TIMETABLE_WEEKS): PlannedSlot[] {
  const planned: PlannedSlot[] = [];
  for (let week = 0; week < weeks; week++) {
    const monday = addDays(firstMonday, week * 7);
    for (const slot of WEEKLY_TIMETABLE) {
      const date = addDays(monday, slot.weekday - 1);
      planned.push({ classType: slot.classType, date, time: slot.time, start: toInstant(date, slot.time, zone) });
    }
  }
  return planned.sort((a, b) => a.start.getTime() - b.start.getTime() || a.classType.localeCompare(b.classType));
}

async function ensureVenue(em: EntityManager) {
  return (await em.findOne(Venue, { name: DEMO_VENUE.name })) ?? em.create(Venue, { ...DEMO_VENUE });
}

async function ensureClassType(em: EntityManager, name: DemoClassTypeName): Promise<IClassType> {
  // Matches the unique index on lower(name) among active types.
  const existing = await em.findOne(ClassType, { name: { $ilike: name }, isActive: true });
  if (existing) return existing;
  return em.create(ClassType, {
    name,
    ...DEMO_CLASS_TYPES[name],
    bookingOpensDaysBefore: null,
    bookingClosesMinutesBefore: null,
    isActive: true,
  });
}

/**
 * The demo venue, class types and 26 weeks of the weekly timetable, from the Monday of the week
 * containing `now` in the studio zone. Idempotent and stable: a slot that already has a session of
 * its class type at that instant (whoever coaches it, whatever its status) is left alone, so running
 * again, even weeks later, never puts a second class in a slot. Coaches are dealt by weighted
 * round-robin over all slots in time order, so the same `now` always gives the same rota.
 */
export async function seedTimetable(em: EntityManager, now: Date = new Date()): Promise<{ created: number; skipped: number }> {
  const zone = (await getSettings(em)).studioTimeZone;
  return fillTimetable(em, mondayOf(todayIn(zone, now)), TIMETABLE_WEEKS);
}

/** `seedTimetable` for `weeks` weeks from `firstMonday` (the demo history fills the weeks before the seed's). */
export async function fillTimetable(em: EntityManager, firstMonday: LocalDate, weeks: number): Promise<{ created: number; skipped: number }> {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;

  const venue = await ensureVenue(em);
  const classTypes = { HIIT: await ensureClassType(em, "HIIT"), CORE: await ensureClassType(em, "CORE") };
  await em.flush();

  const coaches = await em.find(User, { email: { $in: DEMO_COACH_WEIGHTS.map((c) => c.email) } }, { fields: ["id", "email"] });
  const coachIdByEmail = new Map(coaches.map((c) => [c.email, c.id]));
  const weights = DEMO_COACH_WEIGHTS.map(({ email, weight }) => {
    const coachId = coachIdByEmail.get(email);
    if (coachId === undefined) throw new Error(`The timetable needs the demo coach ${email}; seed the users first.`);
    return { coachId, weight };
  });

  const planned = planTimetable(firstMonday, zone, weeks);
  const rota = assignCoaches(planned.length, weights);

  const existing = await em.find(
    Session,
    {
      classType: { $in: [classTypes.HIIT.id, classTypes.CORE.id] },
      startTime: { $gte: planned[0].start, $lte: planned[planned.length - 1].start },
    },
    { fields: ["classType", "startTime"], disableIdentityMap: true },
  );
  const taken = new Set(existing.map((s) => `${s.classType?.id}@${s.startTime.getTime()}`));

  const rows: NewSessionRow[] = [];
  planned.forEach((slot, i) => {
    const classType = classTypes[slot.classType];
    if (taken.has(`${classType.id}@${slot.start.getTime()}`)) return;
    rows.push({
      classTypeId: classType.id,
      cohortId: null,
      coachId: rota[i],
      title: classType.name,
      start: slot.start,
      end: new Date(slot.start.getTime() + classType.defaultDurationMins * 60_000),
      capacity: classType.defaultCapacity,
      location: venue.name,
      bookingOpensDaysBefore: classType.bookingOpensDaysBefore ?? settings.bookingOpensDaysBefore,
      bookingClosesMinutesBefore: classType.bookingClosesMinutesBefore ?? settings.bookingClosesMinutesBefore,
    });
  });
  const created = await insertSessionsIgnoringDuplicates(em, rows);
  return { created, skipped: planned.length - created };
}
