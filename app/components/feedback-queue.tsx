import { Link } from "@remix-run/react";

export type QueueEntry = { responseId: number; cohortName: string; userName: string; week: number; submittedLabel: string; href: string };

/** Submitted weeks waiting for the coach's feedback, oldest first, each linking to the member's week. */
export function NeedsReplyList({ items, showCohort = false }: { items: QueueEntry[]; showCohort?: boolean }) {
  return (
    <ol className="divide-y divide-slate-200">
      {items.map((item) => (
        <li key={item.responseId} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
          <Link to={item.href} className="font-semibold">
            {item.userName} — week {item.week}
            {showCohort ? ` (${item.cohortName})` : ""}
          </Link>
          <span className="text-sm text-slate-600">submitted {item.submittedLabel}</span>
        </li>
      ))}
    </ol>
  );
}
