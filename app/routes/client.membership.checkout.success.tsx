import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/modules/auth/auth-session.server";
import { syncCheckoutSession } from "~/modules/billing/checkout.service.server";
import { getStripe } from "~/modules/billing/stripe.server";
import { getEm } from "~/modules/db.server";
import { planSummary } from "~/modules/memberships/memberships.rules";
import { notFound } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Thank you · Centurion" }];

/**
 * Stripe sends the client here after paying. The membership is made now, as the webhook would make it
 * (once, whichever comes first), so the client can book straight away.
 */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = new URL(request.url).searchParams.get("session_id");
  const stripe = getStripe();
  if (!sessionId || !/^[\w-]{1,200}$/.test(sessionId) || !stripe) notFound("We could not find that payment.");
  const result = await syncCheckoutSession(getEm(), stripe, sessionId, { userId: user.id });
  if (!result) notFound("We could not find that payment.");
  if (!result.ok) return json({ state: "pending" as const, message: result.formError ?? "" });
  const { plan } = result.membership;
  return json({ state: "ready" as const, planName: plan.name, summary: planSummary(plan) });
}

export default function CheckoutSuccess() {
  const data = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="success-title" className="card max-w-xl">
      {data.state === "ready" ? (
        <>
          <h1 id="success-title" className="mb-2 text-2xl font-bold">
            Thank you: your {data.planName} is ready
          </h1>
          <p className="mb-4">{data.summary}</p>
          <p className="flex flex-wrap gap-3">
            <Link to="/client/sessions" className="btn-primary">
              Book a class
            </Link>
            <Link to="/client/membership">See your membership</Link>
          </p>
        </>
      ) : (
        <>
          <h1 id="success-title" className="mb-2 text-2xl font-bold">
            Thank you: your payment is on its way
          </h1>
          <p className="mb-4">{data.message}</p>
          <Link to="/client/membership">See your membership</Link>
        </>
      )}
    </section>
  );
}
