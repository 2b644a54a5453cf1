import { KIND_LABELS, QUESTION_KINDS, QUESTIONNAIRE_LIMITS, rowField, type QuestionRow } from "~/modules/cohorts/questionnaire.rules";

type Errors = Record<string, string[] | undefined>;

function ErrorText({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <p id={id} className="field-error">
      {errors.join(" ")}
    </p>
  ) : null;
}

/**
 * One question of the builder as plain inputs (`questions.<key>.<field>`), so the whole set posts in one
 * form without JavaScript. A stored question carries its id in a hidden field, which keeps its answers linked.
 */
export function QuestionRowFields({ row, number, errors }: { row: QuestionRow; number: number; errors: Errors }) {
  const id = (field: keyof Omit<QuestionRow, "key">) => `q-${row.key}-${field}`;
  const name = (field: keyof Omit<QuestionRow, "key">) => rowField(row.key, field);
  const errorsOf = (field: keyof Omit<QuestionRow, "key">) => errors[name(field)];
  const described = (field: keyof Omit<QuestionRow, "key">) => (errorsOf(field)?.length ? `${id(field)}-error` : undefined);
  const isNew = !row.id;
  return (
    <fieldset className="card mb-3">
      <legend className="px-1 font-semibold">{isNew ? `New question (row ${number})` : `Question ${number}`}</legend>
      {row.id ? <input type="hidden" name={name("id")} value={row.id} /> : null}
      <div className="mb-3">
        <label htmlFor={id("prompt")} className="mb-1 block font-medium">
          Question
        </label>
        <input
          id={id("prompt")}
          name={name("prompt")}
          className="field-input"
          maxLength={QUESTIONNAIRE_LIMITS.prompt}
          defaultValue={row.prompt}
          aria-invalid={errorsOf("prompt")?.length ? true : undefined}
          aria-describedby={described("prompt")}
        />
        <ErrorText id={`${id("prompt")}-error`} errors={errorsOf("prompt")} />
      </div>
      <div className="grid gap-x-4 sm:grid-cols-3">
        <div className="mb-3">
          <label htmlFor={id("kind")} className="mb-1 block font-medium">
            Kind
          </label>
          <select
            id={id("kind")}
            name={name("kind")}
            className="field-input"
            defaultValue={row.kind}
            aria-invalid={errorsOf("kind")?.length ? true : undefined}
            aria-describedby={described("kind")}
          >
            {QUESTION_KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {KIND_LABELS[kind]}
              </option>
            ))}
          </select>
          <ErrorText id={`${id("kind")}-error`} errors={errorsOf("kind")} />
        </div>
        <div className="mb-3">
          <label htmlFor={id("unit")} className="mb-1 block font-medium">
            Unit <span className="font-normal text-slate-600">(numbers only, optional)</span>
          </label>
          <input
            id={id("unit")}
            name={name("unit")}
            className="field-input"
            maxLength={QUESTIONNAIRE_LIMITS.unit}
            defaultValue={row.unit}
            aria-invalid={errorsOf("unit")?.length ? true : undefined}
            aria-describedby={described("unit")}
          />
          <ErrorText id={`${id("unit")}-error`} errors={errorsOf("unit")} />
        </div>
        <div className="mb-3">
          <label htmlFor={id("order")} className="mb-1 block font-medium">
            Position
          </label>
          <input
            id={id("order")}
            name={name("order")}
            type="number"
            inputMode="numeric"
            min={1}
            max={99}
            className="field-input"
            defaultValue={row.order}
            aria-describedby={`${id("order")}-hint`}
          />
          <p id={`${id("order")}-hint`} className="text-sm text-slate-600">
            Lower numbers come first.
          </p>
        </div>
      </div>
      <div className="mb-3">
        <label htmlFor={id("options")} className="mb-1 block font-medium">
          Options <span className="font-normal text-slate-600">(single and multiple choice: one per line, 2–{QUESTIONNAIRE_LIMITS.maxOptions})</span>
        </label>
        <textarea
          id={id("options")}
          name={name("options")}
          rows={3}
          className="field-input"
          defaultValue={row.options}
          aria-invalid={errorsOf("options")?.length ? true : undefined}
          aria-describedby={described("options")}
        />
        <ErrorText id={`${id("options")}-error`} errors={errorsOf("options")} />
      </div>
      <div className="flex flex-wrap gap-6">
        <label htmlFor={id("required")} className="flex items-center gap-2">
          <input id={id("required")} type="checkbox" name={name("required")} defaultChecked={row.required} />
          Required
        </label>
        {isNew ? null : (
          <label htmlFor={id("remove")} className="flex items-center gap-2 text-red-900">
            <input id={id("remove")} type="checkbox" name={name("remove")} defaultChecked={row.remove} />
            Remove this question
          </label>
        )}
      </div>
    </fieldset>
  );
}
