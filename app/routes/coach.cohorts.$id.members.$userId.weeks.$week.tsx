import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CohortTabs } from "~/components/cohort-tabs";
import { CheckInTable } from "~/components/compliance-checkins";
import { FormError } from "~/components/field";
import { AnswerList } from "~/components/feedback-answers";
import { FeedbackForm, NoteForm } from "~/components/feedback-form";
import { FeedbackFormSchema, NoteFormSchema } from "~/modules/coaching/coaching.schema";
import { addCoachNote, cohortMember, memberWeek, saveFeedback } from "~/modules/coaching/review.service.server";
import { requireCohortCoach } from "~/modules/cohorts/cohort-guard.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm } from "~/utils/forms";
import { badRequestFor, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.member.name ?? "Member"}, week ${data?.week ?? ""} · Centurion` }];

const NOT_HERE = "We could not find that week for this member of the cohort.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const week = await memberWeek(getEm(), cohort, idParam(params.userId, "that member"), idParam(params.week, "that week"));
  if (!week) notFound(NOT_HERE);
  return json({ cohort: { id: cohort.id, name: cohort.name, weeks: cohort.weeks }, ...week });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, cohort } = await requireCohortCoach(request, params.id);
  const userId = idParam(params.userId, "that member");
  const week = idParam(params.week, "that week");
  const here = `/coach/cohorts/${cohort.id}/members/${userId}/weeks/${week}`;
  const em = getEm();
  if (!(await cohortMember(em, cohort.id, userId))) notFound(NOT_HERE);
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  if (intent === "save-feedback" || intent === "publish-feedback") {
    const form = parseForm(FeedbackFormSchema, formData);
    if (!form.ok) return badRequestFor(intent, form);
    const saved = await saveFeedback(em, { cohort, userId, week, coachId: user.id, body: form.data.body, publish: intent === "publish-feedback" });
    if (!saved) notFound(NOT_HERE);
    const message = {
      DRAFT: `Draft saved. ${saved.memberName} will see it once you publish it.`,
      PUBLISHED: `Feedback published. ${saved.memberName} has been notified.`,
      UPDATED: `Published feedback updated. ${saved.memberName} now reads the new text.`,
    }[saved.state];
    return redirectWithFlash(here, { kind: "success", message });
  }
  if (intent === "add-note") {
    const form = parseForm(NoteFormSchema, formData);
    if (!form.ok) return badRequestFor(intent, form);
    const added = await addCoachNote(em, { cohort, userId, week, coachId: user.id, body: form.data.body });
    if (!added) notFound(NOT_HERE);
    return redirectWithFlash(here, { kind: "success", message: "Note added. Only coaches can read it." });
  }
  return badRequestFor("unknown", formFailure({}, "Unknown action."));
}

export default function MemberWeek() {
  const { cohort, member, week, label, current, checkIns, questionnaire, feedback, notes } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const base = `/coach/cohorts/${cohort.id}/members/${member.id}`;
  const response = questionnaire?.response;
  return (
    <section aria-labelledby="week-title">
      <p className="mb-2">
        <Link to={base}>← {member.name}</Link> · <Link to={`/coach/cohorts/${cohort.id}/review`}>Review of {cohort.name}</Link>
      </p>
      <h1 id="week-title" className="text-2xl font-bold">
        {member.name}, week {week} of {cohort.weeks}
        {current ? " (this week)" : ""}
      </h1>
      <p className="mb-3 text-slate-700">{label}</p>
      <CohortTabs cohortId={cohort.id} cohortName={cohort.name} />
      {failure?.intent === "unknown" ? <FormError message={failure.formError} /> : null}
      <nav aria-label="Other weeks" className="mb-4 flex gap-3">
        {week > 1 ? <Link to={`${base}/weeks/${week - 1}`}>← Week {week - 1}</Link> : null}
        {!current && week < cohort.weeks ? <Link to={`${base}/weeks/${week + 1}`}>Week {week + 1} →</Link> : null}
      </nav>

      <div className="grid gap-6 lg:grid-cols-2">
        <div className="space-y-6">
          <section aria-labelledby="checkins-title" className="card">
            <h2 id="checkins-title" className="mb-2 text-xl font-bold">
              Check-ins
            </h2>
            <CheckInTable
              rows={checkIns}
              weightUnit={member.weightUnit}
              caption={`Check-ins of ${member.name} in week ${week}, with the change since the previous one`}
            />
            <p className="mt-2 text-sm">
              <Link to={`/coach/clients/${member.id}/health`}>All health data</Link>
            </p>
          </section>

          <section aria-labelledby="answers-title" className="card">
            <h2 id="answers-title" className="mb-2 text-xl font-bold">
              Questionnaire
            </h2>
            {!questionnaire ? (
              <p>This week has no questionnaire.</p>
            ) : response?.status === "SUBMITTED" ? (
              <>
                <p className="mb-3 text-sm text-slate-600">
                  {questionnaire.title} · submitted {response.submittedLabel} ·{" "}
                  <Link to={`/coach/cohorts/${cohort.id}/responses/${response.id}`}>Correct an answer</Link>
                </p>
                <AnswerList questions={questionnaire.questions} answers={response.answers} correctedIds={response.correctedIds} />
              </>
            ) : (
              <p>{response ? "A draft is saved but not submitted yet." : "Not answered yet."}</p>
            )}
          </section>
        </div>

        <div className="space-y-6">
          <section aria-labelledby="feedback-title" className="card">
            <h2 id="feedback-title" className="mb-2 text-xl font-bold">
              Weekly feedback
            </h2>
            <FeedbackForm memberName={member.name} feedback={feedback} failure={failure} />
          </section>

          <section aria-labelledby="notes-title" className="card">
            <h2 id="notes-title" className="mb-1 text-xl font-bold">
              Private notes
            </h2>
            <p className="mb-3 text-sm text-slate-600">Only coaches see these; {member.name} never does.</p>
            {notes.length ? (
              <ul className="mb-4 divide-y divide-slate-200">
                {notes.map((note) => (
                  <li key={note.id} className="py-2">
                    <p className="whitespace-pre-line">{note.body}</p>
                    <p className="text-xs text-slate-600">
                      {note.author}, {note.atLabel}
                    </p>
                  </li>
                ))}
              </ul>
            ) : (
              <p className="mb-4">No notes on this week.</p>
            )}
            <NoteForm failure={failure} />
          </section>
        </div>
      </div>
    </section>
  );
}
