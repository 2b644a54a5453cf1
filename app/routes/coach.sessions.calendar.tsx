import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { AppointmentChip } from "~/components/appointment-bits";
import { SessionChip } from "~/components/session-bits";
import { CalendarQuerySchema } from "~/modules/sessions/sessions.schema";
import { calendar } from "~/modules/sessions/session-views.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { formatDayHeading } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Calendar · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  await requireCoach(request);
  const query = CalendarQuerySchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const data = await calendar(getEm(), { view: query.view, date: query.date, coachId: query.coach });
  return json(data);
}

const link = (view: string, date: string) => `/coach/sessions/calendar?view=${view}&date=${date}`;

export default function Calendar() {
  const { view, date, days, previous, next, today, zone } = useLoaderData<typeof loader>();
  const title = view === "week" ? `Week of ${formatDayHeading(days[0].date)}` : formatDayHeading(date);
  return (
    <section aria-labelledby="calendar-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="calendar-title" className="text-2xl font-bold">
          {title}
        </h1>
        <nav aria-label="Calendar" className="flex flex-wrap gap-2">
          <Link to={link(view, previous)} className="btn-secondary" aria-label={view === "week" ? "Previous week" : "Previous day"}>
            ←
          </Link>
          <Link to={link(view, today)} className="btn-secondary">
            Today
          </Link>
          <Link to={link(view, next)} className="btn-secondary" aria-label={view === "week" ? "Next week" : "Next day"}>
            →
          </Link>
          <Link to={link("week", date)} className={view === "week" ? "btn-primary" : "btn-secondary"} aria-current={view === "week" ? "page" : undefined}>
            Week
          </Link>
          <Link to={link("day", date)} className={view === "day" ? "btn-primary" : "btn-secondary"} aria-current={view === "day" ? "page" : undefined}>
            Day
          </Link>
          <Link to="/coach/sessions/new" className="btn-secondary">
            New session
          </Link>
        </nav>
      </div>
      <p className="mb-3 text-sm text-slate-600">Times in {zone}.</p>
      {view === "week" ? <WeekGrid days={days} today={today} /> : <DayList day={days[0]} />}
    </section>
  );
}

type Day = ReturnType<typeof useLoaderData<typeof loader>>["days"][number];

/** Monday–Sunday columns and one row per hour that has a session; scrolls sideways on a phone. */
function WeekGrid({ days, today }: { days: Day[]; today: string }) {
  const hours = [...new Set(days.flatMap((d) => [...d.sessions, ...d.appointments].map((s) => s.startLabel.slice(0, 2))))].sort();
  if (hours.length === 0) return <p className="card">No sessions this week.</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[56rem] table-fixed border-separate border-spacing-1 text-left">
        <caption className="sr-only">Sessions by day and hour</caption>
        <thead>
          <tr>
            <th scope="col" className="w-16 text-sm">
              Time
            </th>
            {days.map((day) => (
              <th key={day.date} scope="col" className={`rounded p-1 text-sm ${day.date === today ? "bg-amber-100" : ""}`}>
                <Link to={link("day", day.date)} className="text-slate-900">
                  {formatDayHeading(day.date)}
                </Link>
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {hours.map((hour) => (
            <tr key={hour}>
              <th scope="row" className="align-top text-sm font-semibold text-slate-600">
                {hour}:00
              </th>
              {days.map((day) => (
                <td key={day.date} className={`align-top ${day.date === today ? "bg-amber-50" : ""}`}>
                  <ol className="space-y-1">
                    {day.sessions
                      .filter((s) => s.startLabel.startsWith(hour))
                      .map((s) => (
                        <li key={s.id}>
                          <SessionChip session={s} />
                        </li>
                      ))}
                    {day.appointments
                      .filter((a) => a.startLabel.startsWith(hour))
                      .map((a) => (
                        <li key={`appointment-${a.slotId}`}>
                          <AppointmentChip item={a} />
                        </li>
                      ))}
                  </ol>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function DayList({ day }: { day: Day }) {
  if (day.sessions.length === 0 && day.appointments.length === 0) return <p className="card">No sessions on this day.</p>;
  // Sessions and (when switched on) appointment slots, in time order.
  const entries = [
    ...day.sessions.map((session) => ({ at: session.startLabel, session, appointment: null })),
    ...day.appointments.map((appointment) => ({ at: appointment.startLabel, session: null, appointment })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return (
    <ol className="max-w-xl space-y-2">
      {entries.map(({ session: s, appointment: a }) => (
        <li key={s ? s.id : `appointment-${a?.slotId}`}>{s ? <SessionChip session={s} /> : a ? <AppointmentChip item={a} /> : null}</li>
      ))}
    </ol>
  );
}
