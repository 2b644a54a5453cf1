import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { countUsersByRole } from "~/modules/auth/users.service.server";
import { requireAdmin } from "~/utils/auth.server";
import { getEm } from "~/utils/db.server";

export const meta: MetaFunction = () => [{ title: "Admin · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  return json({ counts: await countUsersByRole(getEm()) });
}

export default function AdminHome() {
  const { counts } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title" className="text-2xl font-bold">
        Admin
      </h1>
      <dl className="mt-6 grid grid-cols-3 gap-4 sm:max-w-lg">
        {(
          [
            ["Clients", counts.CLIENT],
            ["Coaches", counts.COACH],
            ["Admins", counts.ADMIN],
          ] as const
        ).map(([label, count]) => (
          <div key={label} className="card">
            <dt className="text-sm text-slate-600">{label}</dt>
            <dd className="text-3xl font-bold">{count}</dd>
          </div>
        ))}
      </dl>
      <p className="mt-6">
        <Link to="/admin/settings">Studio settings and features</Link>
      </p>
    </section>
  );
}
