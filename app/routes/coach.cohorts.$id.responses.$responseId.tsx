import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CohortTabs } from "~/components/cohort-tabs";
import { FormError } from "~/components/field";
import { AnswerField } from "~/components/questionnaire-answer-field";
import { requireCohortCoach } from "~/modules/cohorts/cohort-guard.server";
import { answerField, answerFormValue, formatAnswer } from "~/modules/cohorts/questionnaire.rules";
import { CorrectionSchema } from "~/modules/cohorts/questionnaire.schema";
import { correctAnswer, responseForCoach } from "~/modules/cohorts/questionnaires.service.server";
import { getEm } from "~/modules/db.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf, valuesOf } from "~/utils/forms";
import { badRequestFor, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { formatDateTime } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.response.member.name}, week ${data.response.week} · ${data.cohort.name} · Centurion` : "Answers · Centurion" },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const em = getEm();
  const response = await responseForCoach(em, cohort.id, idParam(params.responseId, "those answers"));
  if (!response) notFound("We could not find those answers.");
  const zone = (await getSettings(em)).studioTimeZone;
  return json({
    cohort: { id: cohort.id, name: cohort.name },
    response: {
      ...response,
      submittedAt: response.submittedAt ? formatDateTime(response.submittedAt, zone) : null,
      updatedAt: formatDateTime(response.updatedAt, zone),
      corrections: response.corrections.map((c) => ({ ...c, at: formatDateTime(new Date(c.at), zone) })),
    },
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, cohort } = await requireCohortCoach(request, params.id);
  const responseId = idParam(params.responseId, "those answers");
  const formData = await readFormData(request);
  if (formData.get("intent") !== "correct") return badRequestFor("unknown", formFailure({}, "Unknown action."));
  const form = parseForm(CorrectionSchema, formData);
  if (!form.ok) return badRequestFor("correct", form);
  const { questionId } = form.data;
  const result = await correctAnswer(getEm(), {
    cohortId: cohort.id,
    responseId,
    questionId,
    values: formData.getAll(answerField(questionId)).filter((v): v is string => typeof v === "string"),
    by: { id: user.id, name: user.name },
  });
  if (!result) notFound("We could not find those answers.");
  if (!result.ok) return badRequestFor("correct", formFailure(submittedValues(formData, [answerField(questionId)]), result));
  return redirectWithFlash(`/coach/cohorts/${cohort.id}/responses/${responseId}`, {
    kind: "success",
    message: "The answer is corrected; the change is recorded below it.",
  });
}

export default function ResponseForCoach() {
  const { cohort, response } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const failedQuestion = failure?.intent === "correct" ? valueOf(failure.values, "questionId") : undefined;
  const { member, bundle } = response;
  return (
    <section aria-labelledby="response-title" className="max-w-3xl">
      <p className="mb-2">
        <Link to={`/coach/cohorts/${cohort.id}/questionnaires/${response.week}`}>← Week {response.week} questionnaire</Link>
      </p>
      <h1 id="response-title" className="mb-3 text-2xl font-bold">
        {member.name}: week {response.week}
      </h1>
      <CohortTabs cohortId={cohort.id} cohortName={cohort.name} />
      <div className="card mb-4">
        <h2 className="text-xl font-bold">{bundle.title}</h2>
        <p className="text-slate-700">
          {response.status === "SUBMITTED" ? `Submitted on ${response.submittedAt}.` : `Draft, last saved ${response.updatedAt}; not submitted yet.`}{" "}
          {member.email}
        </p>
      </div>
      {failure && failedQuestion === undefined ? <FormError message={failure.formError ?? "That did not work."} /> : null}
      <ol className="space-y-4">
        {bundle.questions.map((question, index) => {
          const mine = failedQuestion === question.id ? failure : undefined;
          const corrections = response.corrections.filter((c) => c.questionId === question.id);
          const posted = mine
            ? question.kind === "MULTIPLE_CHOICE"
              ? valuesOf(mine.values, answerField(question.id))
              : (valueOf(mine.values, answerField(question.id)) ?? "")
            : undefined;
          return (
            <li key={question.id} className="card">
              <h3 className="font-semibold">
                {index + 1}. {question.prompt}
              </h3>
              <p className="mb-2 whitespace-pre-line">{formatAnswer(question, response.answers[question.id])}</p>
              {corrections.length ? (
                <ul className="mb-2 text-sm text-slate-700" aria-label="Corrections">
                  {corrections.map((c, i) => (
                    <li key={i}>
                      Changed by {c.byName} on {c.at} (was {formatAnswer(question, c.before)})
                    </li>
                  ))}
                </ul>
              ) : null}
              <details open={!!mine}>
                <summary className="cursor-pointer text-sky-800">Correct this answer</summary>
                <Form method="post" noValidate className="mt-2">
                  {mine ? <FormError message={mine.formError} /> : null}
                  <input type="hidden" name="intent" value="correct" />
                  <input type="hidden" name="questionId" value={question.id} />
                  <AnswerField
                    question={question}
                    value={posted ?? answerFormValue(response.answers[question.id])}
                    errors={mine?.fieldErrors[question.id]}
                    idPrefix={`correct-${index}`}
                  />
                  <button type="submit" className="btn-secondary">
                    Save correction
                  </button>
                </Form>
              </details>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
