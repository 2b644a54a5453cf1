import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { AnswerField } from "~/components/questionnaire-answer-field";
import { QuestionnaireAnswers } from "~/components/questionnaire-answers";
import { requireUser } from "~/modules/auth/auth-session.server";
import { answerField, answerFormValue, answersFromForm } from "~/modules/cohorts/questionnaire.rules";
import { AnswerIntentSchema, WeekParamSchema } from "~/modules/cohorts/questionnaire.schema";
import { questionnaireForMember, saveDraft, submitQuestionnaire } from "~/modules/cohorts/questionnaires.service.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, submittedValues, valueOf, valuesOf } from "~/utils/forms";
import { badRequest, notFound, readFormData } from "~/utils/http.server";
import { formatDate, formatDateTime } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.bundle.title ?? "Questionnaire"} · Centurion` }];

const NOT_FOUND = "We could not find that questionnaire.";

function weekParam(raw: string | undefined): number {
  const week = WeekParamSchema.safeParse(raw);
  if (!week.success) notFound(NOT_FOUND);
  return week.data;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const q = await questionnaireForMember(getEm(), user, weekParam(params.week));
  if (!q) notFound(NOT_FOUND);
  return json({
    cohort: q.cohort,
    week: q.week,
    bundle: q.bundle,
    response: q.response
      ? {
          status: q.response.status,
          answers: q.response.answers,
          submittedAt: q.response.submittedAt ? formatDateTime(q.response.submittedAt, q.zone) : null,
          savedAt: formatDateTime(q.response.updatedAt, q.zone),
        }
      : null,
    window: { state: q.window.state, opensOn: formatDate(q.window.opensOn, q.zone), closesOn: formatDate(q.window.closesOn, q.zone) },
    lockedReason: q.lockedReason,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const week = weekParam(params.week);
  const formData = await readFormData(request);
  const intent = AnswerIntentSchema.safeParse({ intent: formData.get("intent") ?? undefined });
  if (!intent.success) return badRequest(formFailure({}, "Unknown action."));
  const em = getEm();
  const q = await questionnaireForMember(em, user, week);
  if (!q) notFound(NOT_FOUND);
  const raw = answersFromForm(q.bundle.questions, formData.entries());
  const save = intent.data.intent === "submit" ? submitQuestionnaire : saveDraft;
  const result = await save(em, user, week, raw);
  if (!result) notFound(NOT_FOUND);
  const listFields = q.bundle.questions.filter((question) => question.kind === "MULTIPLE_CHOICE").map((question) => answerField(question.id));
  if (!result.ok) return badRequest(formFailure(submittedValues(formData, listFields), result));
  return redirectWithFlash(`/client/cohort/questionnaire/${week}`, {
    kind: "success",
    message: intent.data.intent === "submit" ? `Week ${week}'s answers are submitted. Thank you!` : "Draft saved. Submit it when you are ready.",
  });
}

export default function MemberQuestionnaire() {
  const { cohort, week, bundle, response, window, lockedReason } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const submitted = response?.status === "SUBMITTED";
  const valueFor = (questionId: string, multiple: boolean) => {
    if (failure) return multiple ? valuesOf(failure.values, answerField(questionId)) : (valueOf(failure.values, answerField(questionId)) ?? "");
    return answerFormValue(response?.answers[questionId]);
  };
  return (
    <section aria-labelledby="questionnaire-title" className="max-w-3xl">
      <p className="mb-2">
        <Link to="/client/cohort">← {cohort.name}</Link>
      </p>
      <h1 id="questionnaire-title" className="mb-1 text-2xl font-bold">
        {bundle.title}
      </h1>
      <p className="mb-3 text-slate-700">
        Week {week} of {cohort.weeks} · open {window.opensOn} to {window.closesOn}
      </p>
      {bundle.intro ? <p className="mb-4 whitespace-pre-line">{bundle.intro}</p> : null}

      {lockedReason ? (
        <>
          <p role="status" className="card mb-4 font-medium">
            {submitted ? `Submitted on ${response?.submittedAt}. Your answers can no longer be changed.` : lockedReason}
          </p>
          {failure?.formError && !submitted ? <FormError message={failure.formError} /> : null}
          <section aria-labelledby="answers-title" className="card">
            <h2 id="answers-title" className="mb-2 text-xl font-bold">
              {response ? "Your answers" : "The questions"}
            </h2>
            {response && !submitted ? <p className="mb-2 text-sm text-slate-600">A draft, last saved {response.savedAt}; it was not submitted.</p> : null}
            <QuestionnaireAnswers questions={bundle.questions} answers={response?.answers ?? null} />
          </section>
        </>
      ) : (
        <Form method="post" noValidate className="card">
          <FormError message={failure?.formError} />
          {response ? <p className="mb-3 text-sm text-slate-600">Draft saved {response.savedAt}.</p> : null}
          {bundle.questions.map((question) => (
            <AnswerField
              key={question.id}
              question={question}
              value={valueFor(question.id, question.kind === "MULTIPLE_CHOICE")}
              errors={failure?.fieldErrors[question.id]}
            />
          ))}
          <p className="mb-3 text-sm text-slate-600">Once you submit, your answers are final: your coach reads them and they can no longer be changed.</p>
          <div className="flex flex-wrap gap-3">
            <button type="submit" name="intent" value="save" className="btn-secondary">
              Save draft
            </button>
            <button type="submit" name="intent" value="submit" className="btn-primary">
              Submit
            </button>
          </div>
        </Form>
      )}
    </section>
  );
}
