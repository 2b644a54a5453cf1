import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SessionChip } from "~/components/session-bits";
import { countUsersByRole } from "~/modules/auth/users.service.server";
import { membershipTotals } from "~/modules/memberships/members.service.server";
import { calendar } from "~/modules/sessions/session-views.server";
import { requireAdmin } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";

export const meta: MetaFunction = () => [{ title: "Admin · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const em = getEm();
  const [counts, memberships, today] = await Promise.all([countUsersByRole(em), membershipTotals(em), calendar(em, { view: "day" })]);
  const sessions = today.days[0].sessions;
  const open = sessions.filter((s) => s.status !== "CANCELLED");
  return json({
    counts,
    memberships,
    today: sessions,
    booked: open.reduce((sum, s) => sum + s.registered, 0),
    places: open.reduce((sum, s) => sum + s.capacity, 0),
    waiting: open.reduce((sum, s) => sum + s.waitlisted, 0),
  });
}

function Figures({ label, figures }: { label: string; figures: (readonly [string, number])[] }) {
  return (
    <section aria-label={label}>
      <h2 className="mb-2 text-xl font-bold">{label}</h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
        {figures.map(([name, count]) => (
          <div key={name} className="card">
            <dt className="text-sm text-slate-600">{name}</dt>
            <dd className="text-3xl font-bold">{count}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}

export default function AdminHome() {
  const { counts, memberships, today, booked, places, waiting } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="admin-title" className="space-y-6">
      <h1 id="admin-title" className="text-2xl font-bold">
        Admin
      </h1>
      <Figures
        label="People"
        figures={[
          ["Clients", counts.CLIENT],
          ["Coaches", counts.COACH],
          ["Admins", counts.ADMIN],
        ]}
      />
      <Figures
        label="Memberships in effect"
        figures={[
          ["Recurring", memberships.active.RECURRING],
          ["Packs", memberships.active.PACK],
          ["Prepaid passes", memberships.active.PREPAID],
          ["Paused", memberships.paused],
        ]}
      />
      <section aria-labelledby="today-title">
        <h2 id="today-title" className="mb-1 text-xl font-bold">
          Today at the studio
        </h2>
        {today.length === 0 ? (
          <p className="card">No sessions today.</p>
        ) : (
          <>
            <p className="mb-2 text-slate-700">
              {booked} of {places} places booked{waiting ? `, ${waiting} waiting` : ""}.
            </p>
            <ol className="grid gap-2 sm:grid-cols-2 lg:grid-cols-3">
              {today.map((s) => (
                <li key={s.id}>
                  <SessionChip session={s} />
                </li>
              ))}
            </ol>
          </>
        )}
      </section>
      <p className="flex flex-wrap gap-4">
        <Link to="/admin/members">Members</Link>
        <Link to="/admin/plans">Plans</Link>
        <Link to="/admin/settings">Studio settings and features</Link>
      </p>
    </section>
  );
}
