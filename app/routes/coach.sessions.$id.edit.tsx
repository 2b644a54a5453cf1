import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { SelectField } from "~/components/select-field";
import { SessionEditSchema } from "~/modules/sessions/sessions.schema";
import { getSessionDetail } from "~/modules/sessions/session-views.server";
import { listCoaches } from "~/modules/sessions/lookups.server";
import { updateSession } from "~/modules/sessions/scheduling.service.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf } from "~/utils/forms";
import { badRequest, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";

export const meta: MetaFunction = () => [{ title: "Edit session · Centurion" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireCoach(request);
  const em = getEm();
  const detail = await getSessionDetail(em, idParam(params.id, "that session"));
  if (!detail) notFound("We could not find that session.");
  const coaches = await listCoaches(em);
  return json({ session: detail.session, booked: detail.registered.length, coaches: coaches.map((c) => ({ id: c.id, name: c.name })) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireCoach(request);
  const id = idParam(params.id, "that session");
  const formData = await readFormData(request);
  const form = parseForm(SessionEditSchema, formData);
  if (!form.ok) return badRequest(form);
  const result = await updateSession(getEm(), id, form.data);
  if (!result) notFound("We could not find that session.");
  if (!result.ok) {
    return badRequest(formFailure(submittedValues(formData), result));
  }
  return redirectWithFlash(`/coach/sessions/${id}`, { kind: "success", message: "Session saved." });
}

export default function EditSession() {
  const { session, booked, coaches } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors = failure?.fieldErrors ?? {};
  const v = (key: string, fallback: string | number | null) => valueOf(failure?.values, key) ?? (fallback == null ? "" : String(fallback));
  return (
    <section aria-labelledby="edit-title" className="max-w-2xl">
      <p className="mb-2">
        <Link to={`/coach/sessions/${session.id}`}>← Back to the session</Link>
      </p>
      <h1 id="edit-title" className="mb-4 text-2xl font-bold">
        Edit {session.title}
      </h1>
      {session.status === "CANCELLED" ? (
        <p className="card">This session is cancelled and can no longer be changed.</p>
      ) : (
        <Form method="post" noValidate className="card">
          <FormError message={failure?.formError ?? (failure ? "Please correct the fields marked below." : undefined)} />
          <SelectField
            label="Coach"
            name="coachId"
            options={coaches.map((c) => ({ value: c.id, label: c.name }))}
            defaultValue={v("coachId", session.coachId)}
            errors={errors.coachId}
          />
          <div className="grid gap-x-4 sm:grid-cols-3">
            <Field label="Date" name="date" type="date" required defaultValue={v("date", session.date)} errors={errors.date} />
            <Field label="Start time" name="startTime" type="time" required defaultValue={v("startTime", session.startTime)} errors={errors.startTime} />
            <Field label="End time" name="endTime" type="time" required defaultValue={v("endTime", session.endTime)} errors={errors.endTime} />
          </div>
          <Field
            label="Capacity"
            name="maxOccupancy"
            type="number"
            inputMode="numeric"
            min={Math.max(1, booked)}
            max={200}
            required
            hint={`${booked} booked now; capacity cannot go below that.`}
            defaultValue={v("maxOccupancy", session.capacity)}
            errors={errors.maxOccupancy}
          />
          <Field label="Location" name="location" maxLength={200} defaultValue={v("location", session.location)} errors={errors.location} />
          <div className="mb-4">
            <label htmlFor="notes" className="mb-1 block font-medium">
              Notes <span className="font-normal text-slate-600">(optional)</span>
            </label>
            <textarea id="notes" name="notes" rows={3} className="field-input" defaultValue={v("notes", session.notes)} />
          </div>
          <button type="submit" className="btn-primary">
            Save changes
          </button>
        </Form>
      )}
    </section>
  );
}
