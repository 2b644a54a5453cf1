import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CohortTabs } from "~/components/cohort-tabs";
import { Field, FormError } from "~/components/field";
import { getCheckInConfig, saveCheckInConfig } from "~/modules/cohorts/check-in-config.service.server";
import { requireCohortCoach } from "~/modules/cohorts/cohort-guard.server";
import { getEm } from "~/modules/db.server";
import { HEALTH_METRICS, METRIC_LABELS } from "~/modules/health/health.rules";
import { CheckInConfigFormSchema } from "~/modules/health/health.schema";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf, valuesOf } from "~/utils/forms";
import { badRequest, forbidden, notFound, readFormData } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.cohort.name ?? "Cohort"} · check-ins · Centurion` }];

const MISSING = "We could not find that cohort.";
const FORBIDDEN = "Only a coach of this cohort or an admin can change its check-ins.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id, FORBIDDEN);
  const config = await getCheckInConfig(getEm(), cohort.id);
  return json({ cohort: { id: cohort.id, name: cohort.name }, config });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user: viewer, cohort } = await requireCohortCoach(request, params.id, FORBIDDEN);
  const formData = await readFormData(request);
  const form = parseForm(CheckInConfigFormSchema, formData);
  if (!form.ok) return badRequest(formFailure(submittedValues(formData, ["metrics"]), form));
  const result = await saveCheckInConfig(getEm(), viewer, cohort.id, form.data);
  if (!result.ok) {
    if (result.reason === "missing") notFound(MISSING);
    if (result.reason === "forbidden") forbidden(FORBIDDEN);
    return badRequest(formFailure(submittedValues(formData, ["metrics"]), result));
  }
  return redirectWithFlash(`/coach/cohorts/${cohort.id}/check-ins`, { kind: "success", message: `Check-in settings of ${cohort.name} saved.` });
}

export default function CohortCheckIns() {
  const { cohort, config } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const ticked = failure ? valuesOf(failure.values, "metrics") : config.metrics;
  const metricErrors = failure?.fieldErrors.metrics;
  return (
    <section aria-labelledby="check-ins-title" className="max-w-3xl">
      <h1 id="check-ins-title" className="mb-3 text-2xl font-bold">
        {cohort.name}
      </h1>
      <CohortTabs cohortId={cohort.id} cohortName={cohort.name} />
      <section aria-labelledby="settings-title" className="card">
        <h2 id="settings-title" className="mb-1 text-xl font-bold">
          Check-in settings
        </h2>
        <p className="mb-4 text-slate-700">
          {config.saved
            ? "What members are asked to record, and how often. Members can always record the other measurements too."
            : "Nothing is asked of members yet: choose the measurements and how often, then save."}
        </p>
        <Form method="post">
          <FormError message={failure?.formError} />
          <fieldset className="mb-4" aria-describedby={metricErrors ? "metrics-error" : undefined}>
            <legend className="mb-1 font-medium">Ask members for</legend>
            {HEALTH_METRICS.map((metric) => (
              <label key={metric} className="flex items-center gap-2 py-1">
                <input type="checkbox" name="metrics" value={metric} defaultChecked={ticked.includes(metric)} />
                {METRIC_LABELS[metric]}
              </label>
            ))}
            {metricErrors ? (
              <p id="metrics-error" className="field-error">
                {metricErrors.join(" ")}
              </p>
            ) : null}
          </fieldset>
          <Field
            label="Every how many days"
            name="frequencyDays"
            type="number"
            inputMode="numeric"
            min={1}
            max={28}
            step={1}
            required
            hint="7 is once a week; 1 is daily. From 1 to 28."
            defaultValue={failure ? (valueOf(failure.values, "frequencyDays") ?? "") : config.frequencyDays}
            errors={failure?.fieldErrors.frequencyDays}
          />
          <button type="submit" className="btn-primary">
            Save check-in settings
          </button>
        </Form>
      </section>
    </section>
  );
}
