// What a member sees of their memberships: usage now, and every membership with its history (read models).
import type { EntityManager } from "@mikro-orm/postgresql";
import { formatDate, formatTime, todayIn, type LocalDate } from "~/utils/time";
import { usedInWeekQuery } from "../booking/registration-counts.server";
import { runRead, type Read } from "../reads.server";
import { getSettings } from "../settings/settings.service.server";
import { MembershipEvent, UserMembership, type IMembershipPlan, type MembershipAction, type MembershipStatus } from "./memberships.entities.server";
import { effectiveMembershipStatus, effectiveStatusOf, currentBillingPeriod, usageFor, type SessionUsage } from "./memberships.rules";

type UsageRow = {
  id: number;
  start_date: LocalDate;
  end_date: LocalDate | null;
  status: MembershipStatus;
  cancel_at_period_end: boolean;
  sessions_remaining: number | null;
  plan_name: string;
  plan_type: IMembershipPlan["type"];
  sessions_per_week: number | null;
  total_sessions: number | null;
};

/** PRD section 6's getSessionUsage: one entry per membership that can be used now. */
export async function getSessionUsage(em: EntityManager, userId: number, now = new Date()): Promise<SessionUsage[]> {
  return runRead(em, sessionUsageRead((await getSettings(em)).studioTimeZone, userId, now));
}

/** getSessionUsage as a read, for a page to send with its others: the memberships and their week's use together. */
export function sessionUsageRead(zone: string, userId: number, now = new Date()): Read<SessionUsage[]> {
  const today = todayIn(zone, now);
  return {
    statements: [
      // Plain rows: the usage bars sit on the pages clients load most.
      {
        sql: `select m.id, m.start_date, m.end_date, m.status, m.cancel_at_period_end, m.sessions_remaining,
                     p.name as plan_name, p.type as plan_type, p.sessions_per_week, p.total_sessions
                from user_membership m join membership_plan p on p.id = m.plan_id
               where m.user_id = ? and m.status = 'ACTIVE'
               order by m.start_date, m.id`,
        params: [userId],
      },
      usedInWeekQuery({ activeOf: userId }, today, zone),
    ],
    answer: ([memberships, usedRows]) => {
      const used = new Map((usedRows as { membership_id: number; used: number }[]).map((row) => [row.membership_id, row.used]));
      return (memberships as UsageRow[])
        .filter(
          (m) =>
            effectiveMembershipStatus({ status: m.status, endDate: m.end_date, cancelAtPeriodEnd: m.cancel_at_period_end, planType: m.plan_type }, today) ===
            "ACTIVE",
        )
        .map((m) =>
          usageFor(
            {
              membershipId: m.id,
              planName: m.plan_name,
              planType: m.plan_type,
              sessionsPerWeek: m.sessions_per_week,
              totalSessions: m.total_sessions,
              sessionsRemaining: m.sessions_remaining,
              startDate: m.start_date,
              endDate: m.end_date,
              usedThisWeek: m.sessions_per_week ? (used.get(m.id) ?? 0) : 0,
            },
            today,
          ),
        );
    },
  };
}

export type MembershipView = {
  id: number;
  planId: number;
  planName: string;
  planType: IMembershipPlan["type"];
  commitmentMonths: number | null;
  stripeSubscriptionId: string | null;
  pricePence: number;
  currency: string;
  startDate: LocalDate;
  endDate: LocalDate | null;
  status: MembershipStatus;
  cancelAtPeriodEnd: boolean;
  sessionsRemaining: number | null;
  nextBillingDate: LocalDate | null;
  pausedOn: LocalDate | null;
  usage: SessionUsage | null;
  events: { action: MembershipAction; at: string; atLabel: string; actorName: string | null; note: string | null }[];
};

/** Every membership of a user, newest first, with its effective status, usage and history. */
export async function listMemberships(em: EntityManager, userId: number, now = new Date()): Promise<MembershipView[]> {
  const zone = (await getSettings(em)).studioTimeZone;
  const today = todayIn(zone, now);
  const memberships = await em.find(UserMembership, { user: userId }, { populate: ["plan"], orderBy: { createdAt: "desc", id: "desc" } });
  const events = await em.find(
    MembershipEvent,
    { membership: { $in: memberships.map((m) => m.id) } },
    { populate: ["actor"], orderBy: { at: "desc", id: "desc" } },
  );
  const usage = await getSessionUsage(em, userId, now);
  return memberships.map((m) => {
    const status = effectiveStatusOf(m, today);
    return {
      id: m.id,
      planId: m.plan.id,
      planName: m.plan.name,
      planType: m.plan.type,
      commitmentMonths: m.plan.commitmentMonths ?? null,
      stripeSubscriptionId: m.stripeSubscriptionId ?? null,
      pricePence: m.plan.pricePence,
      currency: m.plan.currency,
      startDate: m.startDate,
      endDate: m.endDate ?? null,
      status,
      cancelAtPeriodEnd: m.cancelAtPeriodEnd,
      sessionsRemaining: m.sessionsRemaining ?? null,
      nextBillingDate:
        m.plan.type === "RECURRING" && status === "ACTIVE" && !m.cancelAtPeriodEnd ? currentBillingPeriod(m.startDate, today).nextBillingDate : null,
      pausedOn: m.pausedOn ?? null,
      usage: usage.find((u) => u.membershipId === m.id) ?? null,
      events: events
        .filter((e) => e.membership.id === m.id)
        .map((e) => ({
          action: e.action,
          at: e.at.toISOString(),
          atLabel: `${formatDate(e.at, zone)} ${formatTime(e.at, zone)}`,
          actorName: e.actor?.name ?? null,
          note: e.note ?? null,
        })),
    };
  });
}
