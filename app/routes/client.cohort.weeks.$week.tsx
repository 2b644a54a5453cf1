import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { CheckInTable } from "~/components/compliance-checkins";
import { AnswerList } from "~/components/feedback-answers";
import { FeedbackCard } from "~/components/feedback-card";
import { requireUser } from "~/modules/auth/auth-session.server";
import { clientCohortWeek } from "~/modules/coaching/client-cohort.server";
import { getEm } from "~/modules/db.server";
import { notFound } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Week ${data?.week ?? ""} · ${data?.cohort.name ?? "My cohort"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const week = await clientCohortWeek(getEm(), user.id, idParam(params.week, "that week"));
  if (!week) notFound("We could not find that week of your cohort.");
  return json(week);
}

export default function MyCohortWeek() {
  const { cohort, week, label, current, questionnaire, feedback, checkIns, weightUnit } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="week-title" className="max-w-3xl">
      <p className="mb-2">
        <Link to="/client/cohort">← {cohort.name}</Link>
      </p>
      <h1 id="week-title" className="text-2xl font-bold">
        Week {week} of {cohort.weeks}
        {current ? " (this week)" : ""}
      </h1>
      <p className="mb-4 text-slate-700">{label}</p>
      <nav aria-label="Other weeks" className="mb-4 flex gap-3">
        {week > 1 ? <Link to={`/client/cohort/weeks/${week - 1}`}>← Week {week - 1}</Link> : null}
        {!current && week < cohort.weeks ? <Link to={`/client/cohort/weeks/${week + 1}`}>Week {week + 1} →</Link> : null}
      </nav>

      <section aria-labelledby="feedback-title" className="mb-6">
        <h2 id="feedback-title" className="mb-2 text-xl font-bold">
          Your coach's feedback
        </h2>
        {feedback ? <FeedbackCard week={week} feedback={feedback} /> : <p className="card">No feedback on this week yet.</p>}
      </section>

      <section aria-labelledby="answers-title" className="card mb-6">
        <h2 id="answers-title" className="mb-2 text-xl font-bold">
          Your questionnaire
        </h2>
        {!questionnaire ? (
          <p>This week has no questionnaire.</p>
        ) : questionnaire.answers ? (
          <>
            <p className="mb-3 text-sm text-slate-600">
              {questionnaire.title} · submitted {questionnaire.submittedLabel}
            </p>
            <AnswerList questions={questionnaire.questions} answers={questionnaire.answers} correctedIds={questionnaire.correctedIds} />
          </>
        ) : (
          <p>
            {questionnaire.state === "DRAFT" ? "You saved a draft but have not submitted it." : "You have not answered it."}{" "}
            {questionnaire.open ? (
              <Link to={`/client/cohort/questionnaire/${week}`}>{questionnaire.state === "DRAFT" ? "Finish and submit it" : "Answer it now"}</Link>
            ) : (
              "It is closed now."
            )}
          </p>
        )}
      </section>

      <section aria-labelledby="checkins-title" className="card">
        <h2 id="checkins-title" className="mb-2 text-xl font-bold">
          Your check-ins
        </h2>
        <CheckInTable rows={checkIns} weightUnit={weightUnit} caption={`Your check-ins in week ${week}`} />
        <p className="mt-2 text-sm">
          <Link to="/client/health">All my health data</Link>
        </p>
      </section>
    </section>
  );
}
