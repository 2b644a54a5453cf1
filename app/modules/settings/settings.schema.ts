import { z } from "zod";
import { checkbox, wholeUnits } from "~/utils/form-fields";
import { isValidTimeZone } from "./settings.rules";

/** The admin settings form: unchecked boxes are simply absent from a form post. */
export const SettingsFormSchema = z.object({
  studioName: z.string({ error: "Enter the studio's name." }).trim().min(1, "Enter the studio's name.").max(100, "Use at most 100 characters."),
  studioTimeZone: z.string({ error: "Enter a time zone." }).trim().refine(isValidTimeZone, "Enter a valid IANA time zone, like Europe/London."),
  currency: z.enum(["GBP", "EUR", "USD"], { error: "Choose GBP, EUR or USD." }),
  defaultLateCancelCutoffHours: wholeUnits("hours", 0, 168, { max: "Use at most 168 hours (a week)." }),
  bookingOpensDaysBefore: wholeUnits("days", 0, 365),
  bookingClosesMinutesBefore: wholeUnits("minutes", 0, 10080, { max: "Use at most 10080 minutes (a week)." }),
  attendanceEditDays: wholeUnits("days", 0, 60, { min: "Use 0 or more days (0: the class day only)." }),
  paymentGraceDays: wholeUnits("days", 0, 60),
  maxPaymentFailures: wholeUnits("failed payments", 1, 10),
  questionnaireOpensDaysBeforeWeekEnd: wholeUnits("days", 1, 7, { min: "Use 1 (the week's last day) or more days." }),
  questionnaireClosesDaysAfterWeekEnd: wholeUnits("days", 0, 28),
  appointmentsEnabled: checkbox,
  sessionsEnabled: checkbox,
  cohortsEnabled: checkbox,
  staffTwoFactorRequired: checkbox,
});
