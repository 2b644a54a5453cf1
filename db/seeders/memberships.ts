import type { EntityManager } from "@mikro-orm/postgresql";
import { User } from "../../app/modules/auth/auth.entities.server";
import {
  MembershipClassTypeAllowance,
  MembershipEvent,
  MembershipPlan,
  UserMembership,
  type PlanType,
} from "../../app/modules/memberships/memberships.entities.server";
import { prepaidEndDate } from "../../app/modules/memberships/memberships.rules";
import { ClassType } from "../../app/modules/sessions/sessions.entities.server";
import { getSettings } from "../../app/modules/settings/settings.service.server";
import { mondayOf, todayIn } from "../../app/utils/time";

export const SPORTS_MASSAGE = {
  name: "Sports Massage",
  description: "One-to-one sports massage",
  color: "#7c3aed",
  defaultCapacity: 1,
  defaultDurationMins: 45,
};

type DemoPlan = {
  name: string;
  type: PlanType;
  pricePence: number;
  description?: string;
  sessionsPerWeek?: number;
  commitmentMonths?: number;
  totalSessions?: number;
  durationDays?: number;
  allowRepeatPurchase?: boolean;
  purchasableByClient?: boolean;
  penaltySystemEnabled?: boolean;
  classTypes?: string[];
};

// The ten TeamUp plans (PRD section 14) and the gap analysis's three tiers. Where the sources give no
// price (the recurring plans and the tiers) the figures are placeholders for the studio to set.
export const DEMO_PLANS: DemoPlan[] = [
  { name: "2025 6 Months x 3", type: "RECURRING", sessionsPerWeek: 6, commitmentMonths: 6, penaltySystemEnabled: true, pricePence: 7500 },
  {
    name: "Daily Nutrition Accountability",
    type: "RECURRING",
    allowRepeatPurchase: false,
    pricePence: 3000,
    description: "Daily nutrition coaching and check-ins; no classes.",
  },
  { name: "1 Session Pass", type: "PACK", totalSessions: 1, pricePence: 999 },
  { name: "3 Personal Training Sessions", type: "PACK", totalSessions: 3, pricePence: 11000 },
  { name: "5 Personal Training Sessions", type: "PACK", totalSessions: 5, pricePence: 15000 },
  { name: "10 Personal Training Sessions", type: "PACK", totalSessions: 10, pricePence: 27500 },
  { name: "Intro Personal Training", type: "PACK", totalSessions: 1, pricePence: 3000, allowRepeatPurchase: false },
  { name: "Sports Massage", type: "PACK", totalSessions: 1, pricePence: 4000, classTypes: ["Sports Massage"] },
  { name: "3 Pack Sports Massages", type: "PACK", totalSessions: 3, pricePence: 11000, classTypes: ["Sports Massage"] },
  {
    name: "8 WEEK CHALLENGE",
    type: "PREPAID",
    durationDays: 56,
    pricePence: 25000,
    purchasableByClient: false,
    description: "Eight weeks of unlimited classes.",
  },
  {
    name: "Kickstarter",
    type: "PREPAID",
    durationDays: 42,
    sessionsPerWeek: 5,
    pricePence: 14900,
    description: "A six-week challenge: up to 5 small-group sessions a week.",
  },
  {
    name: "Committed",
    type: "RECURRING",
    sessionsPerWeek: 5,
    commitmentMonths: 6,
    pricePence: 9900,
    description: "5 small-group sessions a week on a 6-month plan.",
  },
  {
    name: "Totally Committed",
    type: "RECURRING",
    sessionsPerWeek: 5,
    commitmentMonths: 12,
    pricePence: 8900,
    description: "5 small-group sessions a week on a 12-month plan.",
  },
];

/** Which plan each demo client holds: 1–20 recurring, 21–40 a 10-session pack, 41–60 the 8-week challenge. */
export function demoPlanFor(clientNumber: number): string {
  if (clientNumber <= 20) return "2025 6 Months x 3";
  if (clientNumber <= 40) return "10 Personal Training Sessions";
  return "8 WEEK CHALLENGE";
}

/** Adds the Sports Massage class type, the plans, and one membership per demo client that has none. */
export async function seedMemberships(em: EntityManager, now = new Date()): Promise<void> {
  const zone = (await getSettings(em)).studioTimeZone;
  const monday = mondayOf(todayIn(zone, now));

  if (!(await em.count(ClassType, { name: SPORTS_MASSAGE.name, isActive: true }))) em.create(ClassType, { ...SPORTS_MASSAGE, isActive: true });
  await em.flush();
  const classTypes = await em.find(ClassType, { isActive: true });

  const existing = new Map((await em.find(MembershipPlan, { name: { $in: DEMO_PLANS.map((p) => p.name) } })).map((p) => [p.name, p]));
  for (const { classTypes: allowed = [], ...demo } of DEMO_PLANS) {
    if (existing.has(demo.name)) continue;
    const plan = em.create(MembershipPlan, {
      description: null,
      sessionsPerWeek: null,
      commitmentMonths: null,
      totalSessions: null,
      durationDays: null,
      lateCancelCutoffHours: null,
      ...demo,
      currency: "GBP",
      isActive: true,
    });
    for (const name of allowed) {
      const classType = classTypes.find((c) => c.name === name);
      if (classType) em.create(MembershipClassTypeAllowance, { plan, classType });
    }
    existing.set(demo.name, plan);
  }
  await em.flush();

  const clients = await em.find(User, { email: { $like: "client%@centurion.test" }, role: "CLIENT" });
  const holders = new Set((await em.find(UserMembership, { user: { $in: clients.map((c) => c.id) } }, { fields: ["user"] })).map((m) => m.user.id));
  for (const client of clients) {
    const number = Number(/^client(\d+)@/.exec(client.email)?.[1]);
    if (!number || holders.has(client.id)) continue;
    const plan = existing.get(demoPlanFor(number))!;
    const membership = em.create(UserMembership, {
      user: client,
      plan,
      startDate: monday,
      endDate: plan.type === "PREPAID" ? prepaidEndDate(monday, plan.durationDays!) : null,
      status: "ACTIVE",
      sessionsRemaining: plan.type === "PACK" ? plan.totalSessions : null,
      cancelAtPeriodEnd: false,
    });
    em.create(MembershipEvent, { membership, action: "ASSIGNED", actor: null, note: "Demo data", at: now });
  }
  await em.flush();
}
