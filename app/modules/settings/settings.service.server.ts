import { RequestContext, type EntityManager } from "@mikro-orm/postgresql";
import { forgetForRequest, oncePerRequest, rememberForRequest } from "~/modules/request-memo.server";
import { todayIn, type LocalDate } from "~/utils/time";
import { featureFlags, type FeatureFlags } from "./feature-flags";
import { SystemSettings } from "./settings.entities.server";
import { DEFAULT_SETTINGS, resolveSettings, SETTING_KEYS, type Settings } from "./settings.rules";

const MEMO_KEY = "settings";

/** Plain rows, so the identity map is left alone. */
async function readSettings(em: EntityManager): Promise<Settings> {
  return resolveSettings(await em.execute<{ key: string; value: unknown }[]>("select key, value from system_settings"));
}

/**
 * The settings as stored. Read once per HTTP request however many loaders ask (the request's own
 * EntityManager only: a transaction or another fork reads again), and never kept beyond it, so a change
 * holds on every instance from its next request on.
 */
export async function getSettings(em: EntityManager): Promise<Settings> {
  if (em !== RequestContext.getEntityManager()) return readSettings(em);
  return { ...(await oncePerRequest(MEMO_KEY, () => readSettings(em))) };
}

/** The request's settings, from rows read together with something else (see primeRequest in auth-session.server.ts). */
export function rememberSettingsForRequest(rows: Promise<{ key: string; value: unknown }[]>): void {
  rememberForRequest(MEMO_KEY, rows.then(resolveSettings));
}

/**
 * The feature switches as stored right now (the server's feature guard asks before any loader runs):
 * the request's one read of the settings, no cache, so a switch flipped on one instance holds on every
 * instance from its next request on.
 */
export async function currentFeatureFlags(em: EntityManager): Promise<FeatureFlags> {
  return featureFlags(await getSettings(em));
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
  forgetForRequest(MEMO_KEY);
  return getSettings(em);
}

/**
 * Writes the default of every setting that has no row yet (the seed and a new studio), or the value
 * `initial` gives it: a setting already stored is never changed.
 */
export async function ensureDefaultSettings(em: EntityManager, initial: Partial<Settings> = {}): Promise<void> {
  const existing = new Set((await em.find(SystemSettings, {}, { fields: ["key"] })).map((row) => row.key));
  const missing = SETTING_KEYS.filter((key) => !existing.has(key));
  for (const key of missing) em.create(SystemSettings, { key, value: key in initial ? initial[key] : DEFAULT_SETTINGS[key] });
  await em.flush();
  forgetForRequest(MEMO_KEY);
}
