import { Link } from "@remix-run/react";

type Tally = { done: number; due: number };
type QuestionnaireState = "SUBMITTED" | "DRAFT" | "MISSING" | "NONE";

export type ComplianceRow = {
  userId: number;
  name: string;
  email: string;
  thisWeek: { checkIns: Tally; questionnaire: { week: number | null; state: QuestionnaireState }; classesAttended: number };
  programme: { checkIns: Tally; questionnaires: Tally; classesAttended: number };
};

type Sort = "name" | "check-ins" | "questionnaires" | "classes";

/** "3/4", or "—" when nothing is due yet (as tallyLabel on the server). */
export function tally(t: Tally): string {
  return t.due === 0 ? "—" : `${t.done}/${t.due}`;
}

const behind = (t: Tally) => t.due > 0 && t.done < t.due;

const QUESTIONNAIRE_LABEL: Record<QuestionnaireState, string> = { SUBMITTED: "Submitted", DRAFT: "Draft saved", MISSING: "Not started", NONE: "—" };

export function QuestionnaireStateLabel({ state, week }: { state: QuestionnaireState; week: number | null }) {
  if (state === "NONE" || week === null) return <span>—</span>;
  const style = state === "SUBMITTED" ? "bg-emerald-100 text-emerald-900" : state === "DRAFT" ? "bg-amber-100 text-amber-900" : "bg-red-100 text-red-900";
  return (
    <span className={`rounded px-2 py-0.5 text-xs font-semibold ${style}`}>
      Week {week}: {QUESTIONNAIRE_LABEL[state]}
    </span>
  );
}

function SortHeader({ label, sort, current }: { label: string; sort: Sort; current: Sort }) {
  return (
    <th scope="col" className="py-2 pr-3" aria-sort={current === sort ? "ascending" : undefined}>
      {current === sort ? (
        <span>{label} ▲</span>
      ) : (
        <Link to={`?sort=${sort}`} title={sort === "name" ? "Sort by name" : "Sort with those furthest behind first"}>
          {label}
        </Link>
      )}
    </th>
  );
}

/** Each member's compliance this week and over the programme; column headers re-sort through the address. */
export function ComplianceTable({ cohortId, rows, sort }: { cohortId: number; rows: ComplianceRow[]; sort: Sort }) {
  if (rows.length === 0) return <p className="card">No members in this cohort yet.</p>;
  return (
    <div className="card relative overflow-x-auto">
      <table className="w-full min-w-[48rem] text-left text-sm">
        <caption className="sr-only">Compliance of each member, this week and over the programme so far</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <SortHeader label="Member" sort="name" current={sort} />
            <th scope="col" className="py-2 pr-3">
              Check-ins this week
            </th>
            <th scope="col" className="py-2 pr-3">
              Questionnaire
            </th>
            <th scope="col" className="py-2 pr-3">
              Classes this week
            </th>
            <SortHeader label="Check-ins (programme)" sort="check-ins" current={sort} />
            <SortHeader label="Questionnaires (programme)" sort="questionnaires" current={sort} />
            <SortHeader label="Classes (programme)" sort="classes" current={sort} />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.userId} className="border-b border-slate-200">
              <th scope="row" className="py-2 pr-3 font-semibold">
                <Link to={`/coach/cohorts/${cohortId}/members/${row.userId}`}>{row.name}</Link>
              </th>
              <td className={`py-2 pr-3 ${behind(row.thisWeek.checkIns) ? "font-semibold text-red-800" : ""}`}>{tally(row.thisWeek.checkIns)}</td>
              <td className="py-2 pr-3">
                <QuestionnaireStateLabel state={row.thisWeek.questionnaire.state} week={row.thisWeek.questionnaire.week} />
              </td>
              <td className="py-2 pr-3">{row.thisWeek.classesAttended}</td>
              <td className={`py-2 pr-3 ${behind(row.programme.checkIns) ? "font-semibold text-red-800" : ""}`}>{tally(row.programme.checkIns)}</td>
              <td className={`py-2 pr-3 ${behind(row.programme.questionnaires) ? "font-semibold text-red-800" : ""}`}>{tally(row.programme.questionnaires)}</td>
              <td className="py-2 pr-3">{row.programme.classesAttended}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
