import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData } from "@remix-run/react";
import { CohortForm } from "~/components/cohort-form";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { cohortFormOptions } from "~/modules/cohorts/cohort-views.server";
import { CohortCreateSchema } from "~/modules/cohorts/cohorts.schema";
import { createCohort } from "~/modules/cohorts/cohorts.service.server";
import { getEm } from "~/modules/db.server";
import { formToken, tokenErrorFirst } from "~/modules/idempotency/idempotency.schema";
import { newFormToken } from "~/modules/idempotency/idempotency.service.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "New cohort · Centurion" }];

const LIST_KEYS = ["planIds", "coachIds"];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCoach(request);
  const options = await cohortFormOptions(getEm(), user);
  // One submission, one cohort: the form carries a one-time token.
  return json({ ...options, me: user.role === "COACH" ? user.id : null, formToken: newFormToken() });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireCoach(request);
  const formData = await readFormData(request);
  const form = parseForm(CohortCreateSchema.extend({ formToken }), formData);
  if (!form.ok) return badRequest(tokenErrorFirst(form));
  const result = await createCohort(getEm(), user, form.data);
  if (!result.ok) return badRequest(formFailure(submittedValues(formData, LIST_KEYS), result));
  const { cohort, copied } = result;
  if (result.replayed) {
    return redirectWithFlash(`/coach/cohorts/${cohort.id}`, { kind: "info", message: `That form was already sent: cohort “${cohort.name}” was created once.` });
  }
  const copiedNote = form.data.copyFromCohortId
    ? ` Copied ${copied.questionnaires} weekly questionnaire${copied.questionnaires === 1 ? "" : "s"}${copied.checkIn ? " and the check-in settings" : ""}.`
    : "";
  return redirectWithFlash(`/coach/cohorts/${cohort.id}`, { kind: "success", message: `Cohort “${cohort.name}” created as a draft.${copiedNote}` });
}

export default function NewCohort() {
  const { coaches, plans, copyFrom, nextMonday, me, formToken: token } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section aria-labelledby="new-cohort-title" className="max-w-2xl">
      <p className="mb-2">
        <Link to="/coach/cohorts">← Cohorts</Link>
      </p>
      <h1 id="new-cohort-title" className="mb-4 text-2xl font-bold">
        New cohort
      </h1>
      <CohortForm
        initial={{
          name: "",
          description: "",
          startDate: nextMonday,
          weeks: 6,
          capacity: 15,
          registrationOpensOn: "",
          registrationClosesOn: "",
          isFree: false,
          planIds: [],
          coachIds: me === null ? [] : [me],
        }}
        plans={plans}
        coaches={coaches}
        copyFrom={copyFrom}
        failure={failure}
        submitLabel="Create cohort"
        formToken={token}
      />
    </section>
  );
}
