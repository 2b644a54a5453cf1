import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { PersonStatus, ROLE_LABELS } from "~/components/person-bits";
import { SelectField } from "~/components/select-field";
import { requireAdmin, requireRecentPassword } from "~/modules/auth/auth-session.server";
import { ROLES } from "~/modules/auth/people.rules";
import { RoleChangeSchema } from "~/modules/auth/people.schema";
import { changeRole, deactivatePerson, findPerson, reactivatePerson, resendInvitation, resetTwoFactor } from "~/modules/auth/people.service.server";
import { releasedPhrase } from "~/modules/booking/booking.rules";
import { getEm } from "~/modules/db.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, submittedValues, valueOf } from "~/utils/forms";
import { badRequestFor, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.person.name ?? "Person"} · People · Centurion` }];

const NOT_FOUND = "We could not find that person.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const admin = await requireAdmin(request);
  const em = getEm();
  const person = await findPerson(em, idParam(params.userId, "that person"));
  if (!person) notFound(NOT_FOUND);
  const zone = (await getSettings(em)).studioTimeZone;
  return json({
    person,
    deactivatedOn: person.deactivatedAt ? formatDate(new Date(person.deactivatedAt), zone) : null,
    isSelf: person.id === admin.id,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const userId = idParam(params.userId, "that person");
  const em = getEm();
  const formData = await readFormData(request);
  await requireRecentPassword(request, formData);
  const intent = String(formData.get("intent") ?? "");
  const back = `/admin/people/${userId}`;
  if (intent === "role") {
    const form = parseForm(RoleChangeSchema, formData);
    if (!form.ok) return badRequestFor("role", form);
    const result = await changeRole(em, { userId, role: form.data.role, actorId: admin.id });
    if (!result) notFound(NOT_FOUND);
    if (!result.ok) return badRequestFor("role", formFailure(submittedValues(formData), { fieldErrors: result.fieldErrors }));
    return redirectWithFlash(back, { kind: "success", message: `${result.name} is now ${ROLE_PHRASES[form.data.role]}.` });
  }
  if (intent === "deactivate") {
    const result = await deactivatePerson(em, { userId, actorId: admin.id });
    if (!result) notFound(NOT_FOUND);
    if (!result.ok) return badRequestFor("status", formFailure({}, result));
    const released = result.released ? `; ${releasedPhrase(result.released)}` : "";
    return redirectWithFlash(back, { kind: "success", message: `${result.name}'s account is deactivated: they can no longer sign in${released}.` });
  }
  if (intent === "reactivate") {
    const result = await reactivatePerson(em, { userId });
    if (!result) notFound(NOT_FOUND);
    if (!result.ok) return badRequestFor("status", formFailure({}, result));
    return redirectWithFlash(back, { kind: "success", message: `${result.name}'s account is active again.` });
  }
  if (intent === "resend-invite") {
    const result = await resendInvitation(em, { userId, invitedBy: admin });
    if (!result) notFound(NOT_FOUND);
    if (!result.ok) return badRequestFor("invite", formFailure({}, result));
    return redirectWithFlash(back, { kind: "success", message: "A new invitation is on its way; the old link no longer works." });
  }
  if (intent === "reset-two-factor") {
    const result = await resetTwoFactor(em, { userId, actor: admin });
    if (!result) notFound(NOT_FOUND);
    if (!result.ok) return badRequestFor("two-factor", formFailure({}, result));
    return redirectWithFlash(back, {
      kind: "success",
      message: `${result.name}'s two-step sign-in is reset: they are signed out everywhere and sign in with their password alone. An email tells them.`,
    });
  }
  return badRequestFor("unknown", formFailure({}, "Unknown action."));
}

const ROLE_PHRASES = { CLIENT: "a client", COACH: "a coach", ADMIN: "an admin" } as const;

export default function Person() {
  const { person, deactivatedOn, isSelf } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const roleFailure = failure?.intent === "role" ? failure : undefined;
  return (
    <section aria-labelledby="person-title" className="max-w-2xl">
      <p className="mb-2">
        <Link to="/admin/people">← People</Link>
      </p>
      <h1 id="person-title" className="text-2xl font-bold">
        {person.name}
      </h1>
      <p className="mb-1 break-all text-slate-700">{person.email}</p>
      <p className="mb-4">
        {ROLE_LABELS[person.role]} · <PersonStatus person={person} />
        {deactivatedOn ? ` since ${deactivatedOn}` : null}
        {person.role === "CLIENT" ? (
          <>
            {" · "}
            <Link to={`/admin/members/${person.id}`}>Memberships and bookings</Link>
          </>
        ) : null}
      </p>
      {failure?.intent === "unknown" ? <FormError message={failure.formError} /> : null}

      <section aria-labelledby="role-title" className="card mb-6">
        <h2 id="role-title" className="mb-2 text-xl font-bold">
          Role
        </h2>
        <Form method="post" noValidate aria-labelledby="role-title">
          <input type="hidden" name="intent" value="role" />
          <SelectField
            label="Role"
            name="role"
            hint="Coaches run classes and cohorts; admins also manage plans, members, people and settings."
            options={ROLES.map((role) => ({ value: role, label: ROLE_LABELS[role] }))}
            defaultValue={valueOf(roleFailure?.values, "role") ?? person.role}
            errors={roleFailure?.fieldErrors.role}
          />
          <button type="submit" className="btn-primary">
            Change role
          </button>
        </Form>
      </section>

      {person.invitation && !person.deactivatedAt ? (
        <section aria-labelledby="invite-title" className="card mb-6">
          <h2 id="invite-title" className="mb-2 text-xl font-bold">
            Invitation
          </h2>
          <p className="mb-3 text-sm text-slate-700">
            {person.invitation === "pending"
              ? "They have not chosen a password yet. A new link replaces the one already sent."
              : "Their invitation expired before they chose a password."}
          </p>
          {failure?.intent === "invite" ? <FormError message={failure.formError} /> : null}
          <Form method="post">
            <input type="hidden" name="intent" value="resend-invite" />
            <button type="submit" className="btn-secondary">
              Send a new invitation
            </button>
          </Form>
        </section>
      ) : null}

      <section aria-labelledby="two-factor-title" className="card mb-6">
        <h2 id="two-factor-title" className="mb-2 text-xl font-bold">
          Two-step sign-in
        </h2>
        {failure?.intent === "two-factor" ? <FormError message={failure.formError} /> : null}
        {isSelf ? (
          <p className="text-sm text-slate-700">
            This is your own account: manage it on your <Link to="/account/two-factor">Security</Link> page.
          </p>
        ) : person.twoFactor ? (
          <Form method="post">
            <p className="mb-3 text-sm text-slate-700">
              On. If they have lost both their authenticator and their recovery codes, resetting it lets them sign in with their password alone: it signs them
              out everywhere and emails them. If the studio requires two-step sign-in of their role, they set it up again when they next sign in.
            </p>
            <input type="hidden" name="intent" value="reset-two-factor" />
            <button type="submit" className="btn-danger">
              Reset two-step sign-in
            </button>
          </Form>
        ) : (
          <p className="text-sm text-slate-700">Not set up on this account.</p>
        )}
      </section>

      <section aria-labelledby="account-title" className="card">
        <h2 id="account-title" className="mb-2 text-xl font-bold">
          Account
        </h2>
        {failure?.intent === "status" ? <FormError message={failure.formError} /> : null}
        {person.deactivatedAt ? (
          <Form method="post">
            <p className="mb-3 text-sm text-slate-700">
              Deactivated: they cannot sign in. Their history is kept. Reactivating lets them sign in again with their password.
            </p>
            <input type="hidden" name="intent" value="reactivate" />
            <button type="submit" className="btn-primary">
              Reactivate account
            </button>
          </Form>
        ) : isSelf ? (
          <p className="text-sm text-slate-700">This is your own account: another admin can deactivate it.</p>
        ) : (
          <Form method="post">
            <p className="mb-3 text-sm text-slate-700">
              Deactivating signs them out everywhere and stops them signing in; their history is kept.
              {person.futureBookings
                ? ` Their ${person.futureBookings === 1 ? "place" : `${person.futureBookings} places`} in classes that have not started (booked or on a waitlist) will be given back.`
                : null}
            </p>
            <input type="hidden" name="intent" value="deactivate" />
            <button type="submit" className="btn-danger">
              Deactivate account
            </button>
          </Form>
        )}
      </section>
    </section>
  );
}
