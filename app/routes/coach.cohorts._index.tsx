import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CohortStatusBadge } from "~/components/cohort-status-badge";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { listCohortsFor } from "~/modules/cohorts/cohort-views.server";
import { CohortListQuerySchema } from "~/modules/cohorts/cohorts.schema";
import { getEm } from "~/modules/db.server";

export const meta: MetaFunction = () => [{ title: "Cohorts · Centurion" }];

const GROUPS = [
  { status: "ACTIVE", title: "Active" },
  { status: "DRAFT", title: "Draft" },
  { status: "COMPLETED", title: "Completed" },
  { status: "ARCHIVED", title: "Archived" },
] as const;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCoach(request);
  const parsed = CohortListQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  // A bad filter in a shared link shows every cohort rather than failing the page.
  const status = parsed.success ? parsed.data.status : undefined;
  const list = await listCohortsFor(getEm(), user, { status });
  return json({ ...list, status: status ?? null, isAdmin: user.role === "ADMIN" });
}

export default function CohortList() {
  const { cohorts, totals, status, isAdmin } = useLoaderData<typeof loader>();
  // Without a filter, archived cohorts stay out of the way behind their own link.
  const groups = GROUPS.filter((g) => (status ? g.status === status : g.status !== "ARCHIVED"));
  return (
    <section aria-labelledby="cohorts-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="cohorts-title" className="text-2xl font-bold">
          Cohorts
        </h1>
        <Link to="/coach/cohorts/new" className="btn-primary">
          New cohort
        </Link>
      </div>
      <p className="mb-3 text-slate-700">{isAdmin ? "Every cohort of the studio." : "The cohorts you coach."}</p>
      <nav aria-label="Filter by status" className="mb-4">
        <ul className="flex flex-wrap gap-2">
          <li>
            <Link to="/coach/cohorts" className="btn-secondary" aria-current={status === null ? "page" : undefined}>
              Current
            </Link>
          </li>
          {GROUPS.map((g) => (
            <li key={g.status}>
              <Link to={`/coach/cohorts?status=${g.status}`} className="btn-secondary" aria-current={status === g.status ? "page" : undefined}>
                {g.title} ({totals[g.status]})
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {groups.map((group) => {
        const inGroup = cohorts.filter((c) => c.status === group.status);
        return (
          <section key={group.status} aria-labelledby={`group-${group.status}`} className="mb-6">
            <h2 id={`group-${group.status}`} className="mb-2 text-xl font-bold">
              {group.title}
            </h2>
            {inGroup.length === 0 ? (
              <p className="text-slate-600">No {group.title.toLowerCase()} cohorts.</p>
            ) : (
              <div className="relative overflow-x-auto">
                <table className="w-full border-collapse bg-white text-left">
                  <thead>
                    <tr className="border-b border-slate-300">
                      <th scope="col" className="p-2">
                        Cohort
                      </th>
                      <th scope="col" className="p-2">
                        When
                      </th>
                      <th scope="col" className="p-2">
                        Members
                      </th>
                      <th scope="col" className="p-2">
                        Coaches
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {inGroup.map((c) => (
                      <tr key={c.id} className="border-b border-slate-200">
                        <th scope="row" className="p-2 font-semibold">
                          <Link to={`/coach/cohorts/${c.id}`}>{c.name}</Link> <CohortStatusBadge status={c.status} label={c.statusLabel} />
                        </th>
                        <td className="p-2">
                          {c.when} <span className="text-sm text-slate-600">({c.weeks} weeks)</span>
                        </td>
                        <td className="p-2">
                          {c.members} / {c.capacity}
                        </td>
                        <td className="p-2">{c.coaches.join(", ") || "—"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </section>
        );
      })}
    </section>
  );
}
