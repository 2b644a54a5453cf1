import { z } from "zod";
import { asList, blankToUndefined, optionalText, pageNumber } from "~/utils/form-fields";
import { isLocalDate } from "~/utils/time";
import { HEALTH_METRICS, HEALTH_RANGES, WEIGHT_UNITS } from "./health.rules";

// The forms of health check-ins. Shapes only (a number is a number, a date is a date): the ranges are
// the service's, so every caller gets the same messages as the database's checks.

const optionalNumber = (message: string) => z.preprocess(blankToUndefined, z.coerce.number({ error: message }).refine(Number.isFinite, message).optional());

const optionalWhole = (message: string) => z.preprocess(blankToUndefined, z.coerce.number({ error: message }).int(message).optional());

/**
 * A check-in as typed. The weight comes either as `weightKg` or as `weightStones` + `weightPounds`,
 * whichever unit the form showed; the service converts it to kg.
 */
export const EntryFormSchema = z.object({
  date: z.preprocess(blankToUndefined, z.string().trim().refine(isLocalDate, "Enter the date as YYYY-MM-DD, from 1900 onwards.").optional()),
  weightKg: optionalNumber("Enter the weight as a number of kg, like 82.4."),
  weightStones: optionalWhole("Enter the stones as a whole number."),
  weightPounds: optionalNumber("Enter the pounds as a number, like 4.5."),
  bodyFatPct: optionalNumber("Enter body fat as a number, like 18.5."),
  waistCm: optionalNumber("Enter the waist as a number of cm, like 84."),
  sleepHours: optionalNumber("Enter sleep as a number of hours, like 7.5."),
  steps: optionalWhole("Enter steps as a whole number."),
  energy: optionalWhole("Enter energy as a whole number from 1 to 10."),
  mood: optionalWhole("Enter mood as a whole number from 1 to 10."),
  note: optionalText(2000, "The note"),
});
export type EntryInput = z.output<typeof EntryFormSchema>;

export const WeightUnitFormSchema = z.object({
  weightUnit: z.enum(WEIGHT_UNITS, { error: "Choose kg or stones and pounds." }),
});

export const CheckInConfigFormSchema = z.object({
  metrics: z.preprocess(
    asList,
    z.array(z.enum(HEALTH_METRICS, { error: "Choose measurements from the list." })).min(1, "Choose at least one measurement to ask for."),
  ),
  frequencyDays: z.coerce
    .number({ error: "Enter the number of days as a whole number from 1 to 28." })
    .int("Enter the number of days as a whole number from 1 to 28.")
    .min(1, "Ask at least every 28 days and at most every day (1 to 28).")
    .max(28, "Ask at least every 28 days and at most every day (1 to 28)."),
});
export type CheckInConfigInput = z.output<typeof CheckInConfigFormSchema>;

/** The history page's address: which page of the table, and which dates the charts cover. */
export const HealthQuerySchema = z.object({
  page: pageNumber.catch(undefined),
  range: z.enum(HEALTH_RANGES).catch("12w"),
  date: z.preprocess(blankToUndefined, z.string().refine(isLocalDate).optional()).catch(undefined),
});
