import { z } from "zod";
import { isValidTimeZone } from "./settings.rules";

const checkbox = z
  .enum(["on", "true"])
  .optional()
  .transform((value) => value !== undefined);

/** The admin settings form: unchecked boxes are simply absent from a form post. */
export const SettingsFormSchema = z.object({
  studioName: z.string({ error: "Enter the studio's name." }).trim().min(1, "Enter the studio's name.").max(100, "Use at most 100 characters."),
  studioTimeZone: z
    .string({ error: "Enter a time zone." })
    .trim()
    .refine(isValidTimeZone, "Enter a valid IANA time zone, like Europe/London."),
  currency: z.enum(["GBP", "EUR", "USD"], { error: "Choose GBP, EUR or USD." }),
  defaultLateCancelCutoffHours: z.coerce
    .number({ error: "Enter a whole number of hours." })
    .int("Enter a whole number of hours.")
    .min(0, "Use 0 or more hours.")
    .max(168, "Use at most 168 hours (a week)."),
  bookingOpensDaysBefore: z.coerce
    .number({ error: "Enter a whole number of days." })
    .int("Enter a whole number of days.")
    .min(0, "Use 0 or more days.")
    .max(365, "Use at most 365 days."),
  bookingClosesMinutesBefore: z.coerce
    .number({ error: "Enter a whole number of minutes." })
    .int("Enter a whole number of minutes.")
    .min(0, "Use 0 or more minutes.")
    .max(10080, "Use at most 10080 minutes (a week)."),
  attendanceEditDays: z.coerce
    .number({ error: "Enter a whole number of days." })
    .int("Enter a whole number of days.")
    .min(0, "Use 0 or more days (0: the class day only).")
    .max(60, "Use at most 60 days."),
  appointmentsEnabled: checkbox,
  sessionsEnabled: checkbox,
  cohortsEnabled: checkbox,
});
