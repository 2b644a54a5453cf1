// What a client sees of the timetable and of their own bookings (read models; the commands are in booking.service.server.ts).
import type { EntityManager } from "@mikro-orm/postgresql";
import { addDays, dayRange, formatDateTime, todayIn, type LocalDate } from "~/utils/time";
import { effectiveStatus, registrationWindow, sessionLabels, type SessionStatus } from "../sessions/sessions.rules";
import { getSettings } from "../settings/settings.service.server";
import { SessionRegistration, type ISessionRegistration, type RegistrationStatus } from "./booking.entities.server";
import { readOf, runRead, sqlTextList, type Read, type Statement } from "../reads.server";
import { HOLDS_PLACE, isLateCancel, ON_THE_LIST, sessionRefusal } from "./booking.rules";

export type ClientSessionItem = {
  id: number;
  title: string;
  color: string;
  coachName: string;
  date: LocalDate;
  startLabel: string;
  endLabel: string;
  location: string | null;
  capacity: number;
  registered: number;
  waitlisted: number;
  status: "SCHEDULED" | "CANCELLED" | "COMPLETED";
  mine: { status: ISessionRegistration["status"]; position: number | null } | null;
  /** Why it cannot be booked now (not open yet, closed, started, cancelled), or null. */
  closedReason: string | null;
  /** Cancelling now would be late. */
  lateCancel: boolean;
};

/** What the client views need of the settings: the studio's zone and its default late-cancel cut-off. */
type Studio = { studioTimeZone: string; defaultLateCancelCutoffHours: number };

/** From the start of `from` to the end of the day `days` − 1 later, in the studio's zone. */
function daysFrom(from: LocalDate, days: number, zone: string) {
  return { start: dayRange(from, zone).start, end: dayRange(addDays(from, days - 1), zone).end };
}

export type ClientWeek = {
  /** The sessions of the days asked for (of one class type when asked), with the client's own state on each. */
  items: ClientSessionItem[];
  /**
   * The client's active cohort and its sessions among these days that have not started and are not
   * cancelled (of every class type), shown first on /client/sessions; null when the client is in no active cohort.
   */
  cohort: { cohort: { id: number; name: string }; items: ClientSessionItem[] } | null;
};

/**
 * The timetable of the `days` (7) days from `from` (studio zone) as a client sees it, and their cohort's
 * share of it: one statement for the sessions, one for the cohort. The class filter is applied here
 * rather than in SQL, since the cohort's list keeps every class.
 */
export function clientWeekRead(
  studio: Studio,
  input: { userId: number; from: LocalDate; classTypeId?: number; days?: number },
  now = new Date(),
): Read<ClientWeek> {
  const { start, end } = daysFrom(input.from, input.days ?? 7, studio.studioTimeZone);
  return {
    statements: [
      // One active cohort at most per client (a partial unique index).
      {
        sql: `select c.id, c.name from cohort_membership m join cohort c on c.id = m.cohort_id where m.user_id = ? and m.status = 'ACTIVE'`,
        params: [input.userId],
      },
      sessionRowsStatement(input.userId, { sql: `s.start_time >= ? and s.start_time < ?`, params: [start, end] }),
    ],
    answer: ([[cohort], sessionRows]) => {
      const rows = (sessionRows as SessionRow[]).map((row) => ({ row, item: describeForClient(row, studio, now) }));
      return {
        items: rows.filter(({ row }) => !input.classTypeId || row.class_type_id === input.classTypeId).map(({ item }) => item),
        cohort: cohort
          ? {
              cohort,
              items: rows
                .filter(({ row }) => row.cohort_id === cohort.id && row.status === "SCHEDULED" && row.start_ms >= now.getTime())
                .map(({ item }) => item),
            }
          : null,
      };
    },
  };
}

/** Sessions of the `days` (7) days from `from` (studio zone), with the client's own state on each. */
export async function clientTimetable(em: EntityManager, input: { userId: number; from?: LocalDate; classTypeId?: number; days?: number }, now = new Date()) {
  const studio = await getSettings(em);
  const from = input.from ?? todayIn(studio.studioTimeZone, now);
  const week = await runRead(em, clientWeekRead(studio, { ...input, from }, now));
  return { zone: studio.studioTimeZone, from, items: week.items };
}

type SessionRow = {
  id: number;
  title: string;
  class_type_id: number | null;
  cohort_id: number | null;
  start_ms: number;
  end_ms: number;
  location: string | null;
  cancellation_reason: string | null;
  max_occupancy: number;
  status: SessionStatus;
  booking_opens_days_before: number;
  booking_closes_minutes_before: number;
  color: string | null;
  coach_name: string;
  registered: number;
  waitlisted: number;
  my_status: RegistrationStatus | null;
  my_position: number | null;
  my_cutoff_hours: number | null;
};

/**
 * Sessions matching `where` (over `session s`) as plain rows (never the session's notes: they are the
 * coaches'), with what a client's list shows of each in one statement: the class colour and coach, the
 * places held and the queue (as registrationCounts counts them), and the client's own registration with its
 * plan's cancel cut-off. Plain rows rather than entities: this is the page clients load most, and hydrating
 * every session, coach and class type cost more than the queries.
 *
 * The sessions are found once (`s`), and the counts and the client's own registrations joined to them, as
 * are colour and coach, rather than a subquery per session: PostgreSQL spends about half the time on a week,
 * and no more as the studio's history grows (docs/decisions/0034).
 */
function sessionRowsStatement(userId: number, where: { sql: string; params: unknown[] }): Statement {
  return {
    sql: `with s as materialized (
              select s.id, s.title, s.class_type_id, s.cohort_id, s.coach_id, s.start_time, s.end_time, s.location, s.cancellation_reason,
                     s.max_occupancy, s.status, s.booking_opens_days_before, s.booking_closes_minutes_before
                from session s where ${where.sql}),
          counts as (
              select r.session_id, count(*) filter (where r.status in (${sqlTextList(HOLDS_PLACE)})) as registered,
                     count(*) filter (where r.status = 'WAITLISTED') as waitlisted
                from s join session_registration r on r.session_id = s.id group by r.session_id),
          mine as (
              select r.session_id, r.status as my_status, r.waitlist_position as my_position, plan.late_cancel_cutoff_hours as my_cutoff_hours
                from s join session_registration r on r.session_id = s.id and r.user_id = ?
                left join user_membership membership on membership.id = r.membership_id
                left join membership_plan plan on plan.id = membership.plan_id)
     select s.id, s.title, s.class_type_id, s.cohort_id, (extract(epoch from s.start_time) * 1000)::float8 as start_ms, (extract(epoch from s.end_time) * 1000)::float8 as end_ms,
            s.location, s.cancellation_reason, s.max_occupancy, s.status, s.booking_opens_days_before, s.booking_closes_minutes_before,
            ct.color, coach.name as coach_name, coalesce(counts.registered, 0) as registered, coalesce(counts.waitlisted, 0) as waitlisted,
            mine.my_status, mine.my_position, mine.my_cutoff_hours
       from s
       left join class_type ct on ct.id = s.class_type_id
       join "user" coach on coach.id = s.coach_id
       left join counts on counts.session_id = s.id
       left join mine on mine.session_id = s.id
      order by s.start_time, s.id`,
    params: [...where.params, userId],
  };
}

function describeForClient(row: SessionRow, studio: Studio, now: Date): ClientSessionItem {
  const zone = studio.studioTimeZone;
  const session = {
    title: row.title,
    classType: row.color === null ? null : { color: row.color },
    coach: { name: row.coach_name },
    status: row.status,
    startTime: new Date(row.start_ms),
    endTime: new Date(row.end_ms),
    bookingOpensDaysBefore: row.booking_opens_days_before,
    bookingClosesMinutesBefore: row.booking_closes_minutes_before,
  };
  const window = registrationWindow(session, zone);
  const cutoff = row.my_cutoff_hours ?? studio.defaultLateCancelCutoffHours;
  return {
    id: row.id,
    ...sessionLabels(session, zone),
    location: row.location,
    capacity: row.max_occupancy,
    registered: row.registered,
    waitlisted: row.waitlisted,
    status: effectiveStatus(session, now),
    mine: row.my_status && row.my_status !== "CANCELLED" ? { status: row.my_status, position: row.my_position } : null,
    closedReason: sessionRefusal({ ...session, ...window }, now, (d) => formatDateTime(d, zone)),
    lateCancel: row.my_status === "REGISTERED" && isLateCancel(session.startTime, cutoff, now),
  };
}

export async function clientSession(em: EntityManager, input: { userId: number; sessionId: number }, now = new Date()) {
  const studio = await getSettings(em);
  const [row] = await runRead(
    em,
    readOf(sessionRowsStatement(input.userId, { sql: "s.id = ?", params: [input.sessionId] }), (rows: SessionRow[]) => rows),
  );
  if (!row) return null;
  return {
    ...describeForClient(row, studio, now),
    cancellationReason: row.cancellation_reason,
    startTime: new Date(row.start_ms),
    endTime: new Date(row.end_ms),
  };
}

export type UpcomingBooking = Pick<ClientSessionItem, "title" | "color" | "coachName" | "date" | "startLabel" | "endLabel"> & {
  sessionId: number;
  status: "REGISTERED" | "WAITLISTED";
  position: number | null;
};

/** The client's next booked or waitlisted sessions, soonest first (the home page). */
export async function upcomingBookings(em: EntityManager, userId: number, now = new Date(), limit = 3): Promise<UpcomingBooking[]> {
  const zone = (await getSettings(em)).studioTimeZone;
  const registrations = await em.find(
    SessionRegistration,
    { user: userId, status: { $in: ["REGISTERED", "WAITLISTED"] }, session: { startTime: { $gte: now } } },
    { populate: ["session.classType", "session.coach"], orderBy: { session: { startTime: "asc" } }, limit },
  );
  return registrations.map(({ session: s, status, waitlistPosition }) => ({
    sessionId: s.id,
    ...sessionLabels(s, zone),
    status: status as UpcomingBooking["status"],
    position: waitlistPosition ?? null,
  }));
}

/** The client's booked and waitlisted sessions between two instants (the calendar page and feed). */
export async function myRegistrations(em: EntityManager, userId: number, range: { start: Date; end: Date }) {
  return em.find(
    SessionRegistration,
    { user: userId, status: { $in: [...ON_THE_LIST] }, session: { startTime: { $gte: range.start, $lt: range.end } } },
    { populate: ["session.classType", "session.coach"], orderBy: { session: { startTime: "asc" } } },
  );
}
