import type { EntityManager } from "@mikro-orm/postgresql";
import ical from "ical-generator";
import { randomBytes } from "node:crypto";
import { User } from "../auth/auth.entities.server";
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

/** The client's private feed token, created on first use. */
export async function calendarTokenFor(em: EntityManager, userId: number): Promise<string> {
  const user = await em.findOneOrFail(User, userId);
  if (!user.calendarToken) {
    user.calendarToken = randomBytes(24).toString("base64url");
    await em.flush();
  }
  return user.calendarToken;
}

/** Replaces the token: calendar apps subscribed with the old URL stop receiving updates. */
export async function replaceCalendarToken(em: EntityManager, userId: number): Promise<string> {
  const user = await em.findOneOrFail(User, userId);
  user.calendarToken = randomBytes(24).toString("base64url");
  await em.flush();
  return user.calendarToken;
}

/** The feed behind a token: the client's sessions from 30 days ago to 6 months ahead, or null. */
export async function feedForToken(em: EntityManager, token: string, now = new Date()): Promise<string | null> {
  if (!/^[A-Za-z0-9_-]{20,64}$/.test(token)) return null;
  const user = await em.findOne(User, { calendarToken: token });
  if (!user) return null;
  const registrations = await myRegistrations(em, user.id, {
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
