import { z } from "zod";
import { isLocalDate } from "~/utils/time";

export const BookingActionSchema = z.object({
  intent: z.enum(["book", "cancel", "leave-waitlist"], { error: "Choose book, cancel or leave the waitlist." }),
  redirectTo: z.string().optional(),
});

export const TimetableQuerySchema = z.object({
  date: z
    .string()
    .optional()
    .transform((d) => (d && isLocalDate(d) ? d : undefined)),
  classType: z.coerce.number().int().positive().optional().catch(undefined),
});
