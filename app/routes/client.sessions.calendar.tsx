import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ClientAppointmentItem } from "~/components/appointment-bits";
import { ColorSwatch } from "~/components/session-bits";
import { clientAppointmentsInRange, type ClientAppointmentInRange } from "~/modules/appointments/appointment-views.server";
import { CalendarWeekQuerySchema } from "~/modules/booking/booking.schema";
import { myRegistrations } from "~/modules/booking/client-views.server";
import { sessionLabels } from "~/modules/sessions/sessions.rules";
import { calendarFeedStatus, replaceCalendarFeed } from "~/modules/booking/calendar-feed.server";
import { featureFlags } from "~/modules/settings/feature-flags";
import { getSettings } from "~/modules/settings/settings.service.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { formFailure } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";
import { addDays, formatDate, formatDayHeading, todayIn } from "~/utils/dates";
import { weekRange } from "~/utils/time";

export const meta: MetaFunction = () => [{ title: "My calendar · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const url = new URL(request.url);
  const em = getEm();
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const date = CalendarWeekQuerySchema.parse(Object.fromEntries(url.searchParams)).date ?? todayIn(zone);
  const week = weekRange(date, zone);
  const [registrations, feed, appointments] = await Promise.all([
    myRegistrations(em, user.id, week),
    calendarFeedStatus(em, user.id),
    featureFlags(settings).appointments ? clientAppointmentsInRange(em, user.id, week) : ([] as ClientAppointmentInRange[]),
  ]);
  return json({
    days: week.days,
    today: todayIn(zone),
    previous: addDays(date, -7),
    next: addDays(date, 7),
    // The feed's URL is not kept (only its hash), so the page says whether there is one and when it was read.
    feed: feed && {
      made: formatDate(feed.createdAt, zone),
      lastRead: feed.lastUsedAt ? formatDate(feed.lastUsedAt, zone) : null,
      lapsed: feed.lapsed,
    },
    items: registrations.map((r) => ({
      id: r.session.id,
      ...sessionLabels(r.session, zone),
      status: r.status,
      position: r.waitlistPosition ?? null,
      cancelled: r.session.status === "CANCELLED",
    })),
    appointments,
  });
}

/** Makes a new feed (any older link stops working) and shows its URL this once: it is not kept. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  if (formData.get("intent") !== "replace-feed") return badRequest(formFailure({}, "Unknown action."));
  const token = await replaceCalendarFeed(getEm(), user.id);
  return json({ feedUrl: `${new URL(request.url).origin}/calendar/feed/${token}` }, { headers: { "Cache-Control": "no-store" } });
}

const STATE = { REGISTERED: "Booked", WAITLISTED: "Waitlist", ATTENDED: "Attended", NO_SHOW: "No-show" } as Record<string, string>;

export default function MyCalendar() {
  const { days, today, previous, next, items, appointments, feed } = useLoaderData<typeof loader>();
  const made = useActionData<typeof action>();
  const feedUrl = made && "feedUrl" in made ? made.feedUrl : null;
  return (
    <section aria-labelledby="calendar-title">
      <div className="mb-4 flex flex-wrap items-center justify-between gap-3">
        <h1 id="calendar-title" className="text-2xl font-bold">
          My calendar: week of {formatDayHeading(days[0])}
        </h1>
        <nav aria-label="Weeks" className="flex gap-2">
          <Link to={`?date=${previous}`} className="btn-secondary" aria-label="Previous week">
            ←
          </Link>
          <Link to={`?date=${today}`} className="btn-secondary">
            This week
          </Link>
          <Link to={`?date=${next}`} className="btn-secondary" aria-label="Next week">
            →
          </Link>
        </nav>
      </div>
      <div className="grid gap-3 md:grid-cols-7">
        {days.map((day) => {
          // Classes and (when switched on) appointments, in time order.
          const entries = [
            ...items.filter((i) => i.date === day).map((session) => ({ at: session.startLabel, session, appointment: null })),
            ...appointments.filter((a) => a.date === day).map((appointment) => ({ at: appointment.startLabel, session: null, appointment })),
          ].sort((a, b) => a.at.localeCompare(b.at));
          return (
            <section
              key={day}
              aria-label={formatDayHeading(day)}
              className={`rounded-lg p-2 ${day === today ? "bg-amber-50 ring-2 ring-amber-400" : "bg-slate-100"}`}
            >
              <h2 className="mb-2 text-sm font-bold">{formatDayHeading(day)}</h2>
              {entries.length === 0 ? (
                <p className="text-sm text-slate-600">Nothing booked</p>
              ) : (
                <ul className="space-y-2">
                  {entries.map(({ session: i, appointment: a }) =>
                    i ? (
                      <li key={i.id} className="rounded-md border-l-4 bg-white p-2 text-sm shadow-sm" style={{ borderLeftColor: i.color }}>
                        <Link to={`/client/sessions/${i.id}`} className="block font-semibold text-slate-900">
                          {i.startLabel}–{i.endLabel} <span className={i.cancelled ? "line-through" : ""}>{i.title}</span>
                        </Link>
                        <span className="flex items-center gap-1 text-slate-700">
                          <ColorSwatch color={i.color} />{" "}
                          {i.cancelled ? "Cancelled" : i.status === "WAITLISTED" ? `Waitlist, position ${i.position}` : STATE[i.status]}
                        </span>
                        <a href={`/client/sessions/${i.id}/ics`} className="text-xs">
                          Add to calendar
                        </a>
                      </li>
                    ) : a ? (
                      <ClientAppointmentItem key={`appointment-${a.bookingId}`} item={a} />
                    ) : null,
                  )}
                </ul>
              )}
            </section>
          );
        })}
      </div>
      <section aria-labelledby="feed-title" className="card mt-6 max-w-2xl">
        <h2 id="feed-title" className="text-lg font-bold">
          Subscribe in your calendar app
        </h2>
        <p className="mt-1 text-sm text-slate-700">
          Add this private link as a calendar subscription (Google Calendar: “From URL”; Apple: “New Calendar Subscription”). Your bookings then appear and
          update there. Keep it to yourself.
        </p>
        {feedUrl ? (
          <>
            <p role="status" className="mt-2 rounded-md border border-green-300 bg-green-50 p-2 text-sm text-green-900">
              Here is your new calendar link. Copy it into your calendar app now: for your safety it is shown only this once. Any older link no longer works.
            </p>
            <label htmlFor="feed-url" className="mt-2 block text-sm font-medium">
              Your private calendar link
            </label>
            <input id="feed-url" readOnly value={feedUrl} className="field-input mt-1 font-mono text-sm" />
          </>
        ) : feed ? (
          <p className="mt-2 text-sm text-slate-700">
            {feed.lapsed
              ? `Your calendar link from ${feed.made} has stopped working: no calendar app read it for three months. Make a new one.`
              : `You made your calendar link on ${feed.made}${feed.lastRead ? `; a calendar app last read it on ${feed.lastRead}` : ""}. It is shown only when it is made: if you need it again, replace it.`}
          </p>
        ) : (
          <p className="mt-2 text-sm text-slate-700">You have no calendar link yet.</p>
        )}
        <p className="mt-2 text-sm text-slate-700">Changing or resetting your password also stops the link.</p>
        <Form method="post" className="mt-3">
          <input type="hidden" name="intent" value="replace-feed" />
          <button type="submit" className="btn-secondary">
            {feed && !feed.lapsed ? "Replace the link (stops the old one)" : "Make my calendar link"}
          </button>
        </Form>
      </section>
    </section>
  );
}
