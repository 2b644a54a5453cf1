import { syncPlan } from "~/modules/billing/plan-sync.service.server";
import { getStripe } from "~/modules/billing/stripe.server";
import { planSavedFlash } from "~/modules/billing/billing.rules";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { PlanForm } from "~/components/plan-form";
import { PlanFormSchema } from "~/modules/memberships/memberships.schema";
import { createPlan } from "~/modules/memberships/plans.service.server";
import { listClassTypes } from "~/modules/sessions/class-types.service.server";
import { requireAdmin, requireRecentPassword } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "New plan · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const classTypes = await listClassTypes(getEm());
  return json({ classTypes: classTypes.map((c) => ({ id: c.id, name: c.name })) });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireAdmin(request);
  const formData = await readFormData(request);
  await requireRecentPassword(request, formData);
  const form = parseForm(PlanFormSchema, formData);
  if (!form.ok) return badRequest({ ...form, values: submittedValues(formData, ["classTypeIds"]) });
  const em = getEm();
  const result = await createPlan(em, form.data);
  if (!result.ok) return badRequest(formFailure(submittedValues(formData, ["classTypeIds"]), result));
  const sync = await syncPlan(em, getStripe(), result.plan.id);
  return redirectWithFlash("/admin/plans", planSavedFlash(`Plan “${result.plan.name}” created.`, sync));
}

export default function NewPlan() {
  const { classTypes } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section aria-labelledby="new-plan-title" className="max-w-2xl">
      <p className="mb-2">
        <Link to="/admin/plans">← Plans</Link>
      </p>
      <h1 id="new-plan-title" className="mb-4 text-2xl font-bold">
        New plan
      </h1>
      <PlanForm intent="create" submitLabel="Create plan" classTypes={classTypes} failure={failure} />
    </section>
  );
}
