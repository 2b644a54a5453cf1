import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { requireUser } from "~/modules/auth/auth-session.server";
import { clientCohorts } from "~/modules/cohorts/cohort-views.server";
import { ClientCohortSchema } from "~/modules/cohorts/cohorts.schema";
import { joinCohort, leaveCohort } from "~/modules/cohorts/cohorts.service.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm } from "~/utils/forms";
import { badRequest, notFound, readFormData } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Cohorts · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json(await clientCohorts(getEm(), user.id));
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(ClientCohortSchema, await readFormData(request));
  if (!form.ok) return badRequest(form);
  const { intent, cohortId } = form.data;
  const input = { cohortId, userId: user.id };
  const result = intent === "join" ? await joinCohort(getEm(), input) : await leaveCohort(getEm(), input);
  if (!result) notFound("We could not find that cohort.");
  if (!result.ok) return badRequest(formFailure({ cohortId: String(cohortId) }, result));
  return redirectWithFlash("/client/cohorts", {
    kind: "success",
    message: intent === "join" ? `Welcome to “${result.cohort.name}”!` : `You have left “${result.cohort.name}”.`,
  });
}

export default function ClientCohorts() {
  const { mine, open } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section aria-labelledby="cohorts-title" className="max-w-3xl">
      <h1 id="cohorts-title" className="mb-4 text-2xl font-bold">
        Cohorts
      </h1>
      <FormError message={failure?.formError ?? (failure ? Object.values(failure.fieldErrors).flat().join(" ") : undefined)} />
      {mine ? (
        <section aria-labelledby="mine-title" className="card mb-4 border-l-4 border-l-sky-700">
          <h2 id="mine-title" className="mb-1 text-xl font-bold">
            Your cohort: {mine.name}
          </h2>
          <p className="mb-2 text-slate-700">{mine.when}</p>
          {mine.description ? <p className="mb-2 whitespace-pre-line">{mine.description}</p> : null}
          <p className="mb-3">
            <Link to="/client/cohort">Go to your cohort page</Link>
          </p>
          <Form
            method="post"
            onSubmit={(event) => {
              // With JavaScript it asks once more; without it the button's label and the note above it say the same.
              if (!window.confirm(`Leave “${mine.name}”?`)) event.preventDefault();
            }}
          >
            <input type="hidden" name="intent" value="leave" />
            <input type="hidden" name="cohortId" value={mine.id} />
            <p id="leave-hint" className="mb-2 text-sm text-slate-600">
              Leaving ends your place in the programme. Your check-ins and answers are kept, and you can rejoin while registration is open.
            </p>
            <button type="submit" className="btn-danger" aria-describedby="leave-hint">
              Leave “{mine.name}”
            </button>
          </Form>
        </section>
      ) : null}
      <section aria-labelledby="open-title">
        <h2 id="open-title" className="mb-2 text-xl font-bold">
          Open for registration
        </h2>
        {open.length === 0 ? (
          <p className="text-slate-600">No cohort is open for registration right now.</p>
        ) : (
          <ul className="space-y-3">
            {open.map((c) => (
              <li key={c.id} className="card">
                <h3 className="text-lg font-bold">{c.name}</h3>
                <p className="text-slate-700">
                  {c.when} · {c.placesLeft} {c.placesLeft === 1 ? "place" : "places"} left ·{" "}
                  {c.isFree ? "Free" : c.plans.length ? `For ${c.plans.join(", ")}` : "By invitation"}
                </p>
                <p className="text-sm text-slate-600">Registration: {c.registration}</p>
                {c.description ? <p className="mt-2 whitespace-pre-line">{c.description}</p> : null}
                {c.refusal ? (
                  <p className="mt-2 font-medium text-slate-800">{c.refusal}</p>
                ) : (
                  <Form method="post" className="mt-2">
                    <input type="hidden" name="intent" value="join" />
                    <input type="hidden" name="cohortId" value={c.id} />
                    <button type="submit" className="btn-primary" aria-label={`Join ${c.name}`}>
                      Join
                    </button>
                  </Form>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </section>
  );
}
