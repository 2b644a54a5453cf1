// Booking a place (C-2/C-3) in two steps, so that a popular session's lock is held for one round trip
// (docs/decisions/0008-booking-under-a-rush.md):
//   1. read, without locks: the session, the client's own registration, their memberships with plans and
//      allowances, the week's use of a weekly limit; decide in TypeScript (booking.rules.ts) which
//      membership books, or why nothing can, and compose the messages;
//   2. one multi-statement query, which PostgreSQL runs as one transaction: lock the session, lock the
//      client's memberships, then booking_place (a PL/pgSQL function, ADR 31) checks that nothing read in
//      step 1 has changed (else start again), places (a place while places are left, else the next
//      waitlist position), charges a pack and records the notification; commit. Its delivery is enqueued
//      first in the same query, before any lock is taken.
// Only the places left decide anything under the lock; everything else was decided before it.
import type { EntityManager } from "@mikro-orm/postgresql";
import { formatDateTime, localDateOf, todayIn, type LocalDate } from "~/utils/time";
import { refuse, type Failure } from "~/utils/result";
import { executePrepared, runAsOneQuery, sqlTextList, type Statement } from "../reads.server";
import { processQueueOrNull } from "../jobs/boss.server";
import { deliveryJobOptions } from "../jobs/enqueue.server";
import { DELIVER_NOTIFICATION } from "../jobs/queues";
import { effectiveMembershipStatus } from "../memberships/memberships.rules";
import type { MembershipStatus, PlanType } from "../memberships/memberships.entities.server";
import { bookingConfirmed, waitlistJoined, WAITLIST_POSITION_SLOT, type Message } from "../notifications/messages";
import { studioOf } from "../notifications/studio.server";
import { registrationWindow } from "../sessions/sessions.rules";
import { getSettings } from "../settings/settings.service.server";
import type { RegistrationStatus } from "./booking.entities.server";
import { chooseMembership, HOLDS_PLACE, sessionRefusal, type BookingCandidate } from "./booking.rules";
import { usedInWeek, usedInWeekQuery } from "./registration-counts.server";

export type BookResult = { ok: true; status: "REGISTERED" | "WAITLISTED"; position: number | null } | Failure;

/** SQLSTATE raised by `booking_place` (migration Migration20261201180000) when step 1 is stale. */
const INPUTS_CHANGED = "CB001";
const ATTEMPTS = 5;

type SessionRow = {
  id: number;
  title: string;
  start_time: string;
  max_occupancy: number;
  location: string | null;
  status: string;
  booking_opens_days_before: number;
  booking_closes_minutes_before: number;
  class_type_id: number | null;
  coach_name: string;
  print: string;
};
type RegistrationRow = { id: number; status: RegistrationStatus; waitlist_position: number | null; print: string };
type MembershipRow = {
  id: number;
  status: MembershipStatus;
  start_date: LocalDate;
  end_date: LocalDate | null;
  sessions_remaining: number | null;
  cancel_at_period_end: boolean;
  plan_name: string;
  plan_type: PlanType;
  sessions_per_week: number | null;
  late_cancel_cutoff_hours: number | null;
  allowed: number[];
  print: string;
};
type Read = {
  session: SessionRow | null;
  registration: RegistrationRow | null;
  memberships: MembershipRow[];
  notification_id: number;
  registration_id: number;
};

const MEMBERSHIP_HELD_STATUSES: readonly MembershipStatus[] = ["ACTIVE", "PAUSED"];
const MEMBERSHIP_HELD = `status in (${sqlTextList(MEMBERSHIP_HELD_STATUSES)})`;

/** Step 1: one statement. `print`s are digests of whole rows, compared again under the lock. */
async function readForBooking(em: EntityManager, sessionId: number, userId: number): Promise<Read> {
  const [row] = await executePrepared<Read>(em, {
    sql: `select
       (select row_to_json(x) from (
          select s.id, s.title, s.start_time, s.max_occupancy, s.location, s.status, s.booking_opens_days_before,
                 s.booking_closes_minutes_before, s.class_type_id, c.name as coach_name, md5(s::text) as print
            from session s join "user" c on c.id = s.coach_id where s.id = ?) x) as session,
       (select row_to_json(x) from (
          select r.id, r.status, r.waitlist_position, md5(r::text) as print
            from session_registration r where r.session_id = ? and r.user_id = ?) x) as registration,
       (select coalesce(json_agg(x order by x.id), '[]') from (
          select m.id, m.status, m.start_date::text as start_date, m.end_date::text as end_date, m.sessions_remaining,
                 m.cancel_at_period_end, p.name as plan_name, p.type as plan_type, p.sessions_per_week, p.late_cancel_cutoff_hours,
                 array(select a.class_type_id from membership_class_type_allowance a where a.plan_id = p.id) as allowed,
                 md5(m::text) as print
            from user_membership m join membership_plan p on p.id = m.plan_id
           where m.user_id = ? and m.${MEMBERSHIP_HELD}) x) as memberships,
       nextval('notification_id_seq')::int as notification_id,
       nextval('session_registration_id_seq')::int as registration_id`,
    params: [sessionId, sessionId, userId, userId],
  });
  return row;
}

/** What step 2 needs: the choice made, the ids to write and the digests of what step 1 read. */
type Plan = {
  sessionId: number;
  userId: number;
  now: Date;
  membershipId: number;
  chargesPack: boolean;
  /** The client's cancelled registration to book again (one row per session and client), or a new row's id. */
  reuse: boolean;
  registrationId: number;
  notificationId: number;
  booked: Message;
  waitlisted: Message;
  prints: { session: string; registration: string | null; memberships: string; used: string };
  used: { sql: string; params: unknown[] } | null;
};

const membershipsPrint = (rows: { id: number; print: string }[]) => rows.map((m) => `${m.id}:${m.print}`).join(",");
const usedPrint = (used: Map<number, number>) =>
  [...used.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, n]) => `${id}:${n}`)
    .join(",");

/** C-2/C-3: books a place, or a place on the waitlist when the session is full. Null: no such session. */
export async function registerForSession(em: EntityManager, input: { sessionId: number; userId: number }, now = new Date()): Promise<BookResult | null> {
  if (em.isInTransaction()) throw new Error("registerForSession runs its own transaction: call it outside one.");
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  for (let attempt = 1; ; attempt++) {
    const read = await readForBooking(em, input.sessionId, input.userId);
    const session = read.session;
    if (!session) return null;
    const startTime = new Date(session.start_time);
    const window = registrationWindow(
      { startTime, bookingOpensDaysBefore: session.booking_opens_days_before, bookingClosesMinutesBefore: session.booking_closes_minutes_before },
      zone,
    );
    const refusal = sessionRefusal({ status: session.status, startTime, ...window }, now, (d) => formatDateTime(d, zone));
    if (refusal) return refuse(refusal);
    const existing = read.registration;
    if (existing?.status === "WAITLISTED") return refuse(`You are already on the waitlist (position ${existing.waitlist_position}).`);
    if (existing?.status === "LATE_CANCELLED") return refuse("You late-cancelled this session, so it cannot be booked again.");
    if (existing && existing.status !== "CANCELLED") return refuse("You are already booked on this session.");

    const date = localDateOf(startTime, zone);
    const limited = read.memberships.filter((m) => m.sessions_per_week).map((m) => m.id);
    const used = await usedInWeek(em, limited, date, zone);
    const today = todayIn(zone, now);
    const candidates: BookingCandidate[] = read.memberships.map((m) => ({
      id: m.id,
      planName: m.plan_name,
      planType: m.plan_type,
      status: effectiveMembershipStatus({ status: m.status, endDate: m.end_date, cancelAtPeriodEnd: m.cancel_at_period_end, planType: m.plan_type }, today),
      startDate: m.start_date,
      endDate: m.end_date,
      sessionsPerWeek: m.sessions_per_week,
      sessionsRemaining: m.sessions_remaining,
      allowedClassTypeIds: m.allowed,
      usedThisWeek: used.get(m.id) ?? 0,
    }));
    const choice = chooseMembership(candidates, { classTypeId: session.class_type_id, date });
    if (!choice.ok) return refuse(choice.message);
    const membership = read.memberships.find((m) => m.id === choice.membershipId)!;

    const registrationId = existing ? existing.id : read.registration_id;
    const about = {
      session: { sessionId: session.id, title: session.title, startTime, location: session.location, coachName: session.coach_name },
      registrationId,
    };
    const plan = { name: membership.plan_name, type: membership.plan_type, sessionsPerWeek: membership.sessions_per_week };
    const studio = studioOf(settings);
    const outcome = await placeUnderLock(em, {
      sessionId: session.id,
      userId: input.userId,
      now,
      membershipId: membership.id,
      chargesPack: choice.planType === "PACK",
      reuse: Boolean(existing),
      registrationId,
      notificationId: read.notification_id,
      booked: bookingConfirmed(studio, { ...about, plan, cutoffHours: membership.late_cancel_cutoff_hours ?? settings.defaultLateCancelCutoffHours }),
      waitlisted: waitlistJoined(studio, { ...about, position: WAITLIST_POSITION_SLOT }),
      prints: {
        session: session.print,
        registration: existing?.print ?? null,
        memberships: membershipsPrint(read.memberships),
        used: usedPrint(used),
      },
      used: limited.length ? usedInWeekQuery(limited, date, zone) : null,
    });
    if (outcome !== "inputs changed") return { ok: true, ...outcome };
    // Something read in step 1 changed before the locks were taken (the client booked elsewhere at the same
    // moment, a coach edited the session): decide again on what is there now.
    if (attempt >= ATTEMPTS) return refuse("The session changed while we were booking it. Please try again.");
  }
}

/**
 * Step 2: the statements below go to PostgreSQL as one query, which it runs as one transaction (a simple
 * query with several statements), so the session's lock is held for that one round trip and the commit.
 * Under the locks, `booking_place` (Migration20261201180000) checks that step 1 is still true, then places
 * the client, charges a pack and records the notification: as a function, its statements keep their plans
 * from one booking to the next. Answers "inputs changed" when it found step 1 stale (nothing was written).
 */
async function placeUnderLock(em: EntityManager, plan: Plan): Promise<{ status: "REGISTERED" | "WAITLISTED"; position: number | null } | "inputs changed"> {
  const { sessionId, userId, booked, waitlisted } = plan;
  // The week's use, counted again under the locks (only with a weekly limit), in the form of prints.used.
  const usedNow = plan.used
    ? `(select coalesce(string_agg(u.membership_id || ':' || u.used, ',' order by u.membership_id), '') from (${plan.used.sql}) u)`
    : `''`;
  // In the JSON payload the slot stands for a number: its quotes go too.
  const waitlistedPayload = JSON.stringify(waitlisted.payload ?? {}).replace(`"${WAITLIST_POSITION_SLOT}"`, WAITLIST_POSITION_SLOT);
  // Every statement is prepared on the connection (runAsOneQuery): the same texts every time, the values apart.
  const statements = [
    // The delivery job first: it needs no lock, and the transaction holds none until the next statement.
    await enqueueStatement(plan.notificationId),
    // The booking's lock order (ADR 8): the session, then the client's memberships by id.
    { sql: `select 1 from session where id = ? for update`, params: [sessionId] },
    { sql: `select 1 from user_membership where user_id = ? and ${MEMBERSHIP_HELD} order by id for update`, params: [userId] },
    {
      sql: `select placed_status as status, placed_position as waitlist_position from booking_place(
         p_session_id => ?, p_user_id => ?, p_membership_id => ?, p_charges_pack => ?, p_reuse => ?,
         p_registration_id => ?, p_notification_id => ?, p_now => ?,
         p_holds_place => array[${sqlTextList(HOLDS_PLACE)}], p_membership_held => array[${sqlTextList(MEMBERSHIP_HELD_STATUSES)}],
         p_session_print => ?, p_registration_print => ?, p_memberships_print => ?, p_used_print => ?, p_used_now => ${usedNow},
         p_booked_kind => ?, p_booked_subject => ?, p_booked_body => ?, p_booked_payload => ?,
         p_waitlisted_kind => ?, p_waitlisted_subject => ?, p_waitlisted_body => ?, p_waitlisted_payload => ?,
         p_position_slot => ?)`,
      params: [
        sessionId,
        userId,
        plan.membershipId,
        plan.chargesPack,
        plan.reuse,
        plan.registrationId,
        plan.notificationId,
        plan.now,
        plan.prints.session,
        plan.prints.registration,
        plan.prints.memberships,
        plan.prints.used,
        ...(plan.used?.params ?? []),
        booked.kind,
        booked.subject,
        booked.body,
        JSON.stringify(booked.payload ?? {}),
        waitlisted.kind,
        waitlisted.subject,
        waitlisted.body,
        waitlistedPayload,
        WAITLIST_POSITION_SLOT,
      ],
    },
  ].filter((statement) => statement !== null);

  const run = async (texts: (string | Statement)[]) => {
    const results = await runAsOneQuery(em, texts);
    const [row] = results[results.length - 1] as { status: "REGISTERED" | "WAITLISTED"; waitlist_position: number | null }[];
    return { status: row.status, position: row.waitlist_position };
  };
  try {
    return await run(statements);
  } catch (error) {
    if ((error as { code?: string }).code === INPUTS_CHANGED) return "inputs changed";
    const enqueue = statements.findIndex((s) => typeof s !== "string" && s.sql.startsWith(ENQUEUE_MARK));
    if (enqueue < 0) throw error;
    // A queue that cannot take the job never fails the booking: book without it; the sweep delivers it.
    processQueueOrNull()?.log.warn({ err: error, notificationId: plan.notificationId }, "booking retried without enqueueing its delivery; the sweep will");
    try {
      return await run(statements.filter((_, i) => i !== enqueue));
    } catch (again) {
      if ((again as { code?: string }).code === INPUTS_CHANGED) return "inputs changed";
      throw again;
    }
  }
}

const ENQUEUE_MARK = "/* enqueue delivery */";

/**
 * pg-boss's own insert of the delivery job, as it would send it through a transaction (the `db` option of
 * `send`), recorded instead of run so that it joins the booking's statements. Null where this process
 * runs no queue (scripts, most tests): the sweep delivers.
 */
async function enqueueStatement(notificationId: number): Promise<Statement | null> {
  const queue = processQueueOrNull();
  if (!queue) return null;
  const recorded: Statement[] = [];
  const recorder = {
    async executeSql(text: string, values: unknown[] = []) {
      // pg-boss writes $1-style parameters; a Statement takes ?s, one value each in order.
      const params: unknown[] = [];
      const sql = text.replace(/\$(\d+)\b/g, (_, n: string) => {
        params.push(values[Number(n) - 1]);
        return "?";
      });
      recorded.push({ sql: `${ENQUEUE_MARK} ${sql.trim()}`, params });
      return { rows: [{ id: "enqueued with the booking" }] };
    },
  };
  await queue.boss.send(DELIVER_NOTIFICATION, { notificationId }, { ...deliveryJobOptions(notificationId), db: recorder });
  if (recorded.length !== 1) throw new Error(`pg-boss sent ${recorded.length} statements to enqueue one job; expected 1`);
  return recorded[0];
}
