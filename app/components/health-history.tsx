import { Form, Link } from "@remix-run/react";
import { HEALTH_METRICS, HEALTH_RANGE_LABELS, METRIC_LABELS, type HealthRange } from "~/modules/health/health.rules";
import type { EntryRow } from "~/modules/health/health.service.server";

/**
 * The full data behind the charts: one row per entry, newest first, a column per metric that has any
 * value on this page, who entered it, and (on the client's own page) an edit link.
 */
export function HealthHistoryTable({
  rows,
  caption,
  selfLabel,
  editHref,
}: {
  rows: EntryRow[];
  caption: string;
  /** Who "entered by" names when the client entered it themselves ("You", "Client"). */
  selfLabel: string;
  editHref?: (id: number) => string;
}) {
  if (rows.length === 0) return <p className="text-slate-600">No check-ins yet.</p>;
  const metrics = HEALTH_METRICS.filter((metric) => rows.some((row) => row.values[metric] !== undefined));
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full border-collapse text-left text-sm">
        <caption className="mb-2 text-left text-slate-700">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-2 pr-3">
              Date
            </th>
            {metrics.map((metric) => (
              <th key={metric} scope="col" className="py-2 pr-3">
                {METRIC_LABELS[metric]}
              </th>
            ))}
            <th scope="col" className="py-2 pr-3">
              Note
            </th>
            <th scope="col" className="py-2 pr-3">
              Entered by
            </th>
            {editHref ? (
              <th scope="col" className="py-2">
                <span className="sr-only">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className="border-b border-slate-200 align-top">
              <th scope="row" className="py-2 pr-3 font-semibold whitespace-nowrap">
                {row.dateLabel}
              </th>
              {metrics.map((metric) => (
                <td key={metric} className="py-2 pr-3 whitespace-nowrap">
                  {row.values[metric] ?? <span aria-label="none">—</span>}
                </td>
              ))}
              <td className="py-2 pr-3 whitespace-pre-line">{row.note ?? ""}</td>
              <td className="py-2 pr-3">{row.enteredBy ?? selfLabel}</td>
              {editHref ? (
                <td className="py-2">
                  <Link to={editHref(row.id)}>
                    Edit<span className="sr-only"> the entry for {row.dateLabel}</span>
                  </Link>
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Chooses the dates the charts cover (a GET form, so it works without JavaScript). */
export function HealthRangeForm({ range, ranges }: { range: HealthRange; ranges: HealthRange[] }) {
  return (
    <Form method="get" className="mb-4 flex flex-wrap items-end gap-3" aria-label="Chart dates">
      <label className="text-sm font-medium">
        Show
        <select name="range" defaultValue={range} className="field-input mt-1">
          {ranges.map((key) => (
            <option key={key} value={key}>
              {HEALTH_RANGE_LABELS[key]}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="btn-secondary">
        Update charts
      </button>
    </Form>
  );
}
