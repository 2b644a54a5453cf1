import type { Settings } from "./settings.rules";

/**
 * The feature switches, apart from the rest of the settings so pages can use them without pulling the
 * settings' zod schema into the browser.
 */
export type FeatureFlags = { appointments: boolean; sessions: boolean; cohorts: boolean };

type FeatureSettings = Pick<Settings, "features.appointments.enabled" | "features.sessions.enabled" | "features.cohorts.enabled">;

export function featureFlags(settings: FeatureSettings): FeatureFlags {
  return {
    appointments: settings["features.appointments.enabled"],
    sessions: settings["features.sessions.enabled"],
    cohorts: settings["features.cohorts.enabled"],
  };
}
