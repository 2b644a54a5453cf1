import type { EntityManager } from "@mikro-orm/postgresql";
import type { Role } from "../auth/auth.entities.server";
import { CoachCohortMembership, Cohort, CohortMembership, type ICohort } from "./cohorts.entities.server";

export type Viewer = { id: number; role: Role };

/** What a viewer may do with a cohort: admins everything, its coaches everything, anyone else nothing. */
export type CohortAccess = { kind: "missing" } | { kind: "forbidden" } | { kind: "coach"; cohort: ICohort };

/** The cohort if the viewer coaches it (or is an admin). Routes answer "missing" with 404 and "forbidden" with 403. */
export async function cohortForCoach(em: EntityManager, viewer: Viewer, cohortId: number): Promise<CohortAccess> {
  const cohort = await em.findOne(Cohort, { id: cohortId });
  if (!cohort) return { kind: "missing" };
  if (viewer.role === "ADMIN") return { kind: "coach", cohort };
  if (viewer.role !== "COACH") return { kind: "forbidden" };
  const coaches = await em.count(CoachCohortMembership, { cohort: cohortId, coach: viewer.id });
  return coaches > 0 ? { kind: "coach", cohort } : { kind: "forbidden" };
}

/** The ids of the cohorts a coach runs (every cohort for an admin is not implied: callers check the role). */
export async function cohortIdsCoachedBy(em: EntityManager, coachId: number): Promise<number[]> {
  const rows = await em.find(CoachCohortMembership, { coach: coachId }, { fields: ["cohort"] });
  return rows.map((row) => (typeof row.cohort === "number" ? row.cohort : row.cohort.id));
}

/** Whether `coachId` coaches a cohort `clientId` belongs to (now or before) — the right to see their health data and answers. */
export async function coachesClientInCohort(em: EntityManager, coachId: number, clientId: number): Promise<boolean> {
  const cohortIds = await cohortIdsCoachedBy(em, coachId);
  if (cohortIds.length === 0) return false;
  return (await em.count(CohortMembership, { user: clientId, cohort: { $in: cohortIds } })) > 0;
}

/** The client's one active cohort membership (status ACTIVE), with its cohort, or null. */
export async function activeCohortMembershipOf(em: EntityManager, userId: number) {
  return em.findOne(CohortMembership, { user: userId, status: "ACTIVE" }, { populate: ["cohort"] });
}
