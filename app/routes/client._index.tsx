import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { UpcomingBookings } from "~/components/upcoming-bookings";
import { UsageBar } from "~/components/usage-bar";
import { upcomingBookings } from "~/modules/booking/client-views.server";
import { clientCohortPage, type ClientCohortPage } from "~/modules/coaching/client-cohort.server";
import { getSessionUsage } from "~/modules/memberships/membership-views.server";
import { featureFlags } from "~/modules/settings/feature-flags";
import { getSettings } from "~/modules/settings/settings.service.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { unreadCount } from "~/modules/notifications/in-app.server";

export const meta: MetaFunction = () => [{ title: "Home · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const em = getEm();
  const [settings, usage, unread] = await Promise.all([getSettings(em), getSessionUsage(em, user.id), unreadCount(em, user.id)]);
  const features = featureFlags(settings);
  const upcoming = features.sessions ? await upcomingBookings(em, user.id) : [];
  const cohort = features.cohorts ? cohortSummary(await clientCohortPage(em, user.id)) : null;
  return json({ name: user.name, studioName: settings.studioName, features, usage, upcoming, cohort, unread });
}

/** The home page's line about the client's programme: where they are in it and what is due now. */
function cohortSummary(page: ClientCohortPage) {
  if (!page.member || page.membershipStatus !== "ACTIVE") return null;
  const where =
    page.day.phase === "RUNNING"
      ? `Week ${page.day.week} of ${page.cohort.weeks}`
      : page.day.phase === "NOT_STARTED"
        ? `Starts on ${page.cohort.startLabel}`
        : "Finished";
  const due = [
    ...(page.checkIn && !page.checkIn.done ? [`a check-in (${page.checkIn.dueLabel})`] : []),
    ...page.questionnaires.filter((q) => q.state !== "SUBMITTED").map((q) => `the week ${q.week} questionnaire`),
  ];
  return { name: page.cohort.name, where, due };
}

export default function ClientHome() {
  const { name, studioName, features, usage, upcoming, cohort, unread } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title" className="text-2xl font-bold">
        {`Hello, ${name}`}
      </h1>
      <p className="mt-1 text-slate-700">Welcome to {studioName}.</p>
      {usage.length ? (
        <section aria-label="Your usage" className="mt-4 grid gap-3 sm:grid-cols-2">
          {usage.map((u) => (
            <UsageBar key={u.membershipId} usage={u} />
          ))}
        </section>
      ) : null}
      {cohort ? (
        <section aria-labelledby="cohort-title" className="card mt-4">
          <h2 id="cohort-title" className="text-lg font-semibold">
            {cohort.name}: {cohort.where}
          </h2>
          <p className="mt-1 text-slate-700">{cohort.due.length ? `Due now: ${cohort.due.join(" and ")}.` : "You are up to date."}</p>
          <Link to="/client/cohort" className="mt-2 inline-block font-semibold">
            Open your programme
          </Link>
        </section>
      ) : null}
      {features.sessions ? (
        <section aria-labelledby="next-title" className="card mt-4">
          <h2 id="next-title" className="text-lg font-semibold">
            Your next classes
          </h2>
          <UpcomingBookings bookings={upcoming} linkTo={(id) => `/client/sessions/${id}`} empty="Nothing booked yet." />
          <p className="mt-2">
            <Link to="/client/sessions/calendar">My calendar</Link>
          </p>
        </section>
      ) : null}
      <ul className="mt-6 grid gap-4 sm:grid-cols-2">
        {features.sessions ? (
          <li className="card">
            <h2 className="text-lg font-semibold">Book a class</h2>
            <p className="mt-1 text-slate-700">See the timetable and book your next HIIT or CORE session.</p>
            <Link to="/client/sessions" className="mt-3 inline-block font-semibold">
              Browse sessions
            </Link>
          </li>
        ) : null}
        <li className="card">
          <h2 className="text-lg font-semibold">Your health</h2>
          <p className="mt-1 text-slate-700">Record your weight, sleep, energy and mood, and watch your progress.</p>
          <Link to="/client/health" className="mt-3 inline-block font-semibold">
            Record a check-in
          </Link>
        </li>
        <li className="card">
          <h2 className="text-lg font-semibold">Your membership</h2>
          <p className="mt-1 text-slate-700">Check what your plan includes and how much of it you have used.</p>
          <Link to="/client/membership" className="mt-3 inline-block font-semibold">
            View membership
          </Link>
        </li>
        <li className="card">
          <h2 className="text-lg font-semibold">Your notifications</h2>
          <p className="mt-1 text-slate-700">{unread ? `You have ${unread} new.` : "You are up to date."} Choose which emails you get.</p>
          <Link to="/account/notifications" className="mt-3 inline-block font-semibold">
            {unread ? `Notifications (${unread})` : "Notifications"}
          </Link>
        </li>
        <li className="card">
          <h2 className="text-lg font-semibold">Your account</h2>
          <p className="mt-1 text-slate-700">Keep your account safe with a strong password.</p>
          <Link to="/account/password" className="mt-3 inline-block font-semibold">
            Change password
          </Link>
        </li>
      </ul>
    </section>
  );
}
