import { Link } from "@remix-run/react";
import { MyState } from "~/components/booking-button";
import { ColorSwatch } from "~/components/session-bits";
import type { UpcomingBooking } from "~/modules/booking/client-views.server";
import { formatDayHeading } from "~/utils/dates";

/** A client's next booked and waitlisted classes, each linked to `linkTo(sessionId)`. */
export function UpcomingBookings({ bookings, linkTo, empty }: { bookings: UpcomingBooking[]; linkTo: (sessionId: number) => string; empty: string }) {
  if (!bookings.length) return <p className="mt-1 text-slate-700">{empty}</p>;
  return (
    <ul className="mt-2 divide-y divide-slate-200">
      {bookings.map((b) => (
        <li key={b.sessionId} className="flex flex-wrap items-center justify-between gap-2 py-2">
          <span>
            <ColorSwatch color={b.color} />{" "}
            <Link to={linkTo(b.sessionId)} className="font-semibold">
              {formatDayHeading(b.date)}, {b.startLabel}–{b.endLabel} {b.title}
            </Link>
            <span className="block text-sm text-slate-600">With {b.coachName}</span>
          </span>
          <MyState mine={{ status: b.status, position: b.position }} />
        </li>
      ))}
    </ul>
  );
}
