// The scheduled jobs' work, each a plain function of (em, now) so a test runs it with a fixed `now`; the
// queue's schedules (runner.server.ts) call them. Each may run twice for the same day (two instances, a
// retry, a restart): every notification carries a dedupe key, so the second run records nothing.
import type { EntityManager, QueryResult } from "@mikro-orm/postgresql";
import type { PgBoss } from "pg-boss";
import { currentCheckInPeriod, type Programme } from "../cohorts/cohorts.rules";
import { notify, type NotifyInput } from "../notifications/notify.server";
import { emailWanted } from "../notifications/notifications.rules";
import { getSettings } from "../settings/settings.service.server";
import { addDays, dayRange, formatDate, formatTime, formatWhen, todayIn } from "~/utils/time";
import { deliveryJobOptions } from "./enqueue.server";
import { DELIVER_NOTIFICATION } from "./queues";

/** Notifications recorded by a run, and those whose key was already taken (recorded by an earlier run). */
export type NotifyCounts = { notified: number; alreadyNotified: number };

async function notifyEach(em: EntityManager, inputs: NotifyInput[]): Promise<NotifyCounts> {
  const counts: NotifyCounts = { notified: 0, alreadyNotified: 0 };
  for (const input of inputs) {
    // One transaction each: the notification and its delivery job together.
    const id = await em.transactional((tx) => notify(tx, input));
    if (id === null) counts.alreadyNotified++;
    else counts.notified++;
  }
  return counts;
}

/**
 * Class reminders, the evening before: every client REGISTERED on a class tomorrow (the studio's
 * tomorrow) that is not cancelled, who opted in to CLASS_REMINDER (off unless they turn it on).
 */
export async function sendClassReminders(em: EntityManager, now = new Date()): Promise<NotifyCounts> {
  const zone = (await getSettings(em)).studioTimeZone;
  const tomorrow = addDays(todayIn(zone, now), 1);
  const { start, end } = dayRange(tomorrow, zone);
  const rows = await em.execute<
    { registration_id: number; user_id: number; session_id: number; title: string; start_time: Date; location: string | null; choice: boolean | null }[]
  >(
    `select r.id as registration_id, r.user_id, s.id as session_id, s.title, s.start_time, s.location, p.email as choice
       from session_registration r
       join session s on s.id = r.session_id
       join "user" u on u.id = r.user_id
       left join notification_preference p on p.user_id = r.user_id and p.kind = 'CLASS_REMINDER'
      where r.status = 'REGISTERED' and s.status <> 'CANCELLED' and s.start_time >= ? and s.start_time < ? and u.deactivated_at is null
      order by s.start_time, r.id`,
    [start, end],
  );
  const wanted = rows.filter((row) => emailWanted("CLASS_REMINDER", row.choice ?? undefined));
  return notifyEach(
    em,
    wanted.map((row) => {
      const startTime = new Date(row.start_time);
      return {
        userId: row.user_id,
        kind: "CLASS_REMINDER" as const,
        subject: `Reminder: ${row.title} tomorrow at ${formatTime(startTime, zone)}`,
        body:
          `You're booked on ${row.title} on ${formatWhen(startTime, zone)}${row.location ? ` at ${row.location}` : ""}.\n\n` +
          `If you can't make it, cancel from your calendar so someone on the waitlist can have the place: /client/sessions/calendar`,
        payload: { sessionId: row.session_id, registrationId: row.registration_id },
        dedupeKey: `reminder:${row.registration_id}`,
      };
    }),
  );
}

/** "Membership ending in 7 days": each ACTIVE membership whose last day is the studio's today + 7. */
export async function sendMembershipEndingNotices(em: EntityManager, now = new Date()): Promise<NotifyCounts> {
  const zone = (await getSettings(em)).studioTimeZone;
  const endDate = addDays(todayIn(zone, now), 7);
  const rows = await em.execute<{ membership_id: number; user_id: number; plan_name: string }[]>(
    `select m.id as membership_id, m.user_id, p.name as plan_name
       from user_membership m join membership_plan p on p.id = m.plan_id join "user" u on u.id = m.user_id
      where m.status = 'ACTIVE' and m.end_date = ?::date and u.deactivated_at is null
      order by m.id`,
    [endDate],
  );
  const ends = formatDate(endDate, zone);
  return notifyEach(
    em,
    rows.map((row) => ({
      userId: row.user_id,
      kind: "MEMBERSHIP_ENDING" as const,
      subject: `Your ${row.plan_name} membership ends on ${ends}`,
      body:
        `Your ${row.plan_name} membership ends on ${ends}, in 7 days. Classes booked after that day are given back unless ` +
        `another membership covers them. See your memberships and plans: /client/membership`,
      payload: { membershipId: row.membership_id, endDate },
      dedupeKey: `ending:${row.membership_id}`,
    })),
  );
}

/**
 * Check-in due reminders, in the morning: ACTIVE members of ACTIVE cohorts with check-ins whose current
 * check-in period ends today and who have no entry dated in it.
 */
export async function sendCheckInDueReminders(em: EntityManager, now = new Date()): Promise<NotifyCounts> {
  const zone = (await getSettings(em)).studioTimeZone;
  const today = todayIn(zone, now);
  const cohorts = await em.execute<{ id: number; name: string; start_date: string; weeks: number; frequency_days: number }[]>(
    `select c.id, c.name, to_char(c.start_date, 'YYYY-MM-DD') as start_date, c.weeks, k.frequency_days
       from cohort c join cohort_check_in_config k on k.cohort_id = c.id
      where c.status = 'ACTIVE' and c.start_date <= ?::date
      order by c.id`,
    [today],
  );
  const inputs: NotifyInput[] = [];
  for (const cohort of cohorts) {
    const programme: Programme = { startDate: cohort.start_date, weeks: cohort.weeks };
    const period = currentCheckInPeriod(programme, cohort.frequency_days, today);
    if (!period || period.to !== today) continue;
    const due = await em.execute<{ user_id: number }[]>(
      `select m.user_id from cohort_membership m join "user" u on u.id = m.user_id
        where m.cohort_id = ? and m.status = 'ACTIVE' and u.deactivated_at is null
          and not exists (select 1 from entry e where e.user_id = m.user_id and e.date between ?::date and ?::date)
        order by m.user_id`,
      [cohort.id, period.from, period.to],
    );
    const span = period.from === period.to ? formatDate(period.from, zone) : `${formatDate(period.from, zone)} to ${formatDate(period.to, zone)}`;
    for (const { user_id } of due) {
      inputs.push({
        userId: user_id,
        kind: "CHECK_IN_DUE",
        subject: `${cohort.name}: your check-in is due today`,
        body: `Your ${cohort.name} check-in for ${span} is due today and we have none from you yet. Add it on your health page: /client/health`,
        payload: { cohortId: cohort.id, periodFrom: period.from, periodTo: period.to },
        dedupeKey: `checkin:${cohort.id}:${user_id}:${period.from}`,
      });
    }
  }
  return notifyEach(em, inputs);
}

export type PurgeCounts = { authSessions: number; loginAttempts: number; signupAttempts: number; formSubmissions: number };

const KEEP_DAYS = 30;

/** Deletes expired sign-in sessions, and sign-in and sign-up attempts and used form tokens older than 30 days. */
export async function purgeExpired(em: EntityManager, now = new Date()): Promise<PurgeCounts> {
  const before = new Date(now.getTime() - KEEP_DAYS * 24 * 60 * 60 * 1000);
  const run = (sql: string, params: unknown[]) => em.execute<QueryResult>(sql, params, "run").then((result) => result.affectedRows);
  return {
    authSessions: await run(`delete from auth_session where expires_at < ?`, [now]),
    loginAttempts: await run(`delete from login_attempt where attempted_at < ?`, [before]),
    signupAttempts: await run(`delete from signup_attempt where attempted_at < ?`, [before]),
    formSubmissions: await run(`delete from form_submission where created_at < ?`, [before]),
  };
}

const SWEEP_BATCH = 500;

/**
 * Enqueues delivery of notifications not delivered yet (recorded before the queue existed, or by a
 * process that ran no queue), oldest first, a batch a run. A notification whose delivery is waiting or
 * running already is skipped by its job key; one whose email FAILED after every retry is left to an admin.
 */
export async function sweepUndelivered(em: EntityManager, boss: PgBoss, limit = SWEEP_BATCH): Promise<{ enqueued: number; undelivered: number }> {
  const rows = await em.execute<{ id: number }[]>(
    `select n.id from notification n
      where n.sent_at is null
        and not exists (select 1 from email_message e where e.notification_id = n.id and e.status = 'FAILED')
      order by n.created_at, n.id
      limit ?`,
    [limit],
  );
  if (rows.length === 0) return { enqueued: 0, undelivered: 0 };
  const ids = await boss.insert(
    DELIVER_NOTIFICATION,
    rows.map((row) => ({ data: { notificationId: row.id }, ...deliveryJobOptions(row.id) })),
  );
  return { enqueued: ids?.length ?? 0, undelivered: rows.length };
}
