import { changeSubscription, type SubscriptionChange } from "~/modules/billing/subscription-sync.service.server";
import { getStripe } from "~/modules/billing/stripe.server";
import { PaymentsTable } from "~/components/payments-table";
import { paymentsOf } from "~/modules/billing/payments.service.server";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { MembershipCard } from "~/components/membership-card";
import { UpcomingBookings } from "~/components/upcoming-bookings";
import { SelectField } from "~/components/select-field";
import { planSummary } from "~/modules/memberships/memberships.rules";
import { formToken, tokenErrorFirst } from "~/modules/idempotency/idempotency.schema";
import { newFormToken } from "~/modules/idempotency/idempotency.service.server";
import { AssignFormSchema, MembershipActionSchema } from "~/modules/memberships/memberships.schema";
import {
  adminCancelAtPeriodEnd,
  adminCancelMembership,
  assignMembership,
  pauseMembership,
  resumeMembership,
} from "~/modules/memberships/lifecycle.service.server";
import { findMember } from "~/modules/memberships/members.service.server";
import { listMemberships } from "~/modules/memberships/membership-views.server";
import { listPlans } from "~/modules/memberships/plans.service.server";
import { upcomingBookings } from "~/modules/booking/client-views.server";
import { releasedPhrase } from "~/modules/booking/booking.rules";
import { getSettings } from "~/modules/settings/settings.service.server";
import { requireAdmin } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, ownValue, parseForm, valueOf } from "~/utils/forms";
import { badRequestFor, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { todayIn } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.member.name ?? "Member"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const em = getEm();
  const userId = idParam(params.userId, "that member");
  const member = await findMember(em, userId);
  if (!member) notFound("We could not find that member.");
  const settings = await getSettings(em);
  const [memberships, plans, upcoming, payments] = await Promise.all([
    listMemberships(em, userId),
    listPlans(em),
    upcomingBookings(em, userId, new Date(), 10),
    paymentsOf(em, userId, settings.studioTimeZone),
  ]);
  return json({
    member: { id: member.id, name: member.name, email: member.email, role: member.role },
    memberships,
    upcoming,
    payments,
    plans: plans.map(({ plan }) => ({ id: plan.id, name: plan.name, summary: planSummary(plan) })),
    today: todayIn(settings.studioTimeZone),
    // One submission, one membership: the assign form carries a one-time token.
    formToken: newFormToken(),
  });
}

// A membership paid by a Stripe subscription is changed in Stripe too (`stripe`), in the same step.
const MEMBERSHIP_ACTIONS = {
  pause: { run: pauseMembership, done: "Membership paused.", stripe: { kind: "pause" } },
  resume: { run: resumeMembership, done: "Membership resumed.", stripe: { kind: "resume" } },
  cancel: { run: adminCancelMembership, done: "Membership cancelled.", stripe: { kind: "cancel-now" } },
  "cancel-at-period-end": {
    run: adminCancelAtPeriodEnd,
    done: "Membership cancelled from the end of its billing period.",
    stripe: { kind: "cancel-at-period-end" },
  },
} as const satisfies Record<string, { stripe: SubscriptionChange } & Record<string, unknown>>;

export async function action({ request, params }: ActionFunctionArgs) {
  const admin = await requireAdmin(request);
  const userId = idParam(params.userId, "that member");
  const em = getEm();
  if (!(await findMember(em, userId))) notFound("We could not find that member.");
  const formData = await readFormData(request);
  const intent = String(formData.get("intent") ?? "");
  const back = `/admin/members/${userId}`;
  if (intent === "assign") {
    const form = parseForm(AssignFormSchema.extend({ formToken }), formData);
    if (!form.ok) return badRequestFor("assign", tokenErrorFirst(form));
    const result = await assignMembership(em, { userId, ...form.data, actorId: admin.id });
    if (!result) notFound("We could not find that member.");
    if (!result.ok) return badRequestFor("assign", formFailure({ planId: String(form.data.planId), startDate: form.data.startDate }, result));
    if (result.replayed) return redirectWithFlash(back, { kind: "info", message: "That form was already sent: the membership was assigned once." });
    return redirectWithFlash(back, { kind: "success", message: "Membership assigned." });
  }
  const change = ownValue(MEMBERSHIP_ACTIONS, intent);
  if (change) {
    const form = parseForm(MembershipActionSchema, formData);
    if (!form.ok) return badRequestFor("membership", form);
    const { run, done, stripe } = change;
    // Scoped to this member, so a membership id from another page cannot be changed here.
    const ref = { membershipId: form.data.membershipId, userId };
    // Stripe is told inside the change, before it commits: if Stripe cannot be told, nothing changes.
    const result = await run(em, { ...ref, actorId: admin.id }, new Date(), () => changeSubscription(em, getStripe(), ref, stripe));
    if (!result) notFound("We could not find that membership.");
    if (!result.ok) return badRequestFor("membership", formFailure({}, result));
    // "Membership paused; 2 booked classes were released." when pausing or cancelling gave places back.
    const released = "released" in result ? Number(result.released) : 0;
    return redirectWithFlash(back, { kind: "success", message: released ? `${done.slice(0, -1)}; ${releasedPhrase(released)}.` : done });
  }
  return badRequestFor("unknown", formFailure({}, "Unknown action."));
}

export default function MemberDetail() {
  const { member, memberships, upcoming, payments, plans, today, formToken } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const assignFailure = failure?.intent === "assign" ? failure : undefined;
  return (
    <section aria-labelledby="member-title" className="max-w-3xl">
      <p className="mb-2">
        <Link to="/admin/members">← Members</Link>
      </p>
      <h1 id="member-title" className="text-2xl font-bold">
        {member.name}
      </h1>
      <p className="mb-4 text-slate-700">
        <span>{member.email}</span> · <Link to={`/admin/people/${member.id}`}>Account: role, deactivate</Link>
      </p>
      {failure?.intent === "membership" ? <FormError message={failure.formError} /> : null}
      <h2 className="mb-2 text-xl font-bold">Memberships</h2>
      {memberships.length === 0 ? (
        <p className="card mb-6">No memberships yet.</p>
      ) : (
        <div className="mb-6 space-y-3">
          {memberships.map((m) => (
            <MembershipCard key={m.id} membership={m}>
              {m.status === "ACTIVE" ? <ActionButton membershipId={m.id} intent="pause" label="Pause" /> : null}
              {m.status === "PAUSED" ? <ActionButton membershipId={m.id} intent="resume" label="Resume" /> : null}
              {m.planType === "RECURRING" && (m.status === "ACTIVE" || m.status === "PAUSED") && !m.cancelAtPeriodEnd ? (
                <ActionButton membershipId={m.id} intent="cancel-at-period-end" label="Cancel at the period end" />
              ) : null}
              {m.status === "ACTIVE" || m.status === "PAUSED" ? <ActionButton membershipId={m.id} intent="cancel" label="Cancel now" danger /> : null}
            </MembershipCard>
          ))}
        </div>
      )}
      <section aria-labelledby="payments-title" className="card mb-6">
        <h2 id="payments-title" className="mb-2 text-xl font-bold">
          Payments
        </h2>
        <PaymentsTable payments={payments} empty="No online payments." />
      </section>
      <section aria-labelledby="upcoming-title" className="card mb-6">
        <h2 id="upcoming-title" className="text-xl font-bold">
          Next classes
        </h2>
        <UpcomingBookings bookings={upcoming} linkTo={(id) => `/coach/sessions/${id}`} empty="Nothing booked." />
      </section>
      <section aria-labelledby="assign-title" className="card">
        <h2 id="assign-title" className="mb-2 text-xl font-bold">
          Assign a plan
        </h2>
        <p className="mb-3 text-sm text-slate-700">Gives the plan without payment (for example a plan paid at the desk, or a gift).</p>
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="assign" />
          <input type="hidden" name="formToken" value={formToken} />
          <FormError message={assignFailure?.formError} />
          <SelectField
            label="Plan"
            name="planId"
            placeholder="Choose a plan…"
            options={plans.map((p) => ({ value: p.id, label: `${p.name} — ${p.summary}` }))}
            defaultValue={valueOf(assignFailure?.values, "planId") ?? ""}
            errors={assignFailure?.fieldErrors.planId}
          />
          <Field
            label="Start date"
            name="startDate"
            type="date"
            required
            defaultValue={valueOf(assignFailure?.values, "startDate") ?? today}
            errors={assignFailure?.fieldErrors.startDate}
          />
          <button type="submit" className="btn-primary">
            Assign plan
          </button>
        </Form>
      </section>
    </section>
  );
}

function ActionButton({ membershipId, intent, label, danger }: { membershipId: number; intent: string; label: string; danger?: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="membershipId" value={membershipId} />
      <button type="submit" className={danger ? "btn-danger" : "btn-secondary"}>
        {label}
      </button>
    </Form>
  );
}
