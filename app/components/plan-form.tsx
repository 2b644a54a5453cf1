import { Form } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { FormFailure } from "~/utils/forms";
import { valueOf, valuesOf } from "~/utils/forms";
import { Field, FormError } from "./field";

export type PlanValues = {
  name: string;
  description: string | null;
  type: "RECURRING" | "PACK" | "PREPAID";
  price: string;
  sessionsPerWeek: number | null;
  commitmentMonths: number | null;
  totalSessions: number | null;
  durationDays: number | null;
  lateCancelCutoffHours: number | null;
  allowRepeatPurchase: boolean;
  purchasableByClient: boolean;
  penaltySystemEnabled: boolean;
  classTypeIds: number[];
};

const TYPES = [
  { value: "RECURRING", label: "Recurring (monthly subscription)" },
  { value: "PACK", label: "Pack (a number of sessions)" },
  { value: "PREPAID", label: "Prepaid (a number of days)" },
] as const;

/**
 * The plan form. Without JavaScript all three types' fieldsets show, each labelled, and the server
 * uses the chosen type's; with JavaScript only the chosen type's fieldset shows.
 */
export function PlanForm({
  initial,
  failure,
  classTypes,
  submitLabel,
  intent,
}: {
  initial?: PlanValues;
  failure?: FormFailure;
  classTypes: { id: number; name: string }[];
  submitLabel: string;
  intent: string;
}) {
  const errors = failure?.fieldErrors ?? {};
  const text = (key: keyof PlanValues, fallback = "") =>
    failure ? (valueOf(failure.values, key) ?? "") : initial?.[key] == null ? fallback : String(initial[key]);
  const checked = (key: "allowRepeatPurchase" | "purchasableByClient" | "penaltySystemEnabled", fallback: boolean) =>
    failure ? valueOf(failure.values, key) === "on" : (initial?.[key] ?? fallback);
  const chosenClassTypes = failure ? valuesOf(failure.values, "classTypeIds") : (initial?.classTypeIds ?? []).map(String);
  const [type, setType] = useState(text("type", "RECURRING"));
  const [enhanced, setEnhanced] = useState(false);
  useEffect(() => setEnhanced(true), []);
  const hide = (fieldsetType: string) => enhanced && type !== fieldsetType;

  return (
    <Form method="post" noValidate className="card">
      <FormError message={failure?.formError ?? (failure ? "Please correct the fields marked below." : undefined)} />
      <input type="hidden" name="intent" value={intent} />
      <Field label="Name" name="name" required maxLength={100} defaultValue={text("name")} errors={errors.name} />
      <div className="mb-4">
        <label htmlFor="description" className="mb-1 block font-medium">
          What it includes <span className="font-normal text-slate-600">(optional)</span>
        </label>
        <textarea id="description" name="description" rows={2} className="field-input" defaultValue={text("description")} />
      </div>
      <div className="mb-4">
        <label htmlFor="type" className="mb-1 block font-medium">
          Type
        </label>
        <select id="type" name="type" className="field-input" value={type} onChange={(e) => setType(e.currentTarget.value)}>
          {TYPES.map((t) => (
            <option key={t.value} value={t.value}>
              {t.label}
            </option>
          ))}
        </select>
        {errors.type ? <p className="field-error">{errors.type.join(" ")}</p> : null}
      </div>
      <Field
        label="Price (£)"
        name="price"
        inputMode="decimal"
        required
        hint="Per month for recurring plans; once for packs and prepaid passes."
        defaultValue={text("price")}
        errors={errors.price}
      />

      <Field
        label="Sessions a week"
        name="sessionsPerWeek"
        type="number"
        inputMode="numeric"
        min={1}
        max={14}
        hint="The most classes it books in a studio week (Monday to Sunday). Blank: no weekly limit for packs and prepaid passes; coaching only (books no classes) for recurring plans."
        defaultValue={text("sessionsPerWeek")}
        errors={errors.sessionsPerWeek}
      />
      <fieldset className="mb-4 rounded-md border border-slate-300 p-3" hidden={hide("RECURRING")}>
        <legend className="px-1 font-semibold">Recurring plans only</legend>
        <Field
          label="Commitment (months)"
          name="commitmentMonths"
          type="number"
          inputMode="numeric"
          min={1}
          max={36}
          hint="Optional."
          defaultValue={text("commitmentMonths")}
          errors={errors.commitmentMonths}
        />
      </fieldset>
      <fieldset className="mb-4 rounded-md border border-slate-300 p-3" hidden={hide("PACK")}>
        <legend className="px-1 font-semibold">Packs only</legend>
        <Field
          label="Sessions in the pack"
          name="totalSessions"
          type="number"
          inputMode="numeric"
          min={1}
          max={500}
          defaultValue={text("totalSessions")}
          errors={errors.totalSessions}
        />
      </fieldset>
      <fieldset className="mb-4 rounded-md border border-slate-300 p-3" hidden={hide("PREPAID")}>
        <legend className="px-1 font-semibold">Prepaid passes only</legend>
        <Field
          label="Days of access"
          name="durationDays"
          type="number"
          inputMode="numeric"
          min={1}
          max={730}
          defaultValue={text("durationDays")}
          errors={errors.durationDays}
        />
      </fieldset>

      <Field
        label="Late-cancel cut-off (hours)"
        name="lateCancelCutoffHours"
        type="number"
        inputMode="numeric"
        min={0}
        max={168}
        hint="Blank: the studio default."
        defaultValue={text("lateCancelCutoffHours")}
        errors={errors.lateCancelCutoffHours}
      />

      <fieldset className="mb-4" aria-describedby="classTypeIds-hint">
        <legend className="font-medium">Classes it books</legend>
        <p id="classTypeIds-hint" className="mb-1 text-sm text-slate-600">
          Tick none for every class type.
        </p>
        <div className="flex flex-wrap gap-2">
          {classTypes.map((c) => (
            <label key={c.id} className="flex min-h-11 items-center gap-2 rounded-md border border-slate-300 bg-white px-3">
              <input type="checkbox" name="classTypeIds" value={c.id} defaultChecked={chosenClassTypes.includes(String(c.id))} className="size-5" />
              {c.name}
            </label>
          ))}
        </div>
        {errors.classTypeIds ? <p className="field-error">{errors.classTypeIds.join(" ")}</p> : null}
      </fieldset>

      <fieldset className="mb-4 space-y-2">
        <legend className="font-medium">Rules</legend>
        {(
          [
            ["purchasableByClient", "Clients can buy it themselves (otherwise admin only)", true],
            ["allowRepeatPurchase", "Can be bought again", true],
            ["penaltySystemEnabled", "Penalty system", false],
          ] as const
        ).map(([name, label, fallback]) => (
          <label key={name} className="flex items-center gap-3">
            <input type="checkbox" name={name} defaultChecked={checked(name, fallback)} className="size-5" />
            {label}
          </label>
        ))}
      </fieldset>
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  );
}
