// The studio reports: attendance and utilisation by week, class type, coach and time slot; memberships in
// effect and revenue by month. Each is one set-based query (GROUP BY in SQL) counting by the named rules
// of reports.rules.ts; the gaps (weeks or months with nothing) are filled in afterwards.
import type { EntityManager } from "@mikro-orm/postgresql";
import { getSettings } from "~/modules/settings/settings.service.server";
import { dayRange } from "~/utils/time";
import {
  fillMembershipMonths,
  fillRevenueMonths,
  fillWeeks,
  LATE_CANCEL_STATUS,
  monthBounds,
  monthsOf,
  monthSpan,
  netPence,
  PAID_KINDS,
  PAID_STATUSES,
  PLACE_HOLDING_STATUSES,
  REFUNDED_STATUSES,
  reportFileName,
  slotLabel,
  sumCounts,
  UNCOUNTED_SESSION_STATUS,
  UNMARKED_STATUS,
  utilisationPercent,
  type AttendanceCounts,
  type GroupRow,
  type Grouping,
  type MembershipMonthRow,
  type ReportFile,
  type ReportRange,
  type RevenueRow,
} from "./reports.rules";
import { toCsv } from "./csv.server";

/** A list of fixed words as SQL literals (they come from the rules above, never from a request). */
function sqlList(values: readonly string[]): string {
  for (const value of values) if (!/^[A-Za-z_]+$/.test(value)) throw new Error(`Not a plain word: ${value}`);
  return values.map((value) => `'${value}'`).join(", ");
}

/** The instants a range of studio dates covers: from the first day's start to the day after the last. */
function instants(range: ReportRange, zone: string): { start: Date; end: Date } {
  return { start: dayRange(range.from, zone).start, end: dayRange(range.to, zone).end };
}

/** How each grouping keys, names, groups and orders the per-session rows (`ps`, with `ct` and `u` joined). */
const GROUPING_SQL: Record<Grouping, { key: string; label: string; groupBy: string; orderBy: string }> = {
  week: { key: `to_char(date_trunc('week', ps.local_start), 'YYYY-MM-DD')`, label: `''`, groupBy: "1", orderBy: "1" },
  "class-type": {
    key: `coalesce(ps.class_type_id::text, 'none')`,
    label: `coalesce(min(ct.name), 'No class type')`,
    groupBy: "ps.class_type_id",
    orderBy: "ps.class_type_id is null, lower(min(ct.name)), ps.class_type_id",
  },
  coach: { key: `ps.coach_id::text`, label: `min(u.name)`, groupBy: "ps.coach_id", orderBy: "lower(min(u.name)), ps.coach_id" },
  slot: { key: `to_char(ps.local_start, 'HH24:MI')`, label: `''`, groupBy: "1", orderBy: "1" },
};

type GroupSqlRow = { key: string; label: string } & Record<keyof AttendanceCounts, number>;

/**
 * Attendance and utilisation of the sessions in `range`, one row per group. Weeks come for every week of
 * the range (zeros where there were no sessions); the other groupings only where there were sessions.
 */
export async function attendanceBy(em: EntityManager, range: ReportRange, by: Grouping, zone: string): Promise<GroupRow[]> {
  const { start, end } = instants(range, zone);
  const g = GROUPING_SQL[by];
  const rows = await em.execute<GroupSqlRow[]>(
    `with ps as (
       select s.id, s.class_type_id, s.coach_id, s.max_occupancy, s.start_time at time zone ? as local_start,
         count(r.id) filter (where r.status in (${sqlList(PLACE_HOLDING_STATUSES)})) as booked,
         count(r.id) filter (where r.status = 'ATTENDED') as attended,
         count(r.id) filter (where r.status = 'NO_SHOW') as no_shows,
         count(r.id) filter (where r.status = ${sqlList([LATE_CANCEL_STATUS])}) as late_cancels,
         count(r.id) filter (where r.status = ${sqlList([UNMARKED_STATUS])}) as unmarked
       from session s
       left join session_registration r on r.session_id = s.id
       where s.status <> ${sqlList([UNCOUNTED_SESSION_STATUS])} and s.start_time >= ? and s.start_time < ?
       group by s.id
     )
     select ${g.key} as key, ${g.label} as label,
       count(*)::int as sessions, sum(ps.max_occupancy)::int as capacity, sum(ps.booked)::int as booked,
       sum(ps.attended)::int as attended, sum(ps.no_shows)::int as "noShows",
       sum(ps.late_cancels)::int as "lateCancels", sum(ps.unmarked)::int as unmarked
     from ps
     left join class_type ct on ct.id = ps.class_type_id
     join "user" u on u.id = ps.coach_id
     group by ${g.groupBy}
     order by ${g.orderBy}`,
    [zone, start, end],
  );
  const groups: GroupRow[] = rows.map((row) => ({
    key: row.key,
    label: by === "slot" ? slotLabel(row.key) : row.label,
    sessions: row.sessions,
    capacity: row.capacity,
    booked: row.booked,
    attended: row.attended,
    noShows: row.noShows,
    lateCancels: row.lateCancels,
    unmarked: row.unmarked,
  }));
  return by === "week" ? fillWeeks(groups, range) : groups;
}

/**
 * For each whole month the range touches: memberships in effect on some day of it, on its last day,
 * started in it and ended in it (reports.rules.ts, RULES.memberships).
 */
export async function membershipsByMonth(em: EntityManager, range: ReportRange, zone: string): Promise<MembershipMonthRow[]> {
  const months = monthsOf(range);
  const rows = await em.execute<MembershipMonthRow[]>(
    `with months as (
       select m::date as first_day, (m + interval '1 month' - interval '1 day')::date as last_day
       from generate_series(?::timestamp, ?::timestamp, interval '1 month') as m
     ), spans as (
       select um.id, um.start_date,
         case when um.end_date is not null then um.end_date
              when um.status in ('CANCELLED', 'EXPIRED') then (coalesce(um.cancelled_at, um.updated_at) at time zone ?)::date
         end as last_day
       from user_membership um
     )
     select to_char(mo.first_day, 'YYYY-MM') as month,
       count(sp.id)::int as "inEffect",
       count(sp.id) filter (where sp.last_day is null or sp.last_day >= mo.last_day)::int as "atMonthEnd",
       count(sp.id) filter (where sp.start_date >= mo.first_day)::int as started,
       count(sp.id) filter (where sp.last_day <= mo.last_day)::int as ended
     from months mo
     left join spans sp on sp.start_date <= mo.last_day and (sp.last_day is null or sp.last_day >= mo.first_day)
     group by mo.first_day
     order by mo.first_day`,
    [monthBounds(months[0]).first, monthBounds(months[months.length - 1]).first, zone],
  );
  return fillMembershipMonths(rows, months);
}

/** Paid and refunded money of each whole month the range touches, per currency (RULES.revenue). */
export async function revenueByMonth(em: EntityManager, range: ReportRange, zone: string, studioCurrency: string): Promise<RevenueRow[]> {
  const { start, end } = instants(monthSpan(range), zone);
  const paid = `p.kind in (${sqlList(PAID_KINDS)}) and p.status in (${sqlList(PAID_STATUSES)})`;
  const refunded = `p.kind = 'REFUND' and p.status in (${sqlList(REFUNDED_STATUSES)})`;
  const rows = await em.execute<RevenueRow[]>(
    `select to_char(p.occurred_at at time zone ?, 'YYYY-MM') as month, upper(p.currency) as currency,
       count(*) filter (where ${paid})::int as payments,
       coalesce(sum(p.amount_pence) filter (where ${paid}), 0)::bigint as "paidPence",
       count(*) filter (where ${refunded})::int as refunds,
       coalesce(sum(p.amount_pence) filter (where ${refunded}), 0)::bigint as "refundedPence"
     from payment p
     where p.occurred_at >= ? and p.occurred_at < ?
     group by 1, 2
     order by 1, 2`,
    [zone, start, end],
  );
  // bigint sums arrive as strings; pence totals stay far below 2^53.
  const counted = rows.map((row) => ({ ...row, paidPence: Number(row.paidPence), refundedPence: Number(row.refundedPence) }));
  return fillRevenueMonths(counted, monthsOf(range), studioCurrency);
}

export type StudioReport = {
  range: ReportRange;
  by: Grouping;
  zone: string;
  currency: string;
  groups: GroupRow[];
  totals: AttendanceCounts;
  memberships: MembershipMonthRow[];
  revenue: RevenueRow[];
};

/** Everything /admin/reports shows for a range and a grouping, in the studio's zone and currency. */
export async function studioReport(em: EntityManager, input: { range: ReportRange; by: Grouping }): Promise<StudioReport> {
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const groups = await attendanceBy(em, input.range, input.by, zone);
  const memberships = await membershipsByMonth(em, input.range, zone);
  const revenue = await revenueByMonth(em, input.range, zone, settings.currency);
  return { ...input, zone, currency: settings.currency, groups, totals: sumCounts(groups), memberships, revenue };
}

const GROUP_HEADERS: Record<Grouping, string> = { week: "Week starting (Monday)", "class-type": "Class type", coach: "Coach", slot: "Time slot" };

/** Money as a number in major units (1234.5 for £1,234.50), which spreadsheets add up. */
const major = (pence: number) => pence / 100;

/** One report as a CSV file, with the name it downloads as. Only the query that report needs runs. */
export async function reportFile(em: EntityManager, input: { file: ReportFile; range: ReportRange; by: Grouping }): Promise<{ filename: string; csv: string }> {
  const { file, range, by } = input;
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const groupCell = (row: GroupRow) => (by === "week" ? row.key : row.label);
  let csv: string;
  switch (file) {
    case "attendance": {
      const rows = await attendanceBy(em, range, by, zone);
      csv = toCsv(
        [GROUP_HEADERS[by], "Sessions", "Booked", "Attended", "No-shows", "Not marked", "Late cancels"],
        rows.map((row) => [groupCell(row), row.sessions, row.booked, row.attended, row.noShows, row.unmarked, row.lateCancels]),
      );
      break;
    }
    case "utilisation": {
      const rows = await attendanceBy(em, range, by, zone);
      csv = toCsv(
        [GROUP_HEADERS[by], "Sessions", "Places offered", "Places filled", "Utilisation (%)"],
        rows.map((row) => [groupCell(row), row.sessions, row.capacity, row.booked, utilisationPercent(row.booked, row.capacity)]),
      );
      break;
    }
    case "memberships": {
      const rows = await membershipsByMonth(em, range, zone);
      csv = toCsv(
        ["Month", "In effect during the month", "In effect at month end", "Started", "Ended"],
        rows.map((row) => [row.month, row.inEffect, row.atMonthEnd, row.started, row.ended]),
      );
      break;
    }
    case "revenue": {
      const rows = await revenueByMonth(em, range, zone, settings.currency);
      csv = toCsv(
        ["Month", "Currency", "Payments", "Paid", "Refunds", "Refunded", "Net"],
        rows.map((row) => [row.month, row.currency, row.payments, major(row.paidPence), row.refunds, major(row.refundedPence), major(netPence(row))]),
      );
      break;
    }
  }
  const grouped = file === "attendance" || file === "utilisation";
  return { filename: reportFileName(file, grouped ? range : monthSpan(range), grouped ? by : undefined), csv };
}
