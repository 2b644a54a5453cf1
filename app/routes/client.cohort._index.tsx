import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { METRIC_LABELS } from "~/components/compliance-checkins";
import { FeedbackCard } from "~/components/feedback-card";
import { requireUser } from "~/modules/auth/auth-session.server";
import { clientCohortPage } from "~/modules/coaching/client-cohort.server";
import { getEm } from "~/modules/db.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.member ? data.cohort.name : "My cohort"} · Centurion` }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json(await clientCohortPage(getEm(), user.id));
}

const QUESTIONNAIRE_STATE = { NOT_STARTED: "Not started", DRAFT: "Draft saved", SUBMITTED: "Submitted ✓" } as const;

export default function MyCohort() {
  const page = useLoaderData<typeof loader>();
  if (!page.member) {
    return (
      <section aria-labelledby="cohort-title" className="max-w-2xl">
        <h1 id="cohort-title" className="mb-4 text-2xl font-bold">
          My cohort
        </h1>
        <div className="card">
          <p>You are not in a cohort right now. Cohorts are coached programmes of a few weeks with weekly check-ins and feedback.</p>
          <p className="mt-3">
            <Link to="/client/cohorts" className="btn-primary">
              Browse cohorts to join
            </Link>
          </p>
        </div>
      </section>
    );
  }
  const { cohort, day, checkIn, questionnaires, feedback, coaches, sessions, pastWeeks, membershipStatus } = page;
  const where = day.phase === "RUNNING" ? `Week ${day.week} of ${cohort.weeks}` : day.phase === "NOT_STARTED" ? `Starts on ${cohort.startLabel}` : "Finished";
  const nothingDue = !checkIn && questionnaires.length === 0;
  return (
    <section aria-labelledby="cohort-title" className="max-w-3xl">
      <h1 id="cohort-title" className="text-2xl font-bold">
        {cohort.name}
      </h1>
      <p className="mb-1 text-lg font-semibold text-sky-900">{where}</p>
      <p className="mb-4 text-sm text-slate-600">
        {cohort.weeks} weeks, {cohort.startLabel} to {cohort.endLabel}
        {membershipStatus === "COMPLETED" ? " · you completed this programme" : ""}
      </p>
      {cohort.description ? <p className="mb-4 whitespace-pre-line">{cohort.description}</p> : null}

      {membershipStatus === "ACTIVE" ? (
        <section aria-labelledby="due-title" className="mb-6">
          <h2 id="due-title" className="mb-2 text-xl font-bold">
            Due now
          </h2>
          {nothingDue ? <p className="card">Nothing is due right now.</p> : null}
          <ul className="space-y-2">
            {checkIn ? (
              <li className="card flex flex-wrap items-center justify-between gap-3">
                <span>
                  <span className="font-semibold">Check-in</span>
                  {checkIn.done ? <span className="ml-2 rounded bg-emerald-100 px-2 py-0.5 text-xs font-semibold text-emerald-900">Done ✓</span> : null}
                  <span className="block text-sm text-slate-700">
                    {checkIn.metrics.length ? `${checkIn.metrics.map((m) => METRIC_LABELS[m]).join(", ")} — ` : ""}
                    {checkIn.done ? "recorded for this period" : `due by ${checkIn.dueLabel}`}
                    {checkIn.frequencyDays === 1 ? " (every day)" : ` (every ${checkIn.frequencyDays} days)`}
                  </span>
                </span>
                <Link to="/client/health" className={checkIn.done ? "btn-secondary" : "btn-primary"}>
                  {checkIn.done ? "See my check-ins" : "Record my check-in"}
                </Link>
              </li>
            ) : null}
            {questionnaires.map((q) => (
              <li key={q.week} className="card flex flex-wrap items-center justify-between gap-3">
                <span>
                  <span className="font-semibold">
                    Week {q.week} questionnaire: {q.title}
                  </span>
                  <span className="block text-sm text-slate-700">
                    {QUESTIONNAIRE_STATE[q.state]}
                    {q.state === "SUBMITTED" ? "" : ` — open until ${q.closesLabel}`}
                  </span>
                </span>
                <Link to={`/client/cohort/questionnaire/${q.week}`} className={q.state === "SUBMITTED" ? "btn-secondary" : "btn-primary"}>
                  {q.state === "SUBMITTED" ? "See my answers" : q.state === "DRAFT" ? "Finish and submit" : "Answer now"}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <section aria-labelledby="feedback-title" className="mb-6">
        <h2 id="feedback-title" className="mb-2 text-xl font-bold">
          Feedback from your coach
        </h2>
        {feedback.length === 0 ? (
          <p className="card">No feedback for this week or last week yet. Your coach replies after you submit your weekly questionnaire.</p>
        ) : (
          <div className="space-y-3">
            {feedback.map((f) => (
              <FeedbackCard key={f.week} week={f.week} feedback={f} />
            ))}
          </div>
        )}
      </section>

      <div className="mb-6 grid gap-6 md:grid-cols-2">
        <section aria-labelledby="coaches-title">
          <h2 id="coaches-title" className="mb-2 text-xl font-bold">
            Your coaches
          </h2>
          {coaches.length === 0 ? (
            <p className="card">No coach assigned yet.</p>
          ) : (
            <ul className="card">
              {coaches.map((coach) => (
                <li key={coach.id}>{coach.name}</li>
              ))}
            </ul>
          )}
        </section>
        {membershipStatus === "ACTIVE" ? (
          <section aria-labelledby="sessions-title">
            <h2 id="sessions-title" className="mb-2 text-xl font-bold">
              Cohort sessions
            </h2>
            {sessions.length === 0 ? (
              <p className="card">No upcoming sessions for this cohort.</p>
            ) : (
              <ul className="card divide-y divide-slate-200">
                {sessions.map((s) => (
                  <li key={s.id} className="py-1">
                    <Link to={`/client/sessions/${s.id}`} className="font-semibold">
                      {s.title}
                    </Link>
                    <span className="block text-sm text-slate-700">
                      {s.dayLabel}, {s.startLabel}–{s.endLabel} with {s.coachName}
                      {s.location ? ` · ${s.location}` : ""}
                    </span>
                  </li>
                ))}
              </ul>
            )}
          </section>
        ) : null}
      </div>

      <section aria-labelledby="weeks-title">
        <h2 id="weeks-title" className="mb-2 text-xl font-bold">
          Weeks so far
        </h2>
        {pastWeeks.length === 0 ? (
          <p className="card">The programme has not started yet.</p>
        ) : (
          <ul className="card divide-y divide-slate-200">
            {pastWeeks.map((w) => (
              <li key={w.week} className="flex flex-wrap items-baseline justify-between gap-2 py-2">
                <Link to={`/client/cohort/weeks/${w.week}`} className="font-semibold">
                  Week {w.week}
                  {w.current ? " (this week)" : ""}
                </Link>
                <span className="text-sm text-slate-700">
                  {w.label} · {w.checkIns} check-in{w.checkIns === 1 ? "" : "s"} · {w.submitted ? "questionnaire submitted" : "no questionnaire submitted"}
                  {w.feedback ? " · feedback" : ""}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
