import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { HealthCharts } from "~/components/health-chart";
import { HealthEntryForm } from "~/components/health-entry-form";
import { HealthHistoryTable, HealthRangeForm } from "~/components/health-history";
import { Pagination } from "~/components/pagination";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { HEALTH_RANGES, WEIGHT_UNIT_LABELS } from "~/modules/health/health.rules";
import { EntryFormSchema, HealthQuerySchema } from "~/modules/health/health.schema";
import { clientHealthAccess, healthOverview, recordEntryForClient } from "~/modules/health/health.service.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues } from "~/utils/forms";
import { badRequestFor, forbidden, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `${data.client.name} · health` : "Health"} · Centurion` }];

const MISSING = "We could not find that client.";
const FORBIDDEN = "You can see the health data of clients in a cohort you coach.";

/** The client, if the signed-in coach coaches them in a cohort (or is an admin): 404 / 403 otherwise. */
async function authorise(request: Request, rawId: string | undefined) {
  const viewer = await requireCoach(request);
  const clientId = idParam(rawId, "that client");
  const access = await clientHealthAccess(getEm(), viewer, clientId);
  if (access.kind === "missing") notFound(MISSING);
  if (access.kind === "forbidden") forbidden(FORBIDDEN);
  return { viewer, client: access.client };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { client } = await authorise(request, params.userId);
  const query = HealthQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const overview = await healthOverview(getEm(), client.id, { page: query.page, range: query.range });
  if (!overview) notFound(MISSING);
  return json(overview);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { viewer, client } = await authorise(request, params.userId);
  const formData = await readFormData(request);
  if (formData.get("intent") !== "record") return badRequestFor("unknown", formFailure({}, "Unknown action."));
  const form = parseForm(EntryFormSchema, formData);
  if (!form.ok) return badRequestFor("record", form);
  const result = await recordEntryForClient(getEm(), { viewer, clientId: client.id, input: form.data });
  if (!result.ok) {
    if (result.reason === "missing") notFound(MISSING);
    if (result.reason === "forbidden") forbidden(FORBIDDEN);
    return badRequestFor("record", formFailure(submittedValues(formData), result));
  }
  return redirectWithFlash(`/coach/clients/${client.id}/health`, {
    kind: "success",
    message: `Check-in for ${formatDate(result.entry.date, "UTC")} saved for ${client.name}.`,
  });
}

export default function CoachClientHealth() {
  const data = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const location = useLocation();
  const { client, ask } = data;
  const recordFailure = failure?.intent === "record" ? failure : undefined;
  const ranges = HEALTH_RANGES.filter((range) => range !== "programme" || ask);
  return (
    <section aria-labelledby="client-health-title" className="max-w-5xl">
      <p className="mb-2">
        <Link to={`/coach/clients/${client.id}`}>← {client.name}</Link>
      </p>
      <h1 id="client-health-title" className="mb-1 text-2xl font-bold">
        {client.name}: health check-ins
      </h1>
      <p className="mb-4 text-slate-700">
        {ask ? (
          <>
            In <strong>{ask.cohortName}</strong>
            {ask.frequencyDays ? `, asked to check in every ${ask.frequencyDays === 1 ? "day" : `${ask.frequencyDays} days`}` : ""}.{" "}
          </>
        ) : null}
        Weights shown in {WEIGHT_UNIT_LABELS[client.weightUnit].toLowerCase()}, as {client.name} reads them.
      </p>
      {failure?.intent === "unknown" ? (
        <p role="alert" className="field-error mb-4">
          {failure.formError}
        </p>
      ) : null}

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

      <section aria-labelledby="history-title" className="card mb-6">
        <h2 id="history-title" className="mb-3 text-xl font-bold">
          History
        </h2>
        <HealthHistoryTable rows={data.rows} caption={`${client.name}'s check-ins, newest first (${data.total} in all).`} selfLabel="Client" />
        <Pagination query={location.search} page={data.page} pageCount={data.pageCount} />
      </section>

      <section aria-labelledby="record-title" className="card max-w-2xl">
        <h2 id="record-title" className="mb-1 text-xl font-bold">
          Enter a check-in for {client.name}
        </h2>
        <p className="mb-3 text-sm text-slate-600">It is marked as entered by you.</p>
        <HealthEntryForm
          key={data.total}
          intent="record"
          unit={client.weightUnit}
          today={data.today}
          askedMetrics={ask?.metrics ?? []}
          askedHint="Asked by their cohort"
          values={recordFailure?.values ?? { date: data.today }}
          fieldErrors={recordFailure?.fieldErrors}
          formError={recordFailure?.formError}
          submitLabel="Save check-in"
          dateHint="Today unless you are catching up."
        />
      </section>
    </section>
  );
}
