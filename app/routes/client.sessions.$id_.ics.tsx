import type { LoaderFunctionArgs } from "@remix-run/node";
import { sessionsToIcs } from "~/modules/booking/calendar-feed.server";
import { clientSession } from "~/modules/booking/client-views.server";
import { requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { notFound } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";

/** "Add to calendar": one session as an .ics file. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const id = idParam(params.id, "that session");
  const session = await clientSession(getEm(), { userId: user.id, sessionId: id });
  if (!session) notFound("We could not find that session.");
  const ics = sessionsToIcs("Centurion", [{ ...session, coach: { name: session.coachName } }]);
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="centurion-session-${id}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
