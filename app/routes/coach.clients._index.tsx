import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { ClientComplianceSummary, ClientLinks, ClientMemberships } from "~/components/client-bits";
import { Pagination } from "~/components/pagination";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { attendanceLabel, nextSort, type ClientSort, type SortDirection } from "~/modules/coaching/clients.rules";
import { ClientSearchSchema } from "~/modules/coaching/clients.schema";
import { listMyClients } from "~/modules/coaching/clients.service.server";
import { getEm } from "~/modules/db.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "My clients · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const viewer = await requireCoach(request);
  const url = new URL(request.url);
  const parsed = ClientSearchSchema.safeParse(Object.fromEntries(url.searchParams));
  const search = parsed.success ? parsed.data : {};
  const list = await listMyClients(getEm(), viewer, search);
  return json({ ...list, q: search.q ?? "", invalid: !parsed.success, isAdmin: viewer.role === "ADMIN", query: url.searchParams.toString() });
}

const SORT_LABELS: Record<ClientSort, string> = {
  name: "Name",
  lastAttended: "Last attended",
  attendance: "Attendance (4 weeks)",
  compliance: "Cohort compliance",
};

export default function MyClients() {
  const { clients, total, page, pageCount, sort, dir, q, invalid, isAdmin, query } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="clients-title">
      <h1 id="clients-title" className="text-2xl font-bold">
        {isAdmin ? "Clients" : "My clients"}
      </h1>
      <p className="mb-4 text-slate-700">
        {isAdmin ? "Every client of the studio." : "The members of the cohorts you coach and the clients booked into your classes."}
      </p>
      <Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-4" aria-label="Search clients">
        {invalid ? (
          <p role="alert" className="field-error sm:col-span-4">
            Some search fields were not valid and were ignored.
          </p>
        ) : null}
        <label className="text-sm font-medium sm:col-span-2">
          Name or email
          <input type="search" name="q" defaultValue={q} maxLength={100} className="field-input mt-1" />
        </label>
        <label className="text-sm font-medium">
          Sort by
          <select name="sort" defaultValue={sort} className="field-input mt-1">
            {Object.entries(SORT_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Order
          <select name="dir" defaultValue={dir} className="field-input mt-1">
            <option value="asc">Lowest, oldest or A–Z first</option>
            <option value="desc">Highest, newest or Z–A first</option>
          </select>
        </label>
        <div className="flex gap-2 sm:col-span-4">
          <button type="submit" className="btn-primary">
            Search
          </button>
          <Link to="/coach/clients" className="btn-secondary">
            Reset
          </Link>
        </div>
      </Form>
      <p className="mb-2 text-sm text-slate-700" role="status">
        {total} client{total === 1 ? "" : "s"} · page {page} of {pageCount}
      </p>
      {clients.length === 0 ? (
        <p className="card">{q ? "No clients match." : "No clients yet."}</p>
      ) : (
        <div className="relative overflow-x-auto rounded-lg border border-slate-200 bg-white">
          <table className="w-full min-w-[56rem] text-left text-sm">
            <thead>
              <tr className="border-b border-slate-300">
                <SortHeader column="name" sort={sort} dir={dir} q={q} />
                <th scope="col" className="p-2">
                  Linked by
                </th>
                <th scope="col" className="p-2">
                  Membership
                </th>
                <SortHeader column="lastAttended" sort={sort} dir={dir} q={q} />
                <SortHeader column="attendance" sort={sort} dir={dir} q={q} />
                <SortHeader column="compliance" sort={sort} dir={dir} q={q} />
              </tr>
            </thead>
            <tbody>
              {clients.map((c) => (
                <tr key={c.id} className="border-b border-slate-200 align-top">
                  <th scope="row" className="p-2 font-normal">
                    <Link to={`/coach/clients/${c.id}`} className="font-semibold">
                      {c.name}
                    </Link>
                    <span className="block text-slate-600">{c.email}</span>
                  </th>
                  <td className="p-2">
                    <ClientLinks client={c} />
                  </td>
                  <td className="p-2">
                    <ClientMemberships memberships={c.memberships} />
                  </td>
                  <td className="p-2 whitespace-nowrap">{c.lastAttended ? formatDate(c.lastAttended, "UTC") : "Never"}</td>
                  <td className="p-2">{attendanceLabel(c.attendance)}</td>
                  <td className="p-2">
                    <ClientComplianceSummary compliance={c.compliance} />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination query={query} page={page} pageCount={pageCount} />
    </section>
  );
}

/** A sortable column's header: a link that sorts by it (or reverses it), with aria-sort on the current one. */
function SortHeader({ column, sort, dir, q }: { column: ClientSort; sort: ClientSort; dir: SortDirection; q: string }) {
  const target = nextSort({ sort, dir }, column);
  const params = new URLSearchParams({ ...(q ? { q } : {}), sort: target.sort, dir: target.dir });
  const current = column === sort;
  return (
    <th scope="col" className="p-2" aria-sort={current ? (dir === "asc" ? "ascending" : "descending") : undefined}>
      <Link to={`?${params}`} className="font-semibold">
        {SORT_LABELS[column]}
        {current ? <span aria-hidden="true">{dir === "asc" ? " ▲" : " ▼"}</span> : null}
        <span className="sr-only">{current ? `, sorted ${dir === "asc" ? "ascending" : "descending"}; reverse` : ", sort by this"}</span>
      </Link>
    </th>
  );
}
