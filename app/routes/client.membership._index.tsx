import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { PaymentsTable } from "~/components/payments-table";
import { paymentsOf } from "~/modules/billing/payments.service.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { hasStripeCustomer, portalUrl } from "~/modules/billing/subscription-sync.service.server";
import { getStripe } from "~/modules/billing/stripe.server";
import { formFailure } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";
import { MembershipCard } from "~/components/membership-card";
import { listMemberships } from "~/modules/memberships/membership-views.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "My membership · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const em = getEm();
  const zone = (await getSettings(em)).studioTimeZone;
  return json({
    memberships: await listMemberships(em, user.id),
    paysOnline: await hasStripeCustomer(em, user.id),
    payments: await paymentsOf(em, user.id, zone),
  });
}

/** "Manage card and invoices": Stripe's Customer Portal, back here afterwards. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const intent = (await readFormData(request)).get("intent");
  if (intent !== "portal") return badRequest(formFailure({}, "Unknown action."));
  const portal = await portalUrl(getEm(), getStripe(), { userId: user.id, returnUrl: `${new URL(request.url).origin}/client/membership` });
  if (!portal) return badRequest(formFailure({}, "You have not paid online yet, so there is no card or invoice to manage."));
  if ("ok" in portal) return badRequest(formFailure({}, portal));
  return redirect(portal.url, 303);
}

export default function MyMembership() {
  const { memberships, paysOnline, payments } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const current = memberships.filter((m) => m.status === "ACTIVE" || m.status === "PAUSED");
  const past = memberships.filter((m) => m.status === "EXPIRED" || m.status === "CANCELLED");
  return (
    <section aria-labelledby="membership-title" className="max-w-3xl">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="membership-title" className="text-2xl font-bold">
          My membership
        </h1>
        <div className="flex flex-wrap gap-2">
          {paysOnline ? (
            <Form method="post">
              <input type="hidden" name="intent" value="portal" />
              <button type="submit" className="btn-secondary">
                Manage card and invoices
              </button>
            </Form>
          ) : null}
          <Link to="/client/membership/plans" className="btn-secondary">
            See all plans
          </Link>
        </div>
      </div>
      <FormError message={failure?.formError} />
      <h2 className="mb-2 text-xl font-bold">Current</h2>
      {current.length === 0 ? (
        <p className="card mb-6">
          You have no current membership. <Link to="/client/membership/plans">Choose a plan</Link> to start booking classes.
        </p>
      ) : (
        <div className="mb-6 space-y-3">
          {current.map((m) => (
            <MembershipCard key={m.id} membership={m}>
              {m.status === "ACTIVE" && !m.cancelAtPeriodEnd ? (
                <Link to={`/client/membership/${m.id}/cancel`} className="btn-secondary">
                  Cancel membership
                </Link>
              ) : null}
              {m.cancelAtPeriodEnd && m.endDate ? <p className="text-sm">Cancelled: you can keep booking until {formatDate(m.endDate, "UTC")}.</p> : null}
            </MembershipCard>
          ))}
        </div>
      )}
      {past.length ? (
        <>
          <h2 className="mb-2 text-xl font-bold">History</h2>
          <div className="space-y-3">
            {past.map((m) => (
              <MembershipCard key={m.id} membership={m} />
            ))}
          </div>
        </>
      ) : null}
      <section aria-labelledby="payments-title" className="card mt-6">
        <h2 id="payments-title" className="mb-2 text-xl font-bold">
          Payments
        </h2>
        <PaymentsTable payments={payments} empty="No online payments yet." />
      </section>
    </section>
  );
}
