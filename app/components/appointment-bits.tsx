import { Link } from "@remix-run/react";
import { ColorSwatch } from "./session-bits";

type SlotState = "OPEN" | "BOOKED" | "ATTENDED" | "NO_SHOW" | "CANCELLED";

const STATE_STYLE: Record<SlotState, string> = {
  OPEN: "bg-emerald-100 text-emerald-900",
  BOOKED: "bg-sky-100 text-sky-900",
  ATTENDED: "bg-slate-200 text-slate-800",
  NO_SHOW: "bg-amber-100 text-amber-900",
  CANCELLED: "bg-red-100 text-red-900",
};

/** A slot's state for its coach: "Open", "Booked by Sam", "Attended: Sam", "Cancelled". */
export function slotStateLabel(state: SlotState, clientName: string | null): string {
  if (state === "OPEN") return "Open";
  if (state === "CANCELLED") return "Cancelled";
  if (state === "BOOKED") return `Booked by ${clientName ?? "a client"}`;
  return `${state === "ATTENDED" ? "Attended" : "No-show"}: ${clientName ?? "a client"}`;
}

export function SlotStateBadge({ state, clientName }: { state: SlotState; clientName: string | null }) {
  return <span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATE_STYLE[state]}`}>{slotStateLabel(state, clientName)}</span>;
}

const BOOKING_LABEL: Record<string, string> = {
  BOOKED: "Booked",
  CANCELLED: "Cancelled",
  LATE_CANCELLED: "Cancelled late",
  ATTENDED: "Attended",
  NO_SHOW: "No-show",
};

/** A client's booking state: "Booked", "Cancelled late"… ("Cancelled by the studio" when the slot was). */
export function BookingStateBadge({ status, slotCancelled = false }: { status: string; slotCancelled?: boolean }) {
  const text = status === "CANCELLED" && slotCancelled ? "Cancelled by the studio" : (BOOKING_LABEL[status] ?? status);
  return <span className="rounded bg-brand-100 px-2 py-0.5 text-sm font-semibold text-brand-900">{text}</span>;
}

export type AppointmentChipItem = {
  slotId: number;
  classTypeName: string;
  color: string;
  coachName: string;
  startLabel: string;
  endLabel: string;
  state: SlotState;
  clientName: string | null;
};

/** One appointment slot in the coach calendar, marked "Appointment" so it is not taken for a class. */
export function AppointmentChip({ item }: { item: AppointmentChipItem }) {
  return (
    <Link
      to={`/coach/appointments/${item.slotId}`}
      className="block rounded-md border-l-4 border-dashed bg-violet-50 p-2 text-sm text-slate-900 no-underline shadow-sm hover:bg-violet-100"
      style={{ borderLeftColor: item.color }}
    >
      <span className="block font-semibold">
        {item.startLabel}–{item.endLabel} {item.classTypeName}
      </span>
      <span className="block text-xs font-bold uppercase tracking-wide text-violet-900">Appointment</span>
      <span className="block text-slate-700">{item.coachName}</span>
      <span className="flex items-center gap-1 text-slate-700">
        <ColorSwatch color={item.color} /> {slotStateLabel(item.state, item.clientName)}
      </span>
    </Link>
  );
}

/** One of the client's appointments in their calendar, marked "Appointment". */
export function ClientAppointmentItem({
  item,
}: {
  item: { bookingId: number; classTypeName: string; coachName: string; color: string; startLabel: string; endLabel: string; status: string };
}) {
  return (
    <li className="rounded-md border-l-4 border-dashed bg-violet-50 p-2 text-sm shadow-sm" style={{ borderLeftColor: item.color }}>
      <Link to={`/client/appointments/${item.bookingId}`} className="block font-semibold text-slate-900">
        {item.startLabel}–{item.endLabel} {item.classTypeName}
      </Link>
      <span className="block text-xs font-bold uppercase tracking-wide text-violet-900">Appointment</span>
      <span className="flex items-center gap-1 text-slate-700">
        <ColorSwatch color={item.color} /> {BOOKING_LABEL[item.status] ?? item.status} · {item.coachName}
      </span>
    </li>
  );
}
