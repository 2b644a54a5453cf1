import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { Pagination } from "~/components/pagination";
import { PersonStatus, ROLE_LABELS } from "~/components/person-bits";
import { SelectField } from "~/components/select-field";
import { requireAdmin, requireRecentPassword } from "~/modules/auth/auth-session.server";
import { INVITE_ROLES } from "~/modules/auth/people.rules";
import { InviteSchema, PeopleSearchSchema } from "~/modules/auth/people.schema";
import { invitePerson, listStaff, searchPeople, type PersonRow } from "~/modules/auth/people.service.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "People · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const url = new URL(request.url);
  const parsed = PeopleSearchSchema.safeParse(Object.fromEntries(url.searchParams));
  const search = parsed.success ? parsed.data : {};
  const em = getEm();
  const [staff, found] = await Promise.all([listStaff(em), search.q ? searchPeople(em, search) : null]);
  return json({ staff, found, q: search.q ?? "", invalid: !parsed.success, query: url.searchParams.toString() });
}

export async function action({ request }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const formData = await readFormData(request);
  await requireRecentPassword(request, formData);
  if (formData.get("intent") !== "invite") return badRequest(formFailure({}, "Unknown action."));
  const form = parseForm(InviteSchema, formData);
  if (!form.ok) return badRequest(form);
  const result = await invitePerson(getEm(), { ...form.data, invitedBy: admin });
  if (!result.ok) return badRequest(formFailure(submittedValues(formData), result));
  return redirectWithFlash("/admin/people", {
    kind: "success",
    message: `Invitation sent to ${result.user.email}: the link in it sets their password (valid for 7 days).`,
  });
}

export default function People() {
  const { staff, found, q, invalid, query } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  return (
    <section aria-labelledby="people-title">
      <h1 id="people-title" className="mb-4 text-2xl font-bold">
        People
      </h1>

      <section aria-labelledby="staff-title" className="card mb-6">
        <h2 id="staff-title" className="mb-2 text-xl font-bold">
          Coaches and admins
        </h2>
        <PeopleTable people={staff} caption="Coaches and admins" empty="No coaches or admins yet." />
      </section>

      <section aria-labelledby="invite-title" className="card mb-6">
        <h2 id="invite-title" className="mb-1 text-xl font-bold">
          Invite a coach or admin
        </h2>
        <p className="mb-3 text-sm text-slate-700">We email them a link to choose their password. It works once, within 7 days.</p>
        <FormError message={failure?.formError} />
        <Form method="post" noValidate aria-labelledby="invite-title">
          <input type="hidden" name="intent" value="invite" />
          <Field label="Name" name="name" autoComplete="off" required defaultValue={valueOf(failure?.values, "name")} errors={failure?.fieldErrors.name} />
          <Field
            label="Email"
            name="email"
            type="email"
            autoComplete="off"
            inputMode="email"
            required
            defaultValue={valueOf(failure?.values, "email")}
            errors={failure?.fieldErrors.email}
          />
          <SelectField
            label="Role"
            name="role"
            options={INVITE_ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
            defaultValue={valueOf(failure?.values, "role") ?? "COACH"}
            errors={failure?.fieldErrors.role}
          />
          <button type="submit" className="btn-primary" disabled={busy}>
            Send invitation
          </button>
        </Form>
      </section>

      <section aria-labelledby="find-title" className="card">
        <h2 id="find-title" className="mb-2 text-xl font-bold">
          Find anyone
        </h2>
        <Form method="get" className="mb-4 flex flex-wrap items-end gap-2" aria-label="Find people">
          <label className="grow text-sm font-medium">
            Name or email
            <input type="search" name="q" defaultValue={q} maxLength={100} className="field-input mt-1" />
          </label>
          <button type="submit" className="btn-primary">
            Search
          </button>
        </Form>
        {invalid ? (
          <p role="alert" className="field-error mb-2">
            That search was not valid and was ignored.
          </p>
        ) : null}
        {found ? (
          <>
            <p className="mb-2 text-sm text-slate-700" role="status">
              {found.total} {found.total === 1 ? "person matches" : "people match"} · page {found.page} of {found.pageCount}
            </p>
            <PeopleTable people={found.people} caption={`People matching “${q}”`} empty="Nobody matches." />
            <Pagination query={query} page={found.page} pageCount={found.pageCount} />
          </>
        ) : (
          <p className="text-sm text-slate-700">Search clients, coaches and admins by name or email, deactivated accounts included.</p>
        )}
      </section>
    </section>
  );
}

function PeopleTable({ people, caption, empty }: { people: PersonRow[]; caption: string; empty: string }) {
  if (!people.length) return <p className="text-sm text-slate-700">{empty}</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[32rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead>
          <tr className="border-b border-slate-300">
            <th scope="col" className="py-2 pr-3">
              Name
            </th>
            <th scope="col" className="py-2 pr-3">
              Email
            </th>
            <th scope="col" className="py-2 pr-3">
              Role
            </th>
            <th scope="col" className="py-2">
              Status
            </th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => (
            <tr key={p.id} className="border-b border-slate-200">
              <th scope="row" className="py-2 pr-3 font-semibold">
                <Link to={`/admin/people/${p.id}`}>{p.name}</Link>
              </th>
              <td className="py-2 pr-3 break-all">{p.email}</td>
              <td className="py-2 pr-3">{ROLE_LABELS[p.role]}</td>
              <td className="py-2">
                <PersonStatus person={p} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
