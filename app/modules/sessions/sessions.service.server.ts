import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import type { FieldErrors } from "~/utils/forms";
import { addDays, dayRange, formatDate, formatDateTime, formatTime, localDateOf, localTimeOf, toInstant, todayIn, weekRange, type LocalDate } from "~/utils/time";
import { User } from "../auth/auth.entities.server";
import { SessionRegistration } from "../booking/booking.entities.server";
import { COUNTS_TOWARD_WEEK } from "../booking/booking.rules";
import { promoteFromWaitlist } from "../booking/booking.service.server";
import { UserMembership } from "../memberships/memberships.entities.server";
import { Cohort } from "../cohorts/cohorts.entities.server";
import { FormAlreadySubmitted, previousSubmission, recordFormSubmission, TOKEN_USED_ELSEWHERE } from "../idempotency/idempotency.service.server";
import { Notification } from "../notifications/notifications.entities.server";
import { getSettings } from "../settings/settings.service.server";
import { ClassType, Session, Venue, type IClassType, type ISession } from "./sessions.entities.server";
import { attendanceWindow, effectiveStatus, expandRecurrence, isAttendanceEditable, NEUTRAL_COLOUR, validateSessionTimes, type SessionStatus } from "./sessions.rules";
import type { RecurringInput, SessionEditInput, SessionFilters, SessionInput } from "./sessions.schema";

export type Failure = { ok: false; fieldErrors: FieldErrors; formError?: string };
const fail = (fieldErrors: FieldErrors, formError?: string): Failure => ({ ok: false, fieldErrors, formError });

/** Registrations holding a place (as opposed to waiting or gone). */
export const PLACE_HOLDING = ["REGISTERED", "ATTENDED", "NO_SHOW"] as const;

// ---------- lookups shared by the forms ----------

export function listCoaches(em: EntityManager) {
  return em.find(User, { role: { $in: ["COACH", "ADMIN"] } }, { orderBy: { role: "asc", name: "asc" }, fields: ["id", "name", "role"] });
}

export function listCohorts(em: EntityManager) {
  return em.find(Cohort, { isActive: true }, { orderBy: { startDate: "desc" }, fields: ["id", "name"] });
}

async function findCoach(em: EntityManager, id: number) {
  return em.findOne(User, { id, role: { $in: ["COACH", "ADMIN"] } });
}

async function defaultLocation(em: EntityManager): Promise<string | null> {
  const [venue] = await em.find(Venue, {}, { orderBy: { id: "asc" }, limit: 1 });
  return venue?.name ?? null;
}

function isUniqueViolation(error: unknown) {
  return error instanceof Error && error.name === "UniqueConstraintViolationException";
}

const DUPLICATE = "This coach already has this class at that time.";

// ---------- create one ----------

/**
 * Creates one session. With a `formToken` (and the `actorId` who submitted it) the form's second
 * submission creates nothing and answers the first's session, `replayed`.
 */
export async function createSession(
  em: EntityManager,
  input: SessionInput & { formToken?: string; actorId?: number },
  now = new Date(),
): Promise<{ ok: true; session: ISession; replayed: boolean } | Failure> {
  const { formToken, actorId } = input;
  const replay = async () => {
    if (!formToken || actorId === undefined) return null;
    const previous = await previousSubmission(em, { token: formToken, purpose: "new-session", actorId });
    if (previous.kind === "none") return null;
    const session = previous.kind === "same" ? await em.findOne(Session, previous.resultId) : null;
    return session ? { ok: true as const, session, replayed: true } : fail({}, TOKEN_USED_ELSEWHERE);
  };
  const earlier = await replay();
  if (earlier) return earlier;
  const settings = await getSettings(em);
  const errors: FieldErrors = {};
  const classType = input.classTypeId ? await em.findOne(ClassType, { id: input.classTypeId, isActive: true }) : null;
  if (input.classTypeId && !classType) errors.classTypeId = ["Choose a class type from the list."];
  const coach = await findCoach(em, input.coachId);
  if (!coach) errors.coachId = ["Choose a coach from the list."];
  const cohort = input.cohortId ? await em.findOne(Cohort, input.cohortId) : null;
  if (input.cohortId && !cohort) errors.cohortId = ["Choose a cohort from the list."];
  const title = input.title ?? classType?.name;
  if (!title) errors.title = ["Enter a title, or pick a class type."];

  const capacity = input.maxOccupancy ?? classType?.defaultCapacity ?? 12;
  const start = toInstant(input.date, input.startTime, settings.studioTimeZone);
  const end = input.endTime
    ? toInstant(input.date, input.endTime, settings.studioTimeZone)
    : new Date(start.getTime() + (classType?.defaultDurationMins ?? 60) * 60_000);
  const timeErrors = validateSessionTimes({ start, end, capacity }, now);
  if (timeErrors.startTime) errors.date = [timeErrors.startTime];
  if (timeErrors.endTime) errors.endTime = [timeErrors.endTime];
  if (timeErrors.maxOccupancy) errors.maxOccupancy = [timeErrors.maxOccupancy];
  if (Object.keys(errors).length || !coach || !title) return fail(errors);

  const location = input.location ?? (await defaultLocation(em));
  try {
    return await em.transactional(async (tx) => {
      const session = tx.create(Session, {
        classType,
        cohort,
        coach,
        title,
        startTime: start,
        endTime: end,
        maxOccupancy: capacity,
        location,
        notes: input.notes ?? null,
        status: "SCHEDULED",
        ...bookingWindowOf(classType, settings),
      });
      await tx.flush();
      if (formToken && actorId !== undefined) await recordFormSubmission(tx, { token: formToken, purpose: "new-session", actorId, resultId: session.id });
      return { ok: true as const, session, replayed: false };
    });
  } catch (error) {
    // The same form, submitted again while the first was being saved: that one stands, this one rolled back.
    if (error instanceof FormAlreadySubmitted) return (await replay()) ?? fail({}, TOKEN_USED_ELSEWHERE);
    if (isUniqueViolation(error)) return fail({}, DUPLICATE);
    throw error;
  }
}

function bookingWindowOf(
  classType: Pick<IClassType, "bookingOpensDaysBefore" | "bookingClosesMinutesBefore"> | null,
  settings: { bookingOpensDaysBefore: number; bookingClosesMinutesBefore: number },
) {
  return {
    bookingOpensDaysBefore: classType?.bookingOpensDaysBefore ?? settings.bookingOpensDaysBefore,
    bookingClosesMinutesBefore: classType?.bookingClosesMinutesBefore ?? settings.bookingClosesMinutesBefore,
  };
}

// ---------- the recurring generator ----------

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
  if (Object.keys(errors).length || !classType || !coach) return fail(errors);

  let occurrences;
  try {
    occurrences = expandRecurrence(input, settings.studioTimeZone, input.durationMins ?? classType.defaultDurationMins);
  } catch (error) {
    if (error instanceof RangeError) return fail({ to: ["Choose a range of at most a year."] });
    throw error;
  }
  if (occurrences.length === 0) return fail({ weekdays: ["None of the chosen days fall between those dates."] });

  const existing = await em.find(
    Session,
    { classType, coach, startTime: { $in: occurrences.map((o) => o.start) } },
    { fields: ["startTime"] },
  );
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
      ...bookingWindowOf(plan.classType, settings),
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
      params.push(r.classTypeId, r.cohortId, r.coachId, r.title, r.start, r.end, r.capacity, r.location, r.bookingOpensDaysBefore, r.bookingClosesMinutesBefore);
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

// ---------- edit and cancel ----------

export async function countPlacesTaken(em: EntityManager, sessionId: number): Promise<number> {
  return em.count(SessionRegistration, { session: sessionId, status: { $in: [...PLACE_HOLDING] } });
}

export async function updateSession(
  em: EntityManager,
  id: number,
  input: SessionEditInput,
  now = new Date(),
): Promise<{ ok: true; session: ISession } | Failure | null> {
  const settings = await getSettings(em);
  return em.transactional(async (tx) => {
    const session = await tx.findOne(Session, id, { lockMode: LockMode.PESSIMISTIC_WRITE });
    if (!session) return null;
    if (session.status === "CANCELLED") return fail({}, "This session is cancelled and can no longer be changed.");
    const errors: FieldErrors = {};
    const coach = await findCoach(tx, input.coachId);
    if (!coach) errors.coachId = ["Choose a coach from the list."];
    const start = toInstant(input.date, input.startTime, settings.studioTimeZone);
    const end = toInstant(input.date, input.endTime, settings.studioTimeZone);
    const timesChanged = start.getTime() !== session.startTime.getTime() || end.getTime() !== session.endTime.getTime();
    const timeErrors = validateSessionTimes({ start, end, capacity: input.maxOccupancy }, now);
    if (timesChanged && timeErrors.startTime) errors.date = [timeErrors.startTime];
    if (timeErrors.endTime) errors.endTime = [timeErrors.endTime];
    if (timeErrors.maxOccupancy) errors.maxOccupancy = [timeErrors.maxOccupancy];
    const taken = await countPlacesTaken(tx, id);
    if (input.maxOccupancy < taken) {
      errors.maxOccupancy = [`${taken} ${taken === 1 ? "client is" : "clients are"} booked, so the capacity cannot go below ${taken}.`];
    }
    if (Object.keys(errors).length || !coach) return fail(errors);
    tx.assign(session, {
      coach,
      startTime: start,
      endTime: end,
      maxOccupancy: input.maxOccupancy,
      location: input.location ?? null,
      notes: input.notes ?? null,
    });
    try {
      await tx.flush();
    } catch (error) {
      if (isUniqueViolation(error)) return fail({}, DUPLICATE);
      throw error;
    }
    // A raised capacity (or a later start) may open places for the waitlist.
    await promoteFromWaitlist(tx, session, settings.studioTimeZone, now);
    return { ok: true as const, session };
  });
}

/**
 * Cancels a session (CO-4): its bookings and waitlist are cancelled and every affected client gets a
 * notification, all in one transaction.
 */
export async function cancelSession(
  em: EntityManager,
  id: number,
  reason: string,
  now = new Date(),
): Promise<{ ok: true; notified: number } | Failure | null> {
  const settings = await getSettings(em);
  return em.transactional(async (tx) => {
    const session = await tx.findOne(Session, id, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ["classType"] });
    if (!session) return null;
    if (session.status === "CANCELLED") return fail({}, "This session is already cancelled.");
    if (session.endTime.getTime() <= now.getTime()) return fail({}, "This session has finished, so it cannot be cancelled.");
    session.status = "CANCELLED";
    session.cancellationReason = reason;
    session.cancelledAt = now;
    // Every registration on it is released, late-cancelled ones too: none counts toward a week any more.
    const affected = await tx.find(SessionRegistration, { session, status: { $ne: "CANCELLED" } }, { populate: ["membership.plan"], orderBy: { id: "asc" } });
    const when = `${formatDate(session.startTime, settings.studioTimeZone)} at ${formatTime(session.startTime, settings.studioTimeZone)}`;
    // A pack gets back every session it paid for (a late cancel's too); nobody is moved up into a cancelled class.
    // The packs are locked in id order, as the booking locks them, so two cancellations cannot deadlock.
    const charged = affected.filter((r) => (COUNTS_TOWARD_WEEK as readonly string[]).includes(r.status) && r.membership?.plan.type === "PACK");
    const packs = charged.length
      ? await tx.find(UserMembership, { id: { $in: charged.map((r) => r.membership!.id) } }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: "asc" } })
      : [];
    for (const registration of charged) {
      const pack = packs.find((m) => m.id === registration.membership!.id)!;
      pack.sessionsRemaining = (pack.sessionsRemaining ?? 0) + 1;
    }
    let notified = 0;
    for (const registration of affected) {
      const { status } = registration;
      registration.status = "CANCELLED";
      registration.cancelledAt = now;
      registration.waitlistPosition = null;
      // Those who were booked or waiting are told; a late canceller had already left the class.
      if (status === "LATE_CANCELLED") continue;
      notified++;
      tx.create(Notification, {
        user: registration.user,
        kind: "SESSION_CANCELLED",
        subject: `Cancelled: ${session.title} on ${when}`,
        body: `Sorry, ${session.title} on ${when} has been cancelled. Reason: ${reason}`,
        payload: { sessionId: session.id, registrationId: registration.id, reason },
      });
    }
    await tx.flush();
    return { ok: true as const, notified };
  });
}

// ---------- reading ----------

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
  const counts = await registrationCounts(em, sessions.map((s) => s.id));
  return sessions.map((s) => ({
    id: s.id,
    title: s.title,
    classTypeId: s.classType?.id ?? null,
    classTypeName: s.classType?.name ?? null,
    color: s.classType?.color ?? NEUTRAL_COLOUR,
    coachId: s.coach.id,
    coachName: s.coach.name,
    cohortName: s.cohort?.name ?? null,
    date: localDateOf(s.startTime, zone),
    startLabel: formatTime(s.startTime, zone),
    endLabel: formatTime(s.endTime, zone),
    startIso: s.startTime.toISOString(),
    capacity: s.maxOccupancy,
    registered: counts.get(s.id)?.registered ?? 0,
    waitlisted: counts.get(s.id)?.waitlisted ?? 0,
    location: s.location ?? null,
    status: effectiveStatus(s, now),
    cancellationReason: s.cancellationReason ?? null,
  }));
}

async function registrationCounts(em: EntityManager, sessionIds: number[]) {
  const counts = new Map<number, { registered: number; waitlisted: number }>();
  if (!sessionIds.length) return counts;
  const rows = await em.execute<{ session_id: number; registered: string; waitlisted: string }[]>(
    `select session_id,
            count(*) filter (where status in ('REGISTERED', 'ATTENDED', 'NO_SHOW')) as registered,
            count(*) filter (where status = 'WAITLISTED') as waitlisted
       from session_registration where session_id in (${sessionIds.map(() => "?").join(", ")}) group by session_id`,
    sessionIds,
  );
  for (const row of rows) counts.set(row.session_id, { registered: Number(row.registered), waitlisted: Number(row.waitlisted) });
  return counts;
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

export type CalendarDay = { date: LocalDate; sessions: SessionSummary[] };

/** Sessions of the week (Mon–Sun) or the day containing `date`, grouped by local day. */
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
  const step = options.view === "week" ? 7 : 1;
  return {
    zone,
    date,
    view: options.view,
    today,
    previous: addDays(date, -step),
    next: addDays(date, step),
    days: range.days.map((day) => ({ date: day, sessions: summaries.filter((s) => s.date === day) })),
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
    { session: id, status: { $in: [...PLACE_HOLDING, "WAITLISTED", "LATE_CANCELLED"] } },
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
    registered: registrations.filter((r) => (PLACE_HOLDING as readonly string[]).includes(r.status)).map(person),
    waitlist: registrations.filter((r) => r.status === "WAITLISTED").map(person),
    /** Cancelled inside the cut-off: the place counted against their week or pack (a coach may follow up). */
    lateCancelled: registrations.filter((r) => r.status === "LATE_CANCELLED").map(person),
    attendanceEditable: session.status !== "CANCELLED" && isAttendanceEditable(session, zone, now, settings.attendanceEditDays),
    /** The last day attendance can be marked or corrected, e.g. "Wed 13 May 2026". */
    attendanceEditableUntil: formatDate(attendanceWindow(session, zone, settings.attendanceEditDays).lastDay, zone),
  };
}

/** Marks a booked client ATTENDED or NO_SHOW, from the start until the end of the studio's attendance window. */
export async function markAttendance(
  em: EntityManager,
  input: { sessionId: number; registrationId: number; attendance: "ATTENDED" | "NO_SHOW" },
  now = new Date(),
): Promise<{ ok: true } | Failure | null> {
  const settings = await getSettings(em);
  const registration = await em.findOne(SessionRegistration, { id: input.registrationId, session: input.sessionId }, { populate: ["session"] });
  if (!registration) return null;
  if (registration.session.status === "CANCELLED") return fail({}, "This session was cancelled.");
  if (!isAttendanceEditable(registration.session, settings.studioTimeZone, now, settings.attendanceEditDays)) {
    const { lastDay } = attendanceWindow(registration.session, settings.studioTimeZone, settings.attendanceEditDays);
    return fail({}, `Attendance can be marked from the start of the session until the end of ${formatDate(lastDay, settings.studioTimeZone)}.`);
  }
  if (!PLACE_HOLDING.includes(registration.status as (typeof PLACE_HOLDING)[number])) {
    return fail({}, "Only booked clients can be marked.");
  }
  registration.status = input.attendance;
  registration.attendanceMarkedAt = now;
  await em.flush();
  return { ok: true };
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
    classTypes: classTypes.map((c) => ({ id: c.id, name: c.name, color: c.color, defaultCapacity: c.defaultCapacity, defaultDurationMins: c.defaultDurationMins })),
    coaches: coaches.map((c) => ({ id: c.id, name: c.name })),
    cohorts: cohorts.map((c) => ({ id: c.id, name: c.name })),
  };
}
