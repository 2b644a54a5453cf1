// Pure rules of health check-ins: units, formatting, ranges, chart geometry and trends. Imported by the
// entities (relative imports only) and by components, so nothing here touches the ORM or zod.
import { addDays, dateParts, daysBetween, type LocalDate } from "../../utils/dates";

/** The metrics a health check-in records (and a cohort may ask for). */
export const HEALTH_METRICS = ["weightKg", "bodyFatPct", "waistCm", "sleepHours", "steps", "energy", "mood"] as const;
export type HealthMetric = (typeof HEALTH_METRICS)[number];

/** How a client reads weights: kilograms, or stones and pounds. */
export const WEIGHT_UNITS = ["KG", "ST_LB"] as const;
export type WeightUnit = (typeof WEIGHT_UNITS)[number];

export const METRIC_LABELS: Record<HealthMetric, string> = {
  weightKg: "Weight",
  bodyFatPct: "Body fat",
  waistCm: "Waist",
  sleepHours: "Sleep",
  steps: "Steps",
  energy: "Energy",
  mood: "Mood",
};

export const WEIGHT_UNIT_LABELS: Record<WeightUnit, string> = { KG: "Kilograms (kg)", ST_LB: "Stones and pounds (st & lb)" };

export function isHealthMetric(value: string): value is HealthMetric {
  return (HEALTH_METRICS as readonly string[]).includes(value);
}

// ---------- weight units ----------

export const KG_PER_LB = 0.45359237;
export const LB_PER_STONE = 14;

/** Kilograms as stones and pounds, the pounds to one decimal (13.96 lb carries to the next stone). */
export function kgToStonesPounds(kg: number): { stones: number; pounds: number } {
  const tenthsOfPound = Math.round((kg / KG_PER_LB) * 10);
  const stones = Math.floor(tenthsOfPound / (LB_PER_STONE * 10));
  return { stones, pounds: (tenthsOfPound - stones * LB_PER_STONE * 10) / 10 };
}

export function stonesPoundsToKg(stones: number, pounds: number): number {
  return (stones * LB_PER_STONE + pounds) * KG_PER_LB;
}

export function kgToPounds(kg: number): number {
  return kg / KG_PER_LB;
}

// ---------- numbers ----------

/** "12,345" (fixed separators rather than Intl, so server and browser render the same text). */
export function groupThousands(value: number): string {
  const [whole, fraction] = Math.abs(value).toString().split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return `${value < 0 ? "-" : ""}${grouped}${fraction ? `.${fraction}` : ""}`;
}

/** Rounded to `decimals`, without trailing zeros: 7.50 → "7.5", 84.0 → "84". */
export function trimmed(value: number, decimals = 1): string {
  const factor = 10 ** decimals;
  return String(Math.round(value * factor) / factor);
}

/** "12 st 4.5 lb", "12 st 4 lb". */
export function formatStonesPounds(kg: number): string {
  const { stones, pounds } = kgToStonesPounds(kg);
  return `${stones} st ${trimmed(pounds)} lb`;
}

/** A weight in the reader's unit: "82.4 kg" (always one decimal) or "12 st 13.7 lb". */
export function formatWeight(kg: number, unit: WeightUnit): string {
  return unit === "ST_LB" ? formatStonesPounds(kg) : `${kg.toFixed(1)} kg`;
}

/** A stored value of `metric` with its unit, as a reader sees it. */
export function formatMetric(metric: HealthMetric, value: number, unit: WeightUnit = "KG"): string {
  switch (metric) {
    case "weightKg":
      return formatWeight(value, unit);
    case "bodyFatPct":
      return `${trimmed(value)}%`;
    case "waistCm":
      return `${trimmed(value)} cm`;
    case "sleepHours":
      return `${trimmed(value)} h`;
    case "steps":
      return `${groupThousands(Math.round(value))} steps`;
    case "energy":
    case "mood":
      return `${Math.round(value)}/10`;
  }
}

/** The size of a change of `metric` (always positive): "1.2 kg", "3 lb", "1 st 2 lb", "0.5 percentage points". */
export function formatChange(metric: HealthMetric, delta: number, unit: WeightUnit = "KG"): string {
  const size = Math.abs(delta);
  switch (metric) {
    case "weightKg": {
      if (unit === "KG") return `${size.toFixed(1)} kg`;
      const { stones, pounds } = kgToStonesPounds(size);
      return stones === 0 ? `${trimmed(pounds)} lb` : `${stones} st ${trimmed(pounds)} lb`;
    }
    case "bodyFatPct":
      return `${trimmed(size)} percentage point${trimmed(size) === "1" ? "" : "s"}`;
    case "waistCm":
      return `${trimmed(size)} cm`;
    case "sleepHours":
      return `${trimmed(size)} h`;
    case "steps":
      return `${groupThousands(Math.round(size))} steps`;
    case "energy":
    case "mood":
      return `${Math.round(size)} point${Math.round(size) === 1 ? "" : "s"}`;
  }
}

// ---------- ranges (the same as the database's checks on `entry`) ----------

export type MetricRange = { min: number; max: number; whole: boolean };

export const METRIC_RANGES: Record<HealthMetric, MetricRange> = {
  weightKg: { min: 20, max: 400, whole: false },
  bodyFatPct: { min: 2, max: 70, whole: false },
  waistCm: { min: 30, max: 250, whole: false },
  sleepHours: { min: 0, max: 24, whole: false },
  steps: { min: 0, max: 200_000, whole: true },
  energy: { min: 1, max: 10, whole: true },
  mood: { min: 1, max: 10, whole: true },
};

const RANGE_MESSAGES: Record<HealthMetric, string> = {
  weightKg: "Weight must be between 20 and 400 kg.",
  bodyFatPct: "Body fat must be between 2 and 70%.",
  waistCm: "Waist must be between 30 and 250 cm.",
  sleepHours: "Sleep must be between 0 and 24 hours.",
  steps: "Steps must be between 0 and 200,000.",
  energy: "Energy must be between 1 and 10.",
  mood: "Mood must be between 1 and 10.",
};

/** The weight range in stones and pounds, for a reader who types them. */
export const WEIGHT_RANGE_ST_LB_MESSAGE = `Weight must be between ${formatStonesPounds(20)} and ${formatStonesPounds(400)} (20 to 400 kg).`;

const WHOLE_MESSAGES: Partial<Record<HealthMetric, string>> = {
  steps: "Enter steps as a whole number.",
  energy: "Enter energy as a whole number from 1 to 10.",
  mood: "Enter mood as a whole number from 1 to 10.",
};

/** Why a value of `metric` cannot be stored, or null when it can. */
export function metricRangeError(metric: HealthMetric, value: number): string | null {
  const range = METRIC_RANGES[metric];
  if (!Number.isFinite(value)) return RANGE_MESSAGES[metric];
  if (range.whole && !Number.isInteger(value)) return WHOLE_MESSAGES[metric] ?? RANGE_MESSAGES[metric];
  return value < range.min || value > range.max ? RANGE_MESSAGES[metric] : null;
}

export type MetricValues = Partial<Record<HealthMetric, number | null>>;

/** Whether a check-in holds anything: at least one measurement or a note. */
export function hasSomething(values: MetricValues, note: string | null | undefined): boolean {
  return HEALTH_METRICS.some((metric) => values[metric] != null) || Boolean(note?.trim());
}

// ---------- dates ----------

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2 Nov", or "2 Nov 2026" with the year. */
export function shortDate(date: LocalDate, withYear = false): string {
  const d = dateParts(date);
  return `${d.day} ${MONTHS[d.month - 1]}${withYear ? ` ${d.year}` : ""}`;
}

function daysFrom(from: LocalDate, to: LocalDate): number {
  return daysBetween(from, to);
}

/** "5 days", "1 week", "4 weeks": whole days under a fortnight, weeks (rounded) beyond. */
export function periodPhrase(days: number): string {
  if (days < 14) return `${days} day${days === 1 ? "" : "s"}`;
  const weeks = Math.round(days / 7);
  return `${weeks} weeks`;
}

// ---------- chart ranges ----------

export const HEALTH_RANGES = ["4w", "12w", "26w", "52w", "programme"] as const;
export type HealthRange = (typeof HEALTH_RANGES)[number];

export const HEALTH_RANGE_LABELS: Record<HealthRange, string> = {
  "4w": "Last 4 weeks",
  "12w": "Last 12 weeks",
  "26w": "Last 6 months",
  "52w": "Last year",
  programme: "The cohort programme so far",
};

/**
 * The dates a chart covers, ending today: the last N weeks, or the cohort's programme (from its start
 * to its last day or today, whichever is first). Without a programme under way, "programme" is the last 12 weeks.
 */
export function rangeDates(
  range: HealthRange,
  today: LocalDate,
  programme?: { startDate: LocalDate; weeks: number } | null,
): { from: LocalDate; to: LocalDate } {
  if (range === "programme" && programme && programme.startDate <= today) {
    const last = addDays(programme.startDate, programme.weeks * 7 - 1);
    return { from: programme.startDate, to: last < today ? last : today };
  }
  const weeks = range === "programme" ? 12 : Number(range.slice(0, -1));
  return {
    from: addDays(today, -(weeks * 7 - 1)),
    to: today,
  };
}

// ---------- trends ----------

export type ChartPoint = { date: LocalDate; value: number };

/** First against last of a range, oldest first: "down 1.2 kg over 4 weeks"; null with fewer than two days. */
export function trendSummary(metric: HealthMetric, points: ChartPoint[], unit: WeightUnit = "KG"): string | null {
  if (points.length < 2) return null;
  const first = points[0];
  const last = points[points.length - 1];
  const days = daysFrom(first.date, last.date);
  if (days <= 0) return null;
  const over = `over ${periodPhrase(days)}`;
  const delta = last.value - first.value;
  const size = formatChange(metric, delta, unit);
  // A change that rounds to nothing when shown is no change.
  if (size === formatChange(metric, 0, unit)) return `no change ${over}`;
  return `${delta < 0 ? "down" : "up"} ${size} ${over}`;
}

/** The text alternative of a chart: "Weight: 82.4 kg on 2 Nov to 80.1 kg on 30 Nov, down 2.3 kg over 4 weeks." */
export function chartSummary(metric: HealthMetric, points: ChartPoint[], unit: WeightUnit = "KG"): string {
  const label = METRIC_LABELS[metric];
  if (points.length === 0) return `${label}: no entries.`;
  const first = points[0];
  const last = points[points.length - 1];
  const withYear = first.date.slice(0, 4) !== last.date.slice(0, 4);
  const at = (point: ChartPoint) => `${formatMetric(metric, point.value, unit)} on ${shortDate(point.date, withYear)}`;
  if (points.length === 1) return `${label}: ${at(first)}.`;
  const trend = trendSummary(metric, points, unit);
  return `${label}: ${at(first)} to ${at(last)}${trend ? `, ${trend}` : ""}.`;
}

// ---------- chart geometry ----------

/** A "nice" number near `x` (1, 2, 5 × a power of ten): rounded, or the next one up. */
function niceNumber(x: number, round: boolean): number {
  const exponent = Math.floor(Math.log10(x));
  const fraction = x / 10 ** exponent;
  const nice = round ? (fraction < 1.5 ? 1 : fraction < 3 ? 2 : fraction < 7 ? 5 : 10) : fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10;
  return nice * 10 ** exponent;
}

/** Cuts floating-point noise (0.30000000000000004) off a tick at the step's precision. */
function roundTo(value: number, step: number): number {
  const decimals = Math.max(0, -Math.floor(Math.log10(step)) + 1);
  return Number(value.toFixed(decimals));
}

export type Scale = { min: number; max: number; step: number; ticks: number[] };

/**
 * A y-axis for values from `min` to `max`: padded a little so no point sits on an edge, widened to at
 * least `minSpan`, kept at or above `floor`, and rounded out to nice ticks (about `tickCount` of them).
 */
export function niceScale(min: number, max: number, options: { tickCount?: number; minSpan?: number; floor?: number } = {}): Scale {
  const { tickCount = 5, minSpan = 1, floor } = options;
  let low = min;
  let high = max;
  if (high - low < minSpan) {
    const middle = (low + high) / 2;
    low = middle - minSpan / 2;
    high = middle + minSpan / 2;
  }
  const padding = (high - low) * 0.1;
  low -= padding;
  high += padding;
  if (floor !== undefined && low < floor) low = floor;
  const step = niceNumber(niceNumber(high - low, false) / (tickCount - 1), true);
  const niceMin = roundTo(Math.floor(low / step) * step, step);
  const niceMax = roundTo(Math.ceil(high / step) * step, step);
  const ticks: number[] = [];
  for (let i = 0; niceMin + i * step <= niceMax + step / 2; i++) ticks.push(roundTo(niceMin + i * step, step));
  return { min: niceMin, max: niceMax, step, ticks };
}

export type ChartGeometry = {
  width: number;
  height: number;
  /** The plotting area inside the viewBox (axes and labels sit outside it). */
  plot: { left: number; top: number; right: number; bottom: number };
  points: { x: number; y: number; date: LocalDate; label: string }[];
  /** An SVG path through the points, oldest first ("M x y L x y …"). */
  path: string;
  yTicks: { y: number; label: string }[];
  xLabels: { x: number; label: string; anchor: "start" | "middle" | "end" }[];
};

export type ChartOptions = {
  width?: number;
  height?: number;
  tickCount?: number;
  minSpan?: number;
  floor?: number;
  /** A fixed y-axis instead of one fitted to the data (scales such as 1–10). */
  domain?: { min: number; max: number; step: number };
  /** How a tick reads ("82 kg"); a value ("82.4 kg") reads as `formatValue`. */
  formatTick?: (value: number) => string;
  formatValue?: (value: number) => string;
};

const round2 = (value: number) => Math.round(value * 100) / 100;

/**
 * Where the points of a line chart go in an SVG viewBox: x by date (so gaps in the diary show as
 * gaps), y on a nice scale, with tick labels and the first and last dates. Points come oldest first.
 */
export function chartGeometry(points: ChartPoint[], options: ChartOptions = {}): ChartGeometry {
  const { width = 600, height = 240, tickCount = 5, formatTick = String, formatValue = String } = options;
  const values = points.map((point) => point.value);
  const scale: Scale = options.domain
    ? {
        ...options.domain,
        ticks: Array.from({ length: Math.round((options.domain.max - options.domain.min) / options.domain.step) + 1 }, (_, i) =>
          roundTo(options.domain!.min + i * options.domain!.step, options.domain!.step),
        ),
      }
    : niceScale(values.length ? Math.min(...values) : 0, values.length ? Math.max(...values) : 1, {
        tickCount,
        minSpan: options.minSpan,
        floor: options.floor,
      });
  const tickLabels = scale.ticks.map(formatTick);
  // Room on the left for the longest tick label (about 7 units a character at font size 12).
  const left = Math.max(40, Math.ceil(Math.max(...tickLabels.map((label) => label.length)) * 7) + 12);
  const plot = { left, top: 12, right: width - 16, bottom: height - 32 };
  const first = points[0]?.date;
  const last = points[points.length - 1]?.date;
  const span = first && last ? daysFrom(first, last) : 0;
  const xOf = (date: LocalDate) => (span === 0 ? (plot.left + plot.right) / 2 : plot.left + (daysFrom(first, date) / span) * (plot.right - plot.left));
  const yOf = (value: number) => plot.bottom - ((value - scale.min) / (scale.max - scale.min)) * (plot.bottom - plot.top);
  const placed = points.map((point) => ({ x: round2(xOf(point.date)), y: round2(yOf(point.value)), date: point.date, label: formatValue(point.value) }));
  const withYear = Boolean(first && last && first.slice(0, 4) !== last.slice(0, 4));
  const xLabels: ChartGeometry["xLabels"] =
    !first || !last
      ? []
      : span === 0
        ? [{ x: round2(xOf(first)), label: shortDate(first, withYear), anchor: "middle" }]
        : [
            { x: plot.left, label: shortDate(first, withYear), anchor: "start" },
            { x: plot.right, label: shortDate(last, withYear), anchor: "end" },
          ];
  return {
    width,
    height,
    plot,
    points: placed,
    path: placed.map((point, i) => `${i === 0 ? "M" : "L"}${point.x} ${point.y}`).join(" "),
    yTicks: scale.ticks.map((tick, i) => ({ y: round2(yOf(tick)), label: tickLabels[i] })),
    xLabels,
  };
}

/** How each metric's chart is drawn: in the reader's unit (pounds for st & lb), with a sensible axis. */
export function chartOptionsFor(metric: HealthMetric, unit: WeightUnit): ChartOptions & { toChart: (stored: number) => number } {
  const identity = (value: number) => value;
  switch (metric) {
    case "weightKg":
      return unit === "ST_LB"
        ? {
            toChart: kgToPounds,
            minSpan: 4,
            floor: 0,
            formatTick: (lb) => formatStonesPounds(lb * KG_PER_LB),
            formatValue: (lb) => formatStonesPounds(lb * KG_PER_LB),
          }
        : { toChart: identity, minSpan: 2, floor: 0, formatTick: (kg) => `${trimmed(kg)} kg`, formatValue: (kg) => formatWeight(kg, "KG") };
    case "bodyFatPct":
      return { toChart: identity, minSpan: 2, floor: 0, formatTick: (v) => `${trimmed(v)}%`, formatValue: (v) => formatMetric(metric, v) };
    case "waistCm":
      return { toChart: identity, minSpan: 2, floor: 0, formatTick: (v) => `${trimmed(v)} cm`, formatValue: (v) => formatMetric(metric, v) };
    case "sleepHours":
      return { toChart: identity, minSpan: 2, floor: 0, formatTick: (v) => `${trimmed(v)} h`, formatValue: (v) => formatMetric(metric, v) };
    case "steps":
      return { toChart: identity, minSpan: 1000, floor: 0, formatTick: (v) => groupThousands(v), formatValue: (v) => formatMetric(metric, v) };
    case "energy":
    case "mood":
      return { toChart: identity, domain: { min: 0, max: 10, step: 2 }, formatTick: String, formatValue: (v) => formatMetric(metric, v) };
  }
}

export type HealthChartModel = { metric: HealthMetric; title: string; summary: string; geometry: ChartGeometry };

/**
 * The charts of a client's series (stored units, oldest first), one per metric that has data, ready
 * for a dumb component: geometry, a title and the text alternative.
 */
export function healthCharts(series: Record<HealthMetric, ChartPoint[]>, unit: WeightUnit): HealthChartModel[] {
  return HEALTH_METRICS.filter((metric) => series[metric].length > 0).map((metric) => {
    const { toChart, ...options } = chartOptionsFor(metric, unit);
    const points = series[metric].map((point) => ({ date: point.date, value: toChart(point.value) }));
    return {
      metric,
      title: METRIC_LABELS[metric],
      summary: chartSummary(metric, series[metric], unit),
      geometry: chartGeometry(points, options),
    };
  });
}
