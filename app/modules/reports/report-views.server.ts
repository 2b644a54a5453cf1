// What /admin/reports shows of a StudioReport: tables of formatted cells and the charts' geometry, worked
// out on the server so the page only draws them.
import { formatMoney } from "~/modules/memberships/memberships.rules";
import { barChart, type BarChartModel } from "./report-chart.rules";
import {
  formatPercent,
  GROUPING_LABELS,
  monthLabel,
  netPence,
  utilisationPercent,
  weekLabel,
  type AttendanceCounts,
  type GroupRow,
  type Grouping,
} from "./reports.rules";
import type { StudioReport } from "./reports.service.server";

export type ReportTable = {
  caption: string;
  /** The first column names each row (a week, a class type…). */
  columns: string[];
  rows: { key: string; cells: string[] }[];
  totals: string[] | null;
};

export type ReportSection = { table: ReportTable; charts: BarChartModel[] };

export type ReportView = {
  attendance: ReportSection;
  utilisation: ReportSection;
  memberships: ReportSection;
  revenue: ReportSection;
};

const COLORS = {
  attended: "#15803d",
  noShows: "#b91c1c",
  unmarked: "#64748b",
  lateCancels: "#b45309",
  filled: "#1d4ed8",
  memberships: "#6d28d9",
  money: "#0f766e",
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function groupWord(by: Grouping, n: number): string {
  const words: Record<Grouping, [string, string]> = {
    week: ["week", "weeks"],
    "class-type": ["class type", "class types"],
    coach: ["coach", "coaches"],
    slot: ["time slot", "time slots"],
  };
  return `${n} ${words[by][n === 1 ? 0 : 1]}`;
}

function attendanceCells(row: AttendanceCounts): string[] {
  return [row.sessions, row.booked, row.attended, row.noShows, row.unmarked, row.lateCancels].map(String);
}

function utilisationCells(row: AttendanceCounts): string[] {
  return [String(row.sessions), String(row.capacity), String(row.booked), formatPercent(utilisationPercent(row.booked, row.capacity))];
}

/** The label of a group as the page shows it (weeks by their Monday). */
function groupLabel(row: GroupRow, by: Grouping): string {
  return by === "week" ? weekLabel(row.key) : row.label;
}

export function reportView(report: StudioReport): ReportView {
  const { by, groups, totals } = report;
  const categories = groups.map((row) => groupLabel(row, by));
  const groupName = GROUPING_LABELS[by];
  const overall = utilisationPercent(totals.booked, totals.capacity);

  const attendance: ReportSection = {
    table: {
      caption: `Attendance by ${groupName.toLowerCase()}`,
      columns: [groupName, "Sessions", "Booked", "Attended", "No-shows", "Not marked", "Late cancels"],
      rows: groups.map((row, i) => ({ key: row.key, cells: [categories[i], ...attendanceCells(row)] })),
      totals: ["Total", ...attendanceCells(totals)],
    },
    charts: [
      barChart({
        id: "chart-attendance",
        title: `Attendance by ${groupName.toLowerCase()}`,
        summary:
          `${plural(totals.sessions, "session")} in ${groupWord(by, groups.length)}: ${totals.booked} booked, ${totals.attended} attended, ` +
          `${plural(totals.noShows, "no-show")}, ${totals.unmarked} not marked and ${plural(totals.lateCancels, "late cancel")}. The table below lists every value.`,
        categories,
        series: [
          { name: "Attended", color: COLORS.attended, values: groups.map((row) => row.attended) },
          { name: "No-shows", color: COLORS.noShows, values: groups.map((row) => row.noShows) },
          { name: "Not marked", color: COLORS.unmarked, values: groups.map((row) => row.unmarked) },
          { name: "Late cancels", color: COLORS.lateCancels, values: groups.map((row) => row.lateCancels) },
        ],
      }),
    ],
  };

  const utilisation: ReportSection = {
    table: {
      caption: `Utilisation by ${groupName.toLowerCase()}`,
      columns: [groupName, "Sessions", "Places offered", "Places filled", "Utilisation"],
      rows: groups.map((row, i) => ({ key: row.key, cells: [categories[i], ...utilisationCells(row)] })),
      totals: ["Total", ...utilisationCells(totals)],
    },
    charts: [
      barChart({
        id: "chart-utilisation",
        title: `Utilisation by ${groupName.toLowerCase()}`,
        summary: `${totals.booked} of ${plural(totals.capacity, "place")} filled over ${plural(totals.sessions, "session")}: ${formatPercent(overall)}. The table below lists every value.`,
        categories,
        series: [{ name: "Places filled", color: COLORS.filled, values: groups.map((row) => utilisationPercent(row.booked, row.capacity) ?? 0) }],
        formatValue: (value) => formatPercent(value),
        formatTick: (value) => `${value}%`,
        reference: { value: 100, label: "Full" },
      }),
    ],
  };

  const months = report.memberships.map((row) => monthLabel(row.month));
  const busiest = report.memberships.reduce((best, row) => (row.inEffect > best.inEffect ? row : best), report.memberships[0]);
  const memberships: ReportSection = {
    table: {
      caption: "Memberships in effect by month",
      columns: ["Month", "In effect during the month", "In effect at month end", "Started", "Ended"],
      rows: report.memberships.map((row, i) => ({
        key: row.month,
        cells: [months[i], String(row.inEffect), String(row.atMonthEnd), String(row.started), String(row.ended)],
      })),
      totals: null,
    },
    charts: [
      barChart({
        id: "chart-memberships",
        title: "Memberships in effect by month",
        summary: `${plural(months.length, "month")}; the most memberships in effect: ${busiest.inEffect} in ${monthLabel(busiest.month)}. The table below lists every value.`,
        categories: months,
        series: [
          { name: "In effect during the month", color: COLORS.memberships, values: report.memberships.map((row) => row.inEffect) },
          { name: "In effect at month end", color: COLORS.unmarked, values: report.memberships.map((row) => row.atMonthEnd) },
        ],
      }),
    ],
  };

  const currencies = [...new Set(report.revenue.map((row) => row.currency))];
  const money = (pence: number, currency: string) => formatMoney(pence, currency);
  const revenue: ReportSection = {
    table: {
      caption: "Revenue by month",
      columns: ["Month", "Currency", "Payments", "Paid", "Refunds", "Refunded", "Net"],
      rows: report.revenue.map((row) => ({
        key: `${row.month}-${row.currency}`,
        cells: [
          monthLabel(row.month),
          row.currency,
          String(row.payments),
          money(row.paidPence, row.currency),
          String(row.refunds),
          money(row.refundedPence, row.currency),
          money(netPence(row), row.currency),
        ],
      })),
      totals: null,
    },
    charts: currencies.map((currency) => {
      const rows = report.revenue.filter((row) => row.currency === currency);
      const net = rows.reduce((sum, row) => sum + netPence(row), 0);
      return barChart({
        id: `chart-revenue-${currency.toLowerCase()}`,
        title: `Revenue by month (${currency})`,
        summary: `Net revenue over ${plural(rows.length, "month")}: ${money(net, currency)}. The table below lists every value.`,
        categories: rows.map((row) => monthLabel(row.month)),
        series: [{ name: "Net", color: COLORS.money, values: rows.map((row) => netPence(row) / 100) }],
        formatValue: (value) => money(Math.round(value * 100), currency),
        formatTick: (value) => money(Math.round(value * 100), currency).replace(/\.00$/, ""),
      });
    }),
  };

  return { attendance, utilisation, memberships, revenue };
}
