import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { FormError } from "~/components/field";
import { ColorSwatch, placesLabel, StatusBadge } from "~/components/session-bits";
import { AttendanceSchema, CancelSessionSchema } from "~/modules/sessions/sessions.schema";
import { cancelSession, markAttendance } from "~/modules/sessions/scheduling.service.server";
import { getSessionDetail } from "~/modules/sessions/session-views.server";
import { requireCoach } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm, valueOf } from "~/utils/forms";
import { badRequestFor, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { formatDayHeading } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.session.title ?? "Session"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireCoach(request);
  const detail = await getSessionDetail(getEm(), idParam(params.id, "that session"));
  if (!detail) notFound("We could not find that session.");
  return json(detail);
}

export async function action({ request, params }: ActionFunctionArgs) {
  await requireCoach(request);
  const id = idParam(params.id, "that session");
  const formData = await readFormData(request);
  const intent = formData.get("intent");
  const em = getEm();
  if (intent === "cancel") {
    const form = parseForm(CancelSessionSchema, formData);
    if (!form.ok) return badRequestFor("cancel", form);
    const result = await cancelSession(em, id, form.data.reason);
    if (!result) notFound("We could not find that session.");
    if (!result.ok) return badRequestFor("cancel", formFailure({}, result));
    return redirectWithFlash(`/coach/sessions/${id}`, {
      kind: "success",
      message: `Session cancelled. ${result.notified} client${result.notified === 1 ? " was" : "s were"} notified.`,
    });
  }
  if (intent === "attendance") {
    const form = parseForm(AttendanceSchema, formData);
    if (!form.ok) return badRequestFor("attendance", form);
    const result = await markAttendance(em, { sessionId: id, ...form.data });
    if (!result) notFound("We could not find that booking.");
    if (!result.ok) return badRequestFor("attendance", formFailure({}, result));
    return redirectWithFlash(`/coach/sessions/${id}`, { kind: "success", message: "Attendance saved." });
  }
  return badRequestFor("unknown", formFailure({}, "Unknown action."));
}

export default function SessionDetail() {
  const { session, registered, waitlist, lateCancelled, attendanceEditable, attendanceEditableUntil } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const cancelled = session.status === "CANCELLED";
  const canCancel = session.status === "SCHEDULED";
  return (
    <section aria-labelledby="session-title" className="max-w-3xl">
      <p className="mb-2">
        <Link to={`/coach/sessions/calendar?view=week&date=${session.date}`}>← Calendar</Link> · <Link to="/coach/sessions">All sessions</Link>
      </p>
      <div className="card mb-4 border-l-8" style={{ borderLeftColor: session.color }}>
        <h1 id="session-title" className="flex flex-wrap items-center gap-2 text-2xl font-bold">
          <ColorSwatch color={session.color} /> <span className={cancelled ? "line-through" : ""}>{session.title}</span> <StatusBadge status={session.status} />
        </h1>
        <dl className="mt-3 grid gap-x-6 gap-y-1 sm:grid-cols-2">
          <div>
            <dt className="inline font-semibold">When: </dt>
            <dd className="inline">
              {formatDayHeading(session.date)}, {session.startLabel}–{session.endLabel}
            </dd>
          </div>
          <div>
            <dt className="inline font-semibold">Coach: </dt>
            <dd className="inline">{session.coachName}</dd>
          </div>
          <div>
            <dt className="inline font-semibold">Places: </dt>
            <dd className="inline">{placesLabel(session)}</dd>
          </div>
          <div>
            <dt className="inline font-semibold">Where: </dt>
            <dd className="inline">{session.location ?? "—"}</dd>
          </div>
          {session.classTypeName ? (
            <div>
              <dt className="inline font-semibold">Class type: </dt>
              <dd className="inline">{session.classTypeName}</dd>
            </div>
          ) : null}
          {session.cohortName ? (
            <div>
              <dt className="inline font-semibold">Cohort: </dt>
              <dd className="inline">{session.cohortName}</dd>
            </div>
          ) : null}
          <div className="sm:col-span-2">
            <dt className="inline font-semibold">Registrations: </dt>
            <dd className="inline">
              open {session.bookingOpensDaysBefore} days before, close{" "}
              {session.bookingClosesMinutesBefore ? `${session.bookingClosesMinutesBefore} minutes before the start` : "at the start"}
            </dd>
          </div>
          {session.notes ? (
            <div className="sm:col-span-2">
              <dt className="inline font-semibold">Notes: </dt>
              <dd className="inline whitespace-pre-line">{session.notes}</dd>
            </div>
          ) : null}
          {cancelled ? (
            <div className="sm:col-span-2 text-red-900">
              <dt className="inline font-semibold">Cancelled: </dt>
              <dd className="inline">{session.cancellationReason}</dd>
            </div>
          ) : null}
        </dl>
        {canCancel ? (
          <p className="mt-3">
            <Link to={`/coach/sessions/${session.id}/edit`} className="btn-secondary">
              Edit session
            </Link>
          </p>
        ) : null}
      </div>

      <section aria-labelledby="registered-title" className="card mb-4">
        <h2 id="registered-title" className="mb-2 text-xl font-bold">
          Registered ({registered.length} of {session.capacity})
        </h2>
        {failure?.intent === "attendance" ? <FormError message={failure.formError ?? Object.values(failure.fieldErrors).flat().join(" ")} /> : null}
        {registered.length === 0 ? (
          <p>Nobody is booked yet.</p>
        ) : (
          <ul className="divide-y divide-slate-200">
            {registered.map((r) => (
              <li key={r.id} className="flex flex-wrap items-center justify-between gap-2 py-2">
                <span>
                  <span className="font-semibold">{r.name}</span> <span className="text-sm text-slate-600">{r.email}</span>
                  {r.status !== "REGISTERED" ? (
                    <span className="ml-2 rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold">{r.status === "ATTENDED" ? "Attended" : "No-show"}</span>
                  ) : null}
                </span>
                {attendanceEditable ? (
                  <Form method="post" className="flex gap-2" aria-label={`Attendance of ${r.name}`}>
                    <input type="hidden" name="intent" value="attendance" />
                    <input type="hidden" name="registrationId" value={r.id} />
                    <button type="submit" name="attendance" value="ATTENDED" className="btn-secondary" aria-pressed={r.status === "ATTENDED"}>
                      Attended
                    </button>
                    <button type="submit" name="attendance" value="NO_SHOW" className="btn-secondary" aria-pressed={r.status === "NO_SHOW"}>
                      No-show
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        {!cancelled && registered.length > 0 ? (
          <p className="mt-2 text-sm text-slate-600">
            {attendanceEditable
              ? `Attendance can be marked and corrected until the end of ${attendanceEditableUntil}.`
              : `Attendance can be marked and corrected from the start of the session until the end of ${attendanceEditableUntil}.`}
          </p>
        ) : null}
      </section>

      <section aria-labelledby="waitlist-title" className="card mb-4">
        <h2 id="waitlist-title" className="mb-2 text-xl font-bold">
          Waitlist ({waitlist.length})
        </h2>
        {waitlist.length === 0 ? (
          <p>Nobody is waiting.</p>
        ) : (
          <ol className="list-decimal pl-6">
            {waitlist.map((r) => (
              <li key={r.id} className="py-1">
                <span className="font-semibold">{r.name}</span> <span className="text-sm text-slate-600">{r.email}</span>
              </li>
            ))}
          </ol>
        )}
      </section>

      {lateCancelled.length ? (
        <section aria-labelledby="late-title" className="card mb-4">
          <h2 id="late-title" className="mb-2 text-xl font-bold">
            Cancelled late ({lateCancelled.length})
          </h2>
          <ul>
            {lateCancelled.map((r) => (
              <li key={r.id} className="py-1">
                <span className="font-semibold">{r.name}</span> <span className="text-sm text-slate-600">{r.email}</span>
                {r.cancelledAt ? <span className="block text-sm text-slate-600">Cancelled {r.cancelledAt}</span> : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {canCancel ? (
        <section aria-labelledby="cancel-title" className="card border-red-200">
          <h2 id="cancel-title" className="mb-2 text-xl font-bold">
            Cancel this session
          </h2>
          <p className="mb-3 text-slate-700">Everyone booked or waiting is told, and their bookings are cancelled.</p>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="cancel" />
            {failure?.intent === "cancel" && failure.formError ? <FormError message={failure.formError} /> : null}
            <label htmlFor="reason" className="mb-1 block font-medium">
              Reason
            </label>
            <textarea
              id="reason"
              name="reason"
              rows={2}
              required
              className="field-input"
              defaultValue={failure?.intent === "cancel" ? valueOf(failure.values, "reason") : undefined}
              aria-invalid={failure?.intent === "cancel" && failure.fieldErrors.reason ? true : undefined}
              aria-describedby={failure?.intent === "cancel" && failure.fieldErrors.reason ? "reason-error" : undefined}
            />
            {failure?.intent === "cancel" && failure.fieldErrors.reason ? (
              <p id="reason-error" className="field-error">
                {failure.fieldErrors.reason.join(" ")}
              </p>
            ) : null}
            <button type="submit" className="btn-danger mt-3">
              Cancel session
            </button>
          </Form>
        </section>
      ) : null}
    </section>
  );
}
