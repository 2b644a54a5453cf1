import { z } from "zod";
import { asList, blankToUndefined, checkbox, id, localDate, optionalId, optionalText, searchText, wholeNumber } from "~/utils/form-fields";
import type { CohortStatus } from "./cohorts.entities.server";

// The forms of the cohort pages. Shapes only: the rules that need more than one field or the database
// (a Monday start, the registration window, who may coach) are checked by cohorts.service.server.ts.

// Spelled out rather than imported, so this file never pulls an entity module in.
const COHORT_STATUSES = ["DRAFT", "ACTIVE", "COMPLETED", "ARCHIVED"] as const satisfies readonly CohortStatus[];

const idList = (message: string) => z.preprocess(asList, z.array(id(message)));
const optionalDate = (message: string) => z.preprocess(blankToUndefined, localDate(message).optional());

/** The fields a cohort's edit form shares with the new-cohort form. */
export const CohortEditSchema = z.object({
  name: z.string({ error: "Enter a name." }).trim().min(1, "Enter a name.").max(100, "Use at most 100 characters."),
  description: optionalText(2000, "The description"),
  startDate: localDate("Enter the start date as YYYY-MM-DD."),
  weeks: wholeNumber("the number of weeks", 1, 52),
  capacity: wholeNumber("the capacity", 1, 500),
  registrationOpensOn: optionalDate("Enter the date registration opens as YYYY-MM-DD."),
  registrationClosesOn: optionalDate("Enter the date registration closes as YYYY-MM-DD."),
  isFree: checkbox,
  planIds: idList("Choose plans from the list."),
});
export type CohortEditInput = z.output<typeof CohortEditSchema>;

export const CohortCreateSchema = CohortEditSchema.extend({
  coachIds: idList("Choose coaches from the list."),
  copyFromCohortId: optionalId("Choose a cohort to copy from the list."),
});
export type CohortCreateInput = z.output<typeof CohortCreateSchema>;

/** The one "Move to …" button posts the status it shows, so a second click (or a stale page) moves nothing. */
export const CohortStatusSchema = z.object({ to: z.enum(COHORT_STATUSES, { error: "Choose a status." }) });

export const CohortCoachSchema = z.object({ coachId: id("Choose a coach from the list.") });

/** A member is added by email (typed) or by id (picked from the search results). */
export const CohortMemberAddSchema = z
  .object({
    userId: optionalId("Choose a client from the list."),
    email: z.preprocess(blankToUndefined, z.string().trim().toLowerCase().max(254, "That email address is too long.").optional()),
  })
  .refine((v) => v.userId !== undefined || v.email !== undefined, { path: ["email"], message: "Enter the client's email address." });
export type CohortMemberAddInput = z.output<typeof CohortMemberAddSchema>;

export const CohortMemberSchema = z.object({ userId: id("Choose a member from the list.") });

export const CohortListQuerySchema = z.object({
  status: z.preprocess(blankToUndefined, z.enum(COHORT_STATUSES).optional()),
});

export const MemberSearchQuerySchema = z.object({
  q: searchText,
});

/** A client's join and leave buttons on /client/cohorts. */
export const ClientCohortSchema = z.object({
  intent: z.enum(["join", "leave"], { error: "Unknown action." }),
  cohortId: id("Choose a cohort from the list."),
});
