import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CohortTabs } from "~/components/cohort-tabs";
import { tally } from "~/components/compliance-table";
import { FormError } from "~/components/field";
import { nudgeSummary } from "~/modules/coaching/coaching.rules";
import { cohortMember, memberOverview, nudgeMembers } from "~/modules/coaching/review.service.server";
import { requireCohortCoach } from "~/modules/cohorts/cohort-guard.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure } from "~/utils/forms";
import { badRequestFor, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.member.name ?? "Member"} · ${data?.cohort.name ?? "Cohort"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const overview = await memberOverview(getEm(), cohort, idParam(params.userId, "that member"));
  if (!overview) notFound("This person is not a member of this cohort.");
  return json({ cohort: { id: cohort.id, name: cohort.name, weeks: cohort.weeks }, ...overview });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const userId = idParam(params.userId, "that member");
  const em = getEm();
  if (!(await cohortMember(em, cohort.id, userId))) notFound("This person is not a member of this cohort.");
  const formData = await readFormData(request);
  if (formData.get("intent") !== "nudge") return badRequestFor("unknown", formFailure({}, "Unknown action."));
  const result = await nudgeMembers(em, { cohort, userIds: [userId] });
  if (!result.ok) return badRequestFor("nudge", formFailure({}, result));
  const message = result.upToDate ? "This member is up to date: no nudge needed." : nudgeSummary(result);
  return redirectWithFlash(`/coach/cohorts/${cohort.id}/members/${userId}`, { kind: result.nudged ? "success" : "info", message });
}

const QUESTIONNAIRE = {
  NONE: "—",
  NOT_OPEN: "Not open yet",
  OPEN: "Open, not started",
  DRAFT: "Draft saved",
  SUBMITTED: "Submitted",
  MISSED: "Missed",
} as const;
const FEEDBACK = { NONE: "—", DRAFT: "Draft", PUBLISHED: "Published" } as const;

export default function CohortMember() {
  const { cohort, member, day, compliance, weeks, canNudge } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const where = day.phase === "RUNNING" ? `week ${day.week} of ${cohort.weeks}` : day.phase === "NOT_STARTED" ? "not started yet" : "finished";
  return (
    <section aria-labelledby="member-title">
      <p className="mb-2">
        <Link to={`/coach/cohorts/${cohort.id}/review`}>← Review of {cohort.name}</Link>
      </p>
      <h1 id="member-title" className="text-2xl font-bold">
        {member.name}
        {member.status !== "ACTIVE" ? (
          <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 align-middle text-sm font-semibold">{member.status === "LEFT" ? "Left" : "Completed"}</span>
        ) : null}
      </h1>
      <p className="mb-3 text-slate-700">
        {member.email} · {cohort.name}, {where} · <Link to={`/coach/clients/${member.id}/health`}>Health data</Link>
      </p>
      <CohortTabs cohortId={cohort.id} cohortName={cohort.name} />

      <dl className="mb-6 grid gap-4 sm:grid-cols-3">
        <div className="card">
          <dt className="text-sm text-slate-600">Check-ins (programme)</dt>
          <dd className="text-2xl font-bold">{tally(compliance.programme.checkIns)}</dd>
        </div>
        <div className="card">
          <dt className="text-sm text-slate-600">Questionnaires submitted</dt>
          <dd className="text-2xl font-bold">{tally(compliance.programme.questionnaires)}</dd>
        </div>
        <div className="card">
          <dt className="text-sm text-slate-600">Classes attended</dt>
          <dd className="text-2xl font-bold">{compliance.programme.classesAttended}</dd>
        </div>
      </dl>

      <section aria-labelledby="weeks-title" className="card relative mb-6 overflow-x-auto">
        <h2 id="weeks-title" className="mb-2 text-xl font-bold">
          Weeks
        </h2>
        <table className="w-full min-w-[40rem] text-left text-sm">
          <thead>
            <tr className="border-b border-slate-300">
              <th scope="col" className="py-2 pr-3">
                Week
              </th>
              <th scope="col" className="py-2 pr-3">
                Check-ins
              </th>
              <th scope="col" className="py-2 pr-3">
                Questionnaire
              </th>
              <th scope="col" className="py-2 pr-3">
                Feedback
              </th>
              <th scope="col" className="py-2 pr-3">
                Notes
              </th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => (
              <tr key={w.week} className="border-b border-slate-200">
                <th scope="row" className="py-2 pr-3">
                  {w.begun ? (
                    <Link to={`/coach/cohorts/${cohort.id}/members/${member.id}/weeks/${w.week}`} className="font-semibold">
                      Week {w.week}
                      {w.current ? " (this week)" : ""}
                    </Link>
                  ) : (
                    <span className="font-normal text-slate-600">Week {w.week}</span>
                  )}
                  <span className="block text-xs font-normal text-slate-600">{w.label}</span>
                </th>
                <td className="py-2 pr-3">
                  {w.begun ? `${tally(w.checkIns)}${w.checkIns.entries ? ` (${w.checkIns.entries} entr${w.checkIns.entries === 1 ? "y" : "ies"})` : ""}` : "—"}
                </td>
                <td className="py-2 pr-3">{QUESTIONNAIRE[w.questionnaire]}</td>
                <td className="py-2 pr-3">{FEEDBACK[w.feedback]}</td>
                <td className="py-2 pr-3">{w.notes || "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {canNudge ? (
        <Form method="post" className="card max-w-2xl">
          <h2 className="mb-2 text-xl font-bold">Nudge {member.name}</h2>
          {failure ? <FormError message={failure.formError} /> : null}
          <input type="hidden" name="intent" value="nudge" />
          <p className="mb-3 text-sm text-slate-700">Reminds them of a missing check-in or questionnaire; at most once a day.</p>
          <button type="submit" className="btn-secondary">
            Nudge {member.name}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
