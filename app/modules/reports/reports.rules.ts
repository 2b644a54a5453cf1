// Pure rules of the studio reports (/admin/reports): what each number counts, the date range, week and
// month buckets, labels, utilisation and the pause history of a membership. The queries in
// reports.service.server.ts count in SQL by these rules; each rule is named here and shown on the page.
import type { RegistrationStatus } from "~/modules/booking/booking.entities.server";
import { addDays, addMonths, daysBetween as calendarDaysBetween, formatDate, isLocalDate, localDateOf, mondayOf, type LocalDate } from "~/utils/dates";

// ---------- what is counted ----------

/**
 * Sessions counted: every session that starts in the range (studio dates) unless the studio CANCELLED it;
 * SCHEDULED and COMPLETED ones both count.
 */
export const UNCOUNTED_SESSION_STATUS = "CANCELLED";

/**
 * "Booked" (and "places filled" for utilisation): registrations that hold a place at the class time —
 * still booked, attended or no-show. Waitlist places, in-time cancels and late cancels hold none.
 */
export const PLACE_HOLDING_STATUSES = ["REGISTERED", "ATTENDED", "NO_SHOW"] as const satisfies readonly RegistrationStatus[];

/** Booked but attendance not marked (yet): booked = attended + no-shows + not marked. */
export const UNMARKED_STATUS = "REGISTERED" satisfies RegistrationStatus;

/** Cancelled inside the late-cancel cut-off: counted apart; the place was freed. */
export const LATE_CANCEL_STATUS = "LATE_CANCELLED" satisfies RegistrationStatus;

/** Revenue counts purchases and monthly invoices Stripe reports as paid… */
export const PAID_KINDS = ["PURCHASE", "INVOICE"] as const;
export const PAID_STATUSES = ["paid", "succeeded"] as const;
/** …less refunds that went through (pending or failed refunds returned nothing yet). */
export const REFUNDED_STATUSES = ["succeeded"] as const;

export const RULES = {
  sessions: "Sessions the studio cancelled are left out; every other session that starts in the range counts, by its start in the studio's time zone.",
  booked: "Booked: registrations holding a place at the class time (booked, attended or no-show); waitlist places and cancellations are not bookings.",
  unmarked: "Not marked: booked, but attendance not taken (yet).",
  lateCancels: "Late cancels: cancelled inside the late-cancel cut-off; the place was freed, so they are not in Booked.",
  utilisation: "Utilisation: places filled (Booked) of the places offered (each session's maximum occupancy).",
  weeks: "Weeks run Monday to Sunday in the studio's time zone and are named by their Monday.",
  slots: "Time slots are the start time of day in the studio's time zone.",
  memberships:
    "A membership is in effect on each day from its start date to its last day (its end date; for one cancelled or expired without one, the day that happened). Paused memberships count as in effect.",
  months: "Months are whole calendar months, from the month of the first day of the range to the month of its last day.",
  revenue:
    "Revenue: purchases and monthly payments Stripe reports as paid, less refunds that went through, by the day they happened in the studio's time zone, per currency.",
} as const;

// ---------- the range ----------

export type ReportRange = { from: LocalDate; to: LocalDate };

/** The longest range a report covers: two years. */
export const MAX_RANGE_DAYS = 731;

/** The last 8 studio weeks: from the Monday seven weeks before this week's to today. */
export function defaultRange(today: LocalDate): ReportRange {
  return { from: addDays(mondayOf(today), -49), to: today };
}

export function daysBetween(from: LocalDate, to: LocalDate): number {
  return calendarDaysBetween(from, to);
}

/** Why a range cannot be reported, or null. */
export function rangeProblem(range: ReportRange): string | null {
  if (!isLocalDate(range.from) || !isLocalDate(range.to)) return "Enter the dates as YYYY-MM-DD.";
  const days = daysBetween(range.from, range.to);
  if (days < 0) return "The start date must be on or before the end date.";
  if (days + 1 > MAX_RANGE_DAYS) return "Choose a range of two years or less.";
  return null;
}

// ---------- groupings ----------

export const GROUPINGS = ["week", "class-type", "coach", "slot"] as const;
export type Grouping = (typeof GROUPINGS)[number];
export const GROUPING_LABELS: Record<Grouping, string> = { week: "Week", "class-type": "Class type", coach: "Coach", slot: "Time slot" };

/** The Monday of each studio week that holds a day of the range, in order. */
export function weeksOf(range: ReportRange): LocalDate[] {
  const weeks: LocalDate[] = [];
  for (let monday = mondayOf(range.from); monday <= range.to; monday = addDays(monday, 7)) weeks.push(monday);
  return weeks;
}

/** "w/c 5 Jan 2026": the week commencing that Monday. */
export function weekLabel(monday: LocalDate): string {
  return `w/c ${formatDate(monday, "UTC").slice(4)}`;
}

/** A time slot as SQL gives it ("06:30"); anything else is shown as it came. */
export function slotLabel(time: string): string {
  return /^\d{2}:\d{2}/.test(time) ? time.slice(0, 5) : time;
}

// ---------- months ----------

const MONTH_NAMES = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "YYYY-MM" of each calendar month that holds a day of the range, in order. */
export function monthsOf(range: ReportRange): string[] {
  const months: string[] = [];
  const last = range.to.slice(0, 7);
  for (let month = `${range.from.slice(0, 7)}-01`; month.slice(0, 7) <= last; month = addMonths(month, 1)) months.push(month.slice(0, 7));
  return months;
}

/** The first and last day of a month "YYYY-MM". */
export function monthBounds(month: string): { first: LocalDate; last: LocalDate } {
  const first = `${month}-01`;
  return { first, last: addDays(addMonths(first, 1), -1) };
}

/** The whole months a range touches, as dates: first day of the first to last day of the last. */
export function monthSpan(range: ReportRange): ReportRange {
  const months = monthsOf(range);
  return { from: monthBounds(months[0]).first, to: monthBounds(months[months.length - 1]).last };
}

/** "Jan 2026". */
export function monthLabel(month: string): string {
  return `${MONTH_NAMES[Number(month.slice(5, 7)) - 1]} ${month.slice(0, 4)}`;
}

/** The month "YYYY-MM" a studio date falls in. */
export function monthOf(date: LocalDate): string {
  return date.slice(0, 7);
}

// ---------- attendance and utilisation ----------

export type AttendanceCounts = {
  sessions: number;
  /** Places offered: the sum of the sessions' maximum occupancy. */
  capacity: number;
  booked: number;
  attended: number;
  noShows: number;
  lateCancels: number;
  unmarked: number;
};

export type GroupRow = AttendanceCounts & { key: string; label: string };

const ZERO: AttendanceCounts = { sessions: 0, capacity: 0, booked: 0, attended: 0, noShows: 0, lateCancels: 0, unmarked: 0 };

export function sumCounts(rows: AttendanceCounts[]): AttendanceCounts {
  return rows.reduce(
    (sum, row) => ({
      sessions: sum.sessions + row.sessions,
      capacity: sum.capacity + row.capacity,
      booked: sum.booked + row.booked,
      attended: sum.attended + row.attended,
      noShows: sum.noShows + row.noShows,
      lateCancels: sum.lateCancels + row.lateCancels,
      unmarked: sum.unmarked + row.unmarked,
    }),
    ZERO,
  );
}

/** Every week of the range in order, with zeros for a week without sessions (rows are keyed by Monday). */
export function fillWeeks(rows: GroupRow[], range: ReportRange): GroupRow[] {
  const byKey = new Map(rows.map((row) => [row.key, row]));
  return weeksOf(range).map((monday) => ({ ...(byKey.get(monday) ?? ZERO), key: monday, label: weekLabel(monday) }));
}

/** Places filled of places offered, as a percentage with one decimal; null with no places offered. */
export function utilisationPercent(filled: number, capacity: number): number | null {
  if (capacity <= 0) return null;
  return Math.round((filled * 1000) / capacity) / 10;
}

export function formatPercent(percent: number | null): string {
  return percent === null ? "—" : `${percent.toFixed(1)}%`;
}

// ---------- memberships and revenue ----------

export type MembershipMonthRow = {
  month: string;
  /** In effect on at least one day of the month. */
  inEffect: number;
  /** In effect on the month's last day. */
  atMonthEnd: number;
  /** Started in the month. */
  started: number;
  /** Whose last day fell in the month. */
  ended: number;
};

export function fillMembershipMonths(rows: MembershipMonthRow[], months: string[]): MembershipMonthRow[] {
  const byMonth = new Map(rows.map((row) => [row.month, row]));
  return months.map((month) => byMonth.get(month) ?? { month, inEffect: 0, atMonthEnd: 0, started: 0, ended: 0 });
}

export type RevenueRow = { month: string; currency: string; payments: number; paidPence: number; refunds: number; refundedPence: number };

export function netPence(row: Pick<RevenueRow, "paidPence" | "refundedPence">): number {
  return row.paidPence - row.refundedPence;
}

/**
 * Every month × currency, in order: the studio's currency in every month, another currency in every month
 * once any month has it, zeros where nothing happened.
 */
export function fillRevenueMonths(rows: RevenueRow[], months: string[], studioCurrency: string): RevenueRow[] {
  const currencies = [...new Set([studioCurrency, ...rows.map((row) => row.currency)])].sort((a, b) =>
    a === studioCurrency ? -1 : b === studioCurrency ? 1 : a.localeCompare(b),
  );
  const byKey = new Map(rows.map((row) => [`${row.month} ${row.currency}`, row]));
  return months.flatMap((month) =>
    currencies.map((currency) => byKey.get(`${month} ${currency}`) ?? { month, currency, payments: 0, paidPence: 0, refunds: 0, refundedPence: 0 }),
  );
}

// ---------- pauses ----------

export type PauseEvent = { action: "PAUSED" | "RESUMED"; at: Date };

export type PausePeriod = { from: LocalDate; to: LocalDate | null };

/**
 * The pauses of a membership from its events, oldest first: each PAUSED opens a pause on its studio date,
 * the next RESUMED closes it (a RESUMED with no pause open, such as a withdrawn cancellation, is ignored).
 * A membership paused now without an open pause in its events (paused before events were kept) gets
 * one from `pausedOn`.
 */
export function pausePeriods(events: PauseEvent[], zone: string, pausedOn: LocalDate | null = null): PausePeriod[] {
  const periods: PausePeriod[] = [];
  let open: LocalDate | null = null;
  for (const event of [...events].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (event.action === "PAUSED" && open === null) open = localDateOf(event.at, zone);
    else if (event.action === "RESUMED" && open !== null) {
      periods.push({ from: open, to: localDateOf(event.at, zone) });
      open = null;
    }
  }
  if (open !== null) periods.push({ from: open, to: null });
  else if (pausedOn) periods.push({ from: pausedOn, to: null });
  return periods;
}

/** "2026-01-05 to 2026-01-19; 2026-02-01 onwards". */
export function formatPausePeriods(periods: PausePeriod[]): string {
  return periods.map((period) => (period.to ? `${period.from} to ${period.to}` : `${period.from} onwards`)).join("; ");
}

// ---------- files ----------

export const REPORT_FILES = ["attendance", "utilisation", "memberships", "revenue"] as const;
export type ReportFile = (typeof REPORT_FILES)[number];

/** "attendance.csv" → "attendance"; null for any other name. */
export function reportFileOf(name: string): ReportFile | null {
  const match = /^([a-z]+)\.csv$/.exec(name);
  return match && (REPORT_FILES as readonly string[]).includes(match[1]) ? (match[1] as ReportFile) : null;
}

/** "centurion-attendance-by-week-2026-01-05-to-2026-03-01.csv". */
export function reportFileName(file: ReportFile, range: ReportRange, by?: Grouping): string {
  return `centurion-${file}${by ? `-by-${by}` : ""}-${range.from}-to-${range.to}.csv`;
}
