import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";

/**
 * A health check-in (the PRD's Entry): one per client per local date, any client, in a cohort or not.
 * Stored in kg and cm whatever the client reads them in; every metric is optional, at least one is given.
 */
export const Entry = defineEntity({
  name: "Entry",
  tableName: "entry",
  uniques: [{ name: "entry_user_date_unique", properties: ["user", "date"] }],
  checks: [
    { name: "entry_weight_check", expression: `weight_kg is null or (weight_kg >= 20 and weight_kg <= 400)` },
    { name: "entry_body_fat_check", expression: `body_fat_pct is null or (body_fat_pct >= 2 and body_fat_pct <= 70)` },
    { name: "entry_waist_check", expression: `waist_cm is null or (waist_cm >= 30 and waist_cm <= 250)` },
    { name: "entry_sleep_check", expression: `sleep_hours is null or (sleep_hours >= 0 and sleep_hours <= 24)` },
    { name: "entry_steps_check", expression: `steps is null or (steps >= 0 and steps <= 200000)` },
    { name: "entry_energy_check", expression: `energy is null or (energy >= 1 and energy <= 10)` },
    { name: "entry_mood_check", expression: `mood is null or (mood >= 1 and mood <= 10)` },
  ],
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    /** The studio-local day the entry is for. */
    date: p.string().columnType("date"),
    weightKg: p.double().nullable(),
    bodyFatPct: p.double().nullable(),
    waistCm: p.double().nullable(),
    sleepHours: p.double().nullable(),
    steps: p.integer().nullable(),
    energy: p.integer().nullable(),
    mood: p.integer().nullable(),
    note: p.text().nullable(),
    /** A coach who entered it for the client; null when the client did. */
    enteredBy: () => p.manyToOne(User).nullable().deleteRule("set null"),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IEntry = InferEntity<typeof Entry>;
