import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { NeedsReplyList } from "~/components/feedback-queue";
import { SessionChip } from "~/components/session-bits";
import { countUsersByRole } from "~/modules/auth/users.service.server";
import { needsReplyForViewer } from "~/modules/coaching/review.service.server";
import { calendar } from "~/modules/sessions/session-views.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";

export const meta: MetaFunction = () => [{ title: "Coach dashboard · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireCoach(request);
  const em = getEm();
  const [counts, today, needsReply] = await Promise.all([
    countUsersByRole(em),
    calendar(em, { view: "day", coachId: user.id }),
    needsReplyForViewer(em, user, 5),
  ]);
  return json({ name: user.name, clients: counts.CLIENT, coaches: counts.COACH, today: today.days[0].sessions, needsReply });
}

export default function CoachDashboard() {
  const { name, clients, coaches, today, needsReply } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="coach-title">
      <h1 id="coach-title" className="text-2xl font-bold">
        Coach dashboard
      </h1>
      <p className="mt-1 text-slate-700">Signed in as {name}.</p>
      <div className="mt-6 grid gap-6 md:grid-cols-2">
        <section aria-labelledby="today-title">
          <h2 id="today-title" className="mb-2 text-xl font-bold">
            Your sessions today
          </h2>
          {today.length === 0 ? (
            <p className="card">No sessions for you today.</p>
          ) : (
            <ol className="space-y-2">
              {today.map((s) => (
                <li key={s.id}>
                  <SessionChip session={s} />
                </li>
              ))}
            </ol>
          )}
          <p className="mt-3 flex flex-wrap gap-3">
            <Link to="/coach/sessions/calendar">Week calendar</Link>
            <Link to="/coach/sessions/new">New session</Link>
            <Link to="/coach/sessions/recurring">Recurring sessions</Link>
          </p>
        </section>
        <dl className="grid h-fit grid-cols-2 gap-4">
          <div className="card">
            <dt className="text-sm text-slate-600">Clients</dt>
            <dd className="text-3xl font-bold">{clients}</dd>
          </div>
          <div className="card">
            <dt className="text-sm text-slate-600">Coaches</dt>
            <dd className="text-3xl font-bold">{coaches}</dd>
          </div>
        </dl>
      </div>
      <section aria-labelledby="needs-reply-title" className="card mt-6">
        <h2 id="needs-reply-title" className="mb-2 text-xl font-bold">
          Needs reply ({needsReply.total})
        </h2>
        {needsReply.total === 0 ? (
          <p>No submitted questionnaires are waiting for your feedback.</p>
        ) : (
          <>
            <p className="mb-2 text-sm text-slate-600">
              Submitted weeks in your cohorts without published feedback, oldest first
              {needsReply.total > needsReply.items.length ? ` (the ${needsReply.items.length} oldest shown)` : ""}.
            </p>
            <NeedsReplyList items={needsReply.items} showCohort />
          </>
        )}
      </section>
    </section>
  );
}
