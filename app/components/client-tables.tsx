import { Link } from "@remix-run/react";
import type { CheckInRow, ClientCohort, HistoryItem } from "~/modules/coaching/clients.service.server";
import { WEEK_STATE_LABELS } from "~/modules/coaching/clients.rules";
import { formatDate } from "~/utils/dates";
import { ColorSwatch } from "./session-bits";

const day = (date: string) => formatDate(date, "UTC");

const REGISTRATION_LABELS: Record<HistoryItem["status"], string> = {
  REGISTERED: "Booked (not marked)",
  WAITLISTED: "Waitlisted",
  CANCELLED: "Cancelled",
  LATE_CANCELLED: "Late-cancelled",
  ATTENDED: "Attended",
  NO_SHOW: "No-show",
};

/** Past classes the client was booked into, newest first: date, class, status. */
export function AttendanceHistoryTable({ items }: { items: HistoryItem[] }) {
  if (!items.length) return <p className="text-sm text-slate-700">No past classes.</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[32rem] text-left text-sm">
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-2 pr-3">
              Date
            </th>
            <th scope="col" className="py-2 pr-3">
              Class
            </th>
            <th scope="col" className="py-2 pr-3">
              Coach
            </th>
            <th scope="col" className="py-2">
              Status
            </th>
          </tr>
        </thead>
        <tbody>
          {items.map((item) => (
            <tr key={item.registrationId} className="border-b border-slate-200">
              <td className="py-2 pr-3 whitespace-nowrap">
                {day(item.date)} {item.startLabel}
              </td>
              <td className="py-2 pr-3">
                <ColorSwatch color={item.color} /> <Link to={`/coach/sessions/${item.sessionId}`}>{item.title}</Link>
              </td>
              <td className="py-2 pr-3">{item.coachName}</td>
              <td className="py-2">{REGISTRATION_LABELS[item.status]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const number = (value: number | null, digits = 1, unit = "") => (value === null ? "—" : `${Number(value.toFixed(digits))}${unit}`);

/** The latest health check-ins, newest first, in kg and cm. */
export function CheckInsTable({ checkIns }: { checkIns: CheckInRow[] }) {
  if (!checkIns.length) return <p className="text-sm text-slate-700">No check-ins yet.</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[40rem] text-left text-sm">
        <thead>
          <tr className="border-b border-slate-300">
            {["Date", "Weight", "Body fat", "Waist", "Sleep", "Steps", "Energy", "Mood", "Note"].map((heading) => (
              <th key={heading} scope="col" className="py-2 pr-3">
                {heading}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {checkIns.map((c) => (
            <tr key={c.id} className="border-b border-slate-200 align-top">
              <th scope="row" className="py-2 pr-3 font-medium whitespace-nowrap">
                {day(c.date)}
                {c.enteredBy ? <span className="block text-xs font-normal text-slate-600">Entered by {c.enteredBy}</span> : null}
              </th>
              <td className="py-2 pr-3 whitespace-nowrap">{number(c.weightKg, 1, " kg")}</td>
              <td className="py-2 pr-3 whitespace-nowrap">{number(c.bodyFatPct, 1, "%")}</td>
              <td className="py-2 pr-3 whitespace-nowrap">{number(c.waistCm, 1, " cm")}</td>
              <td className="py-2 pr-3 whitespace-nowrap">{number(c.sleepHours, 1, " h")}</td>
              <td className="py-2 pr-3">{c.steps === null ? "—" : c.steps.toLocaleString("en-GB")}</td>
              <td className="py-2 pr-3">{c.energy === null ? "—" : `${c.energy}/10`}</td>
              <td className="py-2 pr-3">{c.mood === null ? "—" : `${c.mood}/10`}</td>
              <td className="py-2">{c.note ?? "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

const FEEDBACK_LABELS = { PUBLISHED: "Published", DRAFT: "Draft" } as const;

/** A cohort's weeks for one member: the questionnaire's state and the coach's feedback. */
export function CohortWeeksTable({ cohort, clientId }: { cohort: ClientCohort; clientId: number }) {
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[32rem] text-left text-sm">
        <caption className="sr-only">Weeks of {cohort.name}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-2 pr-3">
              Week
            </th>
            <th scope="col" className="py-2 pr-3">
              Questionnaire
            </th>
            <th scope="col" className="py-2">
              Feedback
            </th>
          </tr>
        </thead>
        <tbody>
          {cohort.weekRows.map((w) => (
            <tr key={w.week} className={`border-b border-slate-200 ${cohort.compliance.week === w.week ? "bg-sky-50" : ""}`}>
              <th scope="row" className="py-2 pr-3 font-medium whitespace-nowrap">
                Week {w.week} <span className="font-normal text-slate-600">from {day(w.first)}</span>
                {cohort.compliance.week === w.week ? <span className="sr-only"> (this week)</span> : null}
              </th>
              <td className="py-2 pr-3">
                {WEEK_STATE_LABELS[w.questionnaire]}
                {w.submittedOn ? ` on ${day(w.submittedOn)}` : ""}
              </td>
              <td className="py-2">
                {w.feedback ? FEEDBACK_LABELS[w.feedback] : w.questionnaire === "SUBMITTED" ? <strong>Waiting for feedback</strong> : "—"}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="mt-2">
        <Link to={`/coach/cohorts/${cohort.id}/members/${clientId}`}>
          Review their weeks, answers and feedback<span className="sr-only"> in {cohort.name}</span>
        </Link>
      </p>
    </div>
  );
}
