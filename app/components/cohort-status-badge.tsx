const STYLE = {
  DRAFT: "bg-amber-100 text-amber-900",
  ACTIVE: "bg-green-100 text-green-900",
  COMPLETED: "bg-slate-200 text-slate-800",
  ARCHIVED: "bg-slate-100 text-slate-700",
} as const;

/** A cohort's status as a small label (the words come from the server). */
export function CohortStatusBadge({ status, label }: { status: keyof typeof STYLE; label: string }) {
  return <span className={`rounded px-2 py-0.5 align-middle text-xs font-semibold ${STYLE[status]}`}>{label}</span>;
}
