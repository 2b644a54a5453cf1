// The booking invariants, checked straight in the database after a fault (tests/e2e/faults.spec.ts): whatever
// happened to the app or PostgreSQL, what was committed must still add up.
import { COUNTS_TOWARD_WEEK, HOLDS_PLACE } from "../../app/modules/booking/booking.rules";
import type { PgClient } from "./pg";

export type BookingTotals = {
  /** Registrations holding a place, over all the sessions checked. */
  placesHeld: number;
  waitlisted: number;
  /** Pack sessions charged and not refunded, over all the packs checked. */
  packSessionsUsed: number;
};

/**
 * Every broken invariant, as one line each (none: `[]`), for the sessions `sessionIds` and the memberships
 * of the users `userIds`:
 * - places: registrations holding a place ≤ the session's capacity;
 * - waitlist: the WAITLISTED positions of a session are exactly 1..n;
 * - packs: sessions left = bought − charged + refunded. A registration is one row per session and client,
 *   re-used when the client books again, so a free cancel's refund cancels its charge: what is left is
 *   the pack's size less its registrations that hold a place or were cancelled late (which keep the charge).
 */
export async function bookingInvariantViolations(client: PgClient, scope: { sessionIds: number[]; userIds: number[] }): Promise<string[]> {
  const violations: string[] = [];
  const places = await client.query<{ id: number; max_occupancy: number; held: string }>(
    `select s.id, s.max_occupancy, count(r.id) filter (where r.status = any($2::text[])) as held
       from session s left join session_registration r on r.session_id = s.id
      where s.id = any($1::int[]) group by s.id order by s.id`,
    [scope.sessionIds, [...HOLDS_PLACE]],
  );
  if (places.rows.length !== scope.sessionIds.length) violations.push(`expected ${scope.sessionIds.length} sessions, found ${places.rows.length}`);
  for (const row of places.rows) {
    if (Number(row.held) > row.max_occupancy) violations.push(`session ${row.id}: ${row.held} places held, capacity ${row.max_occupancy}`);
  }
  const queues = await client.query<{ session_id: number; positions: number[] }>(
    `select session_id, array_agg(waitlist_position order by waitlist_position) as positions
       from session_registration where session_id = any($1::int[]) and status = 'WAITLISTED' group by session_id`,
    [scope.sessionIds],
  );
  for (const row of queues.rows) {
    const expected = row.positions.map((_, i) => i + 1);
    if (row.positions.join(",") !== expected.join(","))
      violations.push(`session ${row.session_id}: waitlist positions ${row.positions.join(",")}, not 1..${expected.length}`);
  }
  // A waitlist only forms on a full session.
  const openWithQueue = await client.query<{ id: number }>(
    `select s.id from session s
      where s.id = any($1::int[])
        and exists (select 1 from session_registration r where r.session_id = s.id and r.status = 'WAITLISTED')
        and (select count(*) from session_registration r where r.session_id = s.id and r.status = any($2::text[])) < s.max_occupancy`,
    [scope.sessionIds, [...HOLDS_PLACE]],
  );
  for (const row of openWithQueue.rows) violations.push(`session ${row.id}: people wait while a place is free`);
  const packs = await client.query<{ id: number; bought: number; remaining: number; charged: string }>(
    `select m.id, p.total_sessions as bought, m.sessions_remaining as remaining,
            (select count(*) from session_registration r where r.membership_id = m.id and r.status = any($2::text[])) as charged
       from user_membership m join membership_plan p on p.id = m.plan_id
      where m.user_id = any($1::int[]) and p.type = 'PACK' order by m.id`,
    [scope.userIds, [...COUNTS_TOWARD_WEEK]],
  );
  for (const row of packs.rows) {
    if (row.remaining !== row.bought - Number(row.charged))
      violations.push(
        `pack ${row.id}: ${row.remaining} sessions left, but ${row.bought} bought − ${row.charged} charged = ${row.bought - Number(row.charged)}`,
      );
  }
  return violations;
}

/** How much the load left booked, to show that the checks above had something to check. */
export async function bookingTotals(client: PgClient, scope: { sessionIds: number[]; userIds: number[] }): Promise<BookingTotals> {
  const [row] = (
    await client.query<{ held: string; waitlisted: string; used: string }>(
      `select (select count(*) from session_registration where session_id = any($1::int[]) and status = any($3::text[])) as held,
              (select count(*) from session_registration where session_id = any($1::int[]) and status = 'WAITLISTED') as waitlisted,
              (select coalesce(sum(p.total_sessions - m.sessions_remaining), 0) from user_membership m join membership_plan p on p.id = m.plan_id
                where m.user_id = any($2::int[]) and p.type = 'PACK') as used`,
      [scope.sessionIds, scope.userIds, [...HOLDS_PLACE]],
    )
  ).rows;
  return { placesHeld: Number(row.held), waitlisted: Number(row.waitlisted), packSessionsUsed: Number(row.used) };
}
