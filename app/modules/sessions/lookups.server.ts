// The people, cohorts and places the session forms choose from.
import type { EntityManager } from "@mikro-orm/postgresql";
import { User } from "../auth/auth.entities.server";
import { Cohort } from "../cohorts/cohorts.entities.server";
import { Venue } from "./sessions.entities.server";

export function listCoaches(em: EntityManager) {
  return em.find(User, { role: { $in: ["COACH", "ADMIN"] } }, { orderBy: { role: "asc", name: "asc" }, fields: ["id", "name", "role"] });
}

export function listCohorts(em: EntityManager) {
  return em.find(Cohort, { status: { $in: ["DRAFT", "ACTIVE"] } }, { orderBy: { startDate: "desc" }, fields: ["id", "name"] });
}

export async function findCoach(em: EntityManager, id: number) {
  return em.findOne(User, { id, role: { $in: ["COACH", "ADMIN"] } });
}

export async function defaultLocation(em: EntityManager): Promise<string | null> {
  const [venue] = await em.find(Venue, {}, { orderBy: { id: "asc" }, limit: 1 });
  return venue?.name ?? null;
}
