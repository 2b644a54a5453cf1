import { answerField, QUESTIONNAIRE_LIMITS, type Question } from "~/modules/cohorts/questionnaire.rules";

const SCALE = Array.from({ length: QUESTIONNAIRE_LIMITS.scaleMax - QUESTIONNAIRE_LIMITS.scaleMin + 1 }, (_, i) => String(QUESTIONNAIRE_LIMITS.scaleMin + i));

function RequiredMark({ required }: { required: boolean }) {
  return <span className="font-normal text-slate-600"> {required ? "(required)" : "(optional)"}</span>;
}

function FieldErrorText({ id, errors }: { id: string; errors?: string[] }) {
  return errors?.length ? (
    <p id={id} className="field-error">
      {errors.join(" ")}
    </p>
  ) : null;
}

/**
 * The input a question asks for, named `answer.<questionId>`: a text area, a number with its unit, a 1–10
 * radio scale, radios, or checkboxes. `value` is what to show (a list for checkboxes); `idPrefix` keeps
 * ids unique when several forms on a page show the same question.
 */
export function AnswerField({
  question,
  value,
  errors,
  idPrefix = "answer",
}: {
  question: Question;
  value: string | string[];
  errors?: string[];
  idPrefix?: string;
}) {
  const name = answerField(question.id);
  const id = `${idPrefix}-${question.id}`;
  const errorId = `${id}-error`;
  const invalid = errors?.length ? true : undefined;
  const describedBy = invalid ? errorId : undefined;
  const single = Array.isArray(value) ? (value[0] ?? "") : value;

  if (question.kind === "TEXT" || question.kind === "NUMBER") {
    return (
      <div className="mb-5">
        <label htmlFor={id} className="mb-1 block font-medium">
          {question.prompt}
          <RequiredMark required={question.required} />
        </label>
        {question.kind === "TEXT" ? (
          <textarea
            id={id}
            name={name}
            rows={3}
            maxLength={QUESTIONNAIRE_LIMITS.text}
            className="field-input"
            defaultValue={single}
            aria-required={question.required || undefined}
            aria-invalid={invalid}
            aria-describedby={describedBy}
          />
        ) : (
          <span className="flex items-center gap-2">
            <input
              id={id}
              name={name}
              type="text"
              inputMode="decimal"
              className="field-input max-w-40"
              defaultValue={single}
              aria-required={question.required || undefined}
              aria-invalid={invalid}
              aria-describedby={describedBy}
            />
            {question.unit ? <span>{question.unit}</span> : null}
          </span>
        )}
        <FieldErrorText id={errorId} errors={errors} />
      </div>
    );
  }

  const multiple = question.kind === "MULTIPLE_CHOICE";
  const choices = question.kind === "SCALE" ? SCALE : (question.options ?? []);
  const picked = Array.isArray(value) ? value : value === "" ? [] : [value];
  return (
    <fieldset className="mb-5" aria-describedby={describedBy}>
      <legend className="mb-1 font-medium">
        {question.prompt}
        <RequiredMark required={question.required} />
      </legend>
      {question.kind === "SCALE" ? <p className="mb-1 text-sm text-slate-600">1 is the lowest, 10 the highest.</p> : null}
      {multiple ? <p className="mb-1 text-sm text-slate-600">Tick all that apply.</p> : null}
      <div className={question.kind === "SCALE" ? "flex flex-wrap gap-3" : "space-y-1"}>
        {choices.map((choice, index) => (
          <label key={choice} htmlFor={`${id}-${index}`} className="flex items-center gap-2">
            <input id={`${id}-${index}`} type={multiple ? "checkbox" : "radio"} name={name} value={choice} defaultChecked={picked.includes(choice)} />
            {choice}
          </label>
        ))}
      </div>
      <FieldErrorText id={errorId} errors={errors} />
    </fieldset>
  );
}
