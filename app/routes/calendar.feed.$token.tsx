import type { LoaderFunctionArgs } from "@remix-run/node";
import { feedForToken } from "~/modules/booking/calendar-feed.server";
import { getEm } from "~/modules/db.server";
import { notFound } from "~/utils/http.server";

/** A client's private iCalendar feed; the secret token in the URL is the only key (calendar apps send no cookie). */
export async function loader({ params }: LoaderFunctionArgs) {
  const ics = await feedForToken(getEm(), params.token ?? "");
  if (!ics) notFound("This calendar link is not valid any more.");
  return new Response(ics, {
    headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, max-age=300", "X-Robots-Tag": "noindex" },
  });
}
