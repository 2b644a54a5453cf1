import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CohortTabs } from "~/components/cohort-tabs";
import { requireCohortCoach } from "~/modules/cohorts/cohort-guard.server";
import { CopyNextSchema } from "~/modules/cohorts/questionnaire.schema";
import { copyWeekToNext, questionnaireOverview } from "~/modules/cohorts/questionnaires.service.server";
import { getEm } from "~/modules/db.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf } from "~/utils/forms";
import { badRequestFor, readFormData } from "~/utils/http.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Questionnaires · ${data?.cohort.name ?? "Cohort"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const em = getEm();
  const [overview, settings] = await Promise.all([questionnaireOverview(em, cohort), getSettings(em)]);
  return json({
    cohort: { id: cohort.id, name: cohort.name, weeks: cohort.weeks },
    members: overview.members,
    weeks: overview.weeks.map((w) => ({
      ...w,
      bundle: w.bundle ? { ...w.bundle, updatedOn: formatDate(w.bundle.updatedAt, settings.studioTimeZone) } : null,
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const formData = await readFormData(request);
  if (formData.get("intent") !== "copy-next") return badRequestFor("unknown", formFailure({}, "Unknown action."));
  const form = parseForm(CopyNextSchema, formData);
  if (!form.ok) return badRequestFor("copy-next", form);
  const result = await copyWeekToNext(getEm(), cohort, form.data.week, { replace: form.data.replace });
  if (!result.ok) return badRequestFor("copy-next", formFailure(submittedValues(formData), result));
  const next = form.data.week + 1;
  return redirectWithFlash(`/coach/cohorts/${cohort.id}/questionnaires/${next}`, {
    kind: "success",
    message: `Week ${form.data.week}'s questionnaire is copied to week ${next}${result.replaced ? ", replacing what was there" : ""}.`,
  });
}

export default function CohortQuestionnaires() {
  const { cohort, members, weeks } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const failedWeek = failure?.intent === "copy-next" ? valueOf(failure.values, "week") : undefined;
  const copyMessage = failure ? (failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ")) : undefined;
  return (
    <section aria-labelledby="questionnaires-title">
      <p className="mb-2">
        <Link to="/coach/cohorts">← All cohorts</Link>
      </p>
      <h1 id="questionnaires-title" className="mb-3 text-2xl font-bold">
        {cohort.name}: weekly questionnaires
      </h1>
      <CohortTabs cohortId={cohort.id} cohortName={cohort.name} />
      {failure && failedWeek === undefined ? (
        <p role="alert" className="field-error mb-3">
          {copyMessage}
        </p>
      ) : null}
      <p className="mb-3 text-slate-700">
        One questionnaire per week; members answer it from the week's last day. {members} member{members === 1 ? "" : "s"}.
      </p>
      <div className="card relative overflow-x-auto">
        <table className="w-full text-left">
          <caption className="sr-only">Questionnaires by week</caption>
          <thead>
            <tr className="border-b border-slate-200">
              <th scope="col" className="py-2 pr-3">
                Week
              </th>
              <th scope="col" className="py-2 pr-3">
                Questionnaire
              </th>
              <th scope="col" className="py-2 pr-3">
                Questions
              </th>
              <th scope="col" className="py-2 pr-3">
                Submitted
              </th>
              <th scope="col" className="py-2">
                Actions
              </th>
            </tr>
          </thead>
          <tbody>
            {weeks.map((w) => {
              const next = weeks.find((other) => other.week === w.week + 1);
              return (
                <tr key={w.week} className="border-b border-slate-100 align-top">
                  <th scope="row" className="py-2 pr-3">
                    Week {w.week}
                  </th>
                  <td className="py-2 pr-3">
                    {w.bundle ? (
                      <>
                        {w.bundle.title}
                        <span className="block text-sm text-slate-600">Saved {w.bundle.updatedOn}</span>
                      </>
                    ) : (
                      <span className="text-slate-600">Not built yet</span>
                    )}
                  </td>
                  <td className="py-2 pr-3">{w.bundle ? w.bundle.questionCount : "—"}</td>
                  <td className="py-2 pr-3">
                    {w.bundle ? `${w.submitted} of ${members}` : "—"}
                    {w.bundle && w.drafts ? (
                      <span className="block text-sm text-slate-600">
                        {w.drafts} draft{w.drafts === 1 ? "" : "s"}
                      </span>
                    ) : null}
                  </td>
                  <td className="py-2">
                    <Link
                      to={`/coach/cohorts/${cohort.id}/questionnaires/${w.week}`}
                      className="btn-secondary"
                      aria-label={`${w.bundle ? "Edit" : "Build"} week ${w.week}`}
                    >
                      {w.bundle ? "Edit" : "Build"}
                    </Link>
                    {w.bundle && next ? (
                      <Form method="post" className="mt-2">
                        <input type="hidden" name="intent" value="copy-next" />
                        <input type="hidden" name="week" value={w.week} />
                        {next.bundle ? (
                          <label htmlFor={`replace-${w.week}`} className="mb-1 flex items-center gap-2 text-sm">
                            <input id={`replace-${w.week}`} type="checkbox" name="replace" />
                            Replace week {next.week}
                          </label>
                        ) : null}
                        <button type="submit" className="btn-secondary">
                          Copy week {w.week} to week {next.week}
                        </button>
                        {failedWeek === String(w.week) ? (
                          <p role="alert" className="field-error">
                            {copyMessage}
                          </p>
                        ) : null}
                      </Form>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}
