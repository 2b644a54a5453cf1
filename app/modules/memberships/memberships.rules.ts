import { addDays, addMonths, dateParts, daysBetween, type LocalDate } from "~/utils/dates";
import type { IMembershipPlan, MembershipStatus, PlanType } from "./memberships.entities.server";

/**
 * Membership rules: money, billing periods, expiry, pauses, cancellation and usage.
 * Pure functions over studio-local calendar dates ("YYYY-MM-DD"); `today` is always passed in.
 */

// ---------------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------------

// Fixed symbols rather than Intl, so server and browser render identical text.
const CURRENCY_SYMBOLS: Record<string, string> = { GBP: "£", EUR: "€", USD: "$" };

/** Largest price a staff member may enter: 100,000.00. */
export const MAX_PRICE_PENCE = 10_000_000;

/**
 * "£9.99", "£1,250.00", "-£5.00" (en-GB style: symbol first, comma thousands, two decimals).
 * A currency without a known symbol is shown by its code: "CHF 9.99".
 */
export function formatMoney(pence: number, currency: string): string {
  if (!Number.isSafeInteger(pence)) throw new RangeError(`Not a whole number of pence: ${pence}`);
  const code = currency.trim().toUpperCase();
  const prefix = CURRENCY_SYMBOLS[code] ?? `${code} `;
  const abs = Math.abs(pence);
  const whole = Math.floor(abs / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  const fraction = (abs % 100).toString().padStart(2, "0");
  return `${pence < 0 ? "-" : ""}${prefix}${whole}.${fraction}`;
}

/**
 * A price typed by staff, in pence: "9.99" → 999, "£110" → 11000, "110.5" → 11050, "1,250" → 125000.
 * Surrounding spaces and one leading £, € or $ are allowed; thousands commas must be well placed.
 * Null for anything else: empty, negative, more than two decimals, exponents, over 100,000.00.
 */
export function parsePriceToPence(input: string): number | null {
  const match = /^[£€$]?\s*(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/.exec(input.trim());
  if (!match) return null;
  const whole = Number(match[1].replace(/,/g, ""));
  const fraction = Number((match[2] ?? "").padEnd(2, "0"));
  // Integer arithmetic throughout, so "0.29" is 29 and not 28.999….
  const pence = whole * 100 + fraction;
  if (!Number.isSafeInteger(pence) || pence > MAX_PRICE_PENCE) return null;
  return pence;
}

// ---------------------------------------------------------------------------------------------
// Calendar
// ---------------------------------------------------------------------------------------------

/** Calendar days from `a` to `b` (negative when `b` is earlier). */
function daysFrom(a: LocalDate, b: LocalDate): number {
  return daysBetween(a, b);
}

/** Days from `a` to `b` counting both ends (1 when they are the same day). */
function inclusiveDays(a: LocalDate, b: LocalDate): number {
  return daysFrom(a, b) + 1;
}

/** Last day of a prepaid plan: the start day counts as day 1, so 56 days from 5 Jan 2026 end on 1 Mar 2026. */
export function prepaidEndDate(start: LocalDate, durationDays: number): LocalDate {
  if (!Number.isInteger(durationDays) || durationDays < 1) throw new RangeError("The duration must be a whole number of at least 1 day.");
  return addDays(start, durationDays - 1);
}

/** `date` moved by whole months; a day the target month lacks becomes its last day (31 Jan + 1 month → 28/29 Feb). */
export function addMonthsClamped(date: LocalDate, months: number): LocalDate {
  return addMonths(date, months);
}

/**
 * The monthly billing period containing `today`. Every boundary is counted from `start` (not
 * from the previous boundary), so a plan started on 31 Jan bills on 28 Feb and then 31 Mar again.
 * Period k runs from start + k months to the day before start + (k + 1) months; before the start
 * date the first period is returned. `nextBillingDate` is the day after `end`.
 */
export function currentBillingPeriod(start: LocalDate, today: LocalDate): { start: LocalDate; end: LocalDate; nextBillingDate: LocalDate } {
  const s = dateParts(start);
  const t = dateParts(today);
  let k = 0;
  if (today > start) {
    // Month-number difference is right or one too many (when today's day is before the anchor day).
    k = Math.max(0, (t.year - s.year) * 12 + (t.month - s.month));
    while (k > 0 && addMonthsClamped(start, k) > today) k--;
    while (addMonthsClamped(start, k + 1) <= today) k++;
  }
  const nextBillingDate = addMonthsClamped(start, k + 1);
  return { start: addMonthsClamped(start, k), end: addDays(nextBillingDate, -1), nextBillingDate };
}

// ---------------------------------------------------------------------------------------------
// Status, pause and cancellation
// ---------------------------------------------------------------------------------------------

/**
 * The status to show and enforce on `today`, derived from the stored row so expiry needs no job.
 * - CANCELLED stays CANCELLED.
 * - Past the end date (the end date itself is still usable): a cancel-at-period-end membership is
 *   CANCELLED, anything else EXPIRED.
 * - A PAUSED PREPAID's clock is stopped (resuming moves its end date later), so it stays PAUSED even
 *   past its stored end date; other paused memberships still end on their end date.
 * - Otherwise the stored status.
 */
export function effectiveMembershipStatus(
  m: { status: MembershipStatus; endDate: LocalDate | null; cancelAtPeriodEnd: boolean; planType: PlanType },
  today: LocalDate,
): MembershipStatus {
  if (m.status === "CANCELLED") return "CANCELLED";
  if (m.status === "PAUSED" && m.planType === "PREPAID") return "PAUSED";
  if (m.endDate !== null && daysFrom(m.endDate, today) > 0) return m.cancelAtPeriodEnd ? "CANCELLED" : "EXPIRED";
  return m.status;
}

/** `effectiveMembershipStatus` of a stored membership with its plan. */
export function effectiveStatusOf(
  m: { status: MembershipStatus; endDate?: LocalDate | null; cancelAtPeriodEnd: boolean; plan: { type: PlanType } },
  today: LocalDate,
): MembershipStatus {
  return effectiveMembershipStatus({ status: m.status, endDate: m.endDate ?? null, cancelAtPeriodEnd: m.cancelAtPeriodEnd, planType: m.plan.type }, today);
}

/**
 * Ending a pause on `today`. The paused days are the calendar days from `pausedOn` to `today`
 * (0 when resumed the same day; never negative). A PREPAID's end date moves later by that many
 * days so the client loses no paid time; other plans keep their end date.
 */
export function resumeAfterPause(
  m: { planType: PlanType; endDate: LocalDate | null; pausedOn: LocalDate },
  today: LocalDate,
): { endDate: LocalDate | null; pausedDays: number } {
  const pausedDays = Math.max(0, daysFrom(m.pausedOn, today));
  if (m.planType === "PREPAID" && m.endDate !== null) return { endDate: addDays(m.endDate, pausedDays), pausedDays };
  return { endDate: m.endDate, pausedDays };
}

export type ClientCancellation = { kind: "at-period-end"; endDate: LocalDate } | { kind: "immediate" };

/**
 * What a client's own cancellation does: a RECURRING plan runs to the end of the billing period
 * already paid for, and never ends before its commitment does (`commitmentMonths` from the start: the
 * last day of that many periods); a PACK or PREPAID ends at once.
 */
export function clientCancellation(m: { planType: PlanType; startDate: LocalDate; commitmentMonths?: number | null }, today: LocalDate): ClientCancellation {
  if (m.planType !== "RECURRING") return { kind: "immediate" };
  const periodEnd = currentBillingPeriod(m.startDate, today).end;
  const commitmentEnd = m.commitmentMonths ? addDays(addMonthsClamped(m.startDate, m.commitmentMonths), -1) : null;
  return { kind: "at-period-end", endDate: commitmentEnd && commitmentEnd > periodEnd ? commitmentEnd : periodEnd };
}

// ---------------------------------------------------------------------------------------------
// Usage
// ---------------------------------------------------------------------------------------------

/** A weekly limit's state in the studio week: bookings used, the limit, and what is left (never below 0). */
export type WeeklyUse = { used: number; limit: number; remaining: number };

export type SessionUsage = { membershipId: number; planName: string } & (
  | ({ type: "recurring" } & WeeklyUse)
  | { type: "coaching" }
  | { type: "pack"; sessionsRemaining: number; totalSessions: number; weekly?: WeeklyUse }
  | { type: "prepaid"; daysRemaining: number; endDate: LocalDate; startDate: LocalDate; weekly?: WeeklyUse }
);

export type UsageInput = {
  membershipId: number;
  planName: string;
  planType: PlanType;
  sessionsPerWeek: number | null;
  totalSessions: number | null;
  sessionsRemaining: number | null;
  startDate: LocalDate;
  endDate: LocalDate | null;
  /** Bookings charged to this membership that count toward this studio week (used when it has a weekly limit). */
  usedThisWeek: number;
};

function weeklyUse(limit: number, usedThisWeek: number): WeeklyUse {
  const used = Math.max(0, usedThisWeek);
  return { used, limit, remaining: Math.max(0, limit - used) };
}

/**
 * What a membership allows and has left on `today`:
 * - RECURRING with a weekly limit: used this week, the limit, and what is left (never below 0);
 *   without a limit (null or 0) it is coaching only.
 * - PACK: sessions left of the bundle.
 * - PREPAID: days left including today and the last day; 0 once past; the full length before it starts.
 * - A PACK or PREPAID with a weekly limit also has `weekly`: this week's use, as for RECURRING.
 */
export function usageFor(input: UsageInput, today: LocalDate): SessionUsage {
  const base = { membershipId: input.membershipId, planName: input.planName };
  const weekly = input.sessionsPerWeek && input.sessionsPerWeek > 0 ? { weekly: weeklyUse(input.sessionsPerWeek, input.usedThisWeek) } : {};
  switch (input.planType) {
    case "RECURRING": {
      const limit = input.sessionsPerWeek ?? 0;
      if (limit <= 0) return { ...base, type: "coaching" };
      return { ...base, type: "recurring", ...weeklyUse(limit, input.usedThisWeek) };
    }
    case "PACK": {
      const sessionsRemaining = Math.max(0, input.sessionsRemaining ?? 0);
      const totalSessions = Math.max(input.totalSessions ?? 0, sessionsRemaining);
      return { ...base, type: "pack", sessionsRemaining, totalSessions, ...weekly };
    }
    case "PREPAID": {
      const { startDate, endDate } = input;
      if (endDate === null) throw new RangeError("A prepaid membership needs an end date.");
      let daysRemaining: number;
      if (daysFrom(today, startDate) > 0) daysRemaining = inclusiveDays(startDate, endDate);
      else daysRemaining = Math.max(0, inclusiveDays(today, endDate));
      return { ...base, type: "prepaid", daysRemaining, endDate, startDate, ...weekly };
    }
  }
}

/** Share of the allowance used, 0–100 rounded to a whole number (coaching is always 0). */
export function usagePercent(u: SessionUsage): number {
  let share: number;
  switch (u.type) {
    case "recurring":
      share = u.limit > 0 ? u.used / u.limit : 0;
      break;
    case "pack":
      share = u.totalSessions > 0 ? (u.totalSessions - u.sessionsRemaining) / u.totalSessions : 0;
      break;
    case "prepaid": {
      const total = inclusiveDays(u.startDate, u.endDate);
      share = total > 0 ? (total - u.daysRemaining) / total : 0;
      break;
    }
    case "coaching":
      share = 0;
      break;
  }
  return Math.round(Math.min(1, Math.max(0, share)) * 100);
}

// ---------------------------------------------------------------------------------------------
// Plan summary
// ---------------------------------------------------------------------------------------------

export type PlanSummaryInput = Pick<
  IMembershipPlan,
  "type" | "sessionsPerWeek" | "commitmentMonths" | "totalSessions" | "durationDays" | "pricePence" | "currency"
>;

function plural(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/**
 * One line a client understands:
 * "3 sessions a week · £75.00 a month · 6-month commitment", "Coaching only · £30.00 a month",
 * "10 sessions · £275.00", "10 sessions · up to 2 a week · £275.00", "56 days of unlimited classes · £250.00",
 * "42 days of up to 5 sessions a week · £149.00".
 */
export function planSummary(plan: PlanSummaryInput): string {
  const price = formatMoney(plan.pricePence, plan.currency);
  switch (plan.type) {
    case "RECURRING": {
      const parts = [plan.sessionsPerWeek ? `${plural(plan.sessionsPerWeek, "session", "sessions")} a week` : "Coaching only", `${price} a month`];
      if (plan.commitmentMonths) parts.push(`${plan.commitmentMonths}-month commitment`);
      return parts.join(" · ");
    }
    case "PACK": {
      const parts = [plan.totalSessions ? plural(plan.totalSessions, "session", "sessions") : "Session pack"];
      if (plan.sessionsPerWeek) parts.push(`up to ${plan.sessionsPerWeek} a week`);
      return [...parts, price].join(" · ");
    }
    case "PREPAID": {
      const classes = plan.sessionsPerWeek ? `up to ${plural(plan.sessionsPerWeek, "session", "sessions")} a week` : "unlimited classes";
      return [plan.durationDays ? `${plural(plan.durationDays, "day", "days")} of ${classes}` : classes.charAt(0).toUpperCase() + classes.slice(1), price].join(
        " · ",
      );
    }
  }
}

/**
 * "One per member" plans (`allowRepeatPurchase = false`): why `plan` cannot be given to, or bought by, a
 * member who has or had `heldBefore` memberships of it (in any state); null when it can. Admin assignment
 * and the checkout share this rule.
 */
export function repeatRefusal(plan: { name: string; allowRepeatPurchase: boolean }, heldBefore: number): string | null {
  if (plan.allowRepeatPurchase || heldBefore === 0) return null;
  return `${plan.name} is one per member, and this member already has or had it.`;
}

export type MembershipTotals = { active: Record<PlanType, number>; paused: number };

/** How many memberships are in effect by plan type, and how many are paused (the admin's overview). */
export function tallyMemberships(statuses: { planType: PlanType; status: MembershipStatus }[]): MembershipTotals {
  const totals: MembershipTotals = { active: { RECURRING: 0, PACK: 0, PREPAID: 0 }, paused: 0 };
  for (const { planType, status } of statuses) {
    if (status === "ACTIVE") totals.active[planType]++;
    else if (status === "PAUSED") totals.paused++;
  }
  return totals;
}
