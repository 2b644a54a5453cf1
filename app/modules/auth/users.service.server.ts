import type { EntityManager } from "@mikro-orm/postgresql";
import { ROLES, User, type Role } from "./auth.entities.server";

export async function countUsersByRole(em: EntityManager): Promise<Record<Role, number>> {
  const counts = await Promise.all(ROLES.map((role) => em.count(User, { role })));
  return Object.fromEntries(ROLES.map((role, i) => [role, counts[i]])) as Record<Role, number>;
}
