import type { BarChartModel } from "~/modules/reports/report-chart.rules";

/**
 * A server-rendered bar chart of a report (no JavaScript needed). Everything is worked out by `barChart`
 * in report-chart.rules.ts; this only draws it. The SVG is one image with a title and a description; the
 * table beside it is the text alternative with every value.
 */
export function ReportChart({ chart }: { chart: BarChartModel }) {
  const { id, plot } = chart;
  return (
    <figure className="mb-4" aria-labelledby={`${id}-caption`}>
      <svg
        viewBox={`0 0 ${chart.width} ${chart.height}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        className="h-auto w-full text-slate-700"
        preserveAspectRatio="xMidYMid meet"
      >
        <title id={`${id}-title`}>{`${chart.title} chart`}</title>
        <desc id={`${id}-desc`}>{chart.summary}</desc>
        {chart.yTicks.map((tick) => (
          <g key={tick.y}>
            <line x1={plot.left} x2={plot.right} y1={tick.y} y2={tick.y} stroke="#e2e8f0" strokeWidth={1} />
            <text x={plot.left - 8} y={tick.y + 4} textAnchor="end" fontSize={12} fill="currentColor">
              {tick.label}
            </text>
          </g>
        ))}
        {chart.bars.map((bar, i) => (
          <rect key={i} x={bar.x} y={bar.y} width={bar.width} height={bar.height} fill={bar.color}>
            <title>{bar.title}</title>
          </rect>
        ))}
        {chart.reference ? (
          <g>
            <line x1={plot.left} x2={plot.right} y1={chart.reference.y} y2={chart.reference.y} stroke="#0f172a" strokeWidth={1} strokeDasharray="6 4" />
            <text x={plot.right - 4} y={chart.reference.y - 6} textAnchor="end" fontSize={12} fill="currentColor">
              {chart.reference.label}
            </text>
          </g>
        ) : null}
        <line x1={plot.left} x2={plot.right} y1={plot.bottom} y2={plot.bottom} stroke="#64748b" strokeWidth={1} />
        <line x1={plot.left} x2={plot.left} y1={plot.top} y2={plot.bottom} stroke="#64748b" strokeWidth={1} />
        {chart.xLabels.map((label) => (
          <text key={label.x} x={label.x} y={plot.bottom + 18} textAnchor="middle" fontSize={12} fill="currentColor">
            {label.label}
          </text>
        ))}
      </svg>
      <figcaption id={`${id}-caption`} className="mt-2 text-sm text-slate-700">
        {chart.legend.length > 1 ? (
          <span className="mb-1 flex flex-wrap gap-x-4 gap-y-1" aria-hidden="true">
            {chart.legend.map((item) => (
              <span key={item.name} className="inline-flex items-center gap-1">
                <span className="inline-block h-3 w-3 rounded-sm" style={{ backgroundColor: item.color }} />
                {item.name}
              </span>
            ))}
          </span>
        ) : null}
        {chart.summary}
      </figcaption>
    </figure>
  );
}
