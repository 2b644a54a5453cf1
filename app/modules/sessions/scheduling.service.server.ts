// Scheduling one session at a time: create, edit, cancel, and attendance.
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import type { FieldErrors } from "~/utils/forms";
import { flushUnlessDuplicate, hasErrors, invalid, isUniqueViolation, refuse, type Failure, type Result } from "~/utils/result";
import { oncePerFormToken } from "../idempotency/idempotency.service.server";
import { formatDate, formatTime, formatWhen, toInstant } from "~/utils/time";
import { SessionRegistration } from "../booking/booking.entities.server";
import { promoteFromWaitlist } from "../booking/booking.service.server";
import { countsTowardWeek, holdsPlace } from "../booking/booking.rules";
import { countPlacesTaken } from "../booking/registration-counts.server";
import { UserMembership } from "../memberships/memberships.entities.server";
import { Cohort } from "../cohorts/cohorts.entities.server";
import { notify } from "../notifications/notify.server";
import { getSettings } from "../settings/settings.service.server";
import { ClassType, Session, type ISession } from "./sessions.entities.server";
import { attendanceWindow, bookingWindowFor, isAttendanceEditable, validateSessionTimes } from "./sessions.rules";
import type { SessionEditInput, SessionInput } from "./sessions.schema";
import { defaultLocation, findCoach } from "./lookups.server";

const DUPLICATE = refuse("This coach already has this class at that time.");

/**
 * Creates one session. With a `formToken` (and the `actorId` who submitted it) the form's second
 * submission creates nothing and answers the first's session, `replayed`.
 */
export async function createSession(
  em: EntityManager,
  input: SessionInput & { formToken?: string; actorId?: number },
  now = new Date(),
): Promise<Result<{ session: ISession; replayed: boolean }>> {
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
  // A replayed form answers what it made before, whatever the clock says now.
  const replayable = { token: input.formToken, purpose: "new-session" as const, actorId: input.actorId };
  const location = input.location ?? (await defaultLocation(em));
  try {
    const result = await oncePerFormToken(
      em,
      replayable,
      (id) => em.findOne(Session, id),
      async (tx) => {
        if (hasErrors(errors) || !coach || !title) return invalid(errors);
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
          ...bookingWindowFor(classType, settings),
        });
        await tx.flush();
        return { ok: true, record: session };
      },
    );
    return result!.ok ? { ok: true, session: result!.record, replayed: result!.replayed } : result!;
  } catch (error) {
    if (isUniqueViolation(error)) return DUPLICATE;
    throw error;
  }
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
    if (session.status === "CANCELLED") return refuse("This session is cancelled and can no longer be changed.");
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
    if (hasErrors(errors) || !coach) return invalid(errors);
    tx.assign(session, {
      coach,
      startTime: start,
      endTime: end,
      maxOccupancy: input.maxOccupancy,
      location: input.location ?? null,
      notes: input.notes ?? null,
    });
    const duplicate = await flushUnlessDuplicate(tx, DUPLICATE);
    if (duplicate) return duplicate;
    // A raised capacity (or a later start) may open places for the waitlist.
    await promoteFromWaitlist(tx, session, settings.studioTimeZone, now);
    return { ok: true as const, session };
  });
}

/**
 * Cancels a session (CO-4): its bookings and waitlist are cancelled and every affected client gets a
 * notification, all in one transaction.
 */
export async function cancelSession(em: EntityManager, id: number, reason: string, now = new Date()): Promise<{ ok: true; notified: number } | Failure | null> {
  const settings = await getSettings(em);
  return em.transactional(async (tx) => {
    const session = await tx.findOne(Session, id, { lockMode: LockMode.PESSIMISTIC_WRITE, populate: ["classType"] });
    if (!session) return null;
    if (session.status === "CANCELLED") return refuse("This session is already cancelled.");
    if (session.endTime.getTime() <= now.getTime()) return refuse("This session has finished, so it cannot be cancelled.");
    session.status = "CANCELLED";
    session.cancellationReason = reason;
    session.cancelledAt = now;
    // Every registration on it is released, late-cancelled ones too: none counts toward a week any more.
    const affected = await tx.find(SessionRegistration, { session, status: { $ne: "CANCELLED" } }, { populate: ["membership.plan"], orderBy: { id: "asc" } });
    const when = `${formatDate(session.startTime, settings.studioTimeZone)} at ${formatTime(session.startTime, settings.studioTimeZone)}`;
    // A pack gets back every session it paid for (a late cancel's too); nobody is moved up into a cancelled class.
    // The packs are locked in id order, as the booking locks them, so two cancellations cannot deadlock.
    const charged = affected.filter((r) => countsTowardWeek(r.status) && r.membership?.plan.type === "PACK");
    const packs = charged.length
      ? await tx.find(
          UserMembership,
          { id: { $in: charged.map((r) => r.membership!.id) } },
          { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true, orderBy: { id: "asc" } },
        )
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
      await notify(tx, {
        userId: registration.user.id,
        kind: "SESSION_CANCELLED",
        subject: `Cancelled: ${session.title} on ${when}`,
        body: `Sorry, ${session.title} on ${formatWhen(session.startTime, settings.studioTimeZone)} has been cancelled. Reason: ${reason}`,
        payload: { sessionId: session.id, registrationId: registration.id, reason },
      });
    }
    await tx.flush();
    return { ok: true as const, notified };
  });
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
  if (registration.session.status === "CANCELLED") return refuse("This session was cancelled.");
  if (!isAttendanceEditable(registration.session, settings.studioTimeZone, now, settings.attendanceEditDays)) {
    const { lastDay } = attendanceWindow(registration.session, settings.studioTimeZone, settings.attendanceEditDays);
    return refuse(`Attendance can be marked from the start of the session until the end of ${formatDate(lastDay, settings.studioTimeZone)}.`);
  }
  if (!holdsPlace(registration.status)) {
    return refuse("Only booked clients can be marked.");
  }
  registration.status = input.attendance;
  registration.attendanceMarkedAt = now;
  await em.flush();
  return { ok: true };
}
