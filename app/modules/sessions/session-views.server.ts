// What coaches and admins see of the timetable: lists, calendars, one session's page (read models).
import type { EntityManager } from "@mikro-orm/postgresql";
import { addDays, dayRange, formatDate, formatDateTime, localTimeOf, todayIn, weekRange, type LocalDate } from "~/utils/time";
import { SessionRegistration } from "../booking/booking.entities.server";
import { HOLDS_PLACE, holdsPlace } from "../booking/booking.rules";
import { registrationCounts } from "../booking/registration-counts.server";
import { coachAppointmentsInRange, type CoachSlotItem } from "../appointments/appointment-views.server";
import { featureFlags } from "../settings/feature-flags";
import { getSettings } from "../settings/settings.service.server";
import { ClassType, Session, type ISession } from "./sessions.entities.server";
import { effectiveStatus, attendanceWindow, isAttendanceEditable, sessionLabels, type SessionStatus } from "./sessions.rules";
import type { SessionFilters } from "./sessions.schema";
import { listCoaches, listCohorts } from "./lookups.server";

export type SessionSummary = {
  id: number;
  title: string;
  classTypeId: number | null;
  classTypeName: string | null;
  color: string;
  coachId: number;
  coachName: string;
  cohortName: string | null;
  date: LocalDate;
  startLabel: string;
  endLabel: string;
  startIso: string;
  capacity: number;
  registered: number;
  waitlisted: number;
  location: string | null;
  status: SessionStatus;
  cancellationReason: string | null;
};

async function summarise(em: EntityManager, sessions: ISession[], zone: string, now: Date): Promise<SessionSummary[]> {
  const counts = await registrationCounts(
    em,
    sessions.map((s) => s.id),
  );
  return sessions.map((s) => ({
    id: s.id,
    ...sessionLabels(s, zone),
    classTypeId: s.classType?.id ?? null,
    classTypeName: s.classType?.name ?? null,
    coachId: s.coach.id,
    cohortName: s.cohort?.name ?? null,
    startIso: s.startTime.toISOString(),
    capacity: s.maxOccupancy,
    registered: counts.get(s.id)?.registered ?? 0,
    waitlisted: counts.get(s.id)?.waitlisted ?? 0,
    location: s.location ?? null,
    status: effectiveStatus(s, now),
    cancellationReason: s.cancellationReason ?? null,
  }));
}

const POPULATE = ["classType", "coach", "cohort"] as const;

export const SESSIONS_PAGE_SIZE = 25;

/** The coach's session list: filters by dates (studio zone), class type, coach, cohort and status; paginated. */
export async function listSessions(em: EntityManager, filters: SessionFilters, now = new Date()) {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const from = filters.from ?? todayIn(zone, now);
  const where: Record<string, unknown> = { startTime: { $gte: dayRange(from, zone).start } };
  if (filters.to) (where.startTime as Record<string, unknown>).$lt = dayRange(filters.to, zone).end;
  if (filters.classType) where.classType = filters.classType;
  if (filters.coach) where.coach = filters.coach;
  if (filters.cohort) where.cohort = filters.cohort;
  if (filters.status === "CANCELLED") where.status = "CANCELLED";
  if (filters.status === "SCHEDULED") Object.assign(where, { status: "SCHEDULED", endTime: { $gt: now } });
  if (filters.status === "COMPLETED") where.$or = [{ status: "COMPLETED" }, { status: "SCHEDULED", endTime: { $lte: now } }];
  const page = filters.page ?? 1;
  const [sessions, total] = await em.findAndCount(Session, where, {
    populate: POPULATE,
    orderBy: { startTime: "asc", id: "asc" },
    limit: SESSIONS_PAGE_SIZE,
    offset: (page - 1) * SESSIONS_PAGE_SIZE,
  });
  return {
    from,
    page,
    pageCount: Math.max(1, Math.ceil(total / SESSIONS_PAGE_SIZE)),
    total,
    sessions: await summarise(em, sessions, zone, now),
  };
}

/** A calendar day: its sessions and, while the appointments area is switched on, its appointment slots. */
export type CalendarDay = { date: LocalDate; sessions: SessionSummary[]; appointments: CoachSlotItem[] };

/** Sessions (and appointment slots, when switched on) of the week (Mon–Sun) or the day containing `date`, by local day. */
export async function calendar(
  em: EntityManager,
  options: { date?: LocalDate; view: "week" | "day"; coachId?: number },
  now = new Date(),
): Promise<{ zone: string; date: LocalDate; view: "week" | "day"; days: CalendarDay[]; previous: LocalDate; next: LocalDate; today: LocalDate }> {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const today = todayIn(zone, now);
  const date = options.date ?? today;
  const range = options.view === "week" ? weekRange(date, zone) : { ...dayRange(date, zone), days: [date] };
  const sessions = await em.find(
    Session,
    { startTime: { $gte: range.start, $lt: range.end }, ...(options.coachId ? { coach: options.coachId } : {}) },
    { populate: POPULATE, orderBy: { startTime: "asc", id: "asc" } },
  );
  const summaries = await summarise(em, sessions, zone, now);
  const appointments = featureFlags(settings).appointments ? await coachAppointmentsInRange(em, { ...range, coachId: options.coachId }, zone) : [];
  const step = options.view === "week" ? 7 : 1;
  return {
    zone,
    date,
    view: options.view,
    today,
    previous: addDays(date, -step),
    next: addDays(date, step),
    days: range.days.map((day) => ({
      date: day,
      sessions: summaries.filter((s) => s.date === day),
      appointments: appointments.filter((a) => a.date === day),
    })),
  };
}

export async function getSessionDetail(em: EntityManager, id: number, now = new Date()) {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const session = await em.findOne(Session, id, { populate: POPULATE });
  if (!session) return null;
  const [summary] = await summarise(em, [session], zone, now);
  const registrations = await em.find(
    SessionRegistration,
    { session: id, status: { $in: [...HOLDS_PLACE, "WAITLISTED", "LATE_CANCELLED"] } },
    { populate: ["user"], orderBy: { waitlistPosition: "asc", registeredAt: "asc", id: "asc" } },
  );
  const person = (r: (typeof registrations)[number]) => ({
    id: r.id,
    userId: r.user.id,
    name: r.user.name,
    email: r.user.email,
    status: r.status,
    waitlistPosition: r.waitlistPosition ?? null,
    cancelledAt: r.cancelledAt ? formatDateTime(r.cancelledAt, zone) : null,
  });
  return {
    session: {
      ...summary,
      durationMins: Math.round((session.endTime.getTime() - session.startTime.getTime()) / 60_000),
      startTime: localTimeOf(session.startTime, zone),
      endTime: localTimeOf(session.endTime, zone),
      notes: session.notes ?? null,
      cancelledAt: session.cancelledAt?.toISOString() ?? null,
      bookingOpensDaysBefore: session.bookingOpensDaysBefore,
      bookingClosesMinutesBefore: session.bookingClosesMinutesBefore,
    },
    registered: registrations.filter((r) => holdsPlace(r.status)).map(person),
    waitlist: registrations.filter((r) => r.status === "WAITLISTED").map(person),
    /** Cancelled inside the cut-off: the place counted against their week or pack (a coach may follow up). */
    lateCancelled: registrations.filter((r) => r.status === "LATE_CANCELLED").map(person),
    attendanceEditable: session.status !== "CANCELLED" && isAttendanceEditable(session, zone, now, settings.attendanceEditDays),
    /** The last day attendance can be marked or corrected, e.g. "Wed 13 May 2026". */
    attendanceEditableUntil: formatDate(attendanceWindow(session, zone, settings.attendanceEditDays).lastDay, zone),
  };
}

/** The choices the session forms offer: active class types (with their defaults), coaches and cohorts. */
export async function sessionFormOptions(em: EntityManager) {
  const [classTypes, coaches, cohorts, settings] = await Promise.all([
    em.find(ClassType, { isActive: true }, { orderBy: { name: "asc" } }),
    listCoaches(em),
    listCohorts(em),
    getSettings(em),
  ]);
  return {
    zone: settings.studioTimeZone,
    classTypes: classTypes.map((c) => ({
      id: c.id,
      name: c.name,
      color: c.color,
      defaultCapacity: c.defaultCapacity,
      defaultDurationMins: c.defaultDurationMins,
    })),
    coaches: coaches.map((c) => ({ id: c.id, name: c.name })),
    cohorts: cohorts.map((c) => ({ id: c.id, name: c.name })),
  };
}
