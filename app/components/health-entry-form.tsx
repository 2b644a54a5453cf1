import { Form, Link } from "@remix-run/react";
import { Field } from "~/components/field";
import { HEALTH_METRICS, METRIC_LABELS, type HealthMetric, type WeightUnit } from "~/modules/health/health.rules";
import { valueOf, type FieldErrors, type FormValues } from "~/utils/forms";

type Props = {
  intent: "record" | "update";
  unit: WeightUnit;
  /** The studio's today: the latest date allowed. */
  today: string;
  /** Metrics the client's cohort asks for: shown first and marked; the rest go under "More". */
  askedMetrics: HealthMetric[];
  askedHint?: string;
  /** Starting values, or what was typed when the post was refused. */
  values?: FormValues;
  fieldErrors?: FieldErrors;
  formError?: string;
  /** Where the existing entry of a refused date can be edited, if the reader may. */
  existingEntryHref?: string | null;
  submitLabel: string;
  legend?: string;
  dateHint?: string;
};

const DECIMAL = { type: "number", inputMode: "decimal", step: "any" } as const;
const WHOLE = { type: "number", inputMode: "numeric", step: 1 } as const;

/** The inputs of a metric other than weight. */
const INPUTS: Record<Exclude<HealthMetric, "weightKg">, { label: string; props: Record<string, string | number> }> = {
  bodyFatPct: { label: "Body fat (%)", props: { ...DECIMAL, min: 2, max: 70 } },
  waistCm: { label: "Waist (cm)", props: { ...DECIMAL, min: 30, max: 250 } },
  sleepHours: { label: "Sleep (hours last night)", props: { ...DECIMAL, min: 0, max: 24 } },
  steps: { label: "Steps", props: { ...WHOLE, min: 0, max: 200000 } },
  energy: { label: "Energy (1 to 10)", props: { ...WHOLE, min: 1, max: 10 } },
  mood: { label: "Mood (1 to 10)", props: { ...WHOLE, min: 1, max: 10 } },
};

const WEIGHT_FIELDS = ["weightKg", "weightStones", "weightPounds"];
const fieldsOf = (metric: HealthMetric) => (metric === "weightKg" ? WEIGHT_FIELDS : [metric]);

/** A health check-in: the date, the measurements (weight in the client's unit) and a note. Works without JavaScript. */
export function HealthEntryForm({
  intent,
  unit,
  today,
  askedMetrics,
  askedHint = "Asked by your cohort",
  values,
  fieldErrors = {},
  formError,
  existingEntryHref,
  submitLabel,
  legend,
  dateHint,
}: Props) {
  const asked = HEALTH_METRICS.filter((metric) => askedMetrics.includes(metric));
  const others = HEALTH_METRICS.filter((metric) => !askedMetrics.includes(metric));
  // Open "More" when it holds something typed or refused, so nothing is hidden after a 400.
  const moreOpen = others.some((metric) => fieldsOf(metric).some((field) => valueOf(values, field) || fieldErrors[field]));
  const metricInput = (metric: HealthMetric, hint?: string) => (
    <MetricInput key={metric} metric={metric} unit={unit} values={values} fieldErrors={fieldErrors} hint={hint} />
  );
  return (
    <Form method="post" aria-label={legend ?? submitLabel}>
      <input type="hidden" name="intent" value={intent} />
      {formError ? (
        <div role="alert" className="mb-4 rounded-md border border-red-300 bg-red-50 p-3 font-medium text-red-900">
          {formError}
          {existingEntryHref ? (
            <>
              {" "}
              <Link to={existingEntryHref}>Edit that entry</Link>
            </>
          ) : null}
        </div>
      ) : null}
      <Field
        label="Date"
        name="date"
        type="date"
        max={today}
        min="1900-01-01"
        required
        defaultValue={valueOf(values, "date") ?? today}
        errors={fieldErrors.date}
        hint={dateHint}
      />
      {asked.length ? (
        <>
          {asked.map((metric) => metricInput(metric, askedHint))}
          <details className="mb-4" open={moreOpen}>
            <summary className="mb-3 cursor-pointer font-semibold">More measurements</summary>
            {others.map((metric) => metricInput(metric))}
          </details>
        </>
      ) : (
        HEALTH_METRICS.map((metric) => metricInput(metric))
      )}
      <div className="mb-4">
        <label htmlFor="note" className="mb-1 block font-medium">
          Note
        </label>
        <textarea
          id="note"
          name="note"
          rows={3}
          maxLength={2000}
          className="field-input"
          defaultValue={valueOf(values, "note") ?? ""}
          aria-invalid={fieldErrors.note?.length ? true : undefined}
          aria-describedby={fieldErrors.note?.length ? "note-error" : undefined}
        />
        {fieldErrors.note?.length ? (
          <p id="note-error" className="field-error">
            {fieldErrors.note.join(" ")}
          </p>
        ) : null}
      </div>
      <p className="mb-3 text-sm text-slate-600">Fill in what you have: any one measurement or a note is enough.</p>
      <button type="submit" className="btn-primary">
        {submitLabel}
      </button>
    </Form>
  );
}

function MetricInput({
  metric,
  unit,
  values,
  fieldErrors,
  hint,
}: {
  metric: HealthMetric;
  unit: WeightUnit;
  values?: FormValues;
  fieldErrors: FieldErrors;
  hint?: string;
}) {
  if (metric === "weightKg" && unit === "ST_LB") {
    return (
      <fieldset className="mb-4">
        <legend className="mb-1 font-medium">
          {METRIC_LABELS.weightKg}
          {hint ? <span className="ml-2 text-sm font-normal text-slate-600">({hint})</span> : null}
        </legend>
        <div className="grid grid-cols-2 gap-3">
          <Field
            label="Stones"
            name="weightStones"
            {...WHOLE}
            min={0}
            max={63}
            defaultValue={valueOf(values, "weightStones") ?? ""}
            errors={fieldErrors.weightStones}
          />
          <Field
            label="Pounds"
            name="weightPounds"
            {...DECIMAL}
            min={0}
            max={13.9}
            defaultValue={valueOf(values, "weightPounds") ?? ""}
            errors={fieldErrors.weightPounds}
          />
        </div>
      </fieldset>
    );
  }
  if (metric === "weightKg") {
    return (
      <Field
        label="Weight (kg)"
        name="weightKg"
        {...DECIMAL}
        min={20}
        max={400}
        hint={hint}
        defaultValue={valueOf(values, "weightKg") ?? ""}
        errors={fieldErrors.weightKg}
      />
    );
  }
  const input = INPUTS[metric];
  return <Field label={input.label} name={metric} {...input.props} hint={hint} defaultValue={valueOf(values, metric) ?? ""} errors={fieldErrors[metric]} />;
}
