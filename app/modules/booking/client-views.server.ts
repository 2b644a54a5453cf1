// What a client sees of the timetable and of their own bookings (read models; the commands are in booking.service.server.ts).
import type { EntityManager } from "@mikro-orm/postgresql";
import { addDays, dayRange, formatDateTime, todayIn, type LocalDate } from "~/utils/time";
import { CohortMembership } from "../cohorts/cohorts.entities.server";
import { Session, type ISession } from "../sessions/sessions.entities.server";
import { effectiveStatus, registrationWindow, sessionLabels } from "../sessions/sessions.rules";
import { getSettings } from "../settings/settings.service.server";
import { SessionRegistration, type ISessionRegistration } from "./booking.entities.server";
import { registrationCounts } from "./registration-counts.server";
import { isLateCancel, ON_THE_LIST, sessionRefusal } from "./booking.rules";

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

/** Sessions of the 7 days from `from` (studio zone), with the client's own state on each. */
export async function clientTimetable(em: EntityManager, input: { userId: number; from?: LocalDate; classTypeId?: number; days?: number }, now = new Date()) {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const from = input.from ?? todayIn(zone, now);
  const days = input.days ?? 7;
  const start = dayRange(from, zone).start;
  const end = dayRange(addDays(from, days - 1), zone).end;
  const sessions = await em.find(
    Session,
    { startTime: { $gte: start, $lt: end }, ...(input.classTypeId ? { classType: input.classTypeId } : {}) },
    { populate: ["classType", "coach"], orderBy: { startTime: "asc", id: "asc" } },
  );
  return { zone, from, items: await describeForClient(em, sessions, input.userId, zone, settings.defaultLateCancelCutoffHours, now) };
}

/**
 * The upcoming sessions of the client's active cohort in the same 7 days as the timetable (not yet
 * started, not cancelled), shown first on /client/sessions; null when the client is in no active cohort.
 */
export async function clientCohortSessions(em: EntityManager, input: { userId: number; from?: LocalDate; days?: number }, now = new Date()) {
  const membership = await em.findOne(CohortMembership, { user: input.userId, status: "ACTIVE" }, { populate: ["cohort"] });
  if (!membership) return null;
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const from = input.from ?? todayIn(zone, now);
  const start = dayRange(from, zone).start;
  const end = dayRange(addDays(from, (input.days ?? 7) - 1), zone).end;
  const sessions = await em.find(
    Session,
    { cohort: membership.cohort.id, status: "SCHEDULED", startTime: { $gte: start > now ? start : now, $lt: end } },
    { populate: ["classType", "coach"], orderBy: { startTime: "asc", id: "asc" } },
  );
  return {
    cohort: { id: membership.cohort.id, name: membership.cohort.name },
    items: await describeForClient(em, sessions, input.userId, zone, settings.defaultLateCancelCutoffHours, now),
  };
}

async function describeForClient(
  em: EntityManager,
  sessions: ISession[],
  userId: number,
  zone: string,
  defaultCutoff: number,
  now: Date,
): Promise<ClientSessionItem[]> {
  const ids = sessions.map((s) => s.id);
  const counts = await registrationCounts(em, ids);
  const mine = ids.length ? await em.find(SessionRegistration, { user: userId, session: { $in: ids } }, { populate: ["membership.plan"] }) : [];
  return sessions.map((s) => {
    const own = mine.find((r) => r.session.id === s.id);
    const count = counts.get(s.id);
    const window = registrationWindow(s, zone);
    const cutoff = own?.membership?.plan.lateCancelCutoffHours ?? defaultCutoff;
    return {
      id: s.id,
      ...sessionLabels(s, zone),
      location: s.location ?? null,
      capacity: s.maxOccupancy,
      registered: count?.registered ?? 0,
      waitlisted: count?.waitlisted ?? 0,
      status: effectiveStatus(s, now),
      mine: own && own.status !== "CANCELLED" ? { status: own.status, position: own.waitlistPosition ?? null } : null,
      closedReason: sessionRefusal({ ...s, ...window }, now, (d) => formatDateTime(d, zone)),
      lateCancel: own?.status === "REGISTERED" && isLateCancel(s.startTime, cutoff, now),
    };
  });
}

export async function clientSession(em: EntityManager, input: { userId: number; sessionId: number }, now = new Date()) {
  const settings = await getSettings(em);
  const session = await em.findOne(Session, input.sessionId, { populate: ["classType", "coach"] });
  if (!session) return null;
  const [item] = await describeForClient(em, [session], input.userId, settings.studioTimeZone, settings.defaultLateCancelCutoffHours, now);
  return {
    ...item,
    notes: session.notes ?? null,
    cancellationReason: session.cancellationReason ?? null,
    startTime: session.startTime,
    endTime: session.endTime,
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
