import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useLocation } from "@remix-run/react";
import { BookingButton, MyState } from "~/components/booking-button";
import { usePlainLinksAndForms } from "~/components/plain-links-and-forms";
import { FormError } from "~/components/field";
import { placesLabel } from "~/components/session-bits";
import { safeRedirect } from "~/modules/auth/auth.rules";
import { BookingActionSchema } from "~/modules/booking/booking.schema";
import { cancelRegistration, leaveWaitlist, registerForSession } from "~/modules/booking/booking.service.server";
import { clientSession } from "~/modules/booking/client-views.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm } from "~/utils/forms";
import { badRequest, notFound, readFormData } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";
import { formatDayHeading } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.session.title ?? "Session"} · Centurion` }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const session = await clientSession(getEm(), { userId: user.id, sessionId: idParam(params.id, "that session") });
  if (!session) notFound("We could not find that session.");
  const { startTime: _s, endTime: _e, ...view } = session;
  return json({ session: view });
}

/** The HTTP contract: POST /client/sessions/:id with intent=book | cancel | leave-waitlist, 303 on success. */
export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const sessionId = idParam(params.id, "that session");
  const form = parseForm(BookingActionSchema, await readFormData(request));
  if (!form.ok) return badRequest(form);
  const input = { sessionId, userId: user.id };
  const em = getEm();
  const back = safeRedirect(form.data.redirectTo, `/client/sessions/${sessionId}`);
  if (form.data.intent === "book") {
    const result = await registerForSession(em, input);
    if (!result) notFound("We could not find that session.");
    if (!result.ok) return badRequest(formFailure({}, result));
    return redirectWithFlash(back, {
      kind: "success",
      message:
        result.status === "REGISTERED"
          ? "You're booked. See you there!"
          : `The session is full, so you're on the waitlist at position ${result.position}. We'll book you automatically if a place opens.`,
    });
  }
  if (form.data.intent === "cancel") {
    const result = await cancelRegistration(em, input);
    if (!result) notFound("We could not find that session.");
    if (!result.ok) return badRequest(formFailure({}, result));
    return redirectWithFlash(back, {
      kind: result.late ? "info" : "success",
      message: result.late ? "Booking cancelled late: it still counts toward your week, and a pack session is not refunded." : "Booking cancelled.",
    });
  }
  const result = await leaveWaitlist(em, input);
  if (!result) notFound("We could not find that session.");
  if (!result.ok) return badRequest(formFailure({}, result));
  return redirectWithFlash(back, { kind: "success", message: "You have left the waitlist." });
}

export default function ClientSession() {
  const { session } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const location = useLocation();
  const plainLinksAndForms = usePlainLinksAndForms();
  return (
    <section aria-labelledby="session-title" {...plainLinksAndForms} className="card mx-auto max-w-xl border-l-8" style={{ borderLeftColor: session.color }}>
      <p className="mb-2">
        <Link to={`/client/sessions?date=${session.date}`}>← Sessions</Link>
      </p>
      <h1 id="session-title" className="text-2xl font-bold">
        <span className={session.status === "CANCELLED" ? "line-through" : ""}>{session.title}</span>
      </h1>
      <p className="mt-1">
        {formatDayHeading(session.date)}, {session.startLabel}–{session.endLabel}
      </p>
      <p className="text-slate-700">
        With {session.coachName}
        {session.location ? ` · ${session.location}` : ""}
      </p>
      <p className="mt-2 font-semibold">{session.status === "CANCELLED" ? `Cancelled: ${session.cancellationReason ?? ""}` : placesLabel(session)}</p>
      <div className="mt-3">
        <FormError message={failure?.formError} />
      </div>
      <div className="mt-2 flex flex-wrap items-center justify-between gap-3">
        <span className="flex flex-wrap gap-2">
          <MyState mine={session.mine} />
          {!session.mine && session.closedReason && session.status !== "CANCELLED" ? (
            <span className="text-sm text-slate-600">{session.closedReason}</span>
          ) : null}
        </span>
        <BookingButton session={session} redirectTo={location.pathname} />
      </div>
      <p className="mt-4 text-sm">
        <a href={`/client/sessions/${session.id}/ics`}>Add to calendar (.ics)</a>
      </p>
    </section>
  );
}
