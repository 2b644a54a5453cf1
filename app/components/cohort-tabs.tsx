import { NavLink } from "@remix-run/react";

const TABS = [
  { label: "Overview", path: "", end: true },
  { label: "Review", path: "/review", end: false },
  { label: "Questionnaires", path: "/questionnaires", end: false },
  { label: "Check-ins", path: "/check-ins", end: true },
] as const;

/** The sections of a coach's cohort pages, as plain links (the current one marked for screen readers too). */
export function CohortTabs({ cohortId, cohortName }: { cohortId: number; cohortName: string }) {
  return (
    <nav aria-label={`${cohortName} sections`} className="mb-4 border-b border-slate-200">
      <ul className="flex flex-wrap gap-1">
        {TABS.map((tab) => (
          <li key={tab.label}>
            <NavLink
              to={`/coach/cohorts/${cohortId}${tab.path}`}
              end={tab.end}
              prefetch="none"
              className={({ isActive }) =>
                `inline-block rounded-t px-3 py-2 font-medium ${isActive ? "border-b-2 border-sky-700 text-sky-900" : "text-slate-700 hover:text-slate-900"}`
              }
            >
              {tab.label}
            </NavLink>
          </li>
        ))}
      </ul>
    </nav>
  );
}
