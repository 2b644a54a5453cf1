import type { EntityManager } from "@mikro-orm/postgresql";
import { todayIn, type LocalDate } from "~/utils/time";
import { SystemSettings } from "./settings.entities.server";
import { DEFAULT_SETTINGS, featureFlags, resolveSettings, SETTING_KEYS, type FeatureFlags, type Settings } from "./settings.rules";

export async function getSettings(em: EntityManager): Promise<Settings> {
  const rows = await em.find(SystemSettings, {}, { fields: ["key", "value"] });
  return resolveSettings(rows);
}

const FEATURE_KEYS = ["features.sessions.enabled", "features.cohorts.enabled", "features.appointments.enabled"] as const;

/**
 * The feature switches as stored right now: one small query and no cache, so a switch flipped on one
 * instance holds on every instance from its next request on. Plain rows, so the request's identity map
 * is left alone.
 */
export async function currentFeatureFlags(em: EntityManager): Promise<FeatureFlags> {
  const rows = await em.execute<{ key: string; value: unknown }[]>("select key, value from system_settings where key in (?, ?, ?)", [...FEATURE_KEYS]);
  return featureFlags(resolveSettings(rows));
}

/** Today's date in the studio's time zone. */
export async function studioToday(em: EntityManager, now = new Date()): Promise<LocalDate> {
  return todayIn((await getSettings(em)).studioTimeZone, now);
}

export async function updateSettings(em: EntityManager, changes: Partial<Settings>): Promise<Settings> {
  const rows = Object.entries(changes)
    .filter(([key]) => SETTING_KEYS.includes(key as keyof Settings))
    .map(([key, value]) => ({ key, value, updatedAt: new Date() }));
  if (rows.length) await em.upsertMany(SystemSettings, rows);
  return getSettings(em);
}

/** Writes the default of every setting that has no row yet (the seed and a new studio). */
export async function ensureDefaultSettings(em: EntityManager): Promise<void> {
  const existing = new Set((await em.find(SystemSettings, {}, { fields: ["key"] })).map((row) => row.key));
  const missing = SETTING_KEYS.filter((key) => !existing.has(key));
  for (const key of missing) em.create(SystemSettings, { key, value: DEFAULT_SETTINGS[key] });
  await em.flush();
}
