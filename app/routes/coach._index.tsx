import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { countUsersByRole } from "~/modules/auth/users.service.server";
import { requireCoach } from "~/utils/auth.server";
import { getEm } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Coach dashboard · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCoach(request);
  const counts = await countUsersByRole(getEm());
  return json({ name: user.name, clients: counts.CLIENT, coaches: counts.COACH });
}

export default function CoachDashboard() {
  const { name, clients, coaches } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="coach-title">
      <h1 id="coach-title" className="text-2xl font-bold">
        Coach dashboard
      </h1>
      <p className="mt-1 text-slate-700">Signed in as {name}.</p>
      <dl className="mt-6 grid grid-cols-2 gap-4 sm:max-w-md">
        <div className="card">
          <dt className="text-sm text-slate-600">Clients</dt>
          <dd className="text-3xl font-bold">{clients}</dd>
        </div>
        <div className="card">
          <dt className="text-sm text-slate-600">Coaches</dt>
          <dd className="text-3xl font-bold">{coaches}</dd>
        </div>
      </dl>
      <p className="mt-6">
        <Link to="/account/password">Change your password</Link>
      </p>
    </section>
  );
}
