import {
  addDays,
  dayRange,
  formatTime,
  isLocalDate,
  isLocalTime,
  localDateOf,
  localTimeOf,
  plainDate,
  sameTimeDaysBefore,
  toInstant,
  weekdayOf,
} from "~/utils/time";
import type { LocalDate, LocalTime } from "~/utils/time";

/** A weekly repeating schedule; `to` is inclusive. */
export type RecurrencePattern = {
  weekdays: number[]; // ISO 1 = Monday … 7 = Sunday
  times: LocalTime[];
  from: LocalDate;
  to: LocalDate;
};

export type Occurrence = { start: Date; end: Date; date: LocalDate; time: LocalTime };

/** Longest range, counted in calendar days including both ends, that one pattern may cover. */
export const MAX_RECURRENCE_DAYS = 366;

/**
 * Every occurrence of `pattern` in `zone`, sorted by start. Times stay fixed on the wall clock
 * across clock changes; `end` is `durationMins` of elapsed time after `start`. `date` and `time`
 * are the local wall-clock of `start` (which differ from the pattern only for a time skipped by
 * a spring-forward gap, which moves later).
 */
export function expandRecurrence(pattern: RecurrencePattern, zone: string, durationMins: number): Occurrence[] {
  const { from, to } = pattern;
  if (!isLocalDate(from) || !isLocalDate(to)) throw new RangeError("The dates must be YYYY-MM-DD.");
  if (from > to) throw new RangeError("The range must not end before it starts.");
  const days = plainDate(from).until(plainDate(to)).days + 1;
  if (days > MAX_RECURRENCE_DAYS) throw new RangeError(`The range may cover at most ${MAX_RECURRENCE_DAYS} days.`);
  if (!(durationMins > 0)) throw new RangeError("The duration must be positive.");

  const weekdays = new Set(pattern.weekdays);
  const times = [...new Set(pattern.times)];
  for (const w of weekdays) if (!Number.isInteger(w) || w < 1 || w > 7) throw new RangeError(`Not an ISO weekday: ${w}`);
  for (const t of times) if (!isLocalTime(t)) throw new RangeError(`Not a time (HH:MM): ${t}`);

  const occurrences: Occurrence[] = [];
  for (let date = from; date <= to; date = addDays(date, 1)) {
    if (!weekdays.has(weekdayOf(date))) continue;
    for (const time of times) {
      const start = toInstant(date, time, zone);
      const end = new Date(start.getTime() + durationMins * 60_000);
      occurrences.push({ start, end, date: localDateOf(start, zone), time: localTimeOf(start, zone) });
    }
  }
  return occurrences.sort((a, b) => a.start.getTime() - b.start.getTime());
}

export type SessionStatus = "SCHEDULED" | "CANCELLED" | "COMPLETED";

/** A scheduled session counts as completed once its end has passed; cancellation always sticks. */
export function effectiveStatus(session: { status: SessionStatus; endTime: Date }, now: Date): SessionStatus {
  if (session.status === "SCHEDULED" && session.endTime.getTime() <= now.getTime()) return "COMPLETED";
  return session.status;
}

/**
 * Booking opens N local calendar days before the start at the same local time of day (so across
 * a clock change it is not N × 24 hours), and closes M minutes before the start.
 */
export function registrationWindow(
  session: { startTime: Date; bookingOpensDaysBefore: number; bookingClosesMinutesBefore: number },
  zone: string,
): { opensAt: Date; closesAt: Date } {
  const opensAt = sameTimeDaysBefore(session.startTime, session.bookingOpensDaysBefore, zone);
  const closesAt = new Date(session.startTime.getTime() - session.bookingClosesMinutesBefore * 60_000);
  return { opensAt, closesAt };
}

/**
 * When attendance can be marked and corrected: from the session's start until local midnight at the end
 * of `days` studio days after the day the session ends (0 = that day only). `lastDay` is the last local
 * day it can be, `closesAt` the instant after it.
 */
export function attendanceWindow(
  session: { startTime: Date; endTime: Date },
  zone: string,
  days: number,
): { opensAt: Date; lastDay: LocalDate; closesAt: Date } {
  const lastDay = addDays(localDateOf(session.endTime, zone), days);
  return { opensAt: session.startTime, lastDay, closesAt: dayRange(lastDay, zone).end };
}

export function isAttendanceEditable(session: { startTime: Date; endTime: Date }, zone: string, now: Date, days: number): boolean {
  const { opensAt, closesAt } = attendanceWindow(session, zone, days);
  return now.getTime() >= opensAt.getTime() && now.getTime() < closesAt.getTime();
}

/** A new session's booking window: its class type's, else the studio's. */
export function bookingWindowFor(
  classType: { bookingOpensDaysBefore?: number | null; bookingClosesMinutesBefore?: number | null } | null,
  settings: { bookingOpensDaysBefore: number; bookingClosesMinutesBefore: number },
) {
  return {
    bookingOpensDaysBefore: classType?.bookingOpensDaysBefore ?? settings.bookingOpensDaysBefore,
    bookingClosesMinutesBefore: classType?.bookingClosesMinutesBefore ?? settings.bookingClosesMinutesBefore,
  };
}

export type SessionTimeErrors = Partial<Record<"startTime" | "endTime" | "maxOccupancy", string>>;

/** Field messages for a session being created or edited; empty when valid. */
export function validateSessionTimes(input: { start: Date; end: Date; capacity: number }, now: Date): SessionTimeErrors {
  const { start, end, capacity } = input;
  const errors: SessionTimeErrors = {};
  // Negated comparisons so invalid dates and NaN fail too.
  if (!(start.getTime() >= now.getTime())) errors.startTime = "Choose a start time in the future.";
  if (!(end.getTime() > start.getTime())) errors.endTime = "The end must be after the start.";
  if (!(capacity >= 1)) errors.maxOccupancy = "Capacity must be at least 1.";
  else if (capacity > 200) errors.maxOccupancy = "Capacity must be at most 200.";
  return errors;
}

/**
 * `count` coach ids by smooth weighted round-robin (as in nginx): each step every coach gains its
 * weight, the one with the most credit (first listed on a tie) is chosen and pays back the total.
 * Deterministic, proportional to the weights, and spreads each coach's turns evenly.
 * Coaches with weight 0 never appear.
 */
export function assignCoaches<T>(count: number, weights: { coachId: T; weight: number }[]): T[] {
  if (!Number.isInteger(count) || count < 0) throw new RangeError("The count must be a whole number of at least 0.");
  if (weights.some((w) => !Number.isFinite(w.weight) || w.weight < 0)) throw new RangeError("Weights must be finite and not negative.");
  const coaches = weights.filter((w) => w.weight > 0).map((w) => ({ ...w, credit: 0 }));
  if (count === 0) return [];
  if (coaches.length === 0) throw new RangeError("At least one coach needs a positive weight.");

  const total = coaches.reduce((sum, c) => sum + c.weight, 0);
  const sequence: T[] = [];
  for (let i = 0; i < count; i++) {
    for (const coach of coaches) coach.credit += coach.weight;
    const best = coaches.reduce((a, b) => (b.credit > a.credit ? b : a));
    best.credit -= total;
    sequence.push(best.coachId);
  }
  return sequence;
}

/** "#RGB" or "#RRGGBB", any case. */
export function isValidHexColor(s: string): boolean {
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(s);
}

/** The color of a session without a class type (ad hoc). */
export const NEUTRAL_COLOR = "#475569";

/** What every list of sessions shows of one: title, color, coach, local day and times. */
export function sessionLabels(
  s: { title: string; classType?: { color: string } | null; coach: { name: string }; startTime: Date; endTime: Date },
  zone: string,
) {
  return {
    title: s.title,
    color: s.classType?.color ?? NEUTRAL_COLOR,
    coachName: s.coach.name,
    date: localDateOf(s.startTime, zone),
    startLabel: formatTime(s.startTime, zone),
    endLabel: formatTime(s.endTime, zone),
  };
}
