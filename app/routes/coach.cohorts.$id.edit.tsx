import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CohortForm } from "~/components/cohort-form";
import { CohortTabs } from "~/components/cohort-tabs";
import { requireCohortCoach } from "~/modules/cohorts/cohort-guard.server";
import { cohortEditForm } from "~/modules/cohorts/cohort-views.server";
import { CohortEditSchema } from "~/modules/cohorts/cohorts.schema";
import { updateCohort } from "~/modules/cohorts/cohorts.service.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues } from "~/utils/forms";
import { badRequest, notFound, readFormData } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Edit ${data?.cohort.name ?? "cohort"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  return json(await cohortEditForm(getEm(), cohort));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const formData = await readFormData(request);
  const values = submittedValues(formData, ["planIds"]);
  const form = parseForm(CohortEditSchema, formData);
  if (!form.ok) return badRequest(formFailure(values, form));
  const result = await updateCohort(getEm(), cohort.id, form.data);
  if (!result) notFound("We could not find that cohort.");
  if (!result.ok) return badRequest(formFailure(values, result));
  return redirectWithFlash(`/coach/cohorts/${cohort.id}`, { kind: "success", message: `“${result.cohort.name}” saved.` });
}

export default function EditCohort() {
  const { cohort, plans } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section aria-labelledby="edit-cohort-title" className="max-w-2xl">
      <p className="mb-2">
        <Link to={`/coach/cohorts/${cohort.id}`}>← {cohort.name}</Link>
      </p>
      <h1 id="edit-cohort-title" className="mb-2 text-2xl font-bold">
        Edit {cohort.name}
      </h1>
      <CohortTabs cohortId={cohort.id} cohortName={cohort.name} />
      <p className="mb-3 text-slate-700">Coaches, members and the status are changed on the overview.</p>
      <CohortForm initial={cohort} plans={plans} failure={failure} submitLabel="Save changes" />
    </section>
  );
}
