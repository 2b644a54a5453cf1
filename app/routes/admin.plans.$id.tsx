import { syncPlan } from "~/modules/billing/plan-sync.service.server";
import { getStripe } from "~/modules/billing/stripe.server";
import { planSavedFlash } from "~/modules/billing/billing.rules";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { PlanForm } from "~/components/plan-form";
import { PlanFormSchema } from "~/modules/memberships/memberships.schema";
import { getPlan, setPlanActive, updatePlan } from "~/modules/memberships/plans.service.server";
import { listClassTypes } from "~/modules/sessions/class-types.service.server";
import { requireAdmin, requireRecentPassword } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues } from "~/utils/forms";
import { badRequest, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.plan.name ?? "Plan"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const em = getEm();
  const found = await getPlan(em, idParam(params.id, "that plan"));
  if (!found) notFound("We could not find that plan.");
  const classTypes = await listClassTypes(em);
  const { plan } = found;
  return json({
    classTypes: classTypes.map((c) => ({ id: c.id, name: c.name })),
    plan: {
      id: plan.id,
      name: plan.name,
      description: plan.description ?? null,
      type: plan.type,
      price: (plan.pricePence / 100).toFixed(2),
      sessionsPerWeek: plan.sessionsPerWeek ?? null,
      commitmentMonths: plan.commitmentMonths ?? null,
      totalSessions: plan.totalSessions ?? null,
      durationDays: plan.durationDays ?? null,
      lateCancelCutoffHours: plan.lateCancelCutoffHours ?? null,
      allowRepeatPurchase: plan.allowRepeatPurchase,
      purchasableByClient: plan.purchasableByClient,
      penaltySystemEnabled: plan.penaltySystemEnabled,
      classTypeIds: found.classTypeIds,
      isActive: plan.isActive,
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireAdmin(request);
  const id = idParam(params.id, "that plan");
  const formData = await readFormData(request);
  await requireRecentPassword(request, formData);
  const intent = formData.get("intent");
  const em = getEm();
  if (intent === "deactivate" || intent === "reactivate") {
    const plan = await setPlanActive(em, id, intent === "reactivate");
    if (!plan) notFound("We could not find that plan.");
    const sync = await syncPlan(em, getStripe(), plan.id);
    const saved = intent === "deactivate" ? `“${plan.name}” is deactivated; members keep what they have.` : `“${plan.name}” is active again.`;
    return redirectWithFlash("/admin/plans", planSavedFlash(saved, sync));
  }
  if (intent !== "update") return badRequest(formFailure({}, "Unknown action."));
  const form = parseForm(PlanFormSchema, formData);
  if (!form.ok) return badRequest({ ...form, values: submittedValues(formData, ["classTypeIds"]) });
  const result = await updatePlan(em, id, form.data);
  if (!result) notFound("We could not find that plan.");
  if (!result.ok) return badRequest(formFailure(submittedValues(formData, ["classTypeIds"]), result));
  const sync = await syncPlan(em, getStripe(), result.plan.id);
  return redirectWithFlash("/admin/plans", planSavedFlash(`Plan “${result.plan.name}” saved.`, sync));
}

export default function EditPlan() {
  const { plan, classTypes } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section aria-labelledby="plan-title" className="max-w-2xl">
      <p className="mb-2">
        <Link to="/admin/plans">← Plans</Link>
      </p>
      <h1 id="plan-title" className="mb-4 text-2xl font-bold">
        Edit {plan.name}
        {plan.isActive ? null : <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 align-middle text-sm">Inactive</span>}
      </h1>
      <PlanForm intent="update" submitLabel="Save plan" classTypes={classTypes} initial={plan} failure={failure} />
      <Form method="post" className="mt-6">
        <input type="hidden" name="intent" value={plan.isActive ? "deactivate" : "reactivate"} />
        <button type="submit" className={plan.isActive ? "btn-secondary" : "btn-primary"}>
          {plan.isActive ? "Deactivate this plan" : "Reactivate this plan"}
        </button>
      </Form>
    </section>
  );
}
