import { escapeHtml } from "~/utils/html";

type Item = {
  id: number;
  title: string;
  mine: { status: string; position: number | null } | null;
  closedReason: string | null;
  lateCancel: boolean;
  registered: number;
  capacity: number;
};

const LATE_WARNING = "Cancelling now is a late cancel: it still counts toward your week, and a pack session is not refunded.";
const LATE_WARNING_HTML = escapeHtml(LATE_WARNING);

type BookingAction = { intent: "book" | "cancel" | "leave-waitlist"; label: string; warn: boolean };

/** The one action that applies to this session for this client, if any, and whether to warn of a late cancel. */
function bookingAction(session: Item): BookingAction | null {
  const mine = session.mine;
  if (!mine) {
    if (session.closedReason) return null;
    return { intent: "book", label: session.registered >= session.capacity ? "Join waitlist" : "Book", warn: false };
  }
  if (mine.status === "REGISTERED" && !session.closedReason?.includes("started")) {
    return { intent: "cancel", label: session.lateCancel ? "Late cancel" : "Cancel booking", warn: session.lateCancel };
  }
  if (mine.status === "WAITLISTED") return { intent: "leave-waitlist", label: "Leave waitlist", warn: false };
  return null;
}

const FORM_CLASS = "flex flex-col items-end gap-1";
const WARNING_CLASS = "max-w-56 text-right text-xs font-medium text-red-800";
const buttonClass = ({ intent, warn }: BookingAction) => (intent === "book" ? "btn-primary" : warn ? "btn-danger" : "btn-secondary");

/**
 * The one action that applies to this session for this client, as a plain form post. Put it inside a
 * container with usePlainLinksAndForms(): that posts it without a page load, and asks before a late cancel
 * (without JavaScript the warning text says the same).
 */
export function BookingButton({ session, redirectTo }: { session: Item; redirectTo: string }) {
  const action = bookingAction(session);
  if (!action) return null;
  return (
    <form method="post" action={`/client/sessions/${session.id}`} className={FORM_CLASS} data-confirm={action.warn ? LATE_WARNING : undefined}>
      <input type="hidden" name="intent" value={action.intent} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button type="submit" className={buttonClass(action)} aria-label={`${action.label}: ${session.title}`}>
        {action.label}
      </button>
      {action.warn ? <p className={WARNING_CLASS}>{LATE_WARNING}</p> : null}
    </form>
  );
}

/** BookingButton's markup as React writes it on the server (see ClientSessionList). */
export function bookingButtonHtml(session: Item, redirectTo: string): string {
  const action = bookingAction(session);
  if (!action) return "";
  return (
    `<form method="post" action="/client/sessions/${session.id}" class="${FORM_CLASS}"${action.warn ? ` data-confirm="${LATE_WARNING_HTML}"` : ""}>` +
    `<input type="hidden" name="intent" value="${action.intent}"/><input type="hidden" name="redirectTo" value="${escapeHtml(redirectTo)}"/>` +
    `<button type="submit" class="${buttonClass(action)}" aria-label="${escapeHtml(`${action.label}: ${session.title}`)}">${escapeHtml(action.label)}</button>` +
    `${action.warn ? `<p class="${WARNING_CLASS}">${LATE_WARNING_HTML}</p>` : ""}</form>`
  );
}

/** What the client's own state on a session says: booked, waitlisted at P, late-cancelled, attended, no-show; or null. */
export function myStateText(mine: Item["mine"]): string | null {
  if (!mine) return null;
  switch (mine.status) {
    case "REGISTERED":
      return "Booked";
    case "WAITLISTED":
      return `On the waitlist: position ${mine.position}`;
    case "LATE_CANCELLED":
      return "Late-cancelled";
    case "ATTENDED":
      return "Attended";
    case "NO_SHOW":
      return "No-show";
    default:
      return null;
  }
}

export const MY_STATE_CLASS = "rounded bg-brand-100 px-2 py-0.5 text-sm font-semibold text-brand-900";

/** The client's own state on a session: booked, waitlisted at P, late-cancelled, attended, no-show. */
export function MyState({ mine }: { mine: Item["mine"] }) {
  const text = myStateText(mine);
  return text ? <span className={MY_STATE_CLASS}>{text}</span> : null;
}
