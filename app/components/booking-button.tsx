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

/**
 * The one action that applies to this session for this client, as a plain form post. Put it inside a
 * container with usePlainLinksAndForms(): that posts it without a page load, and asks before a late cancel
 * (without JavaScript the warning text says the same).
 */
export function BookingButton({ session, redirectTo }: { session: Item; redirectTo: string }) {
  const mine = session.mine;
  let intent: "book" | "cancel" | "leave-waitlist" | null = null;
  let label = "";
  if (!mine) {
    if (!session.closedReason) {
      intent = "book";
      label = session.registered >= session.capacity ? "Join waitlist" : "Book";
    }
  } else if (mine.status === "REGISTERED" && !session.closedReason?.includes("started")) {
    intent = "cancel";
    label = session.lateCancel ? "Late cancel" : "Cancel booking";
  } else if (mine.status === "WAITLISTED") {
    intent = "leave-waitlist";
    label = "Leave waitlist";
  }
  if (!intent) return null;
  const warn = intent === "cancel" && session.lateCancel;
  return (
    <form method="post" action={`/client/sessions/${session.id}`} className="flex flex-col items-end gap-1" data-confirm={warn ? LATE_WARNING : undefined}>
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="redirectTo" value={redirectTo} />
      <button type="submit" className={intent === "book" ? "btn-primary" : warn ? "btn-danger" : "btn-secondary"} aria-label={`${label}: ${session.title}`}>
        {label}
      </button>
      {warn ? <p className="max-w-56 text-right text-xs font-medium text-red-800">{LATE_WARNING}</p> : null}
    </form>
  );
}

/** The client's own state on a session: booked, waitlisted at P, late-cancelled, attended, no-show. */
export function MyState({ mine }: { mine: Item["mine"] }) {
  if (!mine) return null;
  const text =
    mine.status === "REGISTERED"
      ? "Booked"
      : mine.status === "WAITLISTED"
        ? `On the waitlist: position ${mine.position}`
        : mine.status === "LATE_CANCELLED"
          ? "Late-cancelled"
          : mine.status === "ATTENDED"
            ? "Attended"
            : mine.status === "NO_SHOW"
              ? "No-show"
              : null;
  if (!text) return null;
  return <span className="rounded bg-brand-100 px-2 py-0.5 text-sm font-semibold text-brand-900">{text}</span>;
}
