import { z } from "zod";
import { isLocalDate } from "~/utils/dates";
import { id } from "~/utils/form-fields";

export const BookingActionSchema = z.object({
  intent: z.enum(["book", "cancel", "leave-waitlist"], { error: "Choose book, cancel or leave the waitlist." }),
  redirectTo: z.string().optional(),
});

/** A date in a page's query string: ignored unless it is a real date. */
const queryDate = z
  .string()
  .optional()
  .transform((d) => (d && isLocalDate(d) ? d : undefined));

export const TimetableQuerySchema = z.object({
  date: queryDate,
  classType: id("Unknown class type.").optional().catch(undefined),
});

/** The week of a client's calendar (/client/sessions/calendar). */
export const CalendarWeekQuerySchema = z.object({ date: queryDate });
