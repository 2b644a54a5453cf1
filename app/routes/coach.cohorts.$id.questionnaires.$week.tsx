import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CohortTabs } from "~/components/cohort-tabs";
import { FormError } from "~/components/field";
import { QuestionRowFields } from "~/components/questionnaire-builder";
import { requireCohortCoach } from "~/modules/cohorts/cohort-guard.server";
import { blankRow, QUESTIONNAIRE_LIMITS, questionRowsFromForm, rowsFromQuestions, type QuestionRow } from "~/modules/cohorts/questionnaire.rules";
import { BundleFormSchema, CopyNextSchema, WeekParamSchema } from "~/modules/cohorts/questionnaire.schema";
import { copyWeekToNext, getBundle, responsesForWeek, saveBundle } from "~/modules/cohorts/questionnaires.service.server";
import { getEm } from "~/modules/db.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf, type FormValues } from "~/utils/forms";
import { badRequestFor, notFound, readFormData } from "~/utils/http.server";
import { formatDateTime } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Week ${data?.week ?? ""} questionnaire · ${data?.cohort.name ?? "Cohort"} · Centurion` },
];

const BLANK_ROWS = 3;

/** The cohort (if the user coaches it) and a week of it from the address, or 404/403. */
async function coachedWeek(request: Request, params: { id?: string; week?: string }) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const week = WeekParamSchema.safeParse(params.week);
  if (!week.success || week.data > cohort.weeks) notFound("This programme has no such week.");
  return { cohort, week: week.data };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort, week } = await coachedWeek(request, params);
  const em = getEm();
  const [bundle, next, responses, settings] = await Promise.all([
    getBundle(em, cohort.id, week),
    week < cohort.weeks ? getBundle(em, cohort.id, week + 1) : null,
    responsesForWeek(em, cohort.id, week),
    getSettings(em),
  ]);
  return json({
    cohort: { id: cohort.id, name: cohort.name, weeks: cohort.weeks },
    week,
    bundle: bundle ? { title: bundle.title, intro: bundle.intro ?? "", questions: bundle.questions } : null,
    nextWeekBuilt: !!next,
    responses: responses.map((r) => ({
      ...r,
      submittedAt: r.submittedAt ? formatDateTime(r.submittedAt, settings.studioTimeZone) : null,
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { cohort, week } = await coachedWeek(request, params);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const em = getEm();
  if (intent === "save") {
    const form = parseForm(BundleFormSchema, formData);
    const rows = questionRowsFromForm(formData.entries());
    if (!form.ok) return badRequestFor("save", form);
    const result = await saveBundle(em, cohort, week, { title: form.data.title, intro: form.data.intro ?? null, rows });
    if (!result.ok) return badRequestFor("save", formFailure(submittedValues(formData), result));
    return redirectWithFlash(`/coach/cohorts/${cohort.id}/questionnaires/${week}`, {
      kind: "success",
      message: `Week ${week}'s questionnaire is saved (${result.bundle.questions.length} question${result.bundle.questions.length === 1 ? "" : "s"}).`,
    });
  }
  if (intent === "copy-next") {
    const form = parseForm(CopyNextSchema, formData);
    if (!form.ok) return badRequestFor("copy-next", form);
    const result = await copyWeekToNext(em, cohort, form.data.week, { replace: form.data.replace });
    if (!result.ok) return badRequestFor("copy-next", formFailure(submittedValues(formData), result));
    const next = form.data.week + 1;
    return redirectWithFlash(`/coach/cohorts/${cohort.id}/questionnaires/${next}`, {
      kind: "success",
      message: `Week ${form.data.week}'s questionnaire is copied to week ${next}${result.replaced ? ", replacing what was there" : ""}.`,
    });
  }
  return badRequestFor("unknown", formFailure({}, "Unknown action."));
}

/** The rows to show: what was posted after a refused save, else the stored questions and a few blank rows. */
function rowsToShow(questions: QuestionRow[] | null, posted: FormValues | undefined): QuestionRow[] {
  if (posted)
    return questionRowsFromForm(
      Object.entries(posted).flatMap(([key, value]) => (Array.isArray(value) ? value : [value]).map((v): [string, string] => [key, v])),
    );
  const rows = questions ?? [];
  const blanks = Math.min(BLANK_ROWS, QUESTIONNAIRE_LIMITS.questions - rows.length);
  return [...rows, ...Array.from({ length: Math.max(blanks, 0) }, (_, i) => blankRow(String(rows.length + i), rows.length + i + 1))];
}

export default function QuestionnaireBuilder() {
  const { cohort, week, bundle, nextWeekBuilt, responses } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const saveFailure = failure?.intent === "save" ? failure : undefined;
  const copyFailure = failure && failure.intent !== "save" ? failure : undefined;
  const errors = saveFailure?.fieldErrors ?? {};
  const rows = rowsToShow(bundle ? rowsFromQuestions(bundle.questions) : null, saveFailure?.values);
  const title = saveFailure ? (valueOf(saveFailure.values, "title") ?? "") : (bundle?.title ?? `Week ${week} check-in`);
  const intro = saveFailure ? (valueOf(saveFailure.values, "intro") ?? "") : (bundle?.intro ?? "");
  const answered = responses.filter((r) => r.responseId !== null).length;
  return (
    <section aria-labelledby="builder-title">
      <p className="mb-2">
        <Link to={`/coach/cohorts/${cohort.id}/questionnaires`}>← All weeks</Link>
      </p>
      <h1 id="builder-title" className="mb-3 text-2xl font-bold">
        {cohort.name}: week {week} questionnaire
      </h1>
      <CohortTabs cohortId={cohort.id} cohortName={cohort.name} />

      <Form method="post" noValidate aria-labelledby="builder-form-title" className="mb-6 max-w-3xl">
        <h2 id="builder-form-title" className="mb-2 text-xl font-bold">
          {bundle ? "Questions" : "Build this week's questionnaire"}
        </h2>
        <FormError message={saveFailure ? (saveFailure.formError ?? "Please correct the fields marked below.") : undefined} />
        {answered > 0 ? (
          <p className="mb-3 rounded-md border border-amber-300 bg-amber-50 p-3">
            {answered} member{answered === 1 ? " has" : "s have"} started or submitted this week. Answers stay with their question while you reword it; changing
            a question's kind or options may leave an answer that no longer fits.
          </p>
        ) : null}
        <div className="card mb-3">
          <div className="mb-3">
            <label htmlFor="title" className="mb-1 block font-medium">
              Title
            </label>
            <input
              id="title"
              name="title"
              className="field-input"
              maxLength={120}
              defaultValue={title}
              aria-invalid={errors.title?.length ? true : undefined}
              aria-describedby={errors.title?.length ? "title-error" : undefined}
            />
            {errors.title?.length ? (
              <p id="title-error" className="field-error">
                {errors.title.join(" ")}
              </p>
            ) : null}
          </div>
          <div>
            <label htmlFor="intro" className="mb-1 block font-medium">
              Introduction <span className="font-normal text-slate-600">(optional)</span>
            </label>
            <textarea
              id="intro"
              name="intro"
              rows={2}
              className="field-input"
              defaultValue={intro}
              aria-invalid={errors.intro?.length ? true : undefined}
              aria-describedby={errors.intro?.length ? "intro-error" : undefined}
            />
            {errors.intro?.length ? (
              <p id="intro-error" className="field-error">
                {errors.intro.join(" ")}
              </p>
            ) : null}
          </div>
        </div>
        {errors.questions?.length ? (
          <p role="alert" className="field-error mb-3">
            {errors.questions.join(" ")}
          </p>
        ) : null}
        {rows.map((row, index) => (
          <QuestionRowFields key={row.key} row={row} number={index + 1} errors={errors} />
        ))}
        <p className="mb-3 text-sm text-slate-600">
          Blank new rows are left out. Need more rows? Save, and three new ones appear (up to {QUESTIONNAIRE_LIMITS.questions} questions).
        </p>
        <button type="submit" name="intent" value="save" className="btn-primary">
          Save week {week}
        </button>
      </Form>

      {bundle && week < cohort.weeks ? (
        <Form method="post" className="card mb-6 max-w-3xl" aria-labelledby="copy-title">
          <h2 id="copy-title" className="mb-2 text-xl font-bold">
            Copy to week {week + 1}
          </h2>
          <FormError message={copyFailure ? (copyFailure.formError ?? Object.values(copyFailure.fieldErrors).flat().join(" ")) : undefined} />
          <input type="hidden" name="week" value={week} />
          {nextWeekBuilt ? (
            <label htmlFor="replace" className="mb-2 flex items-center gap-2">
              <input id="replace" type="checkbox" name="replace" />
              Replace week {week + 1}'s questionnaire (it has one already)
            </label>
          ) : null}
          <button type="submit" name="intent" value="copy-next" className="btn-secondary">
            Copy week {week} to week {week + 1}
          </button>
        </Form>
      ) : null}

      <section aria-labelledby="responses-title" className="card max-w-3xl">
        <h2 id="responses-title" className="mb-2 text-xl font-bold">
          Members' answers
        </h2>
        {responses.length === 0 ? (
          <p>This cohort has no members yet.</p>
        ) : (
          <table className="w-full text-left">
            <thead>
              <tr className="border-b border-slate-200">
                <th scope="col" className="py-2 pr-3">
                  Member
                </th>
                <th scope="col" className="py-2">
                  Status
                </th>
              </tr>
            </thead>
            <tbody>
              {responses.map((r) => (
                <tr key={r.userId} className="border-b border-slate-100">
                  <th scope="row" className="py-2 pr-3 font-normal">
                    {r.responseId ? <Link to={`/coach/cohorts/${cohort.id}/responses/${r.responseId}`}>{r.name}</Link> : r.name}
                  </th>
                  <td className="py-2">{r.status === "SUBMITTED" ? `Submitted ${r.submittedAt}` : r.status === "DRAFT" ? "Draft" : "Not started"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </section>
  );
}
