import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { ColorSwatch, placesLabel, StatusBadge } from "~/components/session-bits";
import { SessionFiltersSchema } from "~/modules/sessions/sessions.schema";
import { listSessions, sessionFormOptions } from "~/modules/sessions/session-views.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { formatDayHeading } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Sessions · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCoach(request);
  const url = new URL(request.url);
  const parsed = SessionFiltersSchema.safeParse(Object.fromEntries(url.searchParams));
  // A bad filter in a shared link is dropped with a note rather than failing the page.
  const filters = parsed.success ? parsed.data : {};
  const em = getEm();
  const [result, options] = await Promise.all([listSessions(em, filters), sessionFormOptions(em)]);
  return json({ ...result, filters, invalidFilters: !parsed.success, options, query: url.searchParams.toString() });
}

export default function SessionList() {
  const { sessions, page, pageCount, total, from, filters, invalidFilters, options, query } = useLoaderData<typeof loader>();
  let lastDate = "";
  return (
    <section aria-labelledby="sessions-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="sessions-title" className="text-2xl font-bold">
          Sessions
        </h1>
        <div className="flex flex-wrap gap-2">
          <Link to="/coach/sessions/calendar" className="btn-secondary">
            Calendar
          </Link>
          <Link to="/coach/sessions/recurring" className="btn-secondary">
            Recurring
          </Link>
          <Link to="/coach/sessions/new" className="btn-primary">
            New session
          </Link>
        </div>
      </div>
      <Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="Filter sessions">
        {invalidFilters ? (
          <p role="alert" className="field-error sm:col-span-3 lg:col-span-6">
            Some filters were not valid and were ignored.
          </p>
        ) : null}
        <label className="text-sm font-medium">
          From
          <input type="date" name="from" defaultValue={filters.from ?? from} className="field-input mt-1" />
        </label>
        <label className="text-sm font-medium">
          To
          <input type="date" name="to" defaultValue={filters.to ?? ""} className="field-input mt-1" />
        </label>
        <label className="text-sm font-medium">
          Class type
          <select name="classType" defaultValue={filters.classType ?? ""} className="field-input mt-1">
            <option value="">All</option>
            {options.classTypes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Coach
          <select name="coach" defaultValue={filters.coach ?? ""} className="field-input mt-1">
            <option value="">All</option>
            {options.coaches.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Cohort
          <select name="cohort" defaultValue={filters.cohort ?? ""} className="field-input mt-1">
            <option value="">All</option>
            {options.cohorts.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Status
          <select name="status" defaultValue={filters.status ?? ""} className="field-input mt-1">
            <option value="">All</option>
            <option value="SCHEDULED">Scheduled</option>
            <option value="COMPLETED">Completed</option>
            <option value="CANCELLED">Cancelled</option>
          </select>
        </label>
        <div className="flex gap-2 sm:col-span-3 lg:col-span-6">
          <button type="submit" className="btn-primary">
            Filter
          </button>
          <Link to="/coach/sessions" className="btn-secondary">
            Reset
          </Link>
        </div>
      </Form>
      <p className="mb-2 text-sm text-slate-700" role="status">
        {total} session{total === 1 ? "" : "s"} · page {page} of {pageCount}
      </p>
      {sessions.length === 0 ? (
        <p className="card">No sessions match these filters.</p>
      ) : (
        <ul className="space-y-2">
          {sessions.map((s) => {
            const heading = s.date !== lastDate ? formatDayHeading(s.date) : null;
            lastDate = s.date;
            return (
              <li key={s.id}>
                {heading ? <h2 className="mt-4 mb-1 font-semibold text-slate-700">{heading}</h2> : null}
                <Link
                  to={`/coach/sessions/${s.id}`}
                  className="flex flex-wrap items-center gap-x-4 gap-y-1 rounded-md border-l-4 bg-white p-3 text-slate-900 no-underline shadow-sm hover:bg-slate-50"
                  style={{ borderLeftColor: s.color }}
                >
                  <span className="w-28 font-semibold">
                    {s.startLabel}–{s.endLabel}
                  </span>
                  <span className="flex min-w-32 items-center gap-2 font-semibold">
                    <ColorSwatch color={s.color} /> <span className={s.status === "CANCELLED" ? "line-through" : ""}>{s.title}</span>
                  </span>
                  <span className="min-w-32">{s.coachName}</span>
                  <span className="min-w-32">{placesLabel(s)}</span>
                  <StatusBadge status={s.status} />
                </Link>
              </li>
            );
          })}
        </ul>
      )}
      <Pagination query={query} page={page} pageCount={pageCount} />
    </section>
  );
}
