import { Link } from "@remix-run/react";
import { placesLabel } from "~/components/session-bits";

type Item = {
  id: number;
  title: string;
  dateLabel: string;
  startLabel: string;
  endLabel: string;
  coachName: string;
  status: "SCHEDULED" | "CANCELLED" | "COMPLETED";
  registered: number;
  capacity: number;
  waitlisted: number;
};

/** A cohort's linked sessions (times already in the studio's zone), each linking to the coach's session page. */
export function CohortSessionsTable({ title, sessions, empty }: { title: string; sessions: Item[]; empty: string }) {
  return (
    <>
      <h3 className="mt-3 mb-1 font-bold">{title}</h3>
      {sessions.length === 0 ? (
        <p className="text-slate-600">{empty}</p>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full border-collapse text-left">
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="p-2">
                  When
                </th>
                <th scope="col" className="p-2">
                  Session
                </th>
                <th scope="col" className="p-2">
                  Coach
                </th>
                <th scope="col" className="p-2">
                  Places
                </th>
              </tr>
            </thead>
            <tbody>
              {sessions.map((s) => (
                <tr key={s.id} className="border-b border-slate-200">
                  <td className="p-2">
                    {s.dateLabel}, {s.startLabel}–{s.endLabel}
                  </td>
                  <th scope="row" className="p-2 font-semibold">
                    <Link to={`/coach/sessions/${s.id}`} className={s.status === "CANCELLED" ? "line-through" : undefined}>
                      {s.title}
                    </Link>
                  </th>
                  <td className="p-2">{s.coachName}</td>
                  <td className="p-2">{s.status === "CANCELLED" ? "Cancelled" : placesLabel(s)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
