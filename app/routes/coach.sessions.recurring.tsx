import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { SelectField } from "~/components/select-field";
import { RecurringFormSchema } from "~/modules/sessions/sessions.schema";
import { generateRecurring, planRecurring } from "~/modules/sessions/recurring.service.server";
import { sessionFormOptions } from "~/modules/sessions/session-views.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf, valuesOf } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";
import { addDays, formatDate, todayIn } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Recurring sessions · Centurion" }];

const WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCoach(request);
  const options = await sessionFormOptions(getEm());
  const today = todayIn(options.zone);
  return json({ ...options, me: user.id, defaultFrom: addDays(today, 1), defaultTo: addDays(today, 8 * 7) });
}

export async function action({ request }: ActionFunctionArgs) {
  await requireCoach(request);
  const formData = await readFormData(request);
  const form = parseForm(RecurringFormSchema, formData);
  if (!form.ok) return badRequest(form);
  const em = getEm();
  if (formData.get("intent") === "create") {
    const result = await generateRecurring(em, form.data);
    if (!result.ok) return badRequest(formFailure(submittedValues(formData, ["weekdays"]), result));
    return redirectWithFlash("/coach/sessions", {
      kind: "success",
      message: `Created ${result.created} session${result.created === 1 ? "" : "s"}; skipped ${result.skipped} (already there or in the past).`,
    });
  }
  const plan = await planRecurring(em, form.data);
  if (!plan.ok) return badRequest(formFailure(submittedValues(formData, ["weekdays"]), plan));
  const zone = (await sessionFormOptions(em)).zone;
  return json({
    ok: true as const,
    values: submittedValues(formData, ["weekdays"]),
    preview: {
      classTypeName: plan.classType.name,
      coachName: plan.coachName,
      counts: plan.counts,
      rows: plan.planned.map((p) => ({ key: p.start.toISOString(), date: formatDate(p.date, zone), time: p.time, state: p.state })),
    },
  });
}

const STATE_LABEL = { new: "Will be created", exists: "Already exists", past: "In the past — skipped" } as const;

export default function RecurringSessions() {
  const { classTypes, coaches, cohorts, me, defaultFrom, defaultTo } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const failure = result && !result.ok ? result : undefined;
  const preview = result?.ok ? result.preview : undefined;
  const values = result?.values;
  const errors = failure?.fieldErrors ?? {};
  const v = (key: string) => valueOf(values, key);
  const checkedDays = values ? valuesOf(values, "weekdays") : ["1", "3", "5"];
  return (
    <section aria-labelledby="recurring-title" className="max-w-3xl">
      <p className="mb-2">
        <Link to="/coach/sessions">← Sessions</Link>
      </p>
      <h1 id="recurring-title" className="mb-1 text-2xl font-bold">
        Recurring sessions
      </h1>
      <p className="mb-4 text-slate-700">
        Pick days, start times and a date range. Times are the studio&apos;s local times, so 06:30 stays 06:30 across the clock change. Preview first; running
        the same series twice creates nothing new.
      </p>
      <Form method="post" noValidate className="card">
        <FormError message={failure?.formError ?? (failure ? "Please correct the fields marked below." : undefined)} />
        <SelectField
          label="Class type"
          name="classTypeId"
          options={classTypes.map((c) => ({ value: c.id, label: c.name }))}
          placeholder="Choose…"
          defaultValue={v("classTypeId") ?? ""}
          errors={errors.classTypeId}
        />
        <SelectField
          label="Coach"
          name="coachId"
          options={coaches.map((c) => ({ value: c.id, label: c.name }))}
          defaultValue={v("coachId") ?? String(me)}
          errors={errors.coachId}
        />
        <fieldset className="mb-4" aria-describedby={errors.weekdays ? "weekdays-error" : undefined}>
          <legend className="mb-1 font-medium">Days</legend>
          <div className="flex flex-wrap gap-2">
            {WEEKDAYS.map((day, index) => (
              <label key={day} className="flex min-h-11 items-center gap-2 rounded-md border border-slate-300 bg-white px-3">
                <input type="checkbox" name="weekdays" value={index + 1} defaultChecked={checkedDays.includes(String(index + 1))} className="size-5" />
                {day}
              </label>
            ))}
          </div>
          {errors.weekdays ? (
            <p id="weekdays-error" className="field-error">
              {errors.weekdays.join(" ")}
            </p>
          ) : null}
        </fieldset>
        <Field
          label="Start times"
          name="times"
          hint="Local times separated by commas, e.g. 06:30, 07:00, 17:30."
          required
          defaultValue={v("times") ?? "06:30"}
          errors={errors.times}
        />
        <div className="grid gap-x-4 sm:grid-cols-2">
          <Field label="From" name="from" type="date" required defaultValue={v("from") ?? defaultFrom} errors={errors.from} />
          <Field label="To (inclusive)" name="to" type="date" required defaultValue={v("to") ?? defaultTo} errors={errors.to} />
          <Field
            label="Duration (minutes)"
            name="durationMins"
            type="number"
            inputMode="numeric"
            min={5}
            max={600}
            hint="Blank: the class type's."
            defaultValue={v("durationMins")}
            errors={errors.durationMins}
          />
          <Field
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
        <Field label="Location" name="location" hint="Blank: the studio." defaultValue={v("location")} errors={errors.location} />
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
        <div className="flex flex-wrap gap-3">
          <button type="submit" name="intent" value="preview" className="btn-secondary">
            Preview
          </button>
          <button type="submit" name="intent" value="create" className="btn-primary">
            Create sessions
          </button>
        </div>
      </Form>
      {preview ? (
        <section aria-labelledby="preview-title" className="card mt-6">
          <h2 id="preview-title" className="text-xl font-bold">
            Preview: {preview.classTypeName} with {preview.coachName}
          </h2>
          <p className="mt-1" role="status">
            {preview.counts.new} to create, {preview.counts.exists} already there, {preview.counts.past} in the past.
          </p>
          <div className="mt-3 max-h-96 overflow-auto">
            <table className="w-full text-left text-sm">
              <thead>
                <tr>
                  <th scope="col" className="py-1 pr-2">
                    Date
                  </th>
                  <th scope="col" className="py-1 pr-2">
                    Time
                  </th>
                  <th scope="col" className="py-1">
                    What happens
                  </th>
                </tr>
              </thead>
              <tbody>
                {preview.rows.map((row) => (
                  <tr key={row.key} className="border-t border-slate-200">
                    <td className="py-1 pr-2">{row.date}</td>
                    <td className="py-1 pr-2">{row.time}</td>
                    <td className={`py-1 ${row.state === "new" ? "font-semibold" : "text-slate-600"}`}>{STATE_LABEL[row.state]}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </section>
  );
}
