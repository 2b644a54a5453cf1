import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { MemberSearchSchema } from "~/modules/memberships/memberships.schema";
import { listPlans } from "~/modules/memberships/plans.service.server";
import { searchMembers } from "~/modules/memberships/members.service.server";
import { requireAdmin } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";

export const meta: MetaFunction = () => [{ title: "Members · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const url = new URL(request.url);
  const parsed = MemberSearchSchema.safeParse(Object.fromEntries(url.searchParams));
  const search = parsed.success ? parsed.data : {};
  const em = getEm();
  const [result, plans] = await Promise.all([searchMembers(em, search), listPlans(em, { includeInactive: true })]);
  return json({
    ...result,
    search,
    invalid: !parsed.success,
    plans: plans.map(({ plan }) => ({ id: plan.id, name: plan.name })),
    query: url.searchParams.toString(),
  });
}

export default function Members() {
  const { members, total, page, pageCount, search, invalid, plans, query } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="members-title">
      <h1 id="members-title" className="mb-4 text-2xl font-bold">
        Members
      </h1>
      <Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-4" aria-label="Search members">
        {invalid ? (
          <p role="alert" className="field-error sm:col-span-4">
            Some search fields were not valid and were ignored.
          </p>
        ) : null}
        <label className="text-sm font-medium sm:col-span-2">
          Name or email
          <input type="search" name="q" defaultValue={search.q ?? ""} className="field-input mt-1" />
        </label>
        <label className="text-sm font-medium">
          Plan
          <select name="plan" defaultValue={search.plan ?? ""} className="field-input mt-1">
            <option value="">Any</option>
            {plans.map((p) => (
              <option key={p.id} value={p.id}>
                {p.name}
              </option>
            ))}
          </select>
        </label>
        <label className="text-sm font-medium">
          Membership status
          <select name="status" defaultValue={search.status ?? ""} className="field-input mt-1">
            <option value="">Any</option>
            <option value="ACTIVE">Active</option>
            <option value="PAUSED">Paused</option>
            <option value="EXPIRED">Expired</option>
            <option value="CANCELLED">Cancelled</option>
            <option value="NONE">No current membership</option>
          </select>
        </label>
        <div className="flex gap-2 sm:col-span-4">
          <button type="submit" className="btn-primary">
            Search
          </button>
          <Link to="/admin/members" className="btn-secondary">
            Reset
          </Link>
        </div>
      </Form>
      <p className="mb-2 text-sm text-slate-700" role="status">
        {total} member{total === 1 ? "" : "s"} · page {page} of {pageCount}
      </p>
      {members.length === 0 ? (
        <p className="card">No members match.</p>
      ) : (
        <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200 bg-white">
          {members.map((m) => (
            <li key={m.id} className="flex flex-wrap items-center justify-between gap-2 p-3">
              <span>
                <Link to={`/admin/members/${m.id}`} className="font-semibold">
                  {m.name}
                </Link>{" "}
                <span className="text-sm text-slate-600">{m.email}</span>
              </span>
              <span className="text-sm">
                {m.memberships.length
                  ? m.memberships.map((ms) => `${ms.planName}${ms.status === "PAUSED" ? " (paused)" : ""}`).join(", ")
                  : "No current membership"}
              </span>
            </li>
          ))}
        </ul>
      )}
      <Pagination query={query} page={page} pageCount={pageCount} />
    </section>
  );
}
