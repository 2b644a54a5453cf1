// The studio's plans: created, edited, switched off, and the class types each allows.
import type { EntityManager } from "@mikro-orm/postgresql";
import type { FieldErrors } from "~/utils/forms";
import { invalid, type Result } from "~/utils/result";
import { ClassType } from "../sessions/sessions.entities.server";
import { getSettings } from "../settings/settings.service.server";
import { MembershipClassTypeAllowance, MembershipPlan, UserMembership, type IMembershipPlan } from "./memberships.entities.server";
import type { PlanInput } from "./memberships.schema";

export async function listPlans(em: EntityManager, options: { includeInactive?: boolean; purchasableOnly?: boolean } = {}) {
  const where: Record<string, unknown> = {};
  if (!options.includeInactive) where.isActive = true;
  if (options.purchasableOnly) where.purchasableByClient = true;
  const plans = await em.find(MembershipPlan, where, { orderBy: { isActive: "desc", type: "asc", pricePence: "asc", name: "asc" } });
  const allowances = await em.find(MembershipClassTypeAllowance, { plan: { $in: plans.map((p) => p.id) } }, { populate: ["classType"] });
  return plans.map((plan) => ({
    plan,
    classTypes: allowances.filter((a) => a.plan.id === plan.id).map((a) => ({ id: a.classType.id, name: a.classType.name })),
  }));
}

export async function getPlan(em: EntityManager, id: number) {
  const plan = await em.findOne(MembershipPlan, id);
  if (!plan) return null;
  const allowances = await em.find(MembershipClassTypeAllowance, { plan }, { populate: ["classType"] });
  return { plan, classTypeIds: allowances.map((a) => a.classType.id) };
}

async function checkClassTypes(em: EntityManager, ids: number[]): Promise<FieldErrors | null> {
  if (!ids.length) return null;
  const found = await em.count(ClassType, { id: { $in: ids } });
  return found === new Set(ids).size ? null : { classTypeIds: ["Choose class types from the list."] };
}

async function setAllowances(em: EntityManager, plan: IMembershipPlan, classTypeIds: number[]) {
  await em.nativeDelete(MembershipClassTypeAllowance, { plan });
  for (const id of new Set(classTypeIds)) em.create(MembershipClassTypeAllowance, { plan, classType: em.getReference(ClassType, id) });
}

function planData(input: PlanInput, currency: string) {
  const { classTypeIds: _ignored, price, ...rest } = input;
  return { ...rest, pricePence: price, currency };
}

export async function createPlan(em: EntityManager, input: PlanInput): Promise<Result<{ plan: IMembershipPlan }>> {
  const invalidClassTypes = await checkClassTypes(em, input.classTypeIds);
  if (invalidClassTypes) return invalid(invalidClassTypes);
  const settings = await getSettings(em);
  return em.transactional(async (tx) => {
    const plan = tx.create(MembershipPlan, { ...planData(input, settings.currency), isActive: true });
    await tx.flush();
    await setAllowances(tx, plan, input.classTypeIds);
    await tx.flush();
    return { ok: true as const, plan };
  });
}

export async function updatePlan(em: EntityManager, id: number, input: PlanInput): Promise<Result<{ plan: IMembershipPlan }> | null> {
  const invalidClassTypes = await checkClassTypes(em, input.classTypeIds);
  if (invalidClassTypes) return invalid(invalidClassTypes);
  return em.transactional(async (tx) => {
    const plan = await tx.findOne(MembershipPlan, id);
    if (!plan) return null;
    if (plan.type !== input.type && (await tx.count(UserMembership, { plan }))) {
      return invalid({ type: ["Members hold this plan, so its type cannot change. Create a new plan instead."] });
    }
    tx.assign(plan, planData(input, plan.currency));
    await setAllowances(tx, plan, input.classTypeIds);
    await tx.flush();
    return { ok: true as const, plan };
  });
}

/** Soft delete: existing memberships carry on; the plan can no longer be assigned or bought. */
export async function setPlanActive(em: EntityManager, id: number, active: boolean) {
  const plan = await em.findOne(MembershipPlan, id);
  if (!plan) return null;
  plan.isActive = active;
  await em.flush();
  return plan;
}
