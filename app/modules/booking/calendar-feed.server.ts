import type { EntityManager } from "@mikro-orm/postgresql";
import ical from "ical-generator";
import { createHash, randomBytes } from "node:crypto";
import { CalendarFeed } from "../auth/auth.entities.server";
import { myRegistrations } from "./client-views.server";

type FeedSession = { id: number; title: string; startTime: Date; endTime: Date; location?: string | null; coach: { name: string }; status: string };

/** An iCalendar file of sessions (RFC 5545), written by ical-generator. */
export function sessionsToIcs(name: string, sessions: FeedSession[], options: { waitlisted?: Set<number> } = {}): string {
  const calendar = ical({ name, prodId: { company: "Centurion", product: "Timetable", language: "EN" } });
  for (const s of sessions) {
    const waiting = options.waitlisted?.has(s.id);
    calendar.createEvent({
      id: `session-${s.id}@centurion`,
      start: s.startTime,
      end: s.endTime,
      summary: `${waiting ? "Waitlist: " : ""}${s.title}${s.status === "CANCELLED" ? " (cancelled)" : ""}`,
      description: `With ${s.coach.name}`,
      location: s.location ?? undefined,
    });
  }
  return calendar.toString();
}

/** A feed no calendar app has read for this long stops working (apps read a subscription every few hours). */
export const CALENDAR_FEED_IDLE_MS = 90 * 24 * 60 * 60 * 1000;
/** How often a feed's last read is written back (not on every read). */
const TOUCH_MS = 24 * 60 * 60 * 1000;

const hashFeedToken = (token: string) => createHash("sha256").update(token).digest("hex");

export type CalendarFeedStatus = { createdAt: Date; lastUsedAt: Date | null; lapsed: boolean } | null;

/** Whether the client has a feed, since when and when a calendar app last read it (its URL cannot be shown again). */
export async function calendarFeedStatus(em: EntityManager, userId: number, now = new Date()): Promise<CalendarFeedStatus> {
  const feed = await em.findOne(CalendarFeed, { user: userId });
  if (!feed) return null;
  return { createdAt: feed.createdAt, lastUsedAt: feed.lastUsedAt ?? null, lapsed: isLapsed(feed, now) };
}

function isLapsed(feed: { createdAt: Date; lastUsedAt?: Date | null }, now: Date): boolean {
  return now.getTime() - (feed.lastUsedAt ?? feed.createdAt).getTime() > CALENDAR_FEED_IDLE_MS;
}

/**
 * Makes the client's feed, replacing any older one (whose URL stops working), and answers its token: the
 * only time it exists in clear, since only its SHA-256 is stored.
 */
export async function replaceCalendarFeed(em: EntityManager, userId: number, now = new Date()): Promise<string> {
  const token = randomBytes(24).toString("base64url");
  await em.execute(
    `insert into calendar_feed (user_id, token_hash, created_at, last_used_at) values (?, ?, ?, null)
     on conflict (user_id) do update set token_hash = excluded.token_hash, created_at = excluded.created_at, last_used_at = null`,
    [userId, hashFeedToken(token), now],
  );
  return token;
}

/**
 * The feed behind a token: the client's sessions from 30 days ago to 6 months ahead, or null for a token
 * no feed has, a lapsed feed or a deactivated account.
 */
export async function feedForToken(em: EntityManager, token: string, now = new Date()): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const [feed] = await em.execute<{ id: number; user_id: number; created_at: Date; last_used_at: Date | null }[]>(
    `select f.id, f.user_id, f.created_at, f.last_used_at from calendar_feed f join "user" u on u.id = f.user_id
      where f.token_hash = ? and u.deactivated_at is null`,
    [hashFeedToken(token)],
  );
  if (!feed) return null;
  const lastUsedAt = feed.last_used_at ? new Date(feed.last_used_at) : null;
  if (isLapsed({ createdAt: new Date(feed.created_at), lastUsedAt }, now)) return null;
  if (!lastUsedAt || now.getTime() - lastUsedAt.getTime() > TOUCH_MS)
    await em.execute(`update calendar_feed set last_used_at = ? where id = ?`, [now, feed.id]);
  const registrations = await myRegistrations(em, feed.user_id, {
    start: new Date(now.getTime() - 30 * 86_400_000),
    end: new Date(now.getTime() + 183 * 86_400_000),
  });
  const waitlisted = new Set(registrations.filter((r) => r.status === "WAITLISTED").map((r) => r.session.id));
  return sessionsToIcs(
    "Centurion classes",
    registrations.map((r) => r.session),
    { waitlisted },
  );
}
