import type { ReactNode } from "react";
import type { MembershipView } from "~/modules/memberships/membership-views.server";
import { formatMoney } from "~/modules/memberships/memberships.rules";
import { formatDate } from "~/utils/dates";
import { UsageBar } from "./usage-bar";

const STATUS_STYLE = {
  ACTIVE: "bg-green-100 text-green-900",
  PAUSED: "bg-amber-100 text-amber-900",
  EXPIRED: "bg-slate-200 text-slate-800",
  CANCELLED: "bg-red-100 text-red-900",
} as const;
const TYPE_LABEL = { RECURRING: "Monthly", PACK: "Pack", PREPAID: "Prepaid pass" } as const;
const ACTION_LABEL = {
  ASSIGNED: "Assigned",
  PURCHASED: "Bought",
  PAUSED: "Paused",
  RESUMED: "Resumed",
  CANCELLED: "Cancelled",
  CANCEL_SCHEDULED: "Cancellation scheduled",
  EXPIRED: "Expired",
} as const;

type View = Omit<MembershipView, "usage"> & { usage: MembershipView["usage"] | null };
const day = (date: string) => formatDate(date, "UTC");

/** One membership: status, what it gives, key dates, usage bar, history; actions come as children. */
export function MembershipCard({ membership: m, children }: { membership: View; children?: ReactNode }) {
  return (
    <article className="card" aria-labelledby={`membership-${m.id}`}>
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={`membership-${m.id}`} className="text-lg font-bold">
          {m.planName} <span className="text-sm font-normal text-slate-600">· {TYPE_LABEL[m.planType]}</span>
        </h3>
        <span className={`rounded px-2 py-0.5 text-sm font-semibold ${STATUS_STYLE[m.status]}`}>
          {m.cancelAtPeriodEnd && m.status === "ACTIVE" ? "Ending" : m.status.charAt(0) + m.status.slice(1).toLowerCase()}
        </span>
      </div>
      <dl className="mt-2 grid gap-x-6 gap-y-1 text-sm sm:grid-cols-2">
        <div>
          <dt className="inline font-semibold">Started: </dt>
          <dd className="inline">{day(m.startDate)}</dd>
        </div>
        {m.endDate ? (
          <div>
            <dt className="inline font-semibold">{m.status === "ACTIVE" || m.status === "PAUSED" ? "Ends: " : "Ended: "}</dt>
            <dd className="inline">{day(m.endDate)}</dd>
          </div>
        ) : null}
        {m.planType === "RECURRING" ? (
          <div>
            <dt className="inline font-semibold">Price: </dt>
            <dd className="inline">{formatMoney(m.pricePence, m.currency)} a month</dd>
          </div>
        ) : null}
        {m.nextBillingDate ? (
          <div>
            <dt className="inline font-semibold">Next billing date: </dt>
            <dd className="inline">{day(m.nextBillingDate)}</dd>
          </div>
        ) : null}
        {m.planType === "PACK" && m.sessionsRemaining !== null ? (
          <div>
            <dt className="inline font-semibold">Sessions left: </dt>
            <dd className="inline">{m.sessionsRemaining}</dd>
          </div>
        ) : null}
        {m.pausedOn ? (
          <div>
            <dt className="inline font-semibold">Paused since: </dt>
            <dd className="inline">{day(m.pausedOn)}</dd>
          </div>
        ) : null}
      </dl>
      {m.usage ? (
        <div className="mt-3">
          <UsageBar usage={m.usage} />
        </div>
      ) : null}
      {children ? <div className="mt-3 flex flex-wrap gap-2">{children}</div> : null}
      {m.events.length ? (
        <details className="mt-3">
          <summary className="cursor-pointer font-semibold">History</summary>
          <ol className="mt-2 space-y-1 text-sm">
            {m.events.map((e, i) => (
              <li key={i}>
                {e.atLabel}: {ACTION_LABEL[e.action]}
                {e.actorName ? ` by ${e.actorName}` : ""}
                {e.note ? ` — ${e.note}` : ""}
              </li>
            ))}
          </ol>
        </details>
      ) : null}
    </article>
  );
}
