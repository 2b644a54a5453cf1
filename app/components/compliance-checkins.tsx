import { formatChange, formatWeight, type Trend, type TrendMetric } from "~/modules/coaching/coaching.rules";
import type { HealthMetric, WeightUnit } from "~/modules/health/health.rules";

/** What each health metric is called on the page. */
export const METRIC_LABELS: Record<HealthMetric, string> = {
  weightKg: "Weight",
  bodyFatPct: "Body fat",
  waistCm: "Waist",
  sleepHours: "Sleep",
  steps: "Steps",
  energy: "Energy",
  mood: "Mood",
};

export type CheckInView = {
  id: number;
  dateLabel: string;
  weightKg: number | null;
  bodyFatPct: number | null;
  waistCm: number | null;
  sleepHours: number | null;
  steps: number | null;
  energy: number | null;
  mood: number | null;
  note: string | null;
  enteredBy: string | null;
  trend: Trend;
};

type Column = { key: keyof CheckInView & string; label: string; show: (row: CheckInView, unit: WeightUnit) => string | null; trend?: TrendMetric };

const COLUMNS: Column[] = [
  { key: "weightKg", label: "Weight", show: (r, unit) => (r.weightKg === null ? null : formatWeight(r.weightKg, unit)), trend: "weightKg" },
  { key: "bodyFatPct", label: "Body fat", show: (r) => (r.bodyFatPct === null ? null : `${r.bodyFatPct}%`), trend: "bodyFatPct" },
  { key: "waistCm", label: "Waist", show: (r) => (r.waistCm === null ? null : `${r.waistCm} cm`), trend: "waistCm" },
  { key: "sleepHours", label: "Sleep", show: (r) => (r.sleepHours === null ? null : `${r.sleepHours} h`) },
  { key: "steps", label: "Steps", show: (r) => (r.steps === null ? null : r.steps.toLocaleString("en-GB")) },
  { key: "energy", label: "Energy", show: (r) => (r.energy === null ? null : `${r.energy}/10`) },
  { key: "mood", label: "Mood", show: (r) => (r.mood === null ? null : `${r.mood}/10`) },
];

/** A week's check-ins as a table: only the metrics recorded, each trend metric with its change since the previous check-in. */
export function CheckInTable({ rows, weightUnit, caption }: { rows: CheckInView[]; weightUnit: WeightUnit; caption: string }) {
  if (rows.length === 0) return <p>No check-ins this week.</p>;
  const columns = COLUMNS.filter((column) => rows.some((row) => row[column.key] !== null));
  const notes = rows.some((row) => row.note);
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-2 pr-3">
              Date
            </th>
            {columns.map((column) => (
              <th key={column.key} scope="col" className="py-2 pr-3">
                {column.label}
              </th>
            ))}
            {notes ? (
              <th scope="col" className="py-2 pr-3">
                Note
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} className="border-b border-slate-200 align-top">
              <th scope="row" className="py-2 pr-3 font-semibold">
                {row.dateLabel}
                {row.enteredBy ? <span className="block text-xs font-normal text-slate-600">entered by {row.enteredBy}</span> : null}
              </th>
              {columns.map((column) => {
                const change = column.trend ? row.trend[column.trend] : undefined;
                return (
                  <td key={column.key} className="py-2 pr-3">
                    {column.show(row, weightUnit) ?? "—"}
                    {change !== undefined && column.trend ? (
                      <span className="block text-xs text-slate-600">{formatChange(change, column.trend, weightUnit)}</span>
                    ) : null}
                  </td>
                );
              })}
              {notes ? <td className="py-2 pr-3 whitespace-pre-line">{row.note ?? ""}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
