// A cohort's check-in settings: which health metrics its members are asked for, and every how many days.
import type { EntityManager } from "@mikro-orm/postgresql";
import type { FieldErrors } from "~/utils/forms";
import { invalid, refuse, type Result } from "~/utils/result";
import { HEALTH_METRICS, isHealthMetric, type HealthMetric } from "../health/health.rules";
import { cohortForCoach, type Viewer } from "./cohort-access.server";
import { CohortCheckInConfig } from "./cohorts.entities.server";

export type CheckInConfig = { metrics: HealthMetric[]; frequencyDays: number };

/** What a cohort without settings starts from on the settings form (nothing is asked until saved). */
export const DEFAULT_CHECK_IN_CONFIG: CheckInConfig = { metrics: ["weightKg", "energy", "mood"], frequencyDays: 7 };

/** The cohort's settings, or the defaults with `saved: false` when it has none yet. */
export async function getCheckInConfig(em: EntityManager, cohortId: number): Promise<CheckInConfig & { saved: boolean }> {
  const config = await em.findOne(CohortCheckInConfig, { cohort: cohortId });
  if (!config) return { ...DEFAULT_CHECK_IN_CONFIG, saved: false };
  return { metrics: HEALTH_METRICS.filter((metric) => config.metrics.includes(metric)), frequencyDays: config.frequencyDays, saved: true };
}

/**
 * Saves a cohort's settings: a coach of the cohort or an admin only (refused with reason "missing" or
 * "forbidden", as cohortForCoach decides); metrics a non-empty subset of HEALTH_METRICS, 1–28 days.
 */
export async function saveCheckInConfig(em: EntityManager, viewer: Viewer, cohortId: number, input: CheckInConfig): Promise<Result<{ config: CheckInConfig }>> {
  const access = await cohortForCoach(em, viewer, cohortId);
  if (access.kind === "missing") return refuse("We could not find that cohort.", {}, "missing");
  if (access.kind === "forbidden") return refuse("Only a coach of this cohort or an admin can change its check-ins.", {}, "forbidden");

  const fieldErrors: FieldErrors = {};
  if (input.metrics.length === 0) fieldErrors.metrics = ["Choose at least one measurement to ask for."];
  else if (!input.metrics.every(isHealthMetric)) fieldErrors.metrics = ["Choose measurements from the list."];
  if (!Number.isInteger(input.frequencyDays) || input.frequencyDays < 1 || input.frequencyDays > 28) {
    fieldErrors.frequencyDays = ["Ask at least every 28 days and at most every day (1 to 28)."];
  }
  if (Object.keys(fieldErrors).length) return invalid(fieldErrors, "Please correct the fields marked below.");

  const config: CheckInConfig = { metrics: HEALTH_METRICS.filter((metric) => input.metrics.includes(metric)), frequencyDays: input.frequencyDays };
  // One row per cohort: an upsert on its unique key, so two saves at once cannot make two.
  await em.upsert(CohortCheckInConfig, { cohort: cohortId, ...config, updatedAt: new Date() }, { onConflictFields: ["cohort"] });
  return { ok: true, config };
}
