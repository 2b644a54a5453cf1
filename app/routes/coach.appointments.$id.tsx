import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BookingStateBadge, SlotStateBadge } from "~/components/appointment-bits";
import { FormError } from "~/components/field";
import { ColorSwatch } from "~/components/session-bits";
import { coachSlot } from "~/modules/appointments/appointment-views.server";
import { AppointmentAttendanceSchema, CancelSlotSchema } from "~/modules/appointments/appointments.schema";
import { cancelBookingAsStudio, cancelSlot, markAppointmentAttendance } from "~/modules/appointments/appointments.service.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, valueOf, type FormFailure } from "~/utils/forms";
import { badRequestFor, forbidden, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { formatDate, formatDayHeading } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.slot.classTypeName ?? "Appointment"} · Centurion` }];

const MISSING = "We could not find that appointment slot.";
const FORBIDDEN = "Only this slot's coach or an admin can see it.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireCoach(request);
  const access = await coachSlot(getEm(), { slotId: idParam(params.id, "that appointment slot"), actor: user });
  if (access.kind === "missing") notFound(MISSING);
  if (access.kind === "forbidden") forbidden(FORBIDDEN);
  return json({ slot: access.slot });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireCoach(request);
  const slotId = idParam(params.id, "that appointment slot");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const em = getEm();
  const back = `/coach/appointments/${slotId}`;
  if (intent === "cancel-slot" || intent === "cancel-booking") {
    const form = parseForm(CancelSlotSchema, formData);
    if (!form.ok) return badRequestFor(intent, form);
    const input = { slotId, actor: user, reason: form.data.reason };
    const result = intent === "cancel-slot" ? await cancelSlot(em, input) : await cancelBookingAsStudio(em, input);
    if (!result) notFound(MISSING);
    if (!result.ok) {
      if (result.reason === "forbidden") forbidden(result.formError);
      return badRequestFor(intent, formFailure({ reason: form.data.reason ?? "" }, result));
    }
    const told = result.clientName ? ` ${result.clientName} was told${result.refunded ? " and their pack session given back" : ""}.` : "";
    return redirectWithFlash(back, {
      kind: "success",
      message: `${intent === "cancel-slot" ? "Slot cancelled." : "Booking cancelled; the slot is open again."}${told}`,
    });
  }
  if (intent === "attendance") {
    const form = parseForm(AppointmentAttendanceSchema, formData);
    if (!form.ok) return badRequestFor("attendance", form);
    const result = await markAppointmentAttendance(em, { slotId, actor: user, attendance: form.data.attendance });
    if (!result) notFound(MISSING);
    if (!result.ok) {
      if (result.reason === "forbidden") forbidden(result.formError);
      return badRequestFor("attendance", formFailure({}, result));
    }
    return redirectWithFlash(back, { kind: "success", message: "Attendance saved." });
  }
  return badRequestFor("unknown", formFailure({}, "Unknown action."));
}

type Failure = (FormFailure & { intent: string }) | undefined;

export default function CoachSlot() {
  const { slot } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>() as Failure;
  const failed = (intent: string) => (failure?.intent === intent ? failure : undefined);
  const booking = slot.booking;
  return (
    <section aria-labelledby="slot-title" className="max-w-3xl">
      <p className="mb-2">
        <Link to="/coach/appointments">← Appointments</Link> · <Link to={`/coach/sessions/calendar?view=week&date=${slot.date}`}>Calendar</Link>
      </p>
      <div className="card mb-4 border-l-8" style={{ borderLeftColor: slot.color }}>
        <h1 id="slot-title" className="flex flex-wrap items-center gap-2 text-2xl font-bold">
          <ColorSwatch color={slot.color} /> <span className={slot.status === "CANCELLED" ? "line-through" : ""}>{slot.classTypeName} appointment</span>{" "}
          <SlotStateBadge state={slot.state} clientName={booking?.clientName ?? null} />
        </h1>
        <dl className="mt-3 grid gap-x-6 gap-y-1 sm:grid-cols-2">
          <div>
            <dt className="inline font-semibold">When: </dt>
            <dd className="inline">
              {formatDayHeading(slot.date)}, {slot.startLabel}–{slot.endLabel}
            </dd>
          </div>
          <div>
            <dt className="inline font-semibold">Coach: </dt>
            <dd className="inline">{slot.coachName}</dd>
          </div>
          <div>
            <dt className="inline font-semibold">Where: </dt>
            <dd className="inline">{slot.location ?? "—"}</dd>
          </div>
          {slot.notes ? (
            <div className="sm:col-span-2">
              <dt className="inline font-semibold">Notes: </dt>
              <dd className="inline whitespace-pre-line">{slot.notes}</dd>
            </div>
          ) : null}
        </dl>
      </div>

      <section aria-labelledby="booking-title" className="card mb-4">
        <h2 id="booking-title" className="mb-2 text-xl font-bold">
          Booking
        </h2>
        <FormError message={failed("attendance")?.formError ?? failed("unknown")?.formError} />
        {booking ? (
          <div className="flex flex-wrap items-center justify-between gap-2">
            <p>
              <span className="font-semibold">{booking.clientName}</span> <span className="text-sm text-slate-600">{booking.clientEmail}</span>{" "}
              <BookingStateBadge status={booking.status} />
              {booking.planName ? <span className="block text-sm text-slate-600">Paid with {booking.planName}</span> : null}
            </p>
            {slot.attendanceEditable ? (
              <Form method="post" className="flex gap-2" aria-label={`Attendance of ${booking.clientName}`}>
                <input type="hidden" name="intent" value="attendance" />
                <button type="submit" name="attendance" value="ATTENDED" className="btn-secondary" aria-pressed={booking.status === "ATTENDED"}>
                  Attended
                </button>
                <button type="submit" name="attendance" value="NO_SHOW" className="btn-secondary" aria-pressed={booking.status === "NO_SHOW"}>
                  No-show
                </button>
              </Form>
            ) : null}
          </div>
        ) : (
          <p>{slot.status === "CANCELLED" ? "This slot is cancelled." : "Nobody has booked this slot yet."}</p>
        )}
        {booking && slot.status === "OPEN" ? (
          <p className="mt-2 text-sm text-slate-600">
            {slot.attendanceEditable
              ? `Attendance can be marked and corrected until the end of ${formatDate(slot.attendanceLastDay, "UTC")}.`
              : slot.started
                ? `Attendance could be marked until the end of ${formatDate(slot.attendanceLastDay, "UTC")}.`
                : "Attendance can be marked from the start of the appointment."}
          </p>
        ) : null}
        {slot.history.length ? (
          <>
            <h3 className="mt-3 font-semibold">Earlier bookings</h3>
            <ul className="text-sm">
              {slot.history.map((b) => (
                <li key={b.id}>
                  {b.clientName}: {b.status === "LATE_CANCELLED" ? "cancelled late" : b.byStudio ? "cancelled by the studio" : "cancelled"}
                  {b.cancelledAt ? ` (${b.cancelledAt})` : ""}
                </li>
              ))}
            </ul>
          </>
        ) : null}
      </section>

      {slot.canCancel && booking?.status === "BOOKED" ? (
        <CancelForm
          intent="cancel-booking"
          title="Cancel the booking only"
          text={`${booking.clientName} is told and any pack session given back; the slot stays open for someone else.`}
          button="Cancel the booking"
          failure={failed("cancel-booking")}
        />
      ) : null}
      {slot.canCancel ? (
        <CancelForm
          intent="cancel-slot"
          title="Cancel this slot"
          text={booking ? `${booking.clientName} is told and any pack session given back.` : "Nobody has booked it, so nobody needs telling."}
          button="Cancel slot"
          failure={failed("cancel-slot")}
        />
      ) : null}
    </section>
  );
}

function CancelForm({ intent, title, text, button, failure }: { intent: string; title: string; text: string; button: string; failure: Failure }) {
  const id = `${intent}-reason`;
  return (
    <section aria-labelledby={`${intent}-title`} className="card mb-4 border-red-200">
      <h2 id={`${intent}-title`} className="mb-2 text-xl font-bold">
        {title}
      </h2>
      <p className="mb-3 text-slate-700">{text}</p>
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value={intent} />
        <FormError message={failure?.formError} />
        <label htmlFor={id} className="mb-1 block font-medium">
          Reason <span className="font-normal text-slate-600">(optional, the client sees it)</span>
        </label>
        <textarea
          id={id}
          name="reason"
          rows={2}
          className="field-input"
          defaultValue={valueOf(failure?.values, "reason")}
          aria-invalid={failure?.fieldErrors.reason ? true : undefined}
          aria-describedby={failure?.fieldErrors.reason ? `${id}-error` : undefined}
        />
        {failure?.fieldErrors.reason ? (
          <p id={`${id}-error`} className="field-error">
            {failure.fieldErrors.reason.join(" ")}
          </p>
        ) : null}
        <button type="submit" className="btn-danger mt-3">
          {button}
        </button>
      </Form>
    </section>
  );
}
