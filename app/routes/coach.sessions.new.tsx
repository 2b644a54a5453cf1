import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { useRef } from "react";
import { Field, FormError } from "~/components/field";
import { SelectField } from "~/components/select-field";
import { formToken, tokenErrorFirst } from "~/modules/idempotency/idempotency.schema";
import { newFormToken } from "~/modules/idempotency/idempotency.service.server";
import { SessionFormSchema } from "~/modules/sessions/sessions.schema";
import { createSession } from "~/modules/sessions/scheduling.service.server";
import { sessionFormOptions } from "~/modules/sessions/session-views.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";
import { addDays, todayIn } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "New session · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCoach(request);
  const options = await sessionFormOptions(getEm());
  // One submission, one session: the form carries a one-time token.
  return json({ ...options, me: user.id, tomorrow: addDays(todayIn(options.zone), 1), formToken: newFormToken() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireCoach(request);
  const formData = await readFormData(request);
  const form = parseForm(SessionFormSchema.extend({ formToken }), formData);
  if (!form.ok) return badRequest(tokenErrorFirst(form));
  const result = await createSession(getEm(), { ...form.data, actorId: user.id });
  if (!result.ok) {
    return badRequest(formFailure(submittedValues(formData), result));
  }
  if (result.replayed) {
    return redirectWithFlash(`/coach/sessions/${result.session.id}`, {
      kind: "info",
      message: `That form was already sent: session “${result.session.title}” was created once.`,
    });
  }
  return redirectWithFlash(`/coach/sessions/${result.session.id}`, { kind: "success", message: `Session “${result.session.title}” created.` });
}

export default function NewSession() {
  const { classTypes, coaches, cohorts, me, tomorrow, formToken: token } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errors = failure?.fieldErrors ?? {};
  const v = (key: string) => valueOf(failure?.values, key);
  const title = useRef<HTMLInputElement>(null);
  const capacity = useRef<HTMLInputElement>(null);
  const startTime = useRef<HTMLInputElement>(null);
  const endTime = useRef<HTMLInputElement>(null);
  // With JavaScript, picking a class type fills its defaults in; without it, the server does the same for blank fields.
  const fillFromClassType = (id: string) => {
    const classType = classTypes.find((c) => String(c.id) === id);
    if (!classType) return;
    if (title.current) title.current.value = classType.name;
    if (capacity.current) capacity.current.value = String(classType.defaultCapacity);
    const [h, m] = (startTime.current?.value ?? "").split(":").map(Number);
    if (endTime.current && Number.isFinite(h) && Number.isFinite(m)) {
      const end = h * 60 + m + classType.defaultDurationMins;
      if (end < 24 * 60) endTime.current.value = `${String(Math.floor(end / 60)).padStart(2, "0")}:${String(end % 60).padStart(2, "0")}`;
    }
  };
  return (
    <section aria-labelledby="new-session-title" className="max-w-2xl">
      <p className="mb-2">
        <Link to="/coach/sessions">← Sessions</Link>
      </p>
      <h1 id="new-session-title" className="mb-1 text-2xl font-bold">
        New session
      </h1>
      <p className="mb-4 text-slate-700">
        For a repeating timetable use the <Link to="/coach/sessions/recurring">recurring generator</Link>.
      </p>
      <Form method="post" noValidate className="card">
        <input type="hidden" name="formToken" value={token} />
        <FormError message={failure?.formError ?? (failure ? "Please correct the fields marked below." : undefined)} />
        <SelectField
          label="Class type"
          name="classTypeId"
          placeholder="Ad hoc (no class type)"
          options={classTypes.map((c) => ({ value: c.id, label: `${c.name} (${c.defaultDurationMins} min, ${c.defaultCapacity} places)` }))}
          defaultValue={v("classTypeId") ?? ""}
          errors={errors.classTypeId}
          onChange={(event) => fillFromClassType(event.currentTarget.value)}
        />
        <Field ref={title} label="Title" name="title" hint="Blank: the class type's name." maxLength={100} defaultValue={v("title")} errors={errors.title} />
        <SelectField
          label="Coach"
          name="coachId"
          options={coaches.map((c) => ({ value: c.id, label: c.name }))}
          defaultValue={v("coachId") ?? String(me)}
          errors={errors.coachId}
        />
        <div className="grid gap-x-4 sm:grid-cols-2">
          <Field label="Date" name="date" type="date" required min={tomorrow} defaultValue={v("date") ?? tomorrow} errors={errors.date} />
          <Field ref={startTime} label="Start time" name="startTime" type="time" required defaultValue={v("startTime") ?? "06:30"} errors={errors.startTime} />
          <Field
            ref={endTime}
            label="End time"
            name="endTime"
            type="time"
            hint="Blank: start + the class type's duration."
            defaultValue={v("endTime")}
            errors={errors.endTime}
          />
          <Field
            ref={capacity}
            label="Capacity"
            name="maxOccupancy"
            type="number"
            inputMode="numeric"
            min={1}
            max={200}
            hint="Blank: the class type's."
            defaultValue={v("maxOccupancy")}
            errors={errors.maxOccupancy}
          />
        </div>
        <Field label="Location" name="location" hint="Blank: the studio." maxLength={200} defaultValue={v("location")} errors={errors.location} />
        {cohorts.length ? (
          <SelectField
            label="Cohort"
            name="cohortId"
            placeholder="None"
            options={cohorts.map((c) => ({ value: c.id, label: c.name }))}
            defaultValue={v("cohortId") ?? ""}
            errors={errors.cohortId}
          />
        ) : null}
        <div className="mb-4">
          <label htmlFor="notes" className="mb-1 block font-medium">
            Notes <span className="font-normal text-slate-600">(optional)</span>
          </label>
          <textarea id="notes" name="notes" rows={2} className="field-input" defaultValue={v("notes")} />
        </div>
        <button type="submit" className="btn-primary">
          Create session
        </button>
      </Form>
    </section>
  );
}
