import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { BookingStateBadge } from "~/components/appointment-bits";
import { FormError } from "~/components/field";
import { clientAppointment } from "~/modules/appointments/appointment-views.server";
import { cancelMyAppointment } from "~/modules/appointments/appointments.service.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure } from "~/utils/forms";
import { badRequest, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { formatDayHeading } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.appointment.classTypeName ?? "Appointment"} · Centurion` }];

const MISSING = "We could not find that appointment.";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const appointment = await clientAppointment(getEm(), { userId: user.id, bookingId: idParam(params.id, "that appointment") });
  if (!appointment) notFound(MISSING);
  return json({ appointment });
}

/** POST /client/appointments/:id with intent=cancel: the client's own cancel (late inside the cut-off). */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const bookingId = idParam(params.id, "that appointment");
  const formData = await readFormData(request);
  if (formData.get("intent") !== "cancel") return badRequest(formFailure({}, "Unknown action."));
  const result = await cancelMyAppointment(getEm(), { bookingId, userId: user.id });
  if (!result) notFound(MISSING);
  if (!result.ok) return badRequest(formFailure({}, result));
  return redirectWithFlash("/client/appointments", {
    kind: result.late ? "info" : "success",
    message: result.late
      ? "Appointment cancelled late: it is still charged, so a pack session is not refunded."
      : `Appointment cancelled${result.refunded ? ": the session is back in your pack" : ""}.`,
  });
}

export default function ClientAppointment() {
  const { appointment: a } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const lateWarning = `Cancelling now is late: it is within ${a.cutoffHours} hours of the start, so the appointment is still charged${
    a.planType === "PACK" ? " and your pack session is not refunded" : ""
  }.`;
  return (
    <section aria-labelledby="appointment-title" className="card mx-auto max-w-xl border-l-8" style={{ borderLeftColor: a.color }}>
      <p className="mb-2">
        <Link to="/client/appointments">← Appointments</Link>
      </p>
      <h1 id="appointment-title" className="text-2xl font-bold">
        {a.classTypeName} appointment
      </h1>
      <p className="mt-1">
        {formatDayHeading(a.date)}, {a.startLabel}–{a.endLabel}
      </p>
      <p className="text-slate-700">
        With {a.coachName}
        {a.location ? ` · ${a.location}` : ""}
      </p>
      {a.notes ? <p className="mt-1 whitespace-pre-line text-sm text-slate-700">{a.notes}</p> : null}
      <p className="mt-2 flex flex-wrap items-center gap-2">
        <BookingStateBadge status={a.status} slotCancelled={a.slotCancelled} />
        {a.planName ? <span className="text-sm text-slate-600">Paid with {a.planName}</span> : null}
      </p>
      <div className="mt-3">
        <FormError message={failure?.formError} />
      </div>
      {a.canCancel ? (
        <Form
          method="post"
          className="mt-3"
          onSubmit={(event) => {
            // With JavaScript a late cancel asks once more; without it the warning above the button says the same.
            if (a.lateCancel && !window.confirm(lateWarning)) event.preventDefault();
          }}
        >
          <input type="hidden" name="intent" value="cancel" />
          {a.lateCancel ? (
            <p role="note" className="mb-2 font-medium text-red-800">
              {lateWarning}
            </p>
          ) : (
            <p className="mb-2 text-sm text-slate-600">Cancelling is free until {a.freeUntilLabel}; after that it is a late cancel and is still charged.</p>
          )}
          <button type="submit" className={a.lateCancel ? "btn-danger" : "btn-secondary"}>
            {a.lateCancel ? "Cancel late" : "Cancel appointment"}
          </button>
        </Form>
      ) : null}
    </section>
  );
}
