import { Form } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { SelectField } from "~/components/select-field";
import { valueOf, valuesOf, type FormFailure } from "~/utils/forms";

type Choice = { id: number; name: string };

export type CohortFormValues = {
  name: string;
  description: string;
  startDate: string;
  weeks: number | string;
  capacity: number | string;
  registrationOpensOn: string;
  registrationClosesOn: string;
  isFree: boolean;
  planIds: number[];
  coachIds?: number[];
};

/**
 * The new-cohort and edit-cohort form: plain fields, plans (and, when creating, coaches and a programme
 * to copy) as checkboxes and a select, so it works without JavaScript. After a refused post it shows
 * what was typed.
 */
export function CohortForm({
  initial,
  plans,
  coaches,
  copyFrom,
  failure,
  submitLabel,
  formToken,
}: {
  initial: CohortFormValues;
  plans: Choice[];
  /** Creating only: the coaches to tick. */
  coaches?: Choice[];
  /** Creating only: the cohorts whose programme may be copied. */
  copyFrom?: (Choice & { weeks: number })[];
  failure?: FormFailure;
  submitLabel: string;
  /** Creating only: the one-time token that makes a double submission create one cohort. */
  formToken?: string;
}) {
  const errors = failure?.fieldErrors ?? {};
  const values = failure?.values;
  const text = (key: keyof CohortFormValues) => (values ? (valueOf(values, key) ?? "") : String(initial[key] ?? ""));
  const ticked = (key: "planIds" | "coachIds") => (values ? valuesOf(values, key) : (initial[key] ?? []).map(String));
  const isFree = values ? valueOf(values, "isFree") === "on" : initial.isFree;
  return (
    <Form method="post" noValidate className="card">
      {formToken ? <input type="hidden" name="formToken" value={formToken} /> : null}
      <FormError message={failure?.formError ?? (failure ? "Please correct the fields marked below." : undefined)} />
      <Field label="Name" name="name" required maxLength={100} defaultValue={text("name")} errors={errors.name} />
      <div className="mb-4">
        <label htmlFor="description" className="mb-1 block font-medium">
          Description <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <textarea
          id="description"
          name="description"
          rows={3}
          maxLength={2000}
          className="field-input"
          defaultValue={text("description")}
          aria-invalid={errors.description ? true : undefined}
          aria-describedby={errors.description ? "description-error" : undefined}
        />
        {errors.description ? (
          <p id="description-error" className="field-error">
            {errors.description.join(" ")}
          </p>
        ) : null}
      </div>
      <div className="grid gap-x-4 sm:grid-cols-3">
        <Field
          label="Start date"
          name="startDate"
          type="date"
          required
          hint="A Monday: weeks run Monday to Sunday."
          defaultValue={text("startDate")}
          errors={errors.startDate}
        />
        <Field label="Weeks" name="weeks" type="number" inputMode="numeric" required min={1} max={52} defaultValue={text("weeks")} errors={errors.weeks} />
        <Field
          label="Capacity"
          name="capacity"
          type="number"
          inputMode="numeric"
          required
          min={1}
          max={500}
          defaultValue={text("capacity")}
          errors={errors.capacity}
        />
      </div>
      <fieldset className="mb-4" aria-describedby="registration-hint">
        <legend className="font-medium">Self-registration</legend>
        <p id="registration-hint" className="mb-1 text-sm text-slate-600">
          The days (inclusive, studio dates) clients may join themselves. Leave both blank if only coaches add members; a blank closing date means until the
          programme's last day.
        </p>
        <div className="grid gap-x-4 sm:grid-cols-2">
          <Field label="Opens on" name="registrationOpensOn" type="date" defaultValue={text("registrationOpensOn")} errors={errors.registrationOpensOn} />
          <Field label="Closes on" name="registrationClosesOn" type="date" defaultValue={text("registrationClosesOn")} errors={errors.registrationClosesOn} />
        </div>
        <label className="flex items-center gap-3">
          <input type="checkbox" name="isFree" defaultChecked={isFree} className="size-5" />
          Free: any client may join (no plan needed)
        </label>
      </fieldset>
      <fieldset className="mb-4" aria-describedby="planIds-hint">
        <legend className="font-medium">Plans whose holders may join</legend>
        <p id="planIds-hint" className="mb-1 text-sm text-slate-600">
          A client with an active membership of a ticked plan may join while registration is open.
        </p>
        {plans.length === 0 ? <p className="text-slate-600">There are no active plans.</p> : null}
        <div className="flex flex-wrap gap-2">
          {plans.map((plan) => (
            <label key={plan.id} className="flex min-h-11 items-center gap-2 rounded-md border border-slate-300 bg-white px-3">
              <input type="checkbox" name="planIds" value={plan.id} defaultChecked={ticked("planIds").includes(String(plan.id))} className="size-5" />
              {plan.name}
            </label>
          ))}
        </div>
        {errors.planIds ? <p className="field-error">{errors.planIds.join(" ")}</p> : null}
      </fieldset>
      {coaches ? (
        <fieldset className="mb-4" aria-describedby="coachIds-hint">
          <legend className="font-medium">Coaches</legend>
          <p id="coachIds-hint" className="mb-1 text-sm text-slate-600">
            At least one. A coach who creates a cohort always coaches it.
          </p>
          <div className="flex flex-wrap gap-2">
            {coaches.map((coach) => (
              <label key={coach.id} className="flex min-h-11 items-center gap-2 rounded-md border border-slate-300 bg-white px-3">
                <input type="checkbox" name="coachIds" value={coach.id} defaultChecked={ticked("coachIds").includes(String(coach.id))} className="size-5" />
                {coach.name}
              </label>
            ))}
          </div>
          {errors.coachIds ? <p className="field-error">{errors.coachIds.join(" ")}</p> : null}
        </fieldset>
      ) : null}
      {copyFrom?.length ? (
        <SelectField
          label="Copy the programme of"
          name="copyFromCohortId"
          placeholder="Nothing: start empty"
          hint="Copies its weekly questionnaires (the weeks that fit) and its check-in settings."
          options={copyFrom.map((c) => ({ value: c.id, label: `${c.name} (${c.weeks} weeks)` }))}
          defaultValue={values ? (valueOf(values, "copyFromCohortId") ?? "") : ""}
          errors={errors.copyFromCohortId}
        />
      ) : null}
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  );
}
