import { BookingButton, bookingButtonHtml, MY_STATE_CLASS, MyState, myStateText } from "~/components/booking-button";
import { placesLabel } from "~/components/session-bits";
import { formatDayHeading } from "~/utils/dates";
import { escapeHtml } from "~/utils/html";

type ClientSession = Parameters<typeof BookingButton>[0]["session"] &
  Parameters<typeof placesLabel>[0] & {
    color: string;
    coachName: string;
    date: string;
    startLabel: string;
    endLabel: string;
    status: "SCHEDULED" | "CANCELLED" | "COMPLETED";
  };

/** What a card says, shared by its component and its markup as a string. */
function cardTexts(s: ClientSession, withDay: boolean) {
  const cancelled = s.status === "CANCELLED";
  return {
    cancelled,
    when: `${withDay ? `${formatDayHeading(s.date)}, ` : ""}${s.startLabel}–${s.endLabel} `,
    who: `${s.coachName} · ${cancelled ? "Cancelled" : placesLabel(s)}`,
    reason: !s.mine && !cancelled ? s.closedReason : null,
  };
}

/**
 * One session in a client's list: when, what and with whom, the places, the client's own state and the
 * one action that applies. Plain <a> and <form>: the list's container enhances them (usePlainLinksAndForms).
 * Texts are whole strings, so React adds no markers between their parts.
 */
export function ClientSessionCard({ session: s, redirectTo, withDay = false }: { session: ClientSession; redirectTo: string; withDay?: boolean }) {
  const { cancelled, when, who, reason } = cardTexts(s, withDay);
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
        <p className="text-sm text-slate-700">{who}</p>
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

/**
 * ClientSessionCard's markup, byte for byte as React writes it on the server (a unit test holds the two
 * together for every state a card can show). Written as a string because React spends about three times as
 * long on a week's 46 cards (docs/decisions/0035).
 */
export function clientSessionCardHtml(s: ClientSession, redirectTo: string, withDay = false): string {
  const { cancelled, when, who, reason } = cardTexts(s, withDay);
  const title = cancelled ? `${escapeHtml(when)}<span class="line-through">${escapeHtml(s.title)}</span>` : escapeHtml(when + s.title);
  const state = myStateText(s.mine);
  const extra =
    s.mine || reason
      ? `<p class="mt-1 flex flex-wrap gap-2">${state ? `<span class="${MY_STATE_CLASS}">${escapeHtml(state)}</span>` : ""}${reason ? `<span class="text-sm text-slate-600">${escapeHtml(reason)}</span>` : ""}</p>`
      : "";
  // React leaves out a style whose only value is empty.
  const style = s.color === "" ? "" : ` style="border-left-color:${escapeHtml(s.color.trim())}"`;
  return (
    `<li class="session-card"${style}><div class="min-w-0">` +
    `<p class="font-semibold"><a href="/client/sessions/${s.id}" class="text-slate-900">${title}</a></p>` +
    `<p class="text-sm text-slate-700">${escapeHtml(who)}</p>${extra}</div>${bookingButtonHtml(s, redirectTo)}</li>`
  );
}

/**
 * A client's list of sessions. On the server the cards are written as one string (clientSessionCardHtml),
 * the same markup React would write; in the browser React renders them as components and hydrates that
 * markup, so after a booking each card is updated in place and the focus stays where it was.
 */
export function ClientSessionList({ sessions, redirectTo, withDay = false }: { sessions: ClientSession[]; redirectTo: string; withDay?: boolean }) {
  if (typeof document === "undefined") {
    const html = sessions.map((s) => clientSessionCardHtml(s, redirectTo, withDay)).join("");
    return <ul className="space-y-2" dangerouslySetInnerHTML={{ __html: html }} />;
  }
  return (
    <ul className="space-y-2">
      {sessions.map((s) => (
        <ClientSessionCard key={s.id} session={s} redirectTo={redirectTo} withDay={withDay} />
      ))}
    </ul>
  );
}
