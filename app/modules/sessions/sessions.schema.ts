import { z } from "zod";
import {
  asList,
  blankToUndefined,
  id,
  localDate,
  localTime,
  optionalId,
  optionalText,
  optionalWholeNumber,
  pageNumber,
  wholeNumber,
} from "~/utils/form-fields";
import { isLocalDate } from "~/utils/dates";
import { isValidHexColor } from "./sessions.rules";

export const ClassTypeFormSchema = z.object({
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(60, "Use at most 60 characters."),
  description: optionalText(1000, "The description"),
  color: z.string({ error: "Choose a colour." }).trim().refine(isValidHexColor, "Use a hex colour like #1d4ed8.").transform(normalizeHexColor),
  defaultCapacity: wholeNumber("the capacity", 1, 200),
  defaultDurationMins: wholeNumber("the duration", 5, 600),
  bookingOpensDaysBefore: optionalWholeNumber("the days before", 0, 365),
  bookingClosesMinutesBefore: optionalWholeNumber("the minutes before", 0, 10080),
});
export type ClassTypeInput = z.output<typeof ClassTypeFormSchema>;

/** "#ABC" and "#aabbcc" become "#aabbcc", the one form the database accepts. */
export function normalizeHexColor(color: string): string {
  const hex = color.trim().toLowerCase();
  return hex.length === 4 ? `#${hex[1]}${hex[1]}${hex[2]}${hex[2]}${hex[3]}${hex[3]}` : hex;
}

/** One session. Title, capacity and end time may be left blank to take the class type's. */
export const SessionFormSchema = z.object({
  classTypeId: optionalId("Choose a class type from the list."),
  coachId: id("Choose a coach."),
  cohortId: optionalId("Choose a cohort from the list."),
  title: optionalText(100, "The title"),
  date: localDate("Enter the date as YYYY-MM-DD."),
  startTime: localTime("Enter the start time as HH:MM."),
  endTime: z.preprocess(blankToUndefined, localTime("Enter the end time as HH:MM.").optional()),
  maxOccupancy: optionalWholeNumber("the capacity", 1, 200),
  location: optionalText(200, "The location"),
  notes: optionalText(2000, "The notes"),
});
export type SessionInput = z.output<typeof SessionFormSchema>;

export const SessionEditSchema = z.object({
  coachId: id("Choose a coach."),
  date: localDate("Enter the date as YYYY-MM-DD."),
  startTime: localTime("Enter the start time as HH:MM."),
  endTime: localTime("Enter the end time as HH:MM."),
  maxOccupancy: wholeNumber("the capacity", 1, 200),
  location: optionalText(200, "The location"),
  notes: optionalText(2000, "The notes"),
});
export type SessionEditInput = z.output<typeof SessionEditSchema>;

const weekday = z.coerce.number().int().min(1).max(7);

/** The recurring generator's form: checkboxes `weekday` (1–7) and a comma- or space-separated list of times. */
export const RecurringFormSchema = z
  .object({
    classTypeId: id("Choose a class type."),
    coachId: id("Choose a coach."),
    cohortId: optionalId("Choose a cohort from the list."),
    weekdays: z.preprocess(asList, z.array(weekday, { error: "Choose at least one day." }).min(1, "Choose at least one day.")),
    times: z
      .string({ error: "Enter at least one start time." })
      .transform((value) => value.split(/[\s,]+/).filter(Boolean))
      .pipe(
        z
          .array(localTime("Enter times as HH:MM, separated by commas (for example 06:30, 17:30)."))
          .min(1, "Enter at least one start time.")
          .max(24, "Enter at most 24 times."),
      ),
    from: localDate("Enter the first date as YYYY-MM-DD."),
    to: localDate("Enter the last date as YYYY-MM-DD."),
    durationMins: optionalWholeNumber("the duration", 5, 600),
    maxOccupancy: optionalWholeNumber("the capacity", 1, 200),
    location: optionalText(200, "The location"),
  })
  .refine((v) => v.to >= v.from, { path: ["to"], message: "The last date must be on or after the first." });
export type RecurringInput = z.output<typeof RecurringFormSchema>;

export const CancelSessionSchema = z.object({
  reason: z.string({ error: "Say why the session is cancelled." }).trim().min(3, "Say why the session is cancelled.").max(500, "Use at most 500 characters."),
});

export const AttendanceSchema = z.object({
  registrationId: id("Choose a client."),
  attendance: z.enum(["ATTENDED", "NO_SHOW"], { error: "Choose attended or no-show." }),
});

export const SessionFiltersSchema = z.object({
  from: z.preprocess(blankToUndefined, localDate("Enter the date as YYYY-MM-DD.").optional()),
  to: z.preprocess(blankToUndefined, localDate("Enter the date as YYYY-MM-DD.").optional()),
  classType: optionalId("Unknown class type."),
  coach: optionalId("Unknown coach."),
  cohort: optionalId("Unknown cohort."),
  status: z.preprocess(blankToUndefined, z.enum(["SCHEDULED", "CANCELLED", "COMPLETED"]).optional()),
  page: pageNumber,
});
export type SessionFilters = z.output<typeof SessionFiltersSchema>;

/** The coaches' calendar (/coach/sessions/calendar): a week or a day, from a date, for one coach or all. */
export const CalendarQuerySchema = z.object({
  view: z.enum(["week", "day"]).catch("week"),
  date: z
    .string()
    .optional()
    .transform((d) => (d && isLocalDate(d) ? d : undefined)),
  coach: id("Unknown coach.").optional().catch(undefined),
});
