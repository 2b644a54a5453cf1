import { describe, expect, it } from "vitest";
import {
  chartGeometry,
  chartSummary,
  formatChange,
  formatMetric,
  formatStonesPounds,
  formatWeight,
  groupThousands,
  hasSomething,
  healthCharts,
  HEALTH_METRICS,
  kgToStonesPounds,
  METRIC_LABELS,
  METRIC_RANGES,
  metricRangeError,
  niceScale,
  periodPhrase,
  rangeDates,
  shortDate,
  stonesPoundsToKg,
  trendSummary,
  WEIGHT_RANGE_ST_LB_MESSAGE,
  type ChartPoint,
  type HealthMetric,
} from "~/modules/health/health.rules";

describe("stones and pounds", () => {
  it("converts kilograms with 1 lb = 0.45359237 kg and 14 lb a stone", () => {
    expect(stonesPoundsToKg(0, 1)).toBe(0.45359237);
    expect(stonesPoundsToKg(1, 0)).toBeCloseTo(6.35029318, 8);
    expect(kgToStonesPounds(6.35029318)).toEqual({ stones: 1, pounds: 0 });
    // 12 st 4.5 lb = 172.5 lb = 78.245 kg
    expect(stonesPoundsToKg(12, 4.5)).toBeCloseTo(78.24468, 4);
    expect(kgToStonesPounds(78.24468)).toEqual({ stones: 12, pounds: 4.5 });
  });

  it("rounds the pounds to one decimal and carries 13.96 lb into the next stone", () => {
    expect(kgToStonesPounds(stonesPoundsToKg(12, 13.96))).toEqual({ stones: 13, pounds: 0 });
    expect(kgToStonesPounds(stonesPoundsToKg(12, 13.94))).toEqual({ stones: 12, pounds: 13.9 });
    expect(kgToStonesPounds(82.4)).toEqual({ stones: 12, pounds: 13.7 });
  });

  it("survives a round trip from st/lb to kg and back", () => {
    for (let stones = 3; stones <= 40; stones += 3) {
      for (const pounds of [0, 0.5, 4.5, 7.3, 13.9]) {
        expect(kgToStonesPounds(stonesPoundsToKg(stones, pounds)), `${stones} st ${pounds} lb`).toEqual({ stones, pounds });
      }
    }
  });

  it("reads as “12 st 4.5 lb” and drops a “.0”", () => {
    expect(formatStonesPounds(stonesPoundsToKg(12, 4.5))).toBe("12 st 4.5 lb");
    expect(formatStonesPounds(stonesPoundsToKg(12, 4))).toBe("12 st 4 lb");
    expect(formatStonesPounds(stonesPoundsToKg(0, 0))).toBe("0 st 0 lb");
  });
});

describe("formatting a metric", () => {
  it("shows each metric with its unit", () => {
    expect(formatMetric("weightKg", 82.44)).toBe("82.4 kg");
    expect(formatMetric("weightKg", 82)).toBe("82.0 kg");
    expect(formatMetric("weightKg", 82.4, "ST_LB")).toBe("12 st 13.7 lb");
    expect(formatMetric("bodyFatPct", 18.54)).toBe("18.5%");
    expect(formatMetric("bodyFatPct", 20)).toBe("20%");
    expect(formatMetric("waistCm", 84)).toBe("84 cm");
    expect(formatMetric("waistCm", 84.25)).toBe("84.3 cm");
    expect(formatMetric("sleepHours", 7.5)).toBe("7.5 h");
    expect(formatMetric("steps", 12345)).toBe("12,345 steps");
    expect(formatMetric("steps", 200000)).toBe("200,000 steps");
    expect(formatMetric("steps", 950)).toBe("950 steps");
    expect(formatMetric("energy", 7)).toBe("7/10");
    expect(formatMetric("mood", 10)).toBe("10/10");
  });

  it("groups thousands without Intl", () => {
    expect(groupThousands(0)).toBe("0");
    expect(groupThousands(1000)).toBe("1,000");
    expect(groupThousands(1234567)).toBe("1,234,567");
    expect(groupThousands(-12000)).toBe("-12,000");
    expect(groupThousands(1234.5)).toBe("1,234.5");
  });

  it("weights in the reader's unit", () => {
    expect(formatWeight(100, "KG")).toBe("100.0 kg");
    expect(formatWeight(100, "ST_LB")).toBe("15 st 10.5 lb");
  });

  it("labels every metric", () => {
    expect(HEALTH_METRICS.map((metric) => METRIC_LABELS[metric])).toEqual(["Weight", "Body fat", "Waist", "Sleep", "Steps", "Energy", "Mood"]);
  });

  it("sizes a change", () => {
    expect(formatChange("weightKg", -1.23)).toBe("1.2 kg");
    expect(formatChange("weightKg", -stonesPoundsToKg(0, 3), "ST_LB")).toBe("3 lb");
    expect(formatChange("weightKg", stonesPoundsToKg(1, 2), "ST_LB")).toBe("1 st 2 lb");
    expect(formatChange("weightKg", stonesPoundsToKg(0, 2.5), "ST_LB")).toBe("2.5 lb");
    expect(formatChange("bodyFatPct", 1)).toBe("1 percentage point");
    expect(formatChange("bodyFatPct", -1.5)).toBe("1.5 percentage points");
    expect(formatChange("steps", 1500)).toBe("1,500 steps");
    expect(formatChange("mood", -2)).toBe("2 points");
    expect(formatChange("energy", 1)).toBe("1 point");
  });
});

describe("ranges (as the database checks them)", () => {
  it("accepts the ends of each range and refuses beyond them with a clear message", () => {
    const cases: [HealthMetric, number, number, string][] = [
      ["weightKg", 20, 400, "Weight must be between 20 and 400 kg."],
      ["bodyFatPct", 2, 70, "Body fat must be between 2 and 70%."],
      ["waistCm", 30, 250, "Waist must be between 30 and 250 cm."],
      ["sleepHours", 0, 24, "Sleep must be between 0 and 24 hours."],
      ["steps", 0, 200_000, "Steps must be between 0 and 200,000."],
      ["energy", 1, 10, "Energy must be between 1 and 10."],
      ["mood", 1, 10, "Mood must be between 1 and 10."],
    ];
    for (const [metric, min, max, message] of cases) {
      expect(METRIC_RANGES[metric]).toMatchObject({ min, max });
      expect(metricRangeError(metric, min), metric).toBeNull();
      expect(metricRangeError(metric, max), metric).toBeNull();
      expect(metricRangeError(metric, max + 1), metric).toBe(message);
      expect(metricRangeError(metric, min - 1), metric).toBe(message);
      expect(metricRangeError(metric, Number.NaN), metric).toBe(message);
    }
  });

  it("wants whole steps, energy and mood", () => {
    expect(metricRangeError("steps", 10.5)).toBe("Enter steps as a whole number.");
    expect(metricRangeError("energy", 6.5)).toBe("Enter energy as a whole number from 1 to 10.");
    expect(metricRangeError("sleepHours", 6.5)).toBeNull();
  });

  it("words the weight range in stones and pounds too", () => {
    expect(WEIGHT_RANGE_ST_LB_MESSAGE).toBe("Weight must be between 3 st 2.1 lb and 62 st 13.8 lb (20 to 400 kg).");
  });

  it("needs at least one measurement or a note", () => {
    expect(hasSomething({}, null)).toBe(false);
    expect(hasSomething({ weightKg: null, mood: null }, "   ")).toBe(false);
    expect(hasSomething({ steps: 0 }, null)).toBe(true);
    expect(hasSomething({}, "Felt great")).toBe(true);
  });
});

describe("dates and ranges of a chart", () => {
  it("reads short dates and periods", () => {
    expect(shortDate("2026-11-02")).toBe("2 Nov");
    expect(shortDate("2026-11-02", true)).toBe("2 Nov 2026");
    expect(periodPhrase(1)).toBe("1 day");
    expect(periodPhrase(13)).toBe("13 days");
    expect(periodPhrase(14)).toBe("2 weeks");
    expect(periodPhrase(28)).toBe("4 weeks");
    expect(periodPhrase(31)).toBe("4 weeks");
  });

  it("ends a range of weeks today, or covers the cohort's programme so far", () => {
    expect(rangeDates("12w", "2026-11-30")).toEqual({ from: "2026-09-08", to: "2026-11-30" });
    expect(rangeDates("4w", "2026-11-30")).toEqual({ from: "2026-11-03", to: "2026-11-30" });
    const programme = { startDate: "2026-11-02", weeks: 8 };
    expect(rangeDates("programme", "2026-11-30", programme)).toEqual({ from: "2026-11-02", to: "2026-11-30" });
    expect(rangeDates("programme", "2027-03-01", programme)).toEqual({ from: "2026-11-02", to: "2026-12-27" });
    // Not started yet, or no cohort: the last 12 weeks.
    expect(rangeDates("programme", "2026-10-30", programme)).toEqual(rangeDates("12w", "2026-10-30"));
    expect(rangeDates("programme", "2026-11-30", null)).toEqual(rangeDates("12w", "2026-11-30"));
  });
});

const weights: ChartPoint[] = [
  { date: "2026-11-02", value: 82.4 },
  { date: "2026-11-09", value: 81.9 },
  { date: "2026-11-16", value: 81.2 },
  { date: "2026-11-30", value: 80.1 },
];

describe("trends", () => {
  it("compares the first and last entry of a range", () => {
    expect(trendSummary("weightKg", weights)).toBe("down 2.3 kg over 4 weeks");
    expect(trendSummary("weightKg", weights, "ST_LB")).toBe("down 5.1 lb over 4 weeks");
    expect(
      trendSummary("steps", [
        { date: "2026-11-01", value: 8000 },
        { date: "2026-11-06", value: 9500 },
      ]),
    ).toBe("up 1,500 steps over 5 days");
    expect(
      trendSummary("mood", [
        { date: "2026-11-01", value: 6 },
        { date: "2026-11-15", value: 6 },
      ]),
    ).toBe("no change over 2 weeks");
    expect(
      trendSummary("weightKg", [
        { date: "2026-11-01", value: 80.01 },
        { date: "2026-11-15", value: 80.03 },
      ]),
    ).toBe("no change over 2 weeks");
  });

  it("has nothing to say about one entry", () => {
    expect(trendSummary("weightKg", [])).toBeNull();
    expect(trendSummary("weightKg", weights.slice(0, 1))).toBeNull();
  });

  it("sums a chart up in words", () => {
    expect(chartSummary("weightKg", weights)).toBe("Weight: 82.4 kg on 2 Nov to 80.1 kg on 30 Nov, down 2.3 kg over 4 weeks.");
    expect(chartSummary("weightKg", weights.slice(0, 1), "ST_LB")).toBe("Weight: 12 st 13.7 lb on 2 Nov.");
    expect(chartSummary("sleepHours", [])).toBe("Sleep: no entries.");
    expect(
      chartSummary("energy", [
        { date: "2025-12-29", value: 5 },
        { date: "2026-01-12", value: 8 },
      ]),
    ).toBe("Energy: 5/10 on 29 Dec 2025 to 8/10 on 12 Jan 2026, up 3 points over 2 weeks.");
  });
});

describe("chart geometry", () => {
  it("fits nice ticks around the data with some room", () => {
    const scale = niceScale(80.1, 82.4);
    expect(scale.min).toBeLessThan(80.1);
    expect(scale.max).toBeGreaterThan(82.4);
    expect(scale.ticks[0]).toBe(scale.min);
    expect(scale.ticks[scale.ticks.length - 1]).toBe(scale.max);
    expect(scale.ticks.length).toBeGreaterThanOrEqual(3);
    expect(scale.ticks.length).toBeLessThanOrEqual(8);
    expect(scale).toEqual({ min: 79, max: 83, step: 1, ticks: [79, 80, 81, 82, 83] });
  });

  it("widens a flat series to the minimum span and never goes below the floor", () => {
    expect(niceScale(80, 80, { minSpan: 2 })).toEqual({ min: 78, max: 82, step: 1, ticks: [78, 79, 80, 81, 82] });
    expect(niceScale(7000, 7000, { minSpan: 1000, floor: 0 }).ticks).toEqual([6000, 6500, 7000, 7500, 8000]);
    expect(niceScale(0, 12000, { floor: 0 }).ticks).toEqual([0, 5000, 10000, 15000]);
    expect(niceScale(0.5, 3, { floor: 0 }).min).toBe(0);
    // No floating-point noise in the ticks.
    for (const tick of niceScale(0.1, 0.7).ticks) expect(String(tick)).toMatch(/^-?\d+(\.\d)?$/);
  });

  it("places points by date inside the plot, higher values higher up", () => {
    const geometry = chartGeometry(weights, { formatTick: (v) => `${v} kg`, formatValue: (v) => `${v.toFixed(1)} kg` });
    const { plot, points } = geometry;
    expect(geometry).toMatchObject({ width: 600, height: 240 });
    expect(points.map((p) => p.x)).toEqual([plot.left, plot.left + (plot.right - plot.left) / 4, plot.left + (plot.right - plot.left) / 2, plot.right]);
    for (const point of points) {
      expect(point.y).toBeGreaterThanOrEqual(plot.top);
      expect(point.y).toBeLessThanOrEqual(plot.bottom);
    }
    expect(points[0].y).toBeLessThan(points[3].y); // 82.4 sits above 80.1
    expect(points[0].label).toBe("82.4 kg");
    expect(geometry.path).toBe(points.map((p, i) => `${i ? "L" : "M"}${p.x} ${p.y}`).join(" "));
    expect(geometry.xLabels).toEqual([
      { x: plot.left, label: "2 Nov", anchor: "start" },
      { x: plot.right, label: "30 Nov", anchor: "end" },
    ]);
    // The ticks run bottom to top, evenly, the lowest on the plot's bottom edge.
    expect(geometry.yTicks[0]).toEqual({ y: plot.bottom, label: "79 kg" });
    expect(geometry.yTicks[geometry.yTicks.length - 1]).toEqual({ y: plot.top, label: "83 kg" });
  });

  it("centres a single point and labels its date once", () => {
    const geometry = chartGeometry([{ date: "2026-11-02", value: 7 }], { domain: { min: 0, max: 10, step: 2 } });
    expect(geometry.points[0].x).toBe((geometry.plot.left + geometry.plot.right) / 2);
    expect(geometry.points[0].y).toBeCloseTo(geometry.plot.bottom - 0.7 * (geometry.plot.bottom - geometry.plot.top), 1);
    expect(geometry.xLabels).toEqual([{ x: geometry.points[0].x, label: "2 Nov", anchor: "middle" }]);
    expect(geometry.yTicks.map((t) => t.label)).toEqual(["0", "2", "4", "6", "8", "10"]);
  });

  it("draws nothing for no points", () => {
    const geometry = chartGeometry([]);
    expect(geometry.points).toEqual([]);
    expect(geometry.path).toBe("");
    expect(geometry.xLabels).toEqual([]);
  });

  it("makes one chart per metric with data, in the reader's unit", () => {
    const empty = Object.fromEntries(HEALTH_METRICS.map((m) => [m, [] as ChartPoint[]])) as Record<HealthMetric, ChartPoint[]>;
    const charts = healthCharts({ ...empty, weightKg: weights, mood: [{ date: "2026-11-30", value: 8 }] }, "ST_LB");
    expect(charts.map((c) => c.metric)).toEqual(["weightKg", "mood"]);
    expect(charts[0].title).toBe("Weight");
    expect(charts[0].summary).toBe("Weight: 12 st 13.7 lb on 2 Nov to 12 st 8.6 lb on 30 Nov, down 5.1 lb over 4 weeks.");
    expect(charts[0].geometry.points[0].label).toBe("12 st 13.7 lb");
    expect(charts[0].geometry.yTicks.every((t) => / st [\d.]+ lb$/.test(t.label))).toBe(true);
    // The longer st/lb tick labels get more room on the left than a short scale's.
    const longest = Math.max(...charts[0].geometry.yTicks.map((t) => t.label.length));
    expect(charts[0].geometry.plot.left).toBeGreaterThanOrEqual(longest * 7);
    expect(charts[1].geometry.plot.left).toBe(40);
    expect(charts[1].geometry.yTicks.map((t) => t.label)).toEqual(["0", "2", "4", "6", "8", "10"]);
  });
});
