import { changeSubscription } from "~/modules/billing/subscription-sync.service.server";
import { getStripe } from "~/modules/billing/stripe.server";
import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { releasedPhrase } from "~/modules/booking/booking.rules";
import { clientCancellation } from "~/modules/memberships/memberships.rules";
import { clientCancelMembership } from "~/modules/memberships/lifecycle.service.server";
import { listMemberships } from "~/modules/memberships/membership-views.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure } from "~/utils/forms";
import { badRequest, notFound } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { formatDate, todayIn } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Cancel membership · Centurion" }];

/** Only the owner's own memberships are found: another client's id is a 404, never a peek. */
async function ownMembership(request: Request, rawId: string | undefined) {
  const user = await requireUser(request);
  const id = idParam(rawId, "that membership");
  const membership = (await listMemberships(getEm(), user.id)).find((m) => m.id === id);
  if (!membership) notFound("We could not find that membership.");
  return { user, membership };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { membership } = await ownMembership(request, params.id);
  const settings = await getSettings(getEm());
  const when = clientCancellation(membership, todayIn(settings.studioTimeZone));
  return json({
    membership: { id: membership.id, planName: membership.planName, status: membership.status, cancelAtPeriodEnd: membership.cancelAtPeriodEnd },
    endsOn: when.kind === "at-period-end" ? formatDate(when.endDate, "UTC") : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, membership } = await ownMembership(request, params.id);
  const em = getEm();
  const when = clientCancellation(membership, todayIn((await getSettings(em)).studioTimeZone));
  // A subscription stops in Stripe too (at the period's end, or the commitment's), before the cancel commits.
  const change = when.kind === "at-period-end" ? { kind: "cancel-after" as const, lastDay: when.endDate } : { kind: "cancel-now" as const };
  const ref = { membershipId: membership.id, userId: user.id };
  const result = await clientCancelMembership(em, ref, new Date(), () => changeSubscription(em, getStripe(), ref, change));
  if (!result) notFound("We could not find that membership.");
  if (!result.ok) return badRequest(formFailure({}, result));
  const released = result.released ? ` ${upperFirst(releasedPhrase(result.released))}.` : "";
  return redirectWithFlash("/client/membership", {
    kind: "success",
    message:
      (result.kind === "at-period-end" && result.endDate
        ? `Your ${membership.planName} is cancelled. You can keep booking until ${formatDate(result.endDate, "UTC")}; you will not be charged again.`
        : `Your ${membership.planName} is cancelled.`) + released,
  });
}

const upperFirst = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

export default function CancelMembership() {
  const { membership, endsOn } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const ending = membership.status !== "ACTIVE" || membership.cancelAtPeriodEnd;
  return (
    <section aria-labelledby="cancel-title" className="card mx-auto max-w-lg">
      <h1 id="cancel-title" className="mb-2 text-2xl font-bold">
        Cancel {membership.planName}?
      </h1>
      <FormError message={failure?.formError} />
      {ending ? (
        <p>This membership is already ending or has ended.</p>
      ) : (
        <>
          <p className="mb-2">
            {endsOn
              ? `It stays active until the end of this billing period, ${endsOn}, and then stops. You will not be charged again.`
              : "It ends today. Any sessions or days left on it are given up."}
          </p>
          <p className="mb-4">
            {endsOn
              ? `Classes you have booked after ${endsOn} are released, unless another membership of yours covers them.`
              : "Classes you have booked with it are released, unless another membership of yours covers them."}
          </p>
          <Form method="post" className="flex flex-wrap gap-3">
            <button type="submit" className="btn-danger">
              Yes, cancel it
            </button>
            <Link to="/client/membership" className="btn-secondary">
              Keep my membership
            </Link>
          </Form>
        </>
      )}
    </section>
  );
}
