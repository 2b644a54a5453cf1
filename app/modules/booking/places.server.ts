import type { EntityManager } from "@mikro-orm/postgresql";
import { HOLDS_PLACE } from "./booking.rules";

export type PlaceCounts = { registered: number; waitlisted: number };

/** Places held and clients waiting, per session (sessions nobody registered for are absent: 0 and 0). */
export async function registrationCounts(em: EntityManager, sessionIds: number[]): Promise<Map<number, PlaceCounts>> {
  const counts = new Map<number, PlaceCounts>();
  if (!sessionIds.length) return counts;
  const rows = await em.execute<{ session_id: number; registered: string; waitlisted: string }[]>(
    `select session_id,
            count(*) filter (where status in (?)) as registered,
            count(*) filter (where status = 'WAITLISTED') as waitlisted
       from session_registration where session_id in (?) group by session_id`,
    [[...HOLDS_PLACE], sessionIds],
  );
  for (const row of rows) counts.set(row.session_id, { registered: Number(row.registered), waitlisted: Number(row.waitlisted) });
  return counts;
}

export async function countPlacesTaken(em: EntityManager, sessionId: number): Promise<number> {
  return (await registrationCounts(em, [sessionId])).get(sessionId)?.registered ?? 0;
}
