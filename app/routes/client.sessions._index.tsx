import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData, useLocation } from "@remix-run/react";
import { ClientSessionList } from "~/components/client-session-card";
import { usePlainLinksAndForms } from "~/components/plain-links-and-forms";
import { UsageBar } from "~/components/usage-bar";
import { TimetableQuerySchema } from "~/modules/booking/booking.schema";
import { clientWeekRead } from "~/modules/booking/client-views.server";
import { sessionUsageRead } from "~/modules/memberships/membership-views.server";
import { classTypeOptionsRead } from "~/modules/sessions/class-types.service.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { readTogether } from "~/modules/reads.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { addDays, formatDayHeading, todayIn } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Sessions · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const query = TimetableQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const em = getEm();
  const studio = await getSettings(em);
  const from = query.date ?? todayIn(studio.studioTimeZone);
  // Everything the page shows in one round trip to the database.
  const [{ items, cohort }, usage, classTypes] = await readTogether(em, [
    clientWeekRead(studio, { userId: user.id, from, classTypeId: query.classType }),
    sessionUsageRead(studio.studioTimeZone, user.id),
    classTypeOptionsRead(),
  ]);
  return json({ items, from, cohort, usage, classTypes, classType: query.classType ?? null });
}

export default function ClientSessions() {
  const { items, from, cohort, usage, classTypes, classType } = useLoaderData<typeof loader>();
  const location = useLocation();
  const plainLinksAndForms = usePlainLinksAndForms();
  const here = `${location.pathname}${location.search}`;
  const days = Array.from({ length: 7 }, (_, i) => addDays(from, i));
  const query = (date: string) => `?date=${date}${classType ? `&classType=${classType}` : ""}`;
  return (
    <section aria-labelledby="sessions-title" {...plainLinksAndForms}>
      <div className="mb-3 flex flex-wrap items-center justify-between gap-3">
        <h1 id="sessions-title" className="text-2xl font-bold">
          Book a session
        </h1>
        <Link to="/client/sessions/calendar" className="btn-secondary">
          My calendar
        </Link>
      </div>
      {usage.length ? (
        <section aria-label="Your usage" className="mb-4 grid gap-3 sm:grid-cols-2">
          {usage.map((u) => (
            <UsageBar key={u.membershipId} usage={u} />
          ))}
        </section>
      ) : (
        <p className="card mb-4">
          You have no active membership, so you cannot book yet. <Link to="/client/membership/plans">See the plans</Link>.
        </p>
      )}
      {cohort ? (
        <section aria-labelledby="cohort-sessions-title" className="card mb-4 border-l-4 border-l-sky-700">
          <h2 id="cohort-sessions-title" className="mb-2 text-lg font-bold">
            Your cohort: {cohort.cohort.name}
          </h2>
          {cohort.items.length === 0 ? (
            <p className="text-slate-600">No upcoming cohort sessions in these 7 days.</p>
          ) : (
            <ClientSessionList sessions={cohort.items} redirectTo={here} withDay />
          )}
        </section>
      ) : null}
      <Form method="get" className="card mb-4 flex flex-wrap items-end gap-3" aria-label="Filter sessions">
        <label className="text-sm font-medium">
          From
          <input type="date" name="date" defaultValue={from} className="field-input mt-1" />
        </label>
        <label className="text-sm font-medium">
          Class
          <select name="classType" defaultValue={classType ?? ""} className="field-input mt-1">
            <option value="">All classes</option>
            {classTypes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="btn-primary">
          Show
        </button>
        <span className="flex gap-2">
          <Link to={query(addDays(from, -7))} className="btn-secondary" aria-label="Previous week">
            ←
          </Link>
          <Link to={query(addDays(from, 7))} className="btn-secondary" aria-label="Next week">
            →
          </Link>
        </span>
      </Form>
      {days.map((day) => {
        const sessions = items.filter((s) => s.date === day);
        return (
          <section key={day} aria-labelledby={`day-${day}`} className="mb-5">
            <h2 id={`day-${day}`} className="mb-2 text-lg font-bold">
              {formatDayHeading(day)}
            </h2>
            {sessions.length === 0 ? <p className="text-slate-600">No sessions.</p> : <ClientSessionList sessions={sessions} redirectTo={here} />}
          </section>
        );
      })}
    </section>
  );
}
