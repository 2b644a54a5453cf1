import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BookingStateBadge } from "~/components/appointment-bits";
import { FormError } from "~/components/field";
import { ColorSwatch } from "~/components/session-bits";
import { clientAppointments, type MyAppointmentItem } from "~/modules/appointments/appointment-views.server";
import { AppointmentFiltersSchema, BookAppointmentSchema } from "~/modules/appointments/appointments.schema";
import { bookAppointment } from "~/modules/appointments/appointments.service.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";
import { formatDayHeading } from "~/utils/dates";

export const meta: MetaFunction = () => [{ title: "Appointments · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const filters = AppointmentFiltersSchema.parse(Object.fromEntries(new URL(request.url).searchParams));
  const page = await clientAppointments(getEm(), { userId: user.id, coachId: filters.coach, classTypeId: filters.type });
  return json({ ...page, filters: { coach: filters.coach ?? null, type: filters.type ?? null } });
}

/** POST /client/appointments with intent=book and slotId: books that slot, 303 back here. */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const formData = await readFormData(request);
  if (formData.get("intent") !== "book") return badRequest(formFailure({}, "Unknown action."));
  const form = parseForm(BookAppointmentSchema, formData);
  if (!form.ok) return badRequest(formFailure({}, form.fieldErrors.slotId?.[0] ?? "Choose an appointment slot."));
  const result = await bookAppointment(getEm(), { slotId: form.data.slotId, userId: user.id });
  if (!result) return badRequest(formFailure({}, "That appointment slot no longer exists."));
  if (!result.ok) return badRequest(formFailure({}, result));
  return redirectWithFlash(`/client/appointments/${result.bookingId}`, {
    kind: "success",
    message: `Your appointment is booked${result.charged ? `: one session of your ${result.planName} was used` : ""}.`,
  });
}

export default function ClientAppointments() {
  const { days, coaches, classTypes, upcoming, past, filters, zone } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  return (
    <section aria-labelledby="appointments-title">
      <h1 id="appointments-title" className="mb-1 text-2xl font-bold">
        Appointments
      </h1>
      <p className="mb-4 text-slate-700">1-on-1 time with a coach, such as a sports massage. Times in {zone}.</p>
      <FormError message={failure?.formError} />

      <section aria-labelledby="mine-title" className="card mb-6">
        <h2 id="mine-title" className="mb-2 text-xl font-bold">
          Your upcoming appointments
        </h2>
        {upcoming.length === 0 ? <p>None booked.</p> : <MyList items={upcoming} />}
      </section>

      <section aria-labelledby="book-title" className="mb-6">
        <h2 id="book-title" className="mb-2 text-xl font-bold">
          Book an appointment
        </h2>
        <Form method="get" className="card mb-4 flex flex-wrap items-end gap-3" aria-label="Filter appointment slots">
          <label className="text-sm font-medium">
            Coach
            <select name="coach" defaultValue={filters.coach ?? ""} className="field-input mt-1">
              <option value="">Any coach</option>
              {coaches.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label className="text-sm font-medium">
            Type
            <select name="type" defaultValue={filters.type ?? ""} className="field-input mt-1">
              <option value="">Any type</option>
              {classTypes.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" className="btn-secondary">
            Show
          </button>
        </Form>
        {days.length === 0 ? (
          <p className="card">No open slots in the next four weeks{filters.coach || filters.type ? " for that choice" : ""}.</p>
        ) : (
          days.map((day) => (
            <section key={day.date} aria-labelledby={`day-${day.date}`} className="mb-4">
              <h3 id={`day-${day.date}`} className="mb-2 text-lg font-bold">
                {formatDayHeading(day.date)}
              </h3>
              <ul className="space-y-2">
                {day.slots.map((s) => {
                  const label = `${s.startLabel}–${s.endLabel} ${s.classTypeName} with ${s.coachName}`;
                  return (
                    <li
                      key={s.slotId}
                      className="flex flex-wrap items-center justify-between gap-3 rounded-md border-l-4 bg-white p-3 shadow-sm"
                      style={{ borderLeftColor: s.color }}
                    >
                      <div className="min-w-0">
                        <p className="font-semibold">{label}</p>
                        <p className="text-sm text-slate-700">
                          {s.location ?? "At the studio"}
                          {s.notes ? ` · ${s.notes}` : ""}
                        </p>
                        {s.refusal ? <p className="mt-1 text-sm text-slate-600">{s.refusal}</p> : null}
                      </div>
                      {s.refusal ? null : (
                        <Form method="post">
                          <input type="hidden" name="intent" value="book" />
                          <input type="hidden" name="slotId" value={s.slotId} />
                          <button type="submit" className="btn-primary" aria-label={`Book: ${label}`}>
                            Book
                          </button>
                        </Form>
                      )}
                    </li>
                  );
                })}
              </ul>
            </section>
          ))
        )}
      </section>

      {past.length ? (
        <section aria-labelledby="past-title" className="card">
          <h2 id="past-title" className="mb-2 text-xl font-bold">
            Past and cancelled
          </h2>
          <MyList items={past} />
        </section>
      ) : null}
    </section>
  );
}

function MyList({ items }: { items: MyAppointmentItem[] }) {
  return (
    <ul className="divide-y divide-slate-200">
      {items.map((a) => (
        <li key={a.bookingId} className="flex flex-wrap items-center justify-between gap-2 py-2">
          <Link to={`/client/appointments/${a.bookingId}`} className="flex items-center gap-2 font-semibold text-slate-900">
            <ColorSwatch color={a.color} /> {formatDayHeading(a.date)}, {a.startLabel}–{a.endLabel} {a.classTypeName} with {a.coachName}
          </Link>
          <BookingStateBadge status={a.status} slotCancelled={a.slotCancelled} />
        </li>
      ))}
    </ul>
  );
}
