// The demo studio's recent past and next fortnight (issue 13): the eight weeks of the timetable before the
// seed's week with their bookings, attendance, no-shows and cancels, and the next fourteen days booked as
// clients book (regulars early, the cohort's classes full with a waitlist). Every booking keeps the rules
// the app applies (booking.rules.ts): the membership was valid on the class's day and allows its class
// type, a weekly limit holds in every studio week, a pack pays for each place (a free cancel gives it
// back, a late cancel does not) and never goes below nothing, a session never holds more places than it
// has, and only a full session has a waitlist, numbered 1..n. All figures come from a seeded generator,
// so the same day and database give the same studio.
import type { EntityManager } from "@mikro-orm/postgresql";
import { COUNTS_TOWARD_WEEK, holdsPlace } from "../../app/modules/booking/booking.rules";
import type { RegistrationStatus } from "../../app/modules/booking/booking.entities.server";
import type { PlanType } from "../../app/modules/memberships/memberships.entities.server";
import { prepaidEndDate } from "../../app/modules/memberships/memberships.rules";
import { getSettings } from "../../app/modules/settings/settings.service.server";
import { addDays, localDateOf, localTimeOf, mondayOf, todayIn, toInstant, weekdayOf, type LocalDate, type LocalTime } from "../../app/utils/time";
import { demoPlanFor } from "./memberships";
import { fillTimetable, WEEKLY_TIMETABLE } from "./timetable";

/** Weeks of history before the seed's Monday. */
export const HISTORY_WEEKS = 8;
/** How far ahead clients have booked: the booking window (classes open 14 days before). */
export const DAYS_AHEAD = 14;
/**
 * Demo clients who joined this week: their memberships stay exactly as the membership seed made them
 * (its own checks read them), so the packs among them are unused and the others book from next week on.
 * Client 1 is the README's demo client.
 */
export const NEW_THIS_WEEK: readonly number[] = [1, 21, 30, 50];
/** The longest waitlist the seed makes. */
const MAX_WAITLIST = 3;

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A small seeded generator (mulberry32): the same seed gives the same numbers on every run. */
function generator(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Random = () => number;
const between = (random: Random, min: number, max: number) => min + random() * (max - min);
const whole = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

// ---------------------------------------------------------------------------------------------
// Who comes when
// ---------------------------------------------------------------------------------------------

type Band = "early" | "morning" | "lunch" | "evening";

function bandOf(weekday: number, time: LocalTime): Band {
  if (weekday === 6) return "morning";
  if (time < "08:00") return "early";
  if (time < "12:00") return "morning";
  if (time < "17:00") return "lunch";
  return "evening";
}

const slotKey = (weekday: number, time: LocalTime) => `${weekday} ${time}`;

/** The studio's busiest classes, the ones that fill and keep a waitlist. */
const BUSIEST = new Set([slotKey(1, "06:30"), slotKey(1, "17:30"), slotKey(2, "18:05"), slotKey(3, "17:30"), slotKey(4, "17:30"), slotKey(6, "09:45")]);

/** How much a slot draws: before work and after it most, Saturday mornings too, lunchtime and Friday evening least. */
function demand(weekday: number, time: LocalTime): number {
  const base = weekday === 6 ? 1.6 : { early: 1.5, morning: 0.7, lunch: 0.4, evening: 1.7 }[bandOf(weekday, time)];
  const friday = weekday === 5 && time >= "17:00" ? 0.5 : 1;
  return base * friday * (BUSIEST.has(slotKey(weekday, time)) ? 3 : 1);
}

type Member = {
  number: number;
  userId: number;
  membershipId: number;
  planType: PlanType;
  sessionsPerWeek: number | null;
  allowedClassTypeIds: number[];
  cutoffHours: number;
  /** The membership's dates and balance as seeded, and as the history leaves them. */
  seeded: { start: LocalDate; end: LocalDate | null; remaining: number | null };
  start: LocalDate;
  end: LocalDate | null;
  remaining: number | null;
  /** Classes a week the client usually books (besides their cohort's). */
  habit: number;
  band: Band;
  favourites: Set<string>;
  /** The client's running cohort (one at most) and the day it began. */
  cohort: { id: number; start: LocalDate } | null;
  /** The first day the client books anything (null: books nothing). */
  booksFrom: LocalDate | null;
  random: Random;
};

/**
 * When each demo membership started, so that the history has a membership to book with: the recurring
 * members joined two to thirty weeks ago, the packs were bought one to ten weeks ago, the challenge
 * passes of the running cohort's members started with it, and the other challenge passes up to seven
 * weeks ago (still running). Clients NEW_THIS_WEEK keep the seed's dates.
 */
function plannedStart(member: Member, monday: LocalDate): LocalDate {
  const { random } = member;
  if (NEW_THIS_WEEK.includes(member.number)) return member.seeded.start;
  let start: LocalDate;
  if (member.planType === "RECURRING") {
    const weeksAgo = random() < 0.15 ? whole(random, 2, 6) : whole(random, 9, 30);
    start = addDays(monday, -7 * weeksAgo + whole(random, 0, 4));
  } else if (member.planType === "PACK") {
    start = addDays(monday, -7 * whole(random, 1, 10) + whole(random, 0, 4));
  } else if (member.cohort) {
    start = member.cohort.start;
  } else {
    start = addDays(monday, -7 * whole(random, 1, 7) + whole(random, 0, 2));
  }
  // Only ever earlier: a membership the studio already had for longer keeps its start.
  return start < member.seeded.start ? start : member.seeded.start;
}

function pickFavourites(random: Random, band: Band, count: number): Set<string> {
  const pool = WEEKLY_TIMETABLE.map((slot) => ({
    key: slotKey(slot.weekday, slot.time),
    weight: demand(slot.weekday, slot.time) * (bandOf(slot.weekday, slot.time) === band ? 4 : 1),
  }));
  const picked = new Set<string>();
  while (picked.size < count)
    picked.add(
      weightedPick(
        random,
        pool.filter((p) => !picked.has(p.key)),
      )!.key,
    );
  return picked;
}

function weightedPick<T extends { weight: number }>(random: Random, items: T[]): T | undefined {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  if (!items.length || total <= 0) return undefined;
  let r = random() * total;
  for (const item of items) {
    r -= item.weight;
    if (r < 0) return item;
  }
  return items[items.length - 1];
}

// ---------------------------------------------------------------------------------------------
// Reading what is there
// ---------------------------------------------------------------------------------------------

type Slot = {
  id: number;
  classTypeId: number;
  cohortId: number | null;
  start: Date;
  end: Date;
  capacity: number;
  opensAt: Date;
  date: LocalDate;
  monday: LocalDate;
  weekday: number;
  time: LocalTime;
  key: string;
  /** Places held and the last waitlist position, counting what is there already. */
  holders: number;
  lastPosition: number;
};

type Existing = { sessionId: number; userId: number; status: RegistrationStatus; start: Date };

/** Whether the history was written already: it moves demo memberships' starts before the week the membership seed made them in, or charged a past booking. */
async function historyWritten(em: EntityManager, zone: string, monday: LocalDate): Promise<boolean> {
  const [row] = await em.execute<{ written: boolean }[]>(
    `select exists (select 1 from user_membership m join "user" u on u.id = m.user_id
                     where u.email like 'client%@centurion.test' and m.start_date < (m.created_at at time zone ?)::date - 6)
         or exists (select 1 from session_registration r join session s on s.id = r.session_id join "user" u on u.id = r.user_id
                     where u.email like 'client%@centurion.test' and r.membership_id is not null and s.start_time < ?) as written`,
    [zone, toInstant(monday, "00:00", zone)],
  );
  return row.written;
}

async function readMembers(em: EntityManager, defaultCutoffHours: number): Promise<Member[]> {
  const rows = await em.execute<
    {
      user_id: number;
      email: string;
      membership_id: number;
      start_date: string;
      end_date: string | null;
      sessions_remaining: number | null;
      plan_id: number;
      plan_name: string;
      type: PlanType;
      sessions_per_week: number | null;
      late_cancel_cutoff_hours: number | null;
    }[]
  >(
    `select u.id as user_id, u.email, m.id as membership_id, m.start_date::text as start_date, m.end_date::text as end_date,
            m.sessions_remaining, p.id as plan_id, p.name as plan_name, p.type, p.sessions_per_week, p.late_cancel_cutoff_hours
       from "user" u join user_membership m on m.user_id = u.id join membership_plan p on p.id = m.plan_id
      where u.role = 'CLIENT' and u.email like 'client%@centurion.test' and m.status = 'ACTIVE' and not m.cancel_at_period_end
      order by m.id`,
  );
  const allowances = await em.execute<{ plan_id: number; class_type_id: number }[]>(
    `select plan_id, class_type_id from membership_class_type_allowance where plan_id = any(array[?]::int[])`,
    [[...new Set(rows.map((r) => r.plan_id))]],
  );
  const cohorts = await em.execute<{ user_id: number; cohort_id: number; start_date: string }[]>(
    `select m.user_id, m.cohort_id, c.start_date::text from cohort_membership m join cohort c on c.id = m.cohort_id
      where m.status = 'ACTIVE' and c.status = 'ACTIVE'`,
  );

  const members = new Map<number, Member>();
  for (const row of rows) {
    const number = Number(/^client(\d+)@centurion\.test$/.exec(row.email)?.[1]);
    // One membership a client: the demo plan the membership seed gave them (a client can hold more in the app).
    if (!number || members.has(number) || row.plan_name !== demoPlanFor(number)) continue;
    if (row.type === "RECURRING" && !row.sessions_per_week) continue; // coaching only: books no classes
    const random = generator(1300 + number);
    const band = weightedPick(random, [
      { band: "early" as const, weight: 3 },
      { band: "morning" as const, weight: 1.5 },
      { band: "lunch" as const, weight: 0.5 },
      { band: "evening" as const, weight: 4 },
    ])!.band;
    const habit = row.type === "RECURRING" ? whole(random, 5, 6) : row.type === "PACK" ? whole(random, 1, 2) : whole(random, 4, 5);
    const seeded = { start: row.start_date, end: row.end_date, remaining: row.sessions_remaining };
    const cohort = cohorts.find((c) => c.user_id === row.user_id);
    members.set(number, {
      number,
      userId: row.user_id,
      membershipId: row.membership_id,
      planType: row.type,
      sessionsPerWeek: row.sessions_per_week,
      allowedClassTypeIds: allowances.filter((a) => a.plan_id === row.plan_id).map((a) => a.class_type_id),
      cutoffHours: row.late_cancel_cutoff_hours ?? defaultCutoffHours,
      seeded,
      ...seeded,
      habit,
      band,
      favourites: pickFavourites(random, band, row.type === "PACK" ? 2 : 3),
      cohort: cohort ? { id: cohort.cohort_id, start: cohort.start_date } : null,
      booksFrom: null,
      random,
    });
  }
  return [...members.values()].sort((a, b) => a.number - b.number);
}

async function readSlots(em: EntityManager, from: Date, until: Date, zone: string): Promise<{ slots: Slot[]; existing: Existing[] }> {
  const sessions = await em.execute<
    {
      id: number;
      class_type_id: number;
      cohort_id: number | null;
      start_time: Date;
      end_time: Date;
      max_occupancy: number;
      booking_opens_days_before: number;
    }[]
  >(
    `select s.id, s.class_type_id, s.cohort_id, s.start_time, s.end_time, s.max_occupancy, s.booking_opens_days_before
       from session s join class_type t on t.id = s.class_type_id
      where lower(t.name) in ('hiit', 'core') and t.is_active and s.status = 'SCHEDULED' and s.start_time >= ? and s.start_time < ?
      order by s.start_time, s.id`,
    [from, until],
  );
  const ids = sessions.map((s) => s.id);
  const registrations = await em.execute<
    { session_id: number; user_id: number; status: RegistrationStatus; waitlist_position: number | null; start_time: Date }[]
  >(
    `select r.session_id, r.user_id, r.status, r.waitlist_position, s.start_time
       from session_registration r join session s on s.id = r.session_id where r.session_id = any(array[?]::int[])`,
    [ids],
  );
  const slots = sessions.map((s): Slot => {
    const start = new Date(s.start_time);
    const date = localDateOf(start, zone);
    const time = localTimeOf(start, zone);
    const own = registrations.filter((r) => r.session_id === s.id);
    return {
      id: s.id,
      classTypeId: s.class_type_id,
      cohortId: s.cohort_id,
      start,
      end: new Date(s.end_time),
      capacity: s.max_occupancy,
      opensAt: new Date(start.getTime() - s.booking_opens_days_before * DAY),
      date,
      monday: mondayOf(date),
      weekday: weekdayOf(date),
      time,
      key: slotKey(weekdayOf(date), time),
      holders: own.filter((r) => holdsPlace(r.status)).length,
      lastPosition: Math.max(0, ...own.map((r) => (r.status === "WAITLISTED" ? (r.waitlist_position ?? 0) : 0))),
    };
  });
  const existing = registrations.map((r) => ({ sessionId: r.session_id, userId: r.user_id, status: r.status, start: new Date(r.start_time) }));
  return { slots, existing };
}

/** "Used this week" as booking counts it (usedInWeek), per membership and studio week: "membershipId:monday". */
async function readUse(em: EntityManager, membershipIds: number[], zone: string): Promise<Map<string, number>> {
  const rows = await em.execute<{ membership_id: number; start_time: Date }[]>(
    `select r.membership_id, s.start_time from session_registration r join session s on s.id = r.session_id
      where r.membership_id = any(array[?]::int[]) and r.status = any(array[?]::text[])`,
    [membershipIds, [...COUNTS_TOWARD_WEEK]],
  );
  const used = new Map<string, number>();
  for (const row of rows) {
    const key = `${row.membership_id}:${mondayOf(localDateOf(new Date(row.start_time), zone))}`;
    used.set(key, (used.get(key) ?? 0) + 1);
  }
  return used;
}

// ---------------------------------------------------------------------------------------------
// Booking
// ---------------------------------------------------------------------------------------------

type NewRegistration = {
  session: number;
  user: number;
  membership: number;
  status: RegistrationStatus;
  waitlistPosition: number | null;
  registeredAt: Date;
  cancelledAt: Date | null;
  attendanceMarkedAt: Date | null;
  promotedFromWaitlistAt: null;
};

type Wish = { member: Member; slot: Slot; registeredAt: Date };

const ofCohort = (member: Member, slot: Slot) => slot.cohortId !== null && slot.cohortId === member.cohort?.id;
const counts = (status: RegistrationStatus) => (COUNTS_TOWARD_WEEK as readonly RegistrationStatus[]).includes(status);

/** When the client booked: their regular classes up to two weeks ahead, others a few hours to days; never before the window opened or the membership began. */
function bookingTime(member: Member, slot: Slot, zone: string): Date | null {
  const { random } = member;
  const regular = member.favourites.has(slot.key) || ofCohort(member, slot);
  const lead = regular ? between(random, 6 * DAY, 13.9 * DAY) : between(random, 2 * HOUR, 6 * DAY);
  const earliest = Math.max(slot.opensAt.getTime() + 60_000, toInstant(member.start, "07:00", zone).getTime());
  const latest = slot.start.getTime() - 30 * 60_000;
  if (earliest > latest) return null;
  return new Date(Math.min(latest, Math.max(earliest, slot.start.getTime() - lead)));
}

/**
 * What became of a place: a class that is over was attended (mostly), missed, or cancelled in time or
 * late; one not marked yet (it is on now, or just ended) is still booked; one to come is booked, or was
 * cancelled in time.
 */
function outcome(member: Member, slot: Slot, registeredAt: Date, now: Date): Pick<NewRegistration, "status" | "cancelledAt" | "attendanceMarkedAt"> {
  const { random } = member;
  const roll = random();
  const cutoff = slot.start.getTime() - member.cutoffHours * HOUR;
  const freeCancelBy = Math.min(cutoff, now.getTime()) - 60_000;
  const booked = { status: "REGISTERED" as const, cancelledAt: null, attendanceMarkedAt: null };
  if (roll < 0.05 && freeCancelBy > registeredAt.getTime() + 5 * 60_000) {
    return { status: "CANCELLED", cancelledAt: new Date(between(random, registeredAt.getTime() + 5 * 60_000, freeCancelBy)), attendanceMarkedAt: null };
  }
  if (slot.start >= now) return booked;
  const lateFrom = Math.max(cutoff, registeredAt.getTime()) + 60_000;
  const lateUntil = slot.start.getTime() - 5 * 60_000;
  if (roll < 0.09 && lateFrom < lateUntil) {
    return { status: "LATE_CANCELLED", cancelledAt: new Date(between(random, lateFrom, lateUntil)), attendanceMarkedAt: null };
  }
  // Coaches mark attendance within the hour after the class.
  const markedAt = slot.end.getTime() + between(random, 5, 55) * 60_000;
  if (markedAt > now.getTime()) return booked;
  return { status: roll < 0.14 ? "NO_SHOW" : "ATTENDED", cancelledAt: null, attendanceMarkedAt: new Date(markedAt) };
}

/**
 * One studio week: each client picks up to their habit of classes (one a day; their cohort's classes
 * first), within what their membership allows that week; then each class takes its bookings in the
 * order they were made, up to its places, the rest joining a short waitlist (classes to come) or
 * going elsewhere (classes past).
 */
function bookWeek(
  week: Slot[],
  members: Member[],
  taken: { pairs: Set<string>; days: Set<string>; used: Map<string, number> },
  now: Date,
  zone: string,
): NewRegistration[] {
  const monday = week[0].monday;
  const wishes: Wish[] = [];
  for (const member of members) {
    if (!member.booksFrom) continue;
    const { random } = member;
    const valid = week.filter(
      (slot) =>
        slot.date >= member.booksFrom! &&
        slot.date >= member.start &&
        (member.end === null || slot.date <= member.end) &&
        (!member.allowedClassTypeIds.length || member.allowedClassTypeIds.includes(slot.classTypeId)) &&
        !taken.pairs.has(`${slot.id}:${member.userId}`) &&
        !taken.days.has(`${member.userId}:${slot.date}`),
    );
    const cohortClasses = new Set(valid.filter((slot) => ofCohort(member, slot)).map((slot) => slot.date)).size;
    let wanted = member.habit + cohortClasses + (random() < 0.25 ? -1 : random() < 0.15 ? 1 : 0);
    if (member.sessionsPerWeek) wanted = Math.min(wanted, member.sessionsPerWeek - (taken.used.get(`${member.membershipId}:${monday}`) ?? 0));
    if (member.remaining !== null) wanted = Math.min(wanted, member.remaining);

    let pool = valid.map((slot) => ({
      slot,
      weight:
        demand(slot.weekday, slot.time) *
        (bandOf(slot.weekday, slot.time) === member.band ? 3 : 1) *
        (member.favourites.has(slot.key) ? 6 : 1) *
        (slot.cohortId === null ? 1 : ofCohort(member, slot) ? 60 : 0.5),
    }));
    for (let i = 0; i < wanted && pool.length; i++) {
      const { slot } = weightedPick(random, pool)!;
      pool = pool.filter((p) => p.slot.date !== slot.date);
      const registeredAt = bookingTime(member, slot, zone);
      // A class to come that the client would book later than now is not booked yet.
      if (registeredAt && registeredAt < now) wishes.push({ member, slot, registeredAt });
    }
  }

  const made: NewRegistration[] = [];
  const charge = (member: Member) => {
    const key = `${member.membershipId}:${monday}`;
    taken.used.set(key, (taken.used.get(key) ?? 0) + 1);
    if (member.remaining !== null) member.remaining--;
  };
  wishes.sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime() || a.member.number - b.member.number);
  for (const slot of week) {
    // The class's day as the app lives it: bookings in the order they came, each cancel giving its place
    // back when it happened, to the head of the queue (a class to come) or to whoever books next.
    const queue: { member: Member; registration: NewRegistration }[] = [];
    const releases: number[] = [];
    const release = (until: number) => {
      releases.sort((a, b) => a - b);
      while (releases.length && releases[0] <= until) {
        const at = releases.shift()!;
        slot.holders--;
        const next = queue.shift();
        if (!next) continue;
        Object.assign(next.registration, { status: "REGISTERED", promotedFromWaitlistAt: new Date(at) });
        slot.holders++;
        charge(next.member);
      }
    };
    for (const { member, registeredAt } of wishes.filter((w) => w.slot === slot)) {
      release(registeredAt.getTime());
      const base = { session: slot.id, user: member.userId, membership: member.membershipId, registeredAt, promotedFromWaitlistAt: null };
      if (slot.holders >= slot.capacity) {
        // Full: a class to come gets a waitlist, while a client of a class gone by went to another.
        if (slot.start < now || queue.length >= MAX_WAITLIST) continue;
        const registration: NewRegistration = { ...base, status: "WAITLISTED", waitlistPosition: null, cancelledAt: null, attendanceMarkedAt: null };
        queue.push({ member, registration });
        made.push(registration);
      } else {
        const result = outcome(member, slot, registeredAt, now);
        made.push({ ...base, ...result, waitlistPosition: null });
        slot.holders++;
        if (result.cancelledAt) releases.push(result.cancelledAt.getTime());
        // A pack pays for the place; a free cancel gave its session back.
        if (counts(result.status)) charge(member);
      }
      taken.pairs.add(`${slot.id}:${member.userId}`);
      taken.days.add(`${member.userId}:${slot.date}`);
    }
    release(now.getTime());
    queue.forEach(({ registration }) => (registration.waitlistPosition = ++slot.lastPosition));
  }
  return made;
}

// ---------------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------------

export type HistorySummary = { skipped: true } | { skipped: false; sessionsCreated: number; registrations: number; membershipsMoved: number };

/**
 * Writes the history once (skipped when it is there: see `historyWritten`), in one transaction: the
 * timetable's sessions of the eight weeks before the seed's Monday (slots already there are kept), the
 * demo memberships' starts moved back so that they cover it, the bookings from then until fourteen days
 * ahead, and each pack's balance less the places it paid for.
 */
export async function seedHistory(em: EntityManager, now = new Date()): Promise<HistorySummary> {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const monday = mondayOf(todayIn(zone, now));
  if (await historyWritten(em, zone, monday)) return { skipped: true };

  return em.transactional(async (tx) => {
    const firstMonday = addDays(monday, -7 * HISTORY_WEEKS);
    const { created: sessionsCreated } = await fillTimetable(tx, firstMonday, HISTORY_WEEKS);

    const members = await readMembers(tx, settings.defaultLateCancelCutoffHours);
    for (const member of members) {
      member.start = plannedStart(member, monday);
      if (member.start !== member.seeded.start && member.planType === "PREPAID" && member.seeded.end) {
        // The pass keeps its length: it ends as many days after its new start.
        const days = Math.round((Date.parse(member.seeded.end) - Date.parse(member.seeded.start)) / DAY) + 1;
        member.end = prepaidEndDate(member.start, days);
      }
      const isNew = NEW_THIS_WEEK.includes(member.number);
      // A new pack is untouched, so books nothing; the other new clients book from next week.
      member.booksFrom = isNew ? (member.planType === "PACK" ? null : addDays(monday, 7)) : member.start;
    }

    const { slots, existing } = await readSlots(tx, toInstant(firstMonday, "00:00", zone), new Date(now.getTime() + DAYS_AHEAD * DAY), zone);
    const taken = {
      pairs: new Set<string>(),
      days: new Set<string>(),
      used: await readUse(
        tx,
        members.map((m) => m.membershipId),
        zone,
      ),
    };
    for (const r of existing) {
      taken.pairs.add(`${r.sessionId}:${r.userId}`);
      if (holdsPlace(r.status) || r.status === "WAITLISTED") taken.days.add(`${r.userId}:${localDateOf(r.start, zone)}`);
    }

    const registrations: NewRegistration[] = [];
    const weeks = [...new Set(slots.map((s) => s.monday))].sort();
    for (const week of weeks) {
      const open = slots.filter((s) => s.monday === week && s.opensAt < now);
      if (open.length) registrations.push(...bookWeek(open, members, taken, now, zone));
    }

    const moved = members.filter((m) => m.start !== m.seeded.start || m.end !== m.seeded.end || m.remaining !== m.seeded.remaining);
    await updateMemberships(tx, moved, zone);
    const BATCH = 1000;
    for (let i = 0; i < registrations.length; i += BATCH) {
      const batch = registrations.slice(i, i + BATCH);
      const params = batch.flatMap((r) => [
        r.session,
        r.user,
        r.membership,
        r.status,
        r.waitlistPosition,
        r.registeredAt,
        r.cancelledAt,
        r.attendanceMarkedAt,
        r.promotedFromWaitlistAt,
      ]);
      await tx.execute(
        `insert into session_registration (session_id, user_id, membership_id, status, waitlist_position, registered_at, cancelled_at, attendance_marked_at, promoted_from_waitlist_at)
         values ${batch.map(() => "(?, ?, ?, ?, ?, ?, ?, ?, ?)").join(", ")}`,
        params,
        "run",
      );
    }
    return { skipped: false as const, sessionsCreated, registrations: registrations.length, membershipsMoved: moved.length };
  });
}

/** The memberships' new dates and pack balances, and their "assigned" record dated to their start. */
async function updateMemberships(tx: EntityManager, moved: Member[], zone: string): Promise<void> {
  if (!moved.length) return;
  await tx.execute(
    `update user_membership m set start_date = v.start_date, end_date = v.end_date, sessions_remaining = v.remaining, updated_at = now()
       from (values ${moved.map(() => "(?::int, ?::date, ?::date, ?::int)").join(", ")}) as v(id, start_date, end_date, remaining)
      where m.id = v.id`,
    moved.flatMap((m) => [m.membershipId, m.start, m.end, m.remaining]),
    "run",
  );
  const dated = moved.filter((m) => m.start !== m.seeded.start);
  if (!dated.length) return;
  await tx.execute(
    `update membership_event e set at = v.at
       from (values ${dated.map(() => "(?::int, ?::timestamptz)").join(", ")}) as v(id, at)
      where e.membership_id = v.id and e.action = 'ASSIGNED' and e.note = 'Demo data'`,
    dated.flatMap((m) => [m.membershipId, toInstant(m.start, "09:00", zone)]),
    "run",
  );
}
