import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { MembershipCard } from "~/components/membership-card";
import { listMemberships } from "~/modules/memberships/membership-views.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { formatDate } from "~/utils/time";

export const meta: MetaFunction = () => [{ title: "My membership · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ memberships: await listMemberships(getEm(), user.id) });
}

export default function MyMembership() {
  const { memberships } = useLoaderData<typeof loader>();
  const current = memberships.filter((m) => m.status === "ACTIVE" || m.status === "PAUSED");
  const past = memberships.filter((m) => m.status === "EXPIRED" || m.status === "CANCELLED");
  return (
    <section aria-labelledby="membership-title" className="max-w-3xl">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="membership-title" className="text-2xl font-bold">
          My membership
        </h1>
        <Link to="/client/membership/plans" className="btn-secondary">
          See all plans
        </Link>
      </div>
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
    </section>
  );
}
