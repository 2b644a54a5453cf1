import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { planSummary } from "~/modules/memberships/memberships.rules";
import { listPlans } from "~/modules/memberships/plans.service.server";
import { requireAdmin } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";

export const meta: MetaFunction = () => [{ title: "Plans · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const plans = await listPlans(getEm(), { includeInactive: true });
  return json({
    plans: plans.map(({ plan, classTypes }) => ({
      id: plan.id,
      name: plan.name,
      type: plan.type,
      summary: planSummary(plan),
      classTypes: classTypes.map((c) => c.name),
      purchasableByClient: plan.purchasableByClient,
      isActive: plan.isActive,
    })),
  });
}

const TYPE_LABEL = { RECURRING: "Recurring", PACK: "Pack", PREPAID: "Prepaid" } as const;

export default function Plans() {
  const { plans } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="plans-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="plans-title" className="text-2xl font-bold">
          Membership plans
        </h1>
        <Link to="/admin/plans/new" className="btn-primary">
          New plan
        </Link>
      </div>
      {plans.length === 0 ? (
        <p className="card">No plans yet.</p>
      ) : (
        <div className="overflow-x-auto">
          <table className="w-full min-w-[40rem] text-left">
            <thead>
              <tr className="border-b border-slate-300 text-sm">
                <th scope="col" className="py-2 pr-3">
                  Plan
                </th>
                <th scope="col" className="py-2 pr-3">
                  Type
                </th>
                <th scope="col" className="py-2 pr-3">
                  What it gives
                </th>
                <th scope="col" className="py-2 pr-3">
                  Classes
                </th>
                <th scope="col" className="py-2">
                  Who buys
                </th>
              </tr>
            </thead>
            <tbody>
              {plans.map((p) => (
                <tr key={p.id} className={`border-b border-slate-200 ${p.isActive ? "" : "opacity-60"}`}>
                  <td className="py-2 pr-3 font-semibold">
                    <Link to={`/admin/plans/${p.id}`}>{p.name}</Link>
                    {p.isActive ? null : <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 text-xs">Inactive</span>}
                  </td>
                  <td className="py-2 pr-3">{TYPE_LABEL[p.type]}</td>
                  <td className="py-2 pr-3 text-sm">{p.summary}</td>
                  <td className="py-2 pr-3 text-sm">{p.classTypes.length ? p.classTypes.join(", ") : "All"}</td>
                  <td className="py-2 text-sm">{p.purchasableByClient ? "Clients" : "Admin only"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
