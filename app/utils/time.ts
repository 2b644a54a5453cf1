import { Temporal } from "temporal-polyfill";
import { remembered } from "./remembered";
import { addDays, formatDateTime, isCalendarDate, isLocalTime, mondayOf, type LocalDate, type LocalTime } from "./dates";

/**
 * Studio time-zone helpers for the server. Instants are JS `Date`s (UTC); wall-clock values are strings.
 * Turning a wall-clock time into an instant goes through Temporal so clock changes are handled correctly.
 * The browser-safe half (date arithmetic, display) lives in `./dates` and is re-exported here.
 */
export {
  addDays,
  addMonths,
  dateParts,
  daysBetween,
  formatDate,
  formatDateTime,
  formatDayHeading,
  formatTime,
  isLocalDate,
  isLocalTime,
  localDateOf,
  localTimeOf,
  mondayOf,
  todayIn,
  weekdayOf,
  type LocalDate,
  type LocalTime,
} from "./dates";

/**
 * A date as Temporal sees it, for arithmetic (any four-digit year). Temporal accepts more than our
 * format (e.g. "20260105"), so the strict shape is checked first.
 */
export function plainDate(date: LocalDate): Temporal.PlainDate {
  if (!isCalendarDate(date)) throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
  return Temporal.PlainDate.from(date);
}

function plainTime(time: LocalTime): Temporal.PlainTime {
  if (!isLocalTime(time)) throw new RangeError(`Not a time (HH:MM): ${time}`);
  return Temporal.PlainTime.from(time);
}

function toDate(zdt: Temporal.ZonedDateTime): Date {
  return new Date(zdt.epochMilliseconds);
}

/**
 * The instant of a wall-clock time in `zone`. A time skipped by a spring-forward gap moves later
 * (01:30 becomes 02:30 BST); a time repeated by a fall-back resolves to the earlier instant.
 */
export function toInstant(date: LocalDate, time: LocalTime, zone: string): Date {
  const dateTime = plainDate(date).toPlainDateTime(plainTime(time));
  return toDate(dateTime.toZonedDateTime(zone, { disambiguation: "compatible" }));
}

// Every page of the week asks for the same few days' starts: keep the last few thousand answers.
const startsOfDay = new Map<string, number>();

// Start of day rather than 00:00, for zones where midnight itself can fall in a gap.
function startOfDay(date: LocalDate, zone: string): Date {
  return new Date(remembered(startsOfDay, `${zone} ${date}`, () => plainDate(date).toZonedDateTime({ timeZone: zone }).epochMilliseconds));
}

/**
 * The week containing `date`, from Monday 00:00 local to the next Monday 00:00 local,
 * so a week with a clock change lasts 167 or 169 hours.
 */
export function weekRange(date: LocalDate, zone: string): { start: Date; end: Date; days: LocalDate[] } {
  const monday = mondayOf(date);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return { start: startOfDay(monday, zone), end: startOfDay(addDays(monday, 7), zone), days };
}

/** From local midnight to the next local midnight (23 or 25 hours on a clock-change day). */
export function dayRange(date: LocalDate, zone: string): { start: Date; end: Date } {
  return { start: startOfDay(date, zone), end: startOfDay(addDays(date, 1), zone) };
}

/**
 * A date and time for a message that leaves the app (email): "Tue 10 Mar 2026 at 18:05 (Europe/London time)",
 * so a reader elsewhere knows which clock it means.
 */
export function formatWhen(instant: Date, zone: string): string {
  return `${formatDateTime(instant, zone)} (${zone} time)`;
}

// Timetables ask the same sessions' booking windows request after request: keep the last few thousand answers.
const daysBeforeAnswers = new Map<string, number>();

/**
 * The instant `days` calendar days before `instant` at the same wall-clock time in `zone` (so across a
 * clock change it is 23 or 25 hours a day, not 24).
 */
export function sameTimeDaysBefore(instant: Date, days: number, zone: string): Date {
  const answer = remembered(
    daysBeforeAnswers,
    `${zone} ${instant.getTime()} ${days}`,
    () => Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(zone).subtract({ days }).epochMilliseconds,
  );
  return new Date(answer);
}

/** Elapsed minutes from `a` to `b` (negative when `b` is earlier; fractional if not whole minutes). */
export function minutesBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / 60_000;
}
