import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CohortTabs } from "~/components/cohort-tabs";
import { ComplianceTable } from "~/components/compliance-table";
import { FormError } from "~/components/field";
import { NeedsReplyList } from "~/components/feedback-queue";
import { nudgeSummary } from "~/modules/coaching/coaching.rules";
import { ReviewQuerySchema } from "~/modules/coaching/coaching.schema";
import { cohortReview, nudgeMembers } from "~/modules/coaching/review.service.server";
import { requireCohortCoach } from "~/modules/cohorts/cohort-guard.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure } from "~/utils/forms";
import { badRequestFor, readFormData } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Review · ${data?.cohort.name ?? "Cohort"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const { sort } = ReviewQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const review = await cohortReview(getEm(), cohort, sort);
  return json({ cohort: { id: cohort.id, name: cohort.name, weeks: cohort.weeks, status: cohort.status }, sort, ...review });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const formData = await readFormData(request);
  if (formData.get("intent") !== "nudge") return badRequestFor("unknown", formFailure({}, "Unknown action."));
  const result = await nudgeMembers(getEm(), { cohort });
  if (!result.ok) return badRequestFor("nudge", formFailure({}, result));
  return redirectWithFlash(`/coach/cohorts/${cohort.id}/review`, { kind: "success", message: nudgeSummary(result) });
}

export default function CohortReview() {
  const { cohort, sort, day, rows, queue, canNudge } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const where = day.phase === "RUNNING" ? `Week ${day.week} of ${cohort.weeks}` : day.phase === "NOT_STARTED" ? "Not started yet" : "Finished";
  return (
    <section aria-labelledby="review-title">
      <p className="mb-2">
        <Link to="/coach/cohorts">← All cohorts</Link>
      </p>
      <h1 id="review-title" className="text-2xl font-bold">
        {cohort.name}: review
      </h1>
      <p className="mb-3 text-slate-700">{where}</p>
      <CohortTabs cohortId={cohort.id} cohortName={cohort.name} />

      <section aria-labelledby="queue-title" className="card mb-6">
        <h2 id="queue-title" className="mb-2 text-xl font-bold">
          Needs reply ({queue.total})
        </h2>
        {queue.items.length === 0 ? (
          <p>Every submitted questionnaire has published feedback.</p>
        ) : (
          <>
            <p className="mb-2 text-sm text-slate-600">Submitted weeks without published feedback, oldest first.</p>
            <NeedsReplyList items={queue.items} />
          </>
        )}
      </section>

      <section aria-labelledby="compliance-title" className="mb-6">
        <h2 id="compliance-title" className="mb-2 text-xl font-bold">
          Compliance
        </h2>
        <ComplianceTable cohortId={cohort.id} rows={rows} sort={sort} />
      </section>

      {canNudge ? (
        <section aria-labelledby="nudge-title" className="card max-w-2xl">
          <h2 id="nudge-title" className="mb-2 text-xl font-bold">
            Nudge
          </h2>
          <Form method="post">
            {failure?.intent === "nudge" || failure?.intent === "unknown" ? <FormError message={failure.formError} /> : null}
            <input type="hidden" name="intent" value="nudge" />
            <p className="mb-3 text-sm text-slate-700">
              Sends a reminder to every member who has not checked in this period or not submitted an open questionnaire. Each member gets at most one nudge a
              day.
            </p>
            <button type="submit" className="btn-primary">
              Nudge members who are behind
            </button>
          </Form>
        </section>
      ) : null}
    </section>
  );
}
