import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CohortSessionsTable } from "~/components/cohort-sessions-table";
import { CohortStatusBadge } from "~/components/cohort-status-badge";
import { CohortTabs } from "~/components/cohort-tabs";
import { FormError } from "~/components/field";
import { requireCohortCoach } from "~/modules/cohorts/cohort-guard.server";
import { cohortOverview, searchClientsForCohort } from "~/modules/cohorts/cohort-views.server";
import { CohortCoachSchema, CohortMemberAddSchema, CohortMemberSchema, CohortStatusSchema, MemberSearchQuerySchema } from "~/modules/cohorts/cohorts.schema";
import { addCohortCoach, addCohortMember, advanceCohortStatus, removeCohortCoach, removeCohortMember } from "~/modules/cohorts/cohorts.service.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf } from "~/utils/forms";
import { badRequestFor, notFound, readFormData } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.cohort.name ?? "Cohort"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { cohort } = await requireCohortCoach(request, params.id);
  const em = getEm();
  const query = MemberSearchQuerySchema.safeParse(Object.fromEntries(new URL(request.url).searchParams));
  const q = query.success ? (query.data.q ?? null) : null;
  const [overview, matches] = await Promise.all([cohortOverview(em, cohort), q ? searchClientsForCohort(em, q) : Promise.resolve(null)]);
  return json({ ...overview, q, matches });
}

/** What the one "Move to …" button does, by the status it moves to. */
const STATUS_HINTS = {
  ACTIVE: "Move it to active when the programme is ready to run. Members stay as they are.",
  COMPLETED: "Completing it marks its members completed, which frees them to join another cohort.",
  ARCHIVED: "Archiving it moves it off the current list; it can no longer be changed.",
} as const;

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, cohort } = await requireCohortCoach(request, params.id);
  const em = getEm();
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const here = `/coach/cohorts/${cohort.id}`;
  const missing = () => notFound("We could not find that cohort.");

  if (intent === "status") {
    const form = parseForm(CohortStatusSchema, formData);
    if (!form.ok) return badRequestFor("status", form);
    const result = (await advanceCohortStatus(em, cohort.id, form.data.to)) ?? missing();
    if (!result.ok) return badRequestFor("status", formFailure({}, result));
    const freed = result.completedMembers
      ? ` ${result.completedMembers} member${result.completedMembers === 1 ? " is" : "s are"} now free to join another cohort.`
      : "";
    return redirectWithFlash(here, { kind: "success", message: `“${cohort.name}” is now ${result.to.toLowerCase()}.${freed}` });
  }
  if (intent === "add-coach" || intent === "remove-coach") {
    const form = parseForm(CohortCoachSchema, formData);
    if (!form.ok) return badRequestFor(intent, form);
    const result =
      (intent === "add-coach" ? await addCohortCoach(em, cohort.id, form.data.coachId) : await removeCohortCoach(em, cohort.id, form.data.coachId)) ??
      missing();
    if (!result.ok) return badRequestFor(intent, formFailure(submittedValues(formData), result));
    // A coach who takes themselves off the cohort can no longer see it.
    const leftOwn = intent === "remove-coach" && result.coach.id === user.id && user.role !== "ADMIN";
    return redirectWithFlash(leftOwn ? "/coach/cohorts" : here, {
      kind: "success",
      message: intent === "add-coach" ? `${result.coach.name} now coaches “${cohort.name}”.` : `${result.coach.name} no longer coaches “${cohort.name}”.`,
    });
  }
  if (intent === "add-member") {
    const form = parseForm(CohortMemberAddSchema, formData);
    if (!form.ok) return badRequestFor("add-member", formFailure(submittedValues(formData), form));
    const result = (await addCohortMember(em, { cohortId: cohort.id, client: form.data, addedById: user.id })) ?? missing();
    if (!result.ok) return badRequestFor("add-member", formFailure(submittedValues(formData), result));
    const q = valueOf(submittedValues(formData), "q");
    return redirectWithFlash(q ? `${here}?q=${encodeURIComponent(q)}` : here, {
      kind: "success",
      message: `${result.member.name} is now a member of “${cohort.name}”.`,
    });
  }
  if (intent === "remove-member") {
    const form = parseForm(CohortMemberSchema, formData);
    if (!form.ok) return badRequestFor("remove-member", form);
    const result = (await removeCohortMember(em, { cohortId: cohort.id, userId: form.data.userId })) ?? missing();
    if (!result.ok) return badRequestFor("remove-member", formFailure({}, result));
    return redirectWithFlash(here, { kind: "success", message: `${result.member.name} has been removed from “${cohort.name}”.` });
  }
  return badRequestFor("unknown", formFailure({}, "Unknown action."));
}

export default function CohortOverview() {
  const { cohort, next, coaches, coachCandidates, members, formerMembers, acceptsMembers, upcomingSessions, recentSessions, q, matches } =
    useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const errorFor = (...intents: string[]) =>
    failure && intents.includes(failure.intent) ? (failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ")) : undefined;
  return (
    <section aria-labelledby="cohort-title" className="max-w-4xl">
      <p className="mb-2">
        <Link to="/coach/cohorts">← Cohorts</Link>
      </p>
      <h1 id="cohort-title" className="mb-2 flex flex-wrap items-center gap-2 text-2xl font-bold">
        {cohort.name} <CohortStatusBadge status={cohort.status} label={cohort.statusLabel} />
      </h1>
      <CohortTabs cohortId={cohort.id} cohortName={cohort.name} />
      <FormError message={errorFor("unknown")} />

      <section aria-labelledby="details-title" className="card mb-4">
        <h2 id="details-title" className="mb-2 text-xl font-bold">
          Details
        </h2>
        <dl className="grid gap-x-6 gap-y-1 sm:grid-cols-2">
          <div>
            <dt className="inline font-semibold">Programme: </dt>
            <dd className="inline">
              {cohort.weeks} weeks from {cohort.startLabel}
              {cohort.when.startsWith("Starts") ? null : ` · ${cohort.when}`}
            </dd>
          </div>
          <div>
            <dt className="inline font-semibold">Members: </dt>
            <dd className="inline">
              {members.filter((m) => m.status === "ACTIVE").length} of {cohort.capacity} places
            </dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="inline font-semibold">Registration: </dt>
            <dd className="inline">{cohort.registration}</dd>
          </div>
          <div className="sm:col-span-2">
            <dt className="inline font-semibold">Who may join: </dt>
            <dd className="inline">
              {cohort.isFree ? "Any client (free)." : cohort.plans.length ? `Holders of ${cohort.plans.join(", ")}.` : "Only clients a coach adds."}
            </dd>
          </div>
          {cohort.description ? (
            <div className="sm:col-span-2">
              <dt className="inline font-semibold">Description: </dt>
              <dd className="inline whitespace-pre-line">{cohort.description}</dd>
            </div>
          ) : null}
        </dl>
        {cohort.status !== "ARCHIVED" ? (
          <p className="mt-3">
            <Link to={`/coach/cohorts/${cohort.id}/edit`} className="btn-secondary">
              Edit details
            </Link>
          </p>
        ) : null}
      </section>

      <section aria-labelledby="status-title" className="card mb-4">
        <h2 id="status-title" className="mb-2 text-xl font-bold">
          Status: {cohort.statusLabel}
        </h2>
        <FormError message={errorFor("status")} />
        {next ? (
          <Form method="post">
            <input type="hidden" name="intent" value="status" />
            <input type="hidden" name="to" value={next.status} />
            <p className="mb-2 text-slate-700">{STATUS_HINTS[next.status as keyof typeof STATUS_HINTS]}</p>
            <button type="submit" className="btn-primary">
              Move to {next.label.toLowerCase()}
            </button>
          </Form>
        ) : (
          <p className="text-slate-700">This cohort is archived.</p>
        )}
      </section>

      <section aria-labelledby="coaches-title" className="card mb-4">
        <h2 id="coaches-title" className="mb-2 text-xl font-bold">
          Coaches
        </h2>
        <FormError message={errorFor("add-coach", "remove-coach")} />
        <ul className="mb-3 divide-y divide-slate-200">
          {coaches.map((coach) => (
            <li key={coach.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
              <span>
                <span className="font-semibold">{coach.name}</span> <span className="text-sm text-slate-600">{coach.email}</span>
              </span>
              {coaches.length > 1 ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="remove-coach" />
                  <input type="hidden" name="coachId" value={coach.id} />
                  <button type="submit" className="btn-secondary" aria-label={`Remove ${coach.name} as a coach`}>
                    Remove
                  </button>
                </Form>
              ) : null}
            </li>
          ))}
        </ul>
        {coachCandidates.length ? (
          <Form method="post" className="flex flex-wrap items-end gap-2">
            <input type="hidden" name="intent" value="add-coach" />
            <label className="font-medium">
              Add a coach
              <select name="coachId" className="field-input mt-1" required>
                {coachCandidates.map((c) => (
                  <option key={c.id} value={c.id}>
                    {c.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="btn-secondary">
              Add coach
            </button>
          </Form>
        ) : null}
      </section>

      <section aria-labelledby="members-title" className="card mb-4">
        <h2 id="members-title" className="mb-2 text-xl font-bold">
          Members ({members.length})
        </h2>
        <FormError message={errorFor("remove-member")} />
        {members.length === 0 ? (
          <p className="mb-3">Nobody has joined yet.</p>
        ) : (
          <div className="relative mb-3 overflow-x-auto">
            <table className="w-full border-collapse text-left">
              <thead>
                <tr className="border-b border-slate-300">
                  <th scope="col" className="p-2">
                    Name
                  </th>
                  <th scope="col" className="p-2">
                    Email
                  </th>
                  <th scope="col" className="p-2">
                    Joined
                  </th>
                  <th scope="col" className="p-2">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.userId} className="border-b border-slate-200">
                    <th scope="row" className="p-2 font-semibold">
                      {m.name}
                      {m.status === "COMPLETED" ? <span className="ml-2 text-xs font-normal text-slate-600">completed</span> : null}
                    </th>
                    <td className="p-2">{m.email}</td>
                    <td className="p-2">
                      {m.joinedOn} <span className="text-sm text-slate-600">{m.addedBy ? `(added by ${m.addedBy})` : "(joined themselves)"}</span>
                    </td>
                    <td className="p-2 text-right">
                      {m.status === "ACTIVE" ? (
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove-member" />
                          <input type="hidden" name="userId" value={m.userId} />
                          <button type="submit" className="btn-secondary" aria-label={`Remove ${m.name} from the cohort`}>
                            Remove
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {acceptsMembers ? (
          <>
            <h3 className="mb-1 font-bold">Add a member</h3>
            <FormError message={errorFor("add-member")} />
            <Form method="post" className="mb-3 flex flex-wrap items-end gap-2">
              <input type="hidden" name="intent" value="add-member" />
              <label className="font-medium">
                Client's email
                <input
                  type="email"
                  name="email"
                  required
                  className="field-input mt-1"
                  defaultValue={failure?.intent === "add-member" ? valueOf(failure.values, "email") : undefined}
                />
              </label>
              <button type="submit" className="btn-primary">
                Add member
              </button>
            </Form>
            <Form method="get" className="flex flex-wrap items-end gap-2" aria-label="Find a client">
              <label className="font-medium">
                Or find a client by name or email
                <input type="search" name="q" defaultValue={q ?? ""} maxLength={100} className="field-input mt-1" />
              </label>
              <button type="submit" className="btn-secondary">
                Search
              </button>
            </Form>
            {matches ? (
              matches.length === 0 ? (
                <p className="mt-2 text-slate-600">No client matches “{q}”.</p>
              ) : (
                <ul className="mt-2 divide-y divide-slate-200" aria-label="Matching clients">
                  {matches.map((client) => (
                    <li key={client.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                      <span>
                        <span className="font-semibold">{client.name}</span> <span className="text-sm text-slate-600">{client.email}</span>
                        {client.activeCohort ? <span className="block text-sm text-slate-600">In “{client.activeCohort}”</span> : null}
                      </span>
                      <Form method="post">
                        <input type="hidden" name="intent" value="add-member" />
                        <input type="hidden" name="userId" value={client.id} />
                        <input type="hidden" name="q" value={q ?? ""} />
                        <button type="submit" className="btn-secondary" aria-label={`Add ${client.name}`}>
                          Add
                        </button>
                      </Form>
                    </li>
                  ))}
                </ul>
              )
            ) : null}
          </>
        ) : (
          <p className="text-slate-700">A {cohort.statusLabel.toLowerCase()} cohort takes no new members.</p>
        )}
        {formerMembers.length ? (
          <details className="mt-3">
            <summary className="cursor-pointer font-medium">Left the cohort ({formerMembers.length})</summary>
            <ul className="mt-1">
              {formerMembers.map((m) => (
                <li key={m.userId} className="py-1">
                  {m.name} <span className="text-sm text-slate-600">left {m.leftOn}</span>
                </li>
              ))}
            </ul>
          </details>
        ) : null}
      </section>

      <section aria-labelledby="sessions-title" className="card mb-4">
        <div className="mb-2 flex flex-wrap items-center justify-between gap-2">
          <h2 id="sessions-title" className="text-xl font-bold">
            Sessions
          </h2>
          <Link to={`/coach/sessions?cohort=${cohort.id}`}>All of this cohort's sessions</Link>
        </div>
        <CohortSessionsTable title="Upcoming" sessions={upcomingSessions} empty="No upcoming sessions are linked to this cohort." />
        <CohortSessionsTable title="Recent" sessions={recentSessions} empty="No past sessions." />
      </section>
    </section>
  );
}
