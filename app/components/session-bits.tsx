import { Link } from "@remix-run/react";

export function ColorSwatch({ color, label }: { color: string; label?: string }) {
  return (
    <span
      aria-hidden={label ? undefined : true}
      aria-label={label}
      className="inline-block size-3 shrink-0 rounded-full border border-black/20"
      style={{ backgroundColor: color }}
    />
  );
}

const STATUS_STYLE = {
  SCHEDULED: "bg-sky-100 text-sky-900",
  COMPLETED: "bg-slate-200 text-slate-800",
  CANCELLED: "bg-red-100 text-red-900",
} as const;
const STATUS_LABEL = { SCHEDULED: "Scheduled", COMPLETED: "Completed", CANCELLED: "Cancelled" } as const;

export function StatusBadge({ status }: { status: keyof typeof STATUS_STYLE }) {
  return <span className={`rounded px-2 py-0.5 text-xs font-semibold ${STATUS_STYLE[status]}`}>{STATUS_LABEL[status]}</span>;
}

export function placesLabel(s: { registered: number; capacity: number; waitlisted: number }) {
  if (s.registered >= s.capacity) return s.waitlisted ? `Full — waitlist ${s.waitlisted}` : "Full";
  return `${s.registered} of ${s.capacity} places`;
}

export type SessionItem = {
  id: number;
  title: string;
  color: string;
  coachName: string;
  startLabel: string;
  endLabel: string;
  status: keyof typeof STATUS_STYLE;
  registered: number;
  capacity: number;
  waitlisted: number;
  location: string | null;
};

/** One session in a calendar cell or list: color-coded by class type, struck through when cancelled. */
export function SessionChip({ session }: { session: SessionItem }) {
  const cancelled = session.status === "CANCELLED";
  return (
    <Link
      to={`/coach/sessions/${session.id}`}
      className={`block rounded-md border-l-4 p-2 text-sm text-slate-900 no-underline shadow-sm hover:bg-slate-50 ${cancelled ? "bg-slate-100" : "bg-white"}`}
      style={{ borderLeftColor: session.color }}
    >
      <span className="block font-semibold">
        {session.startLabel}–{session.endLabel} <span className={cancelled ? "line-through" : ""}>{session.title}</span>
      </span>
      <span className="block text-slate-700">{session.coachName}</span>
      <span className="block text-slate-700">{cancelled ? <StatusBadge status="CANCELLED" /> : placesLabel(session)}</span>
    </Link>
  );
}
