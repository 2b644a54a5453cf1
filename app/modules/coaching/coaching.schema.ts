import { z } from "zod";
import { REVIEW_SORTS } from "./coaching.rules";

const text = (what: string, max: number) =>
  z
    .string({ error: `Write the ${what} first.` })
    .trim()
    .min(1, `Write the ${what} first.`)
    .max(max, `Keep the ${what} to ${max} characters.`);

/** The weekly feedback form (save as a draft or publish: the intent says which). */
export const FeedbackFormSchema = z.object({ body: text("feedback", 5000) });
export type FeedbackInput = z.infer<typeof FeedbackFormSchema>;

/** A private note about a member's week. */
export const NoteFormSchema = z.object({ body: text("note", 2000) });
export type NoteInput = z.infer<typeof NoteFormSchema>;

/** The compliance table's order, from the address (anything else: by name). */
export const ReviewQuerySchema = z.object({ sort: z.enum(REVIEW_SORTS).catch("name").default("name") });
