/**
 * Calendar dates and their display, safe for the browser: no Temporal polyfill (about 20 KB gzipped).
 * Components import from here; server code uses `~/utils/time`, which re-exports all of this and adds the
 * wall-clock-to-instant arithmetic that needs Temporal. Dates are "YYYY-MM-DD" strings; day arithmetic
 * is plain integer arithmetic on day numbers, and an instant's wall clock in a zone comes from
 * Intl.DateTimeFormat's numeric parts (the same time-zone data Temporal's polyfill reads).
 */

import { remembered } from "./remembered";

/** A calendar date, "YYYY-MM-DD". */
export type LocalDate = string;
/** A wall-clock time, "HH:MM" (24-hour). */
export type LocalTime = string;

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^([01]\d|2[0-3]):[0-5]\d$/;

const WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

type Civil = { year: number; month: number; day: number };

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  return month === 2 ? (isLeapYear(year) ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parse(date: string): Civil | null {
  const match = LOCAL_DATE.exec(date);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return { year, month, day };
}

/** The year, month (1–12) and day of a date. */
export function dateParts(date: LocalDate): Civil {
  return civil(date);
}

function civil(date: LocalDate): Civil {
  const parsed = parse(date);
  if (!parsed) throw new RangeError(`Not a date (YYYY-MM-DD): ${date}`);
  return parsed;
}

// Days since 1970-01-01 and back, in the proleptic Gregorian calendar (H. Hinnant's algorithms).
function dayNumber({ year, month, day }: Civil): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function fromDayNumber(days: number): Civil {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYear - Math.floor((153 * mp + 2) / 5) + 1 };
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

function toLocalDate({ year, month, day }: Civil): LocalDate {
  if (year < 0 || year > 9999) throw new RangeError(`Date out of range: year ${year}`);
  return `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
}

/** A real calendar date in YYYY-MM-DD (any four-digit year), as the arithmetic below needs. */
export function isCalendarDate(s: string): boolean {
  return parse(s) !== null;
}

/**
 * A date a person may give us: a real YYYY-MM-DD date between 1900 and 2199. Nothing a studio books lies
 * outside, and the weeks a page works out around a date then stay within what Date and PostgreSQL hold.
 */
export function isLocalDate(s: string): boolean {
  const parsed = parse(s);
  return parsed !== null && parsed.year >= 1900 && parsed.year <= 2199;
}

export function isLocalTime(s: string): boolean {
  return LOCAL_TIME.test(s);
}

export function addDays(date: LocalDate, days: number): LocalDate {
  return toLocalDate(fromDayNumber(dayNumber(civil(date)) + days));
}

/** Calendar days from `a` to `b` (negative when `b` is earlier). */
export function daysBetween(a: LocalDate, b: LocalDate): number {
  return dayNumber(civil(b)) - dayNumber(civil(a));
}

/** `date` moved by whole months; a day the target month lacks becomes its last day (31 Jan + 1 month → 28/29 Feb). */
export function addMonths(date: LocalDate, months: number): LocalDate {
  if (!Number.isInteger(months)) throw new RangeError(`Not a whole number of months: ${months}`);
  const { year, month, day } = civil(date);
  const index = year * 12 + (month - 1) + months;
  const target = { year: Math.floor(index / 12), month: (((index % 12) + 12) % 12) + 1 };
  return toLocalDate({ ...target, day: Math.min(day, daysInMonth(target.year, target.month)) });
}

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export function weekdayOf(date: LocalDate): number {
  // Day 0, 1970-01-01, was a Thursday (ISO 4).
  return ((((dayNumber(civil(date)) + 3) % 7) + 7) % 7) + 1;
}

/** The Monday of the (Monday–Sunday) week containing `date`. */
export function mondayOf(date: LocalDate): LocalDate {
  return addDays(date, 1 - weekdayOf(date));
}

// Building an Intl.DateTimeFormat costs far more than using one: one per zone, kept.
const wallClockFormats = new Map<string, Intl.DateTimeFormat>();

type WallClock = Civil & { hour: number; minute: number };
// Pages show the same class times to everyone, request after request: keep the last few thousand answers.
// Keyed by the second (zone offsets are whole seconds, so every instant of a second reads the same).
const wallClocks = new Map<string, WallClock>();

function wallClock(instant: Date, zone: string): WallClock {
  return remembered(wallClocks, `${zone} ${Math.floor(instant.getTime() / 1000)}`, () => readWallClock(instant, zone));
}

function readWallClock(instant: Date, zone: string): WallClock {
  const format = remembered(
    wallClockFormats,
    zone,
    () =>
      new Intl.DateTimeFormat("en-GB", {
        timeZone: zone,
        year: "numeric",
        month: "numeric",
        day: "numeric",
        hour: "numeric",
        minute: "numeric",
        hourCycle: "h23",
      }),
    100,
  );
  const fields = { year: 0, month: 0, day: 0, hour: 0, minute: 0 };
  for (const part of format.formatToParts(instant)) {
    if (part.type in fields) fields[part.type as keyof typeof fields] = Number(part.value);
  }
  fields.hour %= 24; // some engines write midnight as 24
  return fields;
}

export function localDateOf(instant: Date, zone: string): LocalDate {
  return toLocalDate(wallClock(instant, zone));
}

/** Seconds are dropped, not rounded. */
export function localTimeOf(instant: Date, zone: string): LocalTime {
  const { hour, minute } = wallClock(instant, zone);
  return `${pad(hour)}:${pad(minute)}`;
}

export function todayIn(zone: string, now: Date = new Date()): LocalDate {
  return localDateOf(now, zone);
}

// Fixed English names rather than Intl's, so server and browser render identical text
// (ICU versions disagree on details such as "Sep" vs "Sept").
/** "Mon 5 Jan 2026". An instant is first converted to its local date in `zone`. */
export function formatDate(value: Date | LocalDate, zone: string): string {
  const date = typeof value === "string" ? value : localDateOf(value, zone);
  const { year, month, day } = civil(date);
  return `${WEEKDAYS[weekdayOf(date) - 1].slice(0, 3)} ${day} ${MONTHS[month - 1].slice(0, 3)} ${year}`;
}

/** "Monday 5 January". */
export function formatDayHeading(date: LocalDate): string {
  const { month, day } = civil(date);
  return `${WEEKDAYS[weekdayOf(date) - 1]} ${day} ${MONTHS[month - 1]}`;
}

/** "06:30" in the studio's zone. */
export function formatTime(instant: Date, zone: string): string {
  return localTimeOf(instant, zone);
}

/** "Tue 10 Mar 2026 at 12:00" in `zone`. */
export function formatDateTime(instant: Date, zone: string): string {
  return `${formatDate(instant, zone)} at ${formatTime(instant, zone)}`;
}
