import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import type { PlanSyncState } from "~/modules/memberships/memberships.entities.server";
import { planSavedFlash } from "~/modules/billing/billing.rules";
import { syncPlan } from "~/modules/billing/plan-sync.service.server";
import { getStripe } from "~/modules/billing/stripe.server";
import { formFailure, parseForm } from "~/utils/forms";
import { redirectWithFlash } from "~/utils/flash.server";
import { badRequest, notFound, readFormData } from "~/utils/http.server";
import { planSummary } from "~/modules/memberships/memberships.rules";
import { PlanSyncSchema } from "~/modules/memberships/memberships.schema";
import { listPlans } from "~/modules/memberships/plans.service.server";
import { requireAdmin, requireRecentPassword } from "~/modules/auth/auth-session.server";
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
      syncState: plan.stripeSyncState as PlanSyncState,
      syncError: plan.stripeSyncError ?? null,
    })),
  });
}

/** Syncs one plan with Stripe again (the retry button of a plan that is not in step). */
export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request);
  const formData = await readFormData(request);
  await requireRecentPassword(request, formData);
  const form = parseForm(PlanSyncSchema, formData);
  if (!form.ok) return badRequest(form);
  const sync = await syncPlan(getEm(), getStripe(), form.data.planId);
  if (!sync) notFound("We could not find that plan.");
  if (!sync.ok) return badRequest(formFailure({}, sync));
  return redirectWithFlash("/admin/plans", planSavedFlash(`“${sync.plan.name}” is synced with Stripe.`, sync));
}

const SYNC_LABEL = { SYNCED: "Synced", PENDING: "Not synced yet", FAILED: "Not synced" } as const;

const TYPE_LABEL = { RECURRING: "Recurring", PACK: "Pack", PREPAID: "Prepaid" } as const;

export default function Plans() {
  const { plans } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
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
      <FormError message={failure?.formError} />
      {plans.length === 0 ? (
        <p className="card">No plans yet.</p>
      ) : (
        <div className="relative overflow-x-auto">
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
                <th scope="col" className="py-2 pr-3">
                  Who buys
                </th>
                <th scope="col" className="py-2">
                  Stripe
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
                  <td className="py-2 pr-3 text-sm">{p.purchasableByClient ? "Clients" : "Admin only"}</td>
                  <td className="py-2 text-sm">
                    {SYNC_LABEL[p.syncState]}
                    {p.syncError ? <span className="block text-xs text-red-700">{p.syncError}</span> : null}
                    {p.syncState === "SYNCED" ? null : (
                      <Form method="post" className="mt-1">
                        <input type="hidden" name="intent" value="sync" />
                        <input type="hidden" name="planId" value={p.id} />
                        <button type="submit" className="btn-secondary text-xs" aria-label={`Retry syncing ${p.name} with Stripe`}>
                          Retry
                        </button>
                      </Form>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
