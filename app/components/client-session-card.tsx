import { BookingButton, MyState } from "~/components/booking-button";
import { placesLabel } from "~/components/session-bits";
import { formatDayHeading } from "~/utils/dates";

type ClientSession = Parameters<typeof BookingButton>[0]["session"] &
  Parameters<typeof placesLabel>[0] & {
    color: string;
    coachName: string;
    date: string;
    startLabel: string;
    endLabel: string;
    status: "SCHEDULED" | "CANCELLED" | "COMPLETED";
  };

/**
 * One session in a client's list: when, what and with whom, the places, the client's own state and the
 * one action that applies. Plain <a> and <form>: the list's container enhances them (usePlainLinksAndForms).
 * Texts are whole strings, so React adds no markers between their parts.
 */
export function ClientSessionCard({ session: s, redirectTo, withDay = false }: { session: ClientSession; redirectTo: string; withDay?: boolean }) {
  const cancelled = s.status === "CANCELLED";
  const when = `${withDay ? `${formatDayHeading(s.date)}, ` : ""}${s.startLabel}–${s.endLabel} `;
  const reason = !s.mine && !cancelled ? s.closedReason : null;
  return (
    <li className="session-card" style={{ borderLeftColor: s.color }}>
      <div className="min-w-0">
        <p className="font-semibold">
          <a href={`/client/sessions/${s.id}`} className="text-slate-900">
            {cancelled
              ? [
                  when,
                  <span key="title" className="line-through">
                    {s.title}
                  </span>,
                ]
              : when + s.title}
          </a>
        </p>
        <p className="text-sm text-slate-700">{`${s.coachName} · ${cancelled ? "Cancelled" : placesLabel(s)}`}</p>
        {s.mine || reason ? (
          <p className="mt-1 flex flex-wrap gap-2">
            <MyState mine={s.mine} />
            {reason ? <span className="text-sm text-slate-600">{reason}</span> : null}
          </p>
        ) : null}
      </div>
      <BookingButton session={s} redirectTo={redirectTo} />
    </li>
  );
}
