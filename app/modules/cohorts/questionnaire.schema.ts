import { z } from "zod";
import { checkbox, optionalText, wholeNumber } from "~/utils/form-fields";

// The question rows and the answers are read by questionRowsFromForm / answersFromForm (questionnaire.rules.ts):
// their field names carry the row or the question id, which a fixed zod object cannot describe.

/** The builder's title and introduction (the rows are posted beside them). */
export const BundleFormSchema = z.object({
  title: z
    .string({ error: "Give the questionnaire a title." })
    .trim()
    .min(1, "Give the questionnaire a title.")
    .max(120, "A title can be at most 120 characters."),
  intro: optionalText(2000, "The introduction"),
});
export type BundleFormInput = z.output<typeof BundleFormSchema>;

/** "Copy week N to week N+1", with the tick that allows replacing week N+1's questionnaire. */
export const CopyNextSchema = z.object({
  week: wholeNumber("the week", 1, 52),
  replace: checkbox,
});

/** A coach's correction of one answer (the answer itself is the `answer.<questionId>` field). */
export const CorrectionSchema = z.object({
  questionId: z.string({ error: "Choose a question to correct." }).trim().min(1, "Choose a question to correct.").max(40, "Choose a question to correct."),
});

/** The member's two buttons. */
export const AnswerIntentSchema = z.object({
  intent: z.enum(["save", "submit"], { error: "Unknown action." }),
});

/** A week in a route's address: 1–52 (each route then checks it against its cohort's length). */
export const WeekParamSchema = z.coerce.number().int().min(1).max(52);
