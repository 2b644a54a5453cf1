/** The kinds of question a weekly questionnaire asks. */
export const QUESTION_KINDS = ["TEXT", "NUMBER", "SCALE", "SINGLE_CHOICE", "MULTIPLE_CHOICE"] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/**
 * One question, stored inside its week's bundle. `id` is stable across edits and copies, so answers
 * (keyed by it) survive a reworded prompt. NUMBER may carry a unit; the choice kinds carry options; SCALE is 1–10.
 */
export type Question = {
  id: string;
  kind: QuestionKind;
  prompt: string;
  required: boolean;
  unit?: string | null;
  options?: string[];
};

/** A member's answers by question id: text, a number (NUMBER and SCALE), one option, or several options. */
export type Answers = Record<string, string | number | string[]>;
