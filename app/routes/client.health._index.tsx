import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { HealthCharts } from "~/components/health-chart";
import { HealthEntryForm } from "~/components/health-entry-form";
import { HealthHistoryTable, HealthRangeForm } from "~/components/health-history";
import { Pagination } from "~/components/pagination";
import { requireRole } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { HEALTH_RANGES, METRIC_LABELS, WEIGHT_UNIT_LABELS, WEIGHT_UNITS } from "~/modules/health/health.rules";
import { EntryFormSchema, HealthQuerySchema, WeightUnitFormSchema } from "~/modules/health/health.schema";
import { healthOverview, recordEntry, setWeightUnit } from "~/modules/health/health.service.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues } from "~/utils/forms";
import { badRequestFor, notFound, readFormData } from "~/utils/http.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Health check-ins · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["CLIENT"]);
  const query = HealthQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const overview = await healthOverview(getEm(), user.id, { page: query.page, range: query.range });
  if (!overview) notFound("We could not find your account.");
  return json({ ...overview, date: query.date && query.date <= overview.today ? query.date : overview.today });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireRole(request, ["CLIENT"]);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const em = getEm();
  if (intent === "record") {
    const form = parseForm(EntryFormSchema, formData);
    if (!form.ok) return badRequestFor("record", form);
    const result = await recordEntry(em, { userId: user.id, input: form.data });
    if (!result.ok) {
      return json(
        { ...formFailure(submittedValues(formData), result), intent: "record" as const, existingEntryId: result.existingEntryId ?? null },
        { status: 400 },
      );
    }
    return redirectWithFlash("/client/health", { kind: "success", message: `Check-in for ${formatDate(result.entry.date, "UTC")} saved.` });
  }
  if (intent === "unit") {
    const form = parseForm(WeightUnitFormSchema, formData);
    if (!form.ok) return badRequestFor("unit", form);
    await setWeightUnit(em, user.id, form.data.weightUnit);
    return redirectWithFlash("/client/health", {
      kind: "success",
      message: form.data.weightUnit === "KG" ? "Weights now show in kilograms." : "Weights now show in stones and pounds.",
    });
  }
  return badRequestFor("unknown", formFailure({}, "Unknown action."));
}

export default function ClientHealth() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const location = useLocation();
  const { client, ask, today } = data;
  const recordFailure = failure?.intent === "record" ? failure : undefined;
  const unitFailure = failure?.intent === "unit" || failure?.intent === "unknown" ? failure : undefined;
  const existingEntryId = recordFailure && "existingEntryId" in recordFailure ? recordFailure.existingEntryId : null;
  const ranges = HEALTH_RANGES.filter((range) => range !== "programme" || ask);
  return (
    <section aria-labelledby="health-title" className="max-w-5xl">
      <h1 id="health-title" className="mb-4 text-2xl font-bold">
        Health check-ins
      </h1>

      {ask ? (
        <p className="card mb-4">
          {ask.metrics.length ? (
            <>
              <strong>{ask.cohortName}</strong> asks for{" "}
              {ask.metrics
                .map((metric) => METRIC_LABELS[metric].toLowerCase())
                .join(", ")
                .replace(/, ([^,]*)$/, " and $1")}
              {ask.frequencyDays ? ` every ${ask.frequencyDays === 1 ? "day" : `${ask.frequencyDays} days`}` : ""}.
            </>
          ) : (
            <>
              You are in <strong>{ask.cohortName}</strong>. Record whatever helps you and your coach.
            </>
          )}{" "}
          <Link to="/client/cohort">Your cohort</Link>
        </p>
      ) : null}

      <div className="mb-6 grid gap-4 lg:grid-cols-3">
        <section aria-labelledby="record-title" className="card lg:col-span-2">
          <h2 id="record-title" className="mb-3 text-xl font-bold">
            Record a check-in
          </h2>
          <HealthEntryForm
            key={`${data.date}-${data.total}`}
            intent="record"
            unit={client.weightUnit}
            today={today}
            askedMetrics={ask?.metrics ?? []}
            values={recordFailure?.values ?? { date: data.date }}
            fieldErrors={recordFailure?.fieldErrors}
            formError={recordFailure?.formError}
            existingEntryHref={existingEntryId ? `/client/health/${existingEntryId}` : null}
            submitLabel="Save check-in"
            dateHint="Today unless you are catching up."
          />
        </section>

        <section aria-labelledby="unit-title" className="card self-start">
          <h2 id="unit-title" className="mb-3 text-xl font-bold">
            Weight unit
          </h2>
          <Form method="post">
            <input type="hidden" name="intent" value="unit" />
            {unitFailure?.formError ? (
              <p role="alert" className="field-error mb-2">
                {unitFailure.formError}
              </p>
            ) : null}
            <fieldset className="mb-3">
              <legend className="mb-1 font-medium">Show my weight in</legend>
              {WEIGHT_UNITS.map((unit) => (
                <label key={unit} className="flex items-center gap-2 py-1">
                  <input type="radio" name="weightUnit" value={unit} defaultChecked={client.weightUnit === unit} />
                  {WEIGHT_UNIT_LABELS[unit]}
                </label>
              ))}
              {unitFailure?.fieldErrors.weightUnit ? <p className="field-error">{unitFailure.fieldErrors.weightUnit.join(" ")}</p> : null}
            </fieldset>
            <button type="submit" className="btn-secondary">
              Save unit
            </button>
          </Form>
          <p className="mt-2 text-sm text-slate-600">Weights are kept in kilograms; this only changes how you see and enter them.</p>
        </section>
      </div>

      <section aria-labelledby="charts-title" className="mb-6">
        <h2 id="charts-title" className="mb-3 text-xl font-bold">
          Progress
        </h2>
        <HealthRangeForm range={data.range.key} ranges={ranges} />
        <p className="mb-3 text-sm text-slate-600">
          From {formatDate(data.range.from, "UTC")} to {formatDate(data.range.to, "UTC")}. The table below has every entry.
        </p>
        <HealthCharts charts={data.charts} />
      </section>

      <section aria-labelledby="history-title" className="card">
        <h2 id="history-title" className="mb-3 text-xl font-bold">
          History
        </h2>
        <HealthHistoryTable
          rows={data.rows}
          caption={`Your check-ins, newest first (${data.total} in all).`}
          selfLabel="You"
          editHref={(id) => `/client/health/${id}`}
        />
        <Pagination query={location.search} page={data.page} pageCount={data.pageCount} />
      </section>
    </section>
  );
}
