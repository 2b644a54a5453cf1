import type { SessionUsage } from "~/modules/memberships/memberships.rules";
import { usagePercent } from "~/modules/memberships/memberships.rules";
import { formatDate } from "~/utils/dates";

/** A pack's or a prepaid pass's weekly limit, when it has one: this studio week's use. */
function weekLine(usage: SessionUsage): string | null {
  if ((usage.type !== "pack" && usage.type !== "prepaid") || !usage.weekly) return null;
  const { used, limit, remaining } = usage.weekly;
  return `This week: ${used} of ${limit} session${limit === 1 ? "" : "s"} used, ${remaining} left`;
}

function describe(usage: SessionUsage): { headline: string; detail: string } {
  switch (usage.type) {
    case "recurring":
      return { headline: `${usage.used} of ${usage.limit} sessions used this week`, detail: `${usage.remaining} left this week` };
    case "pack":
      return { headline: `${usage.sessionsRemaining} of ${usage.totalSessions} sessions left`, detail: "Use them at any time" };
    case "prepaid":
      return { headline: `${usage.daysRemaining} day${usage.daysRemaining === 1 ? "" : "s"} left`, detail: `Until ${formatDate(usage.endDate, "UTC")}` };
    case "coaching":
      return { headline: "Coaching only", detail: "This plan does not book classes" };
  }
}

/**
 * A usage bar drawn by the server: a real <meter> for screen readers and old browsers, with a styled
 * bar and the same figures in words beside it.
 */
export function UsageBar({ usage }: { usage: SessionUsage }) {
  const { headline, detail } = describe(usage);
  const percent = usagePercent(usage);
  const id = `usage-${usage.membershipId}`;
  return (
    <div className="rounded-md border border-slate-200 bg-white p-3">
      <p id={`${id}-label`} className="font-semibold">
        {usage.planName}: {headline}
      </p>
      {usage.type === "coaching" ? null : (
        <div className="mt-2 h-3 w-full overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
          <div className={`h-full rounded-full ${percent >= 100 ? "bg-red-700" : "bg-brand-700"}`} style={{ width: `${percent}%` }} />
        </div>
      )}
      {usage.type === "coaching" ? null : (
        <meter className="sr-only" min={0} max={100} value={percent} aria-labelledby={`${id}-label`}>
          {percent}%
        </meter>
      )}
      <p className="mt-1 text-sm text-slate-700">{detail}</p>
      {weekLine(usage) ? <p className="mt-1 text-sm font-medium text-slate-800">{weekLine(usage)}</p> : null}
    </div>
  );
}
