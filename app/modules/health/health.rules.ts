/** The metrics a health check-in records (and a cohort may ask for). */
export const HEALTH_METRICS = ["weightKg", "bodyFatPct", "waistCm", "sleepHours", "steps", "energy", "mood"] as const;
export type HealthMetric = (typeof HEALTH_METRICS)[number];

/** How a client reads weights: kilograms, or stones and pounds. */
export const WEIGHT_UNITS = ["KG", "ST_LB"] as const;
export type WeightUnit = (typeof WEIGHT_UNITS)[number];
