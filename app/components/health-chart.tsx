import type { HealthChartModel } from "~/modules/health/health.rules";

/**
 * A server-rendered line chart of one health metric (no JavaScript needed). Everything is worked out
 * by `healthCharts` in health.rules.ts; this only draws it. The SVG is one image with a title and a
 * description, and the same summary is printed under it as the text alternative.
 */
export function HealthChart({ chart }: { chart: HealthChartModel }) {
  const { geometry, title, summary, metric } = chart;
  const { plot } = geometry;
  const id = `chart-${metric}`;
  return (
    <figure className="card" aria-labelledby={`${id}-heading`}>
      <h3 id={`${id}-heading`} className="mb-2 text-lg font-bold">
        {title}
      </h3>
      <svg
        viewBox={`0 0 ${geometry.width} ${geometry.height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="h-auto w-full text-slate-700"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{`${title} chart`}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        {geometry.yTicks.map((tick) => (
          <g key={tick.y}>
            <line x1={plot.left} x2={plot.right} y1={tick.y} y2={tick.y} stroke="#e2e8f0" strokeWidth={1} />
            <text x={plot.left - 8} y={tick.y + 4} textAnchor="end" fontSize={12} fill="currentColor">
              {tick.label}
            </text>
          </g>
        ))}
        <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} stroke="#64748b" strokeWidth={1} />
        <line x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} stroke="#64748b" strokeWidth={1} />
        {geometry.points.length > 1 ? <path d={geometry.path} fill="none" stroke="#1e40af" strokeWidth={2.5} strokeLinejoin="round" /> : null}
        {geometry.points.map((point) => (
          <circle key={point.date} cx={point.x} cy={point.y} r={4} fill="#1e40af">
            <title>{`${point.date}: ${point.label}`}</title>
          </circle>
        ))}
        {geometry.xLabels.map((label) => (
          <text key={`${label.anchor}-${label.x}`} x={label.x} y={geometry.height - 8} textAnchor={label.anchor} fontSize={12} fill="currentColor">
            {label.label}
          </text>
        ))}
      </svg>
      <figcaption className="mt-2 text-sm text-slate-700">{summary}</figcaption>
    </figure>
  );
}

/** The charts of every metric with data, two to a row on wide screens. */
export function HealthCharts({ charts }: { charts: HealthChartModel[] }) {
  if (charts.length === 0) return <p className="text-slate-600">No entries in these dates yet, so there is nothing to chart.</p>;
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      {charts.map((chart) => (
        <HealthChart key={chart.metric} chart={chart} />
      ))}
    </div>
  );
}
