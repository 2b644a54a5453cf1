import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { requireUser } from "~/modules/auth/auth-session.server";

export const meta: MetaFunction = () => [{ title: "Payment cancelled · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  return null;
}

/** Stripe sends the client here when they leave the payment page or the payment is declined. */
export default function CheckoutCancelled() {
  return (
    <section aria-labelledby="cancel-title" className="card max-w-xl">
      <h1 id="cancel-title" className="mb-2 text-2xl font-bold">
        No payment was taken
      </h1>
      <p className="mb-4">You have not bought anything. You can choose a plan again whenever you like.</p>
      <Link to="/client/membership/plans" className="btn-primary">
        Back to the plans
      </Link>
    </section>
  );
}
