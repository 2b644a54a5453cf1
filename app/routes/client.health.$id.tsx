import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { HealthEntryForm } from "~/components/health-entry-form";
import { requireRole } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { EntryFormSchema } from "~/modules/health/health.schema";
import { deleteEntry, entryFormValues, entryRow, findOwnEntry, getWeightUnit, updateEntry } from "~/modules/health/health.service.server";
import { studioToday } from "~/modules/settings/settings.service.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues } from "~/utils/forms";
import { badRequestFor, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Check-in of ${data.entry.dateLabel}` : "Check-in"} · Centurion` }];

const MISSING = "We could not find that check-in.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireRole(request, ["CLIENT"]);
  const em = getEm();
  const entry = await findOwnEntry(em, user.id, idParam(params.id, "that check-in"));
  if (!entry) notFound(MISSING);
  const unit = await getWeightUnit(em, user.id);
  return json({
    entry: entryRow(entry, unit),
    values: entryFormValues(entry, unit),
    unit,
    today: await studioToday(em),
    confirmDelete: new URL(request.url).searchParams.has("delete"),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireRole(request, ["CLIENT"]);
  const entryId = idParam(params.id, "that check-in");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const em = getEm();
  if (intent === "update") {
    // Another client's entry is a 404 whatever the form holds.
    if (!(await findOwnEntry(em, user.id, entryId))) notFound(MISSING);
    const form = parseForm(EntryFormSchema, formData);
    if (!form.ok) return badRequestFor("update", form);
    const result = await updateEntry(em, { userId: user.id, entryId, input: form.data });
    if (!result) notFound(MISSING);
    if (!result.ok) {
      return json(
        { ...formFailure(submittedValues(formData), result), intent: "update" as const, existingEntryId: result.existingEntryId ?? null },
        { status: 400 },
      );
    }
    return redirectWithFlash("/client/health", { kind: "success", message: `Check-in for ${formatDate(result.entry.date, "UTC")} saved.` });
  }
  if (intent === "delete") {
    const result = await deleteEntry(em, { userId: user.id, entryId });
    if (!result) notFound(MISSING);
    return redirectWithFlash("/client/health", { kind: "success", message: `Check-in for ${formatDate(result.date, "UTC")} deleted.` });
  }
  return badRequestFor("unknown", formFailure({}, "Unknown action."));
}

export default function EditCheckIn() {
  const { entry, values, unit, today, confirmDelete } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const updateFailure = failure?.intent === "update" ? failure : undefined;
  const existingEntryId = updateFailure && "existingEntryId" in updateFailure ? updateFailure.existingEntryId : null;
  return (
    <section aria-labelledby="entry-title" className="max-w-2xl">
      <p className="mb-2">
        <Link to="/client/health">← Health check-ins</Link>
      </p>
      <h1 id="entry-title" className="mb-1 text-2xl font-bold">
        Check-in of {entry.dateLabel}
      </h1>
      {entry.enteredBy ? <p className="mb-4 text-slate-700">Entered by {entry.enteredBy}.</p> : <div className="mb-4" />}
      {failure?.intent === "unknown" ? (
        <p role="alert" className="field-error mb-4">
          {failure.formError}
        </p>
      ) : null}

      <section aria-labelledby="edit-title" className="card mb-4">
        <h2 id="edit-title" className="mb-3 text-xl font-bold">
          Edit
        </h2>
        <HealthEntryForm
          intent="update"
          unit={unit}
          today={today}
          askedMetrics={[]}
          values={updateFailure?.values ?? values}
          fieldErrors={updateFailure?.fieldErrors}
          formError={updateFailure?.formError}
          existingEntryHref={existingEntryId && existingEntryId !== entry.id ? `/client/health/${existingEntryId}` : null}
          submitLabel="Save changes"
        />
      </section>

      <section aria-labelledby="delete-title" className="card">
        <h2 id="delete-title" className="mb-3 text-xl font-bold">
          Delete
        </h2>
        {confirmDelete ? (
          <Form method="post" aria-label="Confirm deleting this check-in">
            <input type="hidden" name="intent" value="delete" />
            <p role="alert" className="mb-3 font-medium">
              Delete the check-in of {entry.dateLabel}? This cannot be undone.
            </p>
            <div className="flex flex-wrap gap-3">
              <button type="submit" className="btn-danger">
                Yes, delete it
              </button>
              <Link to={`/client/health/${entry.id}`} className="btn-secondary">
                Keep it
              </Link>
            </div>
          </Form>
        ) : (
          <p>
            <Link to="?delete" className="btn-secondary">
              Delete this check-in…
            </Link>
          </p>
        )}
      </section>
    </section>
  );
}
