// Counting registrations: places held and waiting per session, and a membership's use of a week. Each
// status group comes from booking.rules.ts.
import type { EntityManager } from "@mikro-orm/postgresql";
import { weekRange, type LocalDate } from "~/utils/time";
import { executePrepared, sqlTextList } from "../reads.server";
import { COUNTS_TOWARD_WEEK, HOLDS_PLACE } from "./booking.rules";

export type PlaceCounts = { registered: number; waitlisted: number };

/** Places held and clients waiting, per session (sessions nobody registered for are absent: 0 and 0). */
export async function registrationCounts(em: EntityManager, sessionIds: number[]): Promise<Map<number, PlaceCounts>> {
  const counts = new Map<number, PlaceCounts>();
  if (!sessionIds.length) return counts;
  const rows = await em.execute<{ session_id: number; registered: string; waitlisted: string }[]>(
    `select session_id,
            count(*) filter (where status = any(array[?]::text[])) as registered,
            count(*) filter (where status = 'WAITLISTED') as waitlisted
       from session_registration where session_id = any(array[?]::int[]) group by session_id`,
    [[...HOLDS_PLACE], sessionIds],
  );
  for (const row of rows) counts.set(row.session_id, { registered: Number(row.registered), waitlisted: Number(row.waitlisted) });
  return counts;
}

export async function countPlacesTaken(em: EntityManager, sessionId: number): Promise<number> {
  return (await registrationCounts(em, [sessionId])).get(sessionId)?.registered ?? 0;
}

/**
 * "Used this week", the one definition that booking and the usage bar share: per membership, the bookings
 * charged to it (`session_registration.membership_id`) whose status counts toward the week
 * (`COUNTS_TOWARD_WEEK`) and whose session starts in the studio week (Monday–Sunday, studio time zone)
 * containing `date`. Memberships without such bookings are absent from the map.
 */
export async function usedInWeek(em: EntityManager, membershipIds: number[], date: LocalDate, zone: string): Promise<Map<number, number>> {
  if (!membershipIds.length) return new Map();
  const { sql, params } = usedInWeekQuery(membershipIds, date, zone);
  const rows = await executePrepared<{ membership_id: number; used: string }>(em, { sql, params });
  return new Map(rows.map((row) => [row.membership_id, Number(row.used)]));
}

/**
 * The query behind `usedInWeek` (rows of membership_id, used), for the booking to count again under its
 * lock, or for every active membership of a user (`{ activeOf: userId }`), read with the memberships themselves.
 */
export function usedInWeekQuery(memberships: number[] | { activeOf: number }, date: LocalDate, zone: string): { sql: string; params: unknown[] } {
  const week = weekRange(date, zone);
  const [which, values] = Array.isArray(memberships)
    ? // One text value, not an array: the same statement is prepared (executePrepared) or written out.
      ["r.membership_id = any(string_to_array(?, ',')::int[])", [memberships.join(",")]]
    : // A registration's membership is its client's own, so `r.user_id` changes no count; it lets PostgreSQL
      // start from the client's registrations (a few dozen buffers) instead of every registration of the week.
      [
        "r.user_id = ? and r.membership_id in (select m.id from user_membership m where m.user_id = ? and m.status = 'ACTIVE')",
        [memberships.activeOf, memberships.activeOf],
      ];
  return {
    sql: `select r.membership_id, count(*) as used
            from session_registration r join session s on s.id = r.session_id
           where ${which} and r.status in (${sqlTextList(COUNTS_TOWARD_WEEK)})
             and s.start_time >= ? and s.start_time < ?
           group by r.membership_id`,
    params: [...values, week.start, week.end],
  };
}
