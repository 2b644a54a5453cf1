import { z } from "zod";
import { blankToUndefined, id, localDate, localTime, optionalId, optionalText, wholeNumber } from "~/utils/form-fields";

/** One slot a coach offers. `coachId` is read only from admins (a coach offers their own slots). */
export const SlotFormSchema = z.object({
  coachId: optionalId("Choose a coach from the list."),
  classTypeId: id("Choose a class type."),
  date: localDate("Enter the date as YYYY-MM-DD."),
  startTime: localTime("Enter the start time as HH:MM."),
  durationMins: wholeNumber("the length", 5, 480),
  location: optionalText(200, "The location"),
  notes: optionalText(2000, "The notes"),
});
export type SlotInput = z.output<typeof SlotFormSchema>;

/** Several slots on one day: from–to, each `lengthMins` long with `gapMins` between. */
export const SlotSeriesSchema = z
  .object({
    coachId: optionalId("Choose a coach from the list."),
    classTypeId: id("Choose a class type."),
    date: localDate("Enter the date as YYYY-MM-DD."),
    from: localTime("Enter the first start as HH:MM."),
    to: localTime("Enter the end of the last slot as HH:MM."),
    lengthMins: wholeNumber("the length", 5, 480),
    gapMins: z.preprocess((v) => blankToUndefined(v) ?? "0", wholeNumber("the gap", 0, 240)),
    location: optionalText(200, "The location"),
    notes: optionalText(2000, "The notes"),
  })
  .refine((v) => v.to > v.from, { path: ["to"], message: "The end must be after the first start." });
export type SlotSeriesInput = z.output<typeof SlotSeriesSchema>;

export const CancelSlotSchema = z.object({ reason: optionalText(500, "The reason") });

export const AppointmentAttendanceSchema = z.object({
  attendance: z.enum(["ATTENDED", "NO_SHOW"], { error: "Choose attended or no-show." }),
});

export const BookAppointmentSchema = z.object({ slotId: id("Choose an appointment slot.") });

/** The client's list: optional filters by coach and class type (unknown values are ignored). */
export const AppointmentFiltersSchema = z.object({
  coach: z.preprocess(blankToUndefined, id("Unknown coach.").optional()).catch(undefined),
  type: z.preprocess(blankToUndefined, id("Unknown class type.").optional()).catch(undefined),
});
