// What a member sees of their memberships: usage now, and every membership with its history (read models).
import type { EntityManager } from "@mikro-orm/postgresql";
import { formatDate, formatTime, todayIn, type LocalDate } from "~/utils/time";
import { usedInWeek } from "../booking/registration-counts.server";
import { getSettings } from "../settings/settings.service.server";
import { MembershipEvent, UserMembership, type IMembershipPlan, type MembershipAction, type MembershipStatus } from "./memberships.entities.server";
import { effectiveStatusOf, currentBillingPeriod, usageFor, type SessionUsage } from "./memberships.rules";

/** PRD section 6's getSessionUsage: one entry per membership that can be used now. */
export async function getSessionUsage(em: EntityManager, userId: number, now = new Date()): Promise<SessionUsage[]> {
  const zone = (await getSettings(em)).studioTimeZone;
  const today = todayIn(zone, now);
  const memberships = await em.find(UserMembership, { user: userId, status: "ACTIVE" }, { populate: ["plan"], orderBy: { startDate: "asc", id: "asc" } });
  const usable = memberships.filter((m) => effectiveStatusOf(m, today) === "ACTIVE");
  const used = await usedInWeek(
    em,
    usable.filter((m) => m.plan.sessionsPerWeek).map((m) => m.id),
    today,
    zone,
  );
  return usable.map((m) =>
    usageFor(
      {
        membershipId: m.id,
        planName: m.plan.name,
        planType: m.plan.type,
        sessionsPerWeek: m.plan.sessionsPerWeek ?? null,
        totalSessions: m.plan.totalSessions ?? null,
        sessionsRemaining: m.sessionsRemaining ?? null,
        startDate: m.startDate,
        endDate: m.endDate ?? null,
        usedThisWeek: used.get(m.id) ?? 0,
      },
      today,
    ),
  );
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
