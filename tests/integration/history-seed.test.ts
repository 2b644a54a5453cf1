// The demo studio's history (issue 13): eight weeks of the timetable with attendance, no-shows and
// cancels, and the next two weeks booked, all within the rules the app applies to a booking.
import { beforeAll, describe, expect, it } from "vitest";
import { COUNTS_TOWARD_WEEK, HOLDS_PLACE, isLateCancel } from "~/modules/booking/booking.rules";
import { getSettings } from "~/modules/settings/settings.service.server";
import { addDays, localDateOf, mondayOf, todayIn, toInstant } from "~/utils/time";
import { seed } from "../../db/seed";
import { DAYS_AHEAD, HISTORY_WEEKS, seedHistory } from "../../db/seeders/history";
import { forkEm, testDatabaseUrl } from "../support/db";

const ZONE = "Europe/London";
const DAY = 86_400_000;

type Row = {
  id: number;
  session_id: number;
  user_id: number;
  email: string;
  status: string;
  waitlist_position: number | null;
  registered_at: Date;
  cancelled_at: Date | null;
  attendance_marked_at: Date | null;
  promoted_from_waitlist_at: Date | null;
  membership_id: number | null;
  start_time: Date;
  end_time: Date;
  max_occupancy: number;
};

/** Every registration with its session and client. */
async function registrations(): Promise<Row[]> {
  const em = await forkEm();
  const rows = await em.execute<Row[]>(
    `select r.id, r.session_id, r.user_id, u.email, r.status, r.waitlist_position, r.registered_at, r.cancelled_at, r.attendance_marked_at, r.promoted_from_waitlist_at,
            r.membership_id, s.start_time, s.end_time, s.max_occupancy
       from session_registration r join session s on s.id = r.session_id join "user" u on u.id = r.user_id`,
  );
  const date = (value: Date | string | null) => (value === null ? null : new Date(value));
  return rows.map((r) => ({
    ...r,
    registered_at: date(r.registered_at)!,
    cancelled_at: date(r.cancelled_at),
    attendance_marked_at: date(r.attendance_marked_at),
    promoted_from_waitlist_at: date(r.promoted_from_waitlist_at),
    start_time: date(r.start_time)!,
    end_time: date(r.end_time)!,
  }));
}

const holds = (status: string) => (HOLDS_PLACE as readonly string[]).includes(status);

function bySession(rows: Row[]) {
  const sessions = new Map<number, Row[]>();
  for (const row of rows) sessions.set(row.session_id, [...(sessions.get(row.session_id) ?? []), row]);
  return sessions;
}

const TABLES = ["session", "session_registration", "user_membership", "membership_event", "cohort", "user"];

async function snapshot() {
  const em = await forkEm();
  const counts = await Promise.all(TABLES.map(async (table) => (await em.execute<{ n: number }[]>(`select count(*)::int as n from "${table}"`))[0].n));
  const memberships = await em.execute(`select id, start_date::text, end_date::text, sessions_remaining from user_membership order by id`);
  return { counts, memberships };
}

describe("demo history seed", () => {
  let monday: string;

  beforeAll(async () => {
    await seed(testDatabaseUrl());
    monday = mondayOf(todayIn(ZONE));
  });

  it("gives each of the eight weeks before this one the whole timetable, with attendance, no-shows and cancels", async () => {
    const em = await forkEm();
    const weeks = await em.execute<{ monday: string; sessions: number }[]>(
      `select date_trunc('week', s.start_time at time zone ?)::date::text as monday, count(*)::int as sessions
         from session s join class_type t on t.id = s.class_type_id
        where t.name in ('HIIT', 'CORE') and s.start_time < ? group by 1 order by 1`,
      [ZONE, toInstant(monday, "00:00", ZONE)],
    );
    expect(weeks.map((w) => w.monday)).toEqual(Array.from({ length: HISTORY_WEEKS }, (_, i) => addDays(monday, -7 * (HISTORY_WEEKS - i))));
    expect(weeks.every((w) => w.sessions === 46)).toBe(true);

    const past = (await registrations()).filter((r) => localDateOf(r.start_time, ZONE) < monday);
    for (let week = 1; week <= HISTORY_WEEKS; week++) {
      const inWeek = past.filter((r) => mondayOf(localDateOf(r.start_time, ZONE)) === addDays(monday, -7 * week));
      expect(inWeek.filter((r) => r.status === "ATTENDED").length, `week -${week}`).toBeGreaterThan(40);
    }
    const share = (status: string) => past.filter((r) => r.status === status).length / past.length;
    expect(share("ATTENDED")).toBeGreaterThan(0.75);
    expect(share("NO_SHOW")).toBeGreaterThan(0.02);
    expect(share("LATE_CANCELLED")).toBeGreaterThan(0.015);
    expect(share("CANCELLED")).toBeGreaterThan(0.015);
    // A class over and done is marked or cancelled: nothing in the past weeks is still booked or waiting.
    expect(past.filter((r) => r.status === "REGISTERED" || r.status === "WAITLISTED")).toEqual([]);
    // The busiest classes fill up, the quietest stay nearly empty.
    const places = [...bySession(past).values()].map((rows) => rows.filter((r) => holds(r.status)).length);
    expect(Math.max(...places)).toBe(10);
  });

  it("never holds more places than a class has; only a full class has a waitlist, numbered 1..n", async () => {
    const sessions = bySession(await registrations());
    let waitlists = 0;
    for (const rows of sessions.values()) {
      const held = rows.filter((r) => holds(r.status)).length;
      expect(held).toBeLessThanOrEqual(rows[0].max_occupancy);
      const positions = rows
        .filter((r) => r.status === "WAITLISTED")
        .map((r) => r.waitlist_position)
        .sort((a, b) => a! - b!);
      if (!positions.length) continue;
      waitlists++;
      expect(held).toBe(rows[0].max_occupancy);
      expect(positions).toEqual(positions.map((_, i) => i + 1));
      // The queue is in the order people joined it, after the places went.
      const waiting = rows.filter((r) => r.status === "WAITLISTED").sort((a, b) => a.waitlist_position! - b.waitlist_position!);
      for (let i = 1; i < waiting.length; i++) expect(waiting[i].registered_at >= waiting[i - 1].registered_at).toBe(true);
      // A place given back while someone waited would have gone to them (promoteFromWaitlist).
      const freed = rows.filter((r) => r.cancelled_at).map((r) => r.cancelled_at!);
      expect(freed.filter((at) => at > waiting[0].registered_at)).toEqual([]);
    }
    expect(waitlists).toBeGreaterThan(0);
    expect([...sessions.values()].flat().every((r) => (r.status === "WAITLISTED") === (r.waitlist_position !== null))).toBe(true);
  });

  it("books within each membership: valid on the class's day, weekly limits per studio week, and each pack's balance", async () => {
    const em = await forkEm();
    const outside = await em.execute<{ n: number }[]>(
      `select count(*)::int as n from session_registration r join session s on s.id = r.session_id join user_membership m on m.id = r.membership_id
        where m.user_id <> r.user_id or (s.start_time at time zone ?)::date < m.start_date or (s.start_time at time zone ?)::date > m.end_date
           or exists (select 1 from membership_class_type_allowance a where a.plan_id = m.plan_id)
              and not exists (select 1 from membership_class_type_allowance a where a.plan_id = m.plan_id and a.class_type_id = s.class_type_id)`,
      [ZONE, ZONE],
    );
    expect(outside[0].n).toBe(0);

    // Weekly limits: bookings that count toward the week (booking.rules COUNTS_TOWARD_WEEK), per studio week.
    const weeks = await em.execute<{ membership_id: number; used: number; limit: number }[]>(
      `select r.membership_id, count(*)::int as used, p.sessions_per_week as limit
         from session_registration r join session s on s.id = r.session_id join user_membership m on m.id = r.membership_id join membership_plan p on p.id = m.plan_id
        where p.sessions_per_week is not null and r.status = any(array[?]::text[])
        group by r.membership_id, p.sessions_per_week, date_trunc('week', s.start_time at time zone ?)`,
      [[...COUNTS_TOWARD_WEEK], ZONE],
    );
    expect(weeks.length).toBeGreaterThan(100);
    expect(weeks.filter((w) => w.used > w.limit)).toEqual([]);
    expect(weeks.some((w) => w.used === w.limit)).toBe(true);

    // A pack pays a session for each place taken and gets it back on a free cancel; a late cancel, a
    // no-show and an attended class keep it; a place in a queue costs nothing until promoted. So
    // remaining = total − (bookings that count toward the week).
    const packs = await em.execute<{ id: number; remaining: number; total: number; charged: number; refunded: number }[]>(
      `select m.id, m.sessions_remaining as remaining, p.total_sessions as total,
              count(r.id) filter (where r.status = any(array[?]::text[]))::int as charged,
              count(r.id) filter (where r.status = 'CANCELLED')::int as refunded
         from user_membership m join membership_plan p on p.id = m.plan_id left join session_registration r on r.membership_id = m.id
        where p.type = 'PACK' group by m.id, p.total_sessions`,
      [[...COUNTS_TOWARD_WEEK]],
    );
    expect(packs).toHaveLength(20);
    for (const pack of packs) {
      expect(pack.remaining).toBeGreaterThanOrEqual(0);
      expect(pack.remaining, `pack ${pack.id}`).toBe(pack.total - pack.charged);
    }
    expect(packs.filter((p) => p.charged > 0).length).toBeGreaterThan(10);
    expect(packs.some((p) => p.remaining === 0)).toBe(true);
    expect(packs.some((p) => p.refunded > 0)).toBe(true);
  });

  it("dates every booking as it happened: booked before the class, cancelled in time or late by the cut-off, marked after it", async () => {
    const em = await forkEm();
    const cutoff = (await getSettings(em)).defaultLateCancelCutoffHours;
    const now = new Date();
    const rows = await registrations();
    for (const r of rows) {
      // Booked while the class was open for booking (14 days ahead at most) and before it started.
      expect(r.registered_at < r.start_time && r.start_time.getTime() - r.registered_at.getTime() <= 14 * DAY).toBe(true);
      if (r.status === "CANCELLED" && r.membership_id) expect(isLateCancel(r.start_time, cutoff, r.cancelled_at!)).toBe(false);
      if (r.status === "LATE_CANCELLED") expect(isLateCancel(r.start_time, cutoff, r.cancelled_at!) && r.cancelled_at! < r.start_time).toBe(true);
      if (r.cancelled_at) expect(r.cancelled_at > r.registered_at && r.cancelled_at < now).toBe(true);
      if (r.promoted_from_waitlist_at) expect(r.status === "REGISTERED" && r.promoted_from_waitlist_at > r.registered_at).toBe(true);
      if (r.status === "ATTENDED" || r.status === "NO_SHOW") expect(r.attendance_marked_at! > r.end_time && r.attendance_marked_at! < now).toBe(true);
    }
    // Nobody is in two classes at once (a waitlist place included).
    const clashes = await em.execute<{ n: number }[]>(
      `select count(*)::int as n
         from session_registration a join session sa on sa.id = a.session_id
         join session_registration b on b.user_id = a.user_id and b.id < a.id join session sb on sb.id = b.session_id
        where a.status not in ('CANCELLED', 'LATE_CANCELLED') and b.status not in ('CANCELLED', 'LATE_CANCELLED')
          and sa.start_time < sb.end_time and sb.start_time < sa.end_time`,
    );
    expect(clashes[0].n).toBe(0);
  });

  it("books the next two weeks: some classes full with a waitlist, others with places left, nothing marked yet", async () => {
    const now = new Date();
    const future = (await registrations()).filter((r) => r.start_time > now);
    expect(future.every((r) => ["REGISTERED", "WAITLISTED", "CANCELLED"].includes(r.status))).toBe(true);
    expect(future.every((r) => r.registered_at < now && r.start_time.getTime() < now.getTime() + DAYS_AHEAD * DAY)).toBe(true);
    expect(future.filter((r) => r.status === "REGISTERED").length).toBeGreaterThan(50);
    const sessions = [...bySession(future).values()];
    const full = sessions.filter((rows) => rows.some((r) => r.status === "WAITLISTED"));
    expect(full.length).toBeGreaterThanOrEqual(2);
    const open = sessions.filter((rows) => rows.filter((r) => holds(r.status)).length <= rows[0].max_occupancy - 3);
    expect(open.length).toBeGreaterThan(10);
  });

  it("leaves the clients who joined this week as the membership seed made them", async () => {
    const em = await forkEm();
    const memberships = await em.execute<{ email: string; start_date: string; sessions_remaining: number | null }[]>(
      `select u.email, m.start_date::text, m.sessions_remaining from user_membership m join "user" u on u.id = m.user_id
        where u.email in ('client1@centurion.test', 'client21@centurion.test', 'client30@centurion.test', 'client50@centurion.test') order by u.email`,
    );
    expect(memberships.map((m) => m.start_date)).toEqual([monday, monday, monday, monday]);
    expect(memberships.filter((m) => m.sessions_remaining !== null).map((m) => m.sessions_remaining)).toEqual([10, 10]);
    const rows = await registrations();
    const of = (n: number) => rows.filter((r) => r.email === `client${n}@centurion.test`);
    expect([...of(21), ...of(30)]).toEqual([]);
    // The README's demo client has this week free, and a class or two booked next week.
    expect(of(1).every((r) => localDateOf(r.start_time, ZONE) >= addDays(monday, 7))).toBe(true);
    // Everyone else holding a membership from before this week booked classes in the past weeks.
    const pastBookers = new Set(rows.filter((r) => r.membership_id && localDateOf(r.start_time, ZONE) < monday).map((r) => r.email));
    expect(pastBookers.size).toBeGreaterThan(40);
  });

  it("adds and changes nothing when run again, even after the sessions are gone", async () => {
    const before = await snapshot();
    await seed(testDatabaseUrl());
    expect(await snapshot()).toEqual(before);
    expect(await seedHistory(await forkEm())).toEqual({ skipped: true });
    await (await forkEm()).execute(`delete from session where start_time < ?`, [toInstant(monday, "00:00", ZONE)]);
    expect(await seedHistory(await forkEm())).toEqual({ skipped: true });
  });
});
