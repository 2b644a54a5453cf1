import { z } from "zod";

/** Every setting with its default (PRD section 13). Stored per key in `system_settings`. */
export const SettingsSchema = z.object({
  "features.appointments.enabled": z.boolean().default(false),
  "features.sessions.enabled": z.boolean().default(true),
  "features.cohorts.enabled": z.boolean().default(true),
  defaultLateCancelCutoffHours: z.number().int().min(0).max(168).default(2),
  /** Registrations open this many days before a class starts, unless its class type says otherwise. */
  bookingOpensDaysBefore: z.number().int().min(0).max(365).default(14),
  /** Registrations close this many minutes before a class starts (0 = at the start). */
  bookingClosesMinutesBefore: z.number().int().min(0).max(10080).default(0),
  /** Coaches may mark and correct attendance until the end of this many days after the class day (0 = the class day only). */
  attendanceEditDays: z.number().int().min(0).max(60).default(7),
  /** Days a RECURRING membership stays usable after its first failed renewal payment. */
  paymentGraceDays: z.number().int().min(0).max(60).default(7),
  /** Failed renewal payments after which a RECURRING membership is paused. */
  maxPaymentFailures: z.number().int().min(1).max(10).default(3),
  /** A cohort week's questionnaire opens this many days before the week ends (1 = on its last day)… */
  questionnaireOpensDaysBeforeWeekEnd: z.number().int().min(1).max(7).default(1),
  /** …and stays open this many days after it (7 = until the next week ends). */
  questionnaireClosesDaysAfterWeekEnd: z.number().int().min(0).max(28).default(7),
  studioTimeZone: z.string().refine(isValidTimeZone, "Choose a valid IANA time zone, like Europe/London.").default("Europe/London"),
  currency: z.enum(["GBP", "EUR", "USD"]).default("GBP"),
  studioName: z.string().min(1).max(100).default("Centurion"),
  /**
   * Coaches and admins must sign in with a second factor (an authenticator app). On unless the studio turns
   * it off: a new studio has no row, so it is on; the demo seed turns it off for its shared demo accounts.
   */
  staffTwoFactorRequired: z.boolean().default(true),
});

export type Settings = z.infer<typeof SettingsSchema>;
export type SettingKey = keyof Settings;
export const SETTING_KEYS = Object.keys(SettingsSchema.shape) as SettingKey[];
export const DEFAULT_SETTINGS: Settings = SettingsSchema.parse({});

// Building an Intl.DateTimeFormat costs about a fifth of a millisecond, and settings are read on every request.
const checkedZones = new Map<string, boolean>();

export function isValidTimeZone(zone: string): boolean {
  let valid = checkedZones.get(zone);
  if (valid === undefined) {
    try {
      new Intl.DateTimeFormat("en-GB", { timeZone: zone });
      valid = true;
    } catch {
      valid = false;
    }
    if (checkedZones.size < 1_000) checkedZones.set(zone, valid);
  }
  return valid;
}

/** Merges stored rows over the defaults; a stored value that no longer fits falls back to its default. */
export function resolveSettings(rows: { key: string; value: unknown }[]): Settings {
  const settings: Record<string, unknown> = { ...DEFAULT_SETTINGS };
  for (const row of rows) {
    if (!(row.key in SettingsSchema.shape)) continue;
    const field = SettingsSchema.shape[row.key as SettingKey];
    const parsed = field.safeParse(row.value);
    if (parsed.success) settings[row.key] = parsed.data;
  }
  return settings as Settings;
}

export { featureFlags, type FeatureFlags } from "./feature-flags";
