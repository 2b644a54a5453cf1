import { Link } from "@remix-run/react";
import type { ClientCompliance, ClientRow } from "~/modules/coaching/clients.service.server";

/** How the client is the coach's: "Cohort: 8 Week Challenge", "Classes". */
export function ClientLinks({ client }: { client: Pick<ClientRow, "cohorts" | "inClasses"> }) {
  if (!client.cohorts.length && !client.inClasses) return <span className="text-slate-600">—</span>;
  return (
    <ul className="flex flex-wrap gap-1">
      {client.cohorts.map((c) => (
        <li key={c.id}>
          <Link to={`/coach/cohorts/${c.id}`} className="rounded bg-sky-100 px-2 py-0.5 text-xs font-semibold text-sky-900">
            Cohort: {c.name}
            {c.status === "COMPLETED" ? " (completed)" : ""}
          </Link>
        </li>
      ))}
      {client.inClasses ? (
        <li>
          <span className="rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold text-slate-800">Classes</span>
        </li>
      ) : null}
    </ul>
  );
}

/** The memberships in effect, each with its usage ("Committed: 2 of 5 this week"). */
export function ClientMemberships({ memberships }: { memberships: ClientRow["memberships"] }) {
  if (!memberships.length) return <span className="text-slate-600">No current membership</span>;
  return (
    <ul>
      {memberships.map((m) => (
        <li key={m.id}>
          <span className="font-medium">{m.planName}</span>: {m.usageLabel}
        </li>
      ))}
    </ul>
  );
}

/** "Check-ins 5/6 · Questionnaires 2/3" in a cohort, or a dash outside one. */
export function ClientComplianceSummary({ compliance }: { compliance: ClientCompliance | null }) {
  if (!compliance) return <span className="text-slate-600">—</span>;
  return (
    <span>
      Check-ins {compliance.labels.checkIns} · Questionnaires {compliance.labels.questionnaires}
    </span>
  );
}
