import { Form } from "@remix-run/react";
import type { FormFailure } from "~/utils/forms";
import { valueOf } from "~/utils/forms";
import { Field, FormError } from "./field";

type ClassTypeValues = {
  name: string;
  description: string | null;
  color: string;
  defaultCapacity: number;
  defaultDurationMins: number;
  bookingOpensDaysBefore: number | null;
  bookingClosesMinutesBefore: number | null;
};

/** The create and edit form of a class type; shows what was typed and the messages after a 400. */
export function ClassTypeForm({
  initial,
  failure,
  submitLabel,
  intent,
  studioDefaults,
}: {
  initial?: ClassTypeValues;
  failure?: FormFailure;
  submitLabel: string;
  intent: string;
  studioDefaults: { bookingOpensDaysBefore: number; bookingClosesMinutesBefore: number };
}) {
  const errors = failure?.fieldErrors ?? {};
  const value = (key: keyof ClassTypeValues, fallback = "") =>
    failure ? (valueOf(failure.values, key) ?? "") : initial?.[key] == null ? fallback : String(initial[key]);
  return (
    <Form method="post" noValidate className="card">
      <FormError message={failure?.formError ?? (failure ? "Please correct the fields marked below." : undefined)} />
      <input type="hidden" name="intent" value={intent} />
      <Field label="Name" name="name" required maxLength={60} defaultValue={value("name")} errors={errors.name} />
      <div className="mb-4">
        <label htmlFor="description" className="mb-1 block font-medium">
          Description <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <textarea id="description" name="description" rows={2} className="field-input" defaultValue={value("description")} />
        {errors.description ? <p className="field-error">{errors.description.join(" ")}</p> : null}
      </div>
      <Field
        label="Colour"
        name="color"
        hint="A hex colour, like #dc2626; used on the calendar."
        required
        defaultValue={value("color", "#1d4ed8")}
        errors={errors.color}
      />
      <div className="grid gap-x-4 sm:grid-cols-2">
        <Field
          label="Default capacity"
          name="defaultCapacity"
          type="number"
          inputMode="numeric"
          min={1}
          max={200}
          required
          defaultValue={value("defaultCapacity", "12")}
          errors={errors.defaultCapacity}
        />
        <Field
          label="Default duration (minutes)"
          name="defaultDurationMins"
          type="number"
          inputMode="numeric"
          min={5}
          max={600}
          required
          defaultValue={value("defaultDurationMins", "60")}
          errors={errors.defaultDurationMins}
        />
        <Field
          label="Registrations open (days before)"
          name="bookingOpensDaysBefore"
          type="number"
          inputMode="numeric"
          min={0}
          hint={`Blank: the studio default (${studioDefaults.bookingOpensDaysBefore} days).`}
          defaultValue={value("bookingOpensDaysBefore")}
          errors={errors.bookingOpensDaysBefore}
        />
        <Field
          label="Registrations close (minutes before)"
          name="bookingClosesMinutesBefore"
          type="number"
          inputMode="numeric"
          min={0}
          hint={`Blank: the studio default (${studioDefaults.bookingClosesMinutesBefore} minutes).`}
          defaultValue={value("bookingClosesMinutesBefore")}
          errors={errors.bookingClosesMinutesBefore}
        />
      </div>
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  );
}
