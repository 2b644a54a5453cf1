import { Temporal } from "temporal-polyfill";

/**
 * Studio time-zone helpers. Instants are JS `Date`s (UTC); wall-clock values are strings.
 * All calendar arithmetic goes through Temporal so clock changes are handled correctly.
 */

/** A calendar date, "YYYY-MM-DD". */
export type LocalDate = string;
/** A wall-clock time, "HH:MM" (24-hour). */
export type LocalTime = string;

const LOCAL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

/** A real calendar date in YYYY-MM-DD (any four-digit year), as the arithmetic below needs. */
function isCalendarDate(s: string): boolean {
  if (!LOCAL_DATE.test(s)) return false;
  try {
    Temporal.PlainDate.from(s); // rejects impossible dates such as 2026-02-30
    return true;
  } catch {
    return false;
  }
}

/**
 * A date a person may give us: a real YYYY-MM-DD date between 1900 and 2199. Nothing a studio books lies
 * outside, and the weeks a page works out around a date then stay within what Date and PostgreSQL hold.
 */
export function isLocalDate(s: string): boolean {
  const year = Number(s.slice(0, 4));
  return isCalendarDate(s) && year >= 1900 && year <= 2199;
}

export function isLocalTime(s: string): boolean {
  return LOCAL_TIME.test(s);
}

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

function zoned(instant: Date, zone: string): Temporal.ZonedDateTime {
  return Temporal.Instant.fromEpochMilliseconds(instant.getTime()).toZonedDateTimeISO(zone);
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

export function localDateOf(instant: Date, zone: string): LocalDate {
  return zoned(instant, zone).toPlainDate().toString();
}

/** Seconds are dropped, not rounded. */
export function localTimeOf(instant: Date, zone: string): LocalTime {
  return zoned(instant, zone).toPlainTime().toString({ smallestUnit: "minute" });
}

export function todayIn(zone: string, now: Date = new Date()): LocalDate {
  return localDateOf(now, zone);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return plainDate(date).add({ days }).toString();
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  return plainDate(date).dayOfWeek;
}

/** The Monday of the (Monday–Sunday) week containing `date`. */
export function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, 1 - weekdayOf(date));
}

// Start of day rather than 00:00, for zones where midnight itself can fall in a gap.
function startOfDay(date: LocalDate, zone: string): Date {
  return toDate(plainDate(date).toZonedDateTime({ timeZone: zone }));
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

/** "06:30" in the studio's zone. */
export function formatTime(instant: Date, zone: string): string {
  return localTimeOf(instant, zone);
}

/** "Tue 10 Mar 2026 at 12:00" in `zone`. */
export function formatDateTime(instant: Date, zone: string): string {
  return `${formatDate(instant, zone)} at ${formatTime(instant, zone)}`;
}

/**
 * A date and time for a message that leaves the app (email): "Tue 10 Mar 2026 at 18:05 (Europe/London time)",
 * so a reader elsewhere knows which clock it means.
 */
export function formatWhen(instant: Date, zone: string): string {
  return `${formatDateTime(instant, zone)} (${zone} time)`;
}

// Fixed English names rather than Intl, so server and browser render identical text
// (ICU versions disagree on details such as "Sep" vs "Sept").
/** "Mon 5 Jan 2026". An instant is first converted to its local date in `zone`. */
export function formatDate(value: Date | LocalDate, zone: string): string {
  const d = plainDate(typeof value === "string" ? value : localDateOf(value, zone));
  return `${WEEKDAYS[d.dayOfWeek - 1].slice(0, 3)} ${d.day} ${MONTHS[d.month - 1].slice(0, 3)} ${d.year}`;
}

/** "Monday 5 January". */
export function formatDayHeading(date: LocalDate): string {
  const d = plainDate(date);
  return `${WEEKDAYS[d.dayOfWeek - 1]} ${d.day} ${MONTHS[d.month - 1]}`;
}

/** Elapsed minutes from `a` to `b` (negative when `b` is earlier; fractional if not whole minutes). */
export function minutesBetween(a: Date, b: Date): number {
  return (b.getTime() - a.getTime()) / 60_000;
}
