// The scheduled jobs' work, run directly with a fixed `now` (the schedules only call these functions).
// Each test uses its own dates, so the rows of the others never match.
import { randomBytes, randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { purgeExpired, sendCheckInDueReminders, sendClassReminders, sendMembershipEndingNotices } from "~/modules/jobs/scheduled-jobs.server";
import { Notification, NotificationPreference } from "~/modules/notifications/notifications.entities.server";
import { toInstant } from "~/utils/time";
import { forkEm } from "../support/db";
import * as factories from "../support/factories";
import { createCohort, createEntry } from "../support/cohort-factories";
import { withClient } from "../support/pg";
import { testDatabaseUrl } from "../support/db";

const ZONE = "Europe/London";
const at = (date: string, time: string) => toInstant(date, time, ZONE);

let coach: IUser;
beforeAll(async () => {
  coach = await factories.createUser(await forkEm(), { role: "COACH" });
});

const client = async () => factories.createUser(await forkEm());
const notesOf = async (user: { id: number }, kind: "CLASS_REMINDER" | "MEMBERSHIP_ENDING" | "CHECK_IN_DUE") =>
  (await forkEm()).find(Notification, { user: user.id, kind }, { orderBy: { id: "asc" } });

async function remindersOn(user: { id: number }, wanted: boolean) {
  const em = await forkEm();
  em.create(NotificationPreference, { user: user.id, kind: "CLASS_REMINDER", email: wanted }, { partial: true });
  await em.flush();
}

describe("sendClassReminders", () => {
  it("reminds, the evening before, the registered clients of tomorrow's classes who opted in, once", async () => {
    // Tuesday 9 June 2026, 18:00 in London (BST): tomorrow is Wednesday 10 June.
    const now = at("2026-06-09", "18:00");
    const morning = await factories.createSession(await forkEm(), { coach, start: at("2026-06-10", "07:00"), title: "Circuits", location: "Studio 1" });
    const lateEvening = await factories.createSession(await forkEm(), { coach, start: at("2026-06-10", "23:30"), title: "Night Spin" });
    const afterMidnight = await factories.createSession(await forkEm(), { coach, start: at("2026-06-11", "00:30"), title: "Too late" });
    const today = await factories.createSession(await forkEm(), { coach, start: at("2026-06-09", "19:00"), title: "Tonight" });
    const cancelled = await factories.createSession(await forkEm(), { coach, start: at("2026-06-10", "09:00"), title: "Cancelled" });
    const em = await forkEm();
    await em.execute(`update session set status = 'CANCELLED', cancelled_at = now() where id = ?`, [cancelled.id]);

    const [keen, nightOwl, silent, declined, waiting, cancelledHer, tooLate, tonight, onCancelled] = await Promise.all(Array.from({ length: 9 }, client));
    for (const user of [keen, nightOwl, waiting, cancelledHer, tooLate, tonight, onCancelled]) await remindersOn(user, true);
    await remindersOn(declined, false);
    const reg = (session: { id: number }, user: { id: number }, status: "REGISTERED" | "WAITLISTED" | "CANCELLED" = "REGISTERED") =>
      forkEm().then((e) => factories.createRegistration(e, { session, user, status }));
    const keenReg = await reg(morning, keen);
    const nightReg = await reg(lateEvening, nightOwl);
    await reg(morning, silent);
    await reg(morning, declined);
    await reg(morning, waiting, "WAITLISTED");
    await reg(morning, cancelledHer, "CANCELLED");
    await reg(afterMidnight, tooLate);
    await reg(today, tonight);
    await reg(cancelled, onCancelled);

    expect(await sendClassReminders(await forkEm(), now)).toEqual({ notified: 2, alreadyNotified: 0 });
    const [note] = await notesOf(keen, "CLASS_REMINDER");
    expect(note).toMatchObject({
      subject: "Reminder: Circuits tomorrow at 07:00",
      dedupeKey: `reminder:${keenReg.id}`,
      payload: { sessionId: morning.id, registrationId: keenReg.id },
    });
    expect(note.body).toContain("You're booked on Circuits on Wed 10 Jun 2026 at 07:00 (Europe/London time) at Studio 1.");
    expect((await notesOf(nightOwl, "CLASS_REMINDER"))[0].dedupeKey).toBe(`reminder:${nightReg.id}`);
    for (const user of [silent, declined, waiting, cancelledHer, tooLate, tonight, onCancelled]) expect(await notesOf(user, "CLASS_REMINDER")).toEqual([]);

    // Twice (a second instance, a retry): nothing more.
    expect(await sendClassReminders(await forkEm(), new Date(now.getTime() + 60_000))).toEqual({ notified: 0, alreadyNotified: 2 });
    expect(await notesOf(keen, "CLASS_REMINDER")).toHaveLength(1);
  });
});

describe("sendMembershipEndingNotices", () => {
  it("tells each client whose ACTIVE membership ends in 7 days, once", async () => {
    const now = new Date("2026-07-01T10:00:00Z"); // today in London: Wednesday 1 July; + 7 = 8 July
    const make = async (status: "ACTIVE" | "PAUSED" | "CANCELLED", endDate: string | null) => {
      const member = await factories.createMember(
        await forkEm(),
        { type: "PREPAID", name: `Ten weeks ${randomBytes(2).toString("hex")}` },
        { status, endDate, startDate: "2026-05-01" },
      );
      return member;
    };
    const ending = await make("ACTIVE", "2026-07-08");
    const later = await make("ACTIVE", "2026-07-09");
    const paused = await make("PAUSED", "2026-07-08");
    const cancelled = await make("CANCELLED", "2026-07-08");
    const open = await make("ACTIVE", null);

    expect(await sendMembershipEndingNotices(await forkEm(), now)).toEqual({ notified: 1, alreadyNotified: 0 });
    const [note] = await notesOf(ending.user, "MEMBERSHIP_ENDING");
    expect(note).toMatchObject({
      subject: `Your ${ending.plan.name} membership ends on Wed 8 Jul 2026`,
      dedupeKey: `ending:${ending.membership.id}`,
      payload: { membershipId: ending.membership.id, endDate: "2026-07-08" },
    });
    for (const other of [later, paused, cancelled, open]) expect(await notesOf(other.user, "MEMBERSHIP_ENDING")).toEqual([]);

    expect(await sendMembershipEndingNotices(await forkEm(), new Date(now.getTime() + 3_600_000))).toEqual({ notified: 0, alreadyNotified: 1 });
    // The next day: the one ending on 9 July, and nobody twice.
    expect(await sendMembershipEndingNotices(await forkEm(), new Date("2026-07-02T10:00:00Z"))).toEqual({ notified: 1, alreadyNotified: 0 });
    expect(await notesOf(later.user, "MEMBERSHIP_ENDING")).toHaveLength(1);
    expect(await notesOf(ending.user, "MEMBERSHIP_ENDING")).toHaveLength(1);
  });
});

describe("sendCheckInDueReminders", () => {
  it("reminds, on the last day of a check-in period, the active members with no entry in it, once", async () => {
    const metrics = ["weightKg" as const];
    const [late, done, left, other, drafted] = await Promise.all(Array.from({ length: 5 }, client));
    // Weekly check-ins from Monday 7 September: the first period ends on Sunday 13 September.
    const weekly = await createCohort(await forkEm(), { startDate: "2026-09-07", checkIn: { metrics, frequencyDays: 7 }, members: [late, done] });
    const em = await forkEm();
    const leaver = await createCohort(em, { startDate: "2026-09-07", checkIn: { metrics, frequencyDays: 7 } });
    await em.execute(`insert into cohort_membership (cohort_id, user_id, status, joined_at, left_at) values (?, ?, 'LEFT', now(), now())`, [
      leaver.id,
      left.id,
    ]);
    // Every 3 days: 7–9, 10–12, 13–15 September, so the 13th starts a period rather than ending one.
    await createCohort(await forkEm(), { startDate: "2026-09-07", checkIn: { metrics, frequencyDays: 3 }, members: [other] });
    await createCohort(await forkEm(), { startDate: "2026-09-07", status: "DRAFT", checkIn: { metrics, frequencyDays: 7 }, members: [drafted] });
    await createEntry(await forkEm(), { user: done, date: "2026-09-10", weightKg: 80 });

    const sunday = at("2026-09-13", "08:00");
    expect(await sendCheckInDueReminders(await forkEm(), sunday)).toEqual({ notified: 1, alreadyNotified: 0 });
    const [note] = await notesOf(late, "CHECK_IN_DUE");
    expect(note).toMatchObject({
      dedupeKey: `checkin:${weekly.id}:${late.id}:2026-09-07`,
      payload: { cohortId: weekly.id, periodFrom: "2026-09-07", periodTo: "2026-09-13" },
    });
    expect(note.body).toContain("Mon 7 Sep 2026 to Sun 13 Sep 2026 is due today");
    for (const user of [done, left, other, drafted]) expect(await notesOf(user, "CHECK_IN_DUE")).toEqual([]);

    expect(await sendCheckInDueReminders(await forkEm(), new Date(sunday.getTime() + 60_000))).toEqual({ notified: 0, alreadyNotified: 1 });
    // Monday starts the next weekly period: nothing is due.
    expect(await sendCheckInDueReminders(await forkEm(), at("2026-09-14", "08:00"))).toEqual({ notified: 0, alreadyNotified: 0 });
  });
});

describe("purgeExpired", () => {
  it("deletes expired sign-in sessions and sign-in and sign-up attempts and form tokens older than 30 days, and nothing else", async () => {
    const now = new Date("2026-10-01T03:30:00Z");
    const daysAgo = (days: number) => new Date(now.getTime() - days * 86_400_000);
    const user = await client();
    await withClient(testDatabaseUrl(), async (db) => {
      const session = (expires: Date) =>
        db.query(`insert into auth_session (id, user_id, created_at, last_seen_at, password_confirmed_at, expires_at) values ($1, $2, $3, $3, $3, $4)`, [
          randomBytes(32).toString("hex"),
          user.id,
          daysAgo(40),
          expires,
        ]);
      await session(new Date(now.getTime() - 1_000));
      await session(new Date(now.getTime() + 86_400_000));
      const attempt = (when: Date) =>
        db.query(`insert into login_attempt (email, ip_address, succeeded, attempted_at) values ($1, '127.0.0.1', false, $2)`, [user.email, when]);
      await attempt(daysAgo(31));
      await attempt(daysAgo(29));
      const signup = (when: Date) => db.query(`insert into signup_attempt (email, ip_address, attempted_at) values ($1, '127.0.0.1', $2)`, [user.email, when]);
      await signup(daysAgo(31));
      await signup(daysAgo(29));
      const submission = (when: Date) =>
        db.query(`insert into form_submission (token, purpose, actor_id, result_id, created_at) values ($1, 'test', $2, 1, $3)`, [randomUUID(), user.id, when]);
      await submission(daysAgo(31));
      await submission(daysAgo(1));
    });

    expect(await purgeExpired(await forkEm(), now)).toEqual({ authSessions: 1, loginAttempts: 1, signupAttempts: 1, formSubmissions: 1 });
    expect(await purgeExpired(await forkEm(), now)).toEqual({ authSessions: 0, loginAttempts: 0, signupAttempts: 0, formSubmissions: 0 });
    const left = await withClient(testDatabaseUrl(), (db) =>
      db.query<{ sessions: string; attempts: string; forms: string }>(
        `select (select count(*) from auth_session where user_id = $1) as sessions,
                (select count(*) from login_attempt where email = $2) as attempts,
                (select count(*) from form_submission where actor_id = $1) as forms`,
        [user.id, user.email],
      ),
    );
    expect(left.rows[0]).toEqual({ sessions: "1", attempts: "1", forms: "1" });
  });
});
