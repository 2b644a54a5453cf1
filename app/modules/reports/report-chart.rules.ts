// Where the bars of a report chart go in an SVG viewBox: worked out here (pure, unit-tested) so the
// component (app/components/report-chart.tsx) only draws. Categories along x, one bar per series in each.
import { niceScale } from "~/modules/health/health.rules";

export type BarSeries = { name: string; color: string; values: number[] };

export type Bar = { x: number; y: number; width: number; height: number; color: string; title: string };

export type BarChartModel = {
  id: string;
  title: string;
  /** The chart's text alternative in a sentence or two (the table beside it holds every value). */
  summary: string;
  width: number;
  height: number;
  plot: { left: number; top: number; right: number; bottom: number };
  yTicks: { y: number; label: string }[];
  bars: Bar[];
  /** Category labels under the axis; thinned out when they would not fit. */
  xLabels: { x: number; label: string }[];
  legend: { name: string; color: string }[];
  /** A dashed line across the plot, such as 100% of capacity. */
  reference: { y: number; label: string } | null;
};

export type BarChartInput = {
  id: string;
  title: string;
  summary: string;
  categories: string[];
  series: BarSeries[];
  formatValue?: (value: number) => string;
  formatTick?: (value: number) => string;
  /** Draw a reference line at this value (the axis reaches it). */
  reference?: { value: number; label: string };
  width?: number;
  height?: number;
};

const round2 = (value: number) => Math.round(value * 100) / 100;
const MAX_LABEL = 14;

function shorten(label: string): string {
  return label.length > MAX_LABEL ? `${label.slice(0, MAX_LABEL - 1)}…` : label;
}

export function barChart(input: BarChartInput): BarChartModel {
  const { categories, series, width = 720, height = 280, formatValue = String, formatTick = String } = input;
  const values = series.flatMap((s) => s.values);
  const top = Math.max(1, ...values, input.reference?.value ?? 0);
  const scale = niceScale(0, top, { floor: 0, minSpan: 1 });
  const tickLabels = scale.ticks.map(formatTick);
  const left = Math.max(40, Math.ceil(Math.max(...tickLabels.map((label) => label.length)) * 7) + 12);
  const plot = { left, top: 12, right: width - 12, bottom: height - 36 };
  const yOf = (value: number) => plot.bottom - ((value - scale.min) / (scale.max - scale.min)) * (plot.bottom - plot.top);

  const groupWidth = categories.length ? (plot.right - plot.left) / categories.length : 0;
  const barWidth = series.length ? (groupWidth * 0.8) / series.length : 0;
  const bars: Bar[] = categories.flatMap((category, i) =>
    series.map((s, j) => {
      const value = s.values[i] ?? 0;
      // Bars rise from zero: a negative value (a month of refunds) lies on the axis; its title still tells it.
      const y = yOf(Math.max(0, value));
      return {
        x: round2(plot.left + i * groupWidth + groupWidth * 0.1 + j * barWidth),
        y: round2(y),
        width: round2(Math.max(1, barWidth - (series.length > 1 ? 1 : 0))),
        height: round2(plot.bottom - y),
        color: s.color,
        title: `${category}: ${s.name} ${formatValue(value)}`,
      };
    }),
  );

  // About 7 units a character at font size 12, and a gap: every label that fits, evenly spaced.
  const labels = categories.map(shorten);
  const labelWidth = Math.max(1, ...labels.map((label) => label.length)) * 7 + 8;
  const every = Math.max(1, Math.ceil((categories.length * labelWidth) / Math.max(1, plot.right - plot.left)));
  const xLabels = labels.flatMap((label, i) => (i % every === 0 ? [{ x: round2(plot.left + (i + 0.5) * groupWidth), label }] : []));

  return {
    id: input.id,
    title: input.title,
    summary: input.summary,
    width,
    height,
    plot,
    yTicks: scale.ticks.map((tick, i) => ({ y: round2(yOf(tick)), label: tickLabels[i] })),
    bars,
    xLabels,
    legend: series.map(({ name, color }) => ({ name, color })),
    reference: input.reference ? { y: round2(yOf(input.reference.value)), label: input.reference.label } : null,
  };
}
