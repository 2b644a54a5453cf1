import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ClientComplianceSummary, ClientLinks } from "~/components/client-bits";
import { AttendanceHistoryTable, CheckInsTable, CohortWeeksTable } from "~/components/client-tables";
import { Pagination } from "~/components/pagination";
import { UpcomingBookings } from "~/components/upcoming-bookings";
import { UsageBar } from "~/components/usage-bar";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { attendanceLabel } from "~/modules/coaching/clients.rules";
import { ClientHistorySchema } from "~/modules/coaching/clients.schema";
import { clientDetail } from "~/modules/coaching/clients.service.server";
import { getEm } from "~/modules/db.server";
import { notFound } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { formatDate } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.client.name ?? "Client"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const viewer = await requireCoach(request);
  const userId = idParam(params.userId, "that client");
  const url = new URL(request.url);
  const parsed = ClientHistorySchema.safeParse(Object.fromEntries(url.searchParams));
  // A client who is not the coach's answers 404 like one who does not exist.
  const detail = await clientDetail(getEm(), viewer, userId, { historyPage: parsed.success ? parsed.data.page : undefined });
  if (!detail) notFound("We could not find that client.");
  return json({ ...detail, query: url.searchParams.toString() });
}

const COHORT_MEMBER_LABELS = { ACTIVE: "Member", COMPLETED: "Completed", LEFT: "Left" } as const;

export default function ClientPage() {
  const { client, upcoming, history, coaching, query } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="client-title" className="max-w-4xl">
      <p className="mb-2">
        <Link to="/coach/clients">← Clients</Link>
      </p>
      <h1 id="client-title" className="text-2xl font-bold">
        {client.name}
      </h1>
      <p className="text-slate-700">{client.email}</p>
      <div className="mt-2 mb-4">
        <ClientLinks client={client} />
      </div>

      <dl className="mb-6 grid gap-4 sm:grid-cols-3">
        <div className="card">
          <dt className="text-sm text-slate-600">Last attended</dt>
          <dd className="text-lg font-semibold">{client.lastAttended ? formatDate(client.lastAttended, "UTC") : "Never"}</dd>
        </div>
        <div className="card">
          <dt className="text-sm text-slate-600">Attended, last 4 weeks</dt>
          <dd className="text-lg font-semibold">{attendanceLabel(client.attendance)}</dd>
        </div>
        <div className="card">
          <dt className="text-sm text-slate-600">Cohort compliance</dt>
          <dd className="text-lg font-semibold">
            <ClientComplianceSummary compliance={client.compliance} />
          </dd>
        </div>
      </dl>

      <section aria-labelledby="memberships-title" className="mb-6">
        <h2 id="memberships-title" className="mb-2 text-xl font-bold">
          Memberships
        </h2>
        {client.memberships.length === 0 ? (
          <p className="card">No current membership.</p>
        ) : (
          <ul className="space-y-2">
            {client.memberships.map((m) => (
              <li key={m.id}>{m.usage ? <UsageBar usage={m.usage} /> : <p className="card">{m.planName}: paused</p>}</li>
            ))}
          </ul>
        )}
      </section>

      {coaching ? (
        <>
          <section aria-labelledby="check-ins-title" className="card mb-6">
            <h2 id="check-ins-title" className="text-xl font-bold">
              Latest check-ins
            </h2>
            <p className="mb-2">
              <Link to={`/coach/clients/${client.id}/health`}>Health history and charts, or enter a check-in</Link>
            </p>
            <CheckInsTable checkIns={coaching.checkIns} />
          </section>
          {coaching.cohorts.map((cohort) => (
            <section key={cohort.id} aria-labelledby={`cohort-${cohort.id}-title`} className="card mb-6">
              <h2 id={`cohort-${cohort.id}-title`} className="text-xl font-bold">
                <Link to={`/coach/cohorts/${cohort.id}`}>{cohort.name}</Link>
              </h2>
              <p className="mb-2 text-sm text-slate-700">
                {COHORT_MEMBER_LABELS[cohort.membershipStatus]} ·{" "}
                {cohort.compliance.week
                  ? `week ${cohort.compliance.week} of ${cohort.weeks}`
                  : `${cohort.weeks} weeks from ${formatDate(cohort.startDate, "UTC")}`}{" "}
                · check-ins {cohort.compliance.labels.checkIns} · questionnaires {cohort.compliance.labels.questionnaires} · {cohort.compliance.classesAttended}{" "}
                class
                {cohort.compliance.classesAttended === 1 ? "" : "es"} attended
              </p>
              <CohortWeeksTable cohort={cohort} clientId={client.id} />
            </section>
          ))}
        </>
      ) : null}

      <section aria-labelledby="upcoming-title" className="card mb-6">
        <h2 id="upcoming-title" className="text-xl font-bold">
          Upcoming bookings
        </h2>
        <UpcomingBookings bookings={upcoming} linkTo={(id) => `/coach/sessions/${id}`} empty="Nothing booked." />
      </section>

      <section aria-labelledby="history-title" className="card">
        <h2 id="history-title" className="mb-2 text-xl font-bold">
          Attendance history
        </h2>
        <p className="mb-2 text-sm text-slate-700" role="status">
          {history.total} past class{history.total === 1 ? "" : "es"} · page {history.page} of {history.pageCount}
        </p>
        <AttendanceHistoryTable items={history.items} />
        <Pagination query={query} page={history.page} pageCount={history.pageCount} />
      </section>
    </section>
  );
}
