import { describe, expect, it } from "vitest";
import { barChart } from "~/modules/reports/report-chart.rules";
import {
  defaultRange,
  fillMembershipMonths,
  fillRevenueMonths,
  fillWeeks,
  formatPausePeriods,
  formatPercent,
  monthBounds,
  monthLabel,
  monthSpan,
  monthsOf,
  netPence,
  pausePeriods,
  rangeProblem,
  reportFileName,
  reportFileOf,
  slotLabel,
  sumCounts,
  utilisationPercent,
  weekLabel,
  weeksOf,
  type GroupRow,
} from "~/modules/reports/reports.rules";
import { readReportQuery } from "~/modules/reports/reports.schema";

const row = (key: string, counts: Partial<GroupRow> = {}): GroupRow => ({
  key,
  label: key,
  sessions: 0,
  capacity: 0,
  booked: 0,
  attended: 0,
  noShows: 0,
  lateCancels: 0,
  unmarked: 0,
  ...counts,
});

describe("the report range", () => {
  it("defaults to the last 8 studio weeks: from the Monday seven weeks back to today", () => {
    expect(defaultRange("2026-03-11")).toEqual({ from: "2026-01-19", to: "2026-03-11" }); // a Wednesday
    expect(defaultRange("2026-03-09")).toEqual({ from: "2026-01-19", to: "2026-03-09" }); // a Monday
    expect(weeksOf(defaultRange("2026-03-15"))).toHaveLength(8);
  });

  it("refuses dates that are not dates, a range backwards and one over two years", () => {
    expect(rangeProblem({ from: "2026-01-01", to: "2026-01-01" })).toBeNull();
    expect(rangeProblem({ from: "2026-02-30", to: "2026-03-01" })).toMatch(/YYYY-MM-DD/);
    expect(rangeProblem({ from: "2026-03-02", to: "2026-03-01" })).toMatch(/on or before/);
    expect(rangeProblem({ from: "2024-01-01", to: "2025-12-31" })).toBeNull(); // 731 days
    expect(rangeProblem({ from: "2024-01-01", to: "2026-01-01" })).toMatch(/two years/);
  });

  it("reads the query string, falling back to the defaults with a message for anything wrong", () => {
    const today = "2026-03-11";
    const read = (query: string) => readReportQuery(new URLSearchParams(query), today);
    expect(read("")).toEqual({ range: defaultRange(today), by: "week", problems: [] });
    expect(read("from=2026-01-01&to=2026-01-31&by=coach")).toEqual({ range: { from: "2026-01-01", to: "2026-01-31" }, by: "coach", problems: [] });
    expect(read("from=2026-03-01").range).toEqual({ from: "2026-03-01", to: today });
    expect(read("from=&to=&by=")).toEqual({ range: defaultRange(today), by: "week", problems: [] });
    for (const bad of ["from=yesterday", "to=2026-13-01", "from=2026-03-01&to=2026-02-01", "from=1800-01-01&to=1801-01-01", "from=2020-01-01&to=2026-01-01"]) {
      const read1 = read(bad);
      expect(read1.range, bad).toEqual(defaultRange(today));
      expect(read1.problems.join(" "), bad).toMatch(/last 8 weeks/);
    }
    expect(read("by=month")).toMatchObject({ range: defaultRange(today), by: "week", problems: [expect.stringMatching(/Showing weeks/)] });
  });
});

describe("week and slot buckets", () => {
  it("lists the Monday of every studio week that holds a day of the range", () => {
    expect(weeksOf({ from: "2026-03-04", to: "2026-03-16" })).toEqual(["2026-03-02", "2026-03-09", "2026-03-16"]);
    expect(weeksOf({ from: "2026-03-02", to: "2026-03-08" })).toEqual(["2026-03-02"]);
    expect(weeksOf({ from: "2025-12-29", to: "2026-01-05" })).toEqual(["2025-12-29", "2026-01-05"]);
  });

  it("names a week by its Monday and a slot by its start time", () => {
    expect(weekLabel("2026-01-05")).toBe("w/c 5 Jan 2026");
    expect(weekLabel("2025-12-29")).toBe("w/c 29 Dec 2025");
    expect(slotLabel("06:30")).toBe("06:30");
    expect(slotLabel("18:05:00")).toBe("18:05");
  });

  it("gives every week of the range a row, zeros where there were no sessions", () => {
    const rows = fillWeeks([row("2026-03-09", { sessions: 2, booked: 5 })], { from: "2026-03-04", to: "2026-03-16" });
    expect(rows.map((r) => [r.key, r.label, r.sessions, r.booked])).toEqual([
      ["2026-03-02", "w/c 2 Mar 2026", 0, 0],
      ["2026-03-09", "w/c 9 Mar 2026", 2, 5],
      ["2026-03-16", "w/c 16 Mar 2026", 0, 0],
    ]);
  });

  it("adds the groups up", () => {
    expect(
      sumCounts([
        row("a", { sessions: 1, capacity: 10, booked: 8, attended: 6, noShows: 1, lateCancels: 2, unmarked: 1 }),
        row("b", { sessions: 2, capacity: 24, booked: 20, attended: 20 }),
      ]),
    ).toEqual({
      sessions: 3,
      capacity: 34,
      booked: 28,
      attended: 26,
      noShows: 1,
      lateCancels: 2,
      unmarked: 1,
    });
    expect(sumCounts([])).toMatchObject({ sessions: 0, booked: 0 });
  });
});

describe("utilisation", () => {
  it("is places filled of places offered, to one decimal, and nothing without places", () => {
    expect(utilisationPercent(8, 10)).toBe(80);
    expect(utilisationPercent(2, 3)).toBe(66.7);
    expect(utilisationPercent(1, 3)).toBe(33.3);
    expect(utilisationPercent(13, 12)).toBe(108.3);
    expect(utilisationPercent(0, 12)).toBe(0);
    expect(utilisationPercent(0, 0)).toBeNull();
    expect(formatPercent(66.7)).toBe("66.7%");
    expect(formatPercent(80)).toBe("80.0%");
    expect(formatPercent(null)).toBe("—");
  });
});

describe("month buckets", () => {
  it("lists every calendar month the range touches, across a year end", () => {
    expect(monthsOf({ from: "2025-11-20", to: "2026-02-03" })).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
    expect(monthsOf({ from: "2026-03-01", to: "2026-03-31" })).toEqual(["2026-03"]);
  });

  it("knows each month's first and last day, leap years included", () => {
    expect(monthBounds("2026-02")).toEqual({ first: "2026-02-01", last: "2026-02-28" });
    expect(monthBounds("2028-02")).toEqual({ first: "2028-02-01", last: "2028-02-29" });
    expect(monthBounds("2026-12")).toEqual({ first: "2026-12-01", last: "2026-12-31" });
    expect(monthSpan({ from: "2026-01-19", to: "2026-03-11" })).toEqual({ from: "2026-01-01", to: "2026-03-31" });
    expect(monthLabel("2026-01")).toBe("Jan 2026");
  });

  it("fills months without memberships with zeros", () => {
    expect(fillMembershipMonths([{ month: "2026-02", inEffect: 3, atMonthEnd: 2, started: 1, ended: 1 }], ["2026-01", "2026-02"])).toEqual([
      { month: "2026-01", inEffect: 0, atMonthEnd: 0, started: 0, ended: 0 },
      { month: "2026-02", inEffect: 3, atMonthEnd: 2, started: 1, ended: 1 },
    ]);
  });

  it("shows the studio's currency every month, and another currency every month once it appears, studio's first", () => {
    const rows = fillRevenueMonths(
      [{ month: "2026-02", currency: "EUR", payments: 1, paidPence: 1000, refunds: 0, refundedPence: 0 }],
      ["2026-01", "2026-02"],
      "GBP",
    );
    expect(rows.map((r) => `${r.month} ${r.currency} ${r.paidPence}`)).toEqual(["2026-01 GBP 0", "2026-01 EUR 0", "2026-02 GBP 0", "2026-02 EUR 1000"]);
    expect(netPence({ paidPence: 5000, refundedPence: 1250 })).toBe(3750);
    expect(netPence({ paidPence: 0, refundedPence: 1250 })).toBe(-1250);
  });
});

describe("pause periods", () => {
  const at = (iso: string) => new Date(iso);

  it("pairs each pause with the resume after it, on studio dates", () => {
    const periods = pausePeriods(
      [
        { action: "RESUMED", at: at("2026-02-19T09:00:00Z") },
        { action: "PAUSED", at: at("2026-01-04T23:30:00Z") }, // 4 Jan 23:30 UTC is 5 Jan in Europe/Berlin
        { action: "PAUSED", at: at("2026-02-01T10:00:00Z") },
        { action: "RESUMED", at: at("2026-01-19T10:00:00Z") },
      ],
      "Europe/Berlin",
    );
    expect(periods).toEqual([
      { from: "2026-01-05", to: "2026-01-19" },
      { from: "2026-02-01", to: "2026-02-19" },
    ]);
    expect(formatPausePeriods(periods)).toBe("2026-01-05 to 2026-01-19; 2026-02-01 to 2026-02-19");
  });

  it("leaves the last pause open while paused, and ignores a resume with no pause open", () => {
    const periods = pausePeriods(
      [
        { action: "RESUMED", at: at("2026-01-02T10:00:00Z") },
        { action: "PAUSED", at: at("2026-03-01T10:00:00Z") },
      ],
      "Europe/London",
      "2026-03-01",
    );
    expect(periods).toEqual([{ from: "2026-03-01", to: null }]);
    expect(formatPausePeriods(periods)).toBe("2026-03-01 onwards");
  });

  it("takes a pause with no events from the membership's paused-since date", () => {
    expect(pausePeriods([], "Europe/London", "2026-03-04")).toEqual([{ from: "2026-03-04", to: null }]);
    expect(pausePeriods([], "Europe/London")).toEqual([]);
    expect(formatPausePeriods([])).toBe("");
  });
});

describe("report files", () => {
  it("knows the four report files and nothing else", () => {
    expect(reportFileOf("attendance.csv")).toBe("attendance");
    expect(reportFileOf("revenue.csv")).toBe("revenue");
    expect(reportFileOf("revenue")).toBeNull();
    expect(reportFileOf("payroll.csv")).toBeNull();
    expect(reportFileOf("../attendance.csv")).toBeNull();
  });

  it("names a file by its report, grouping and dates", () => {
    expect(reportFileName("attendance", { from: "2026-01-05", to: "2026-03-01" }, "class-type")).toBe(
      "centurion-attendance-by-class-type-2026-01-05-to-2026-03-01.csv",
    );
    expect(reportFileName("revenue", { from: "2026-01-01", to: "2026-03-31" })).toBe("centurion-revenue-2026-01-01-to-2026-03-31.csv");
  });
});

describe("bar chart geometry", () => {
  const chart = barChart({
    id: "c",
    title: "T",
    summary: "S",
    categories: ["w/c 5 Jan 2026", "w/c 12 Jan 2026", "w/c 19 Jan 2026"],
    series: [
      { name: "Attended", color: "#111111", values: [10, 0, 5] },
      { name: "No-shows", color: "#222222", values: [2, 1, -3] },
    ],
  });

  it("puts one bar per series in each category, rising from the axis in proportion", () => {
    expect(chart.bars).toHaveLength(6);
    const [tallest, , , , , negative] = chart.bars;
    expect(tallest.y + tallest.height).toBeCloseTo(chart.plot.bottom, 1);
    expect(chart.bars[2].height).toBe(0);
    expect(chart.bars[4].height).toBeCloseTo(tallest.height / 2, 1);
    expect(negative.height).toBe(0);
    expect(negative.title).toBe("w/c 19 Jan 2026: No-shows -3");
    for (const bar of chart.bars) {
      expect(bar.x).toBeGreaterThanOrEqual(chart.plot.left);
      expect(bar.x + bar.width).toBeLessThanOrEqual(chart.plot.right);
      expect(bar.y).toBeGreaterThanOrEqual(chart.plot.top);
    }
  });

  it("has ticks from zero up past the tallest bar, and a legend", () => {
    expect(chart.yTicks[0].label).toBe("0");
    expect(Number(chart.yTicks[chart.yTicks.length - 1].label)).toBeGreaterThanOrEqual(10);
    expect(chart.legend).toEqual([
      { name: "Attended", color: "#111111" },
      { name: "No-shows", color: "#222222" },
    ]);
  });

  it("thins out category labels that would not fit, and reaches a reference line", () => {
    const many = barChart({
      id: "m",
      title: "T",
      summary: "S",
      categories: Array.from({ length: 60 }, (_, i) => `Category ${i}`),
      series: [{ name: "Filled", color: "#000000", values: Array.from({ length: 60 }, () => 50) }],
      reference: { value: 100, label: "Full" },
    });
    expect(many.xLabels.length).toBeLessThan(60);
    expect(many.xLabels.length).toBeGreaterThan(1);
    expect(many.reference?.y).toBeGreaterThanOrEqual(many.plot.top);
    expect(many.reference?.y).toBeLessThan(many.bars[0].y);
  });

  it("draws an empty chart without failing", () => {
    const empty = barChart({ id: "e", title: "T", summary: "S", categories: [], series: [{ name: "A", color: "#000000", values: [] }] });
    expect(empty.bars).toEqual([]);
    expect(empty.xLabels).toEqual([]);
  });
});
