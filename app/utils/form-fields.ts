import { z } from "zod";
import { isLocalDate, isLocalTime } from "./time";

// The pieces every form schema is made of, so a blank field, a checkbox or a date means one thing everywhere.

/** A blank text box is absent, not an empty string. */
export const blankToUndefined = (value: unknown) => (typeof value === "string" && value.trim() === "" ? undefined : value);

/** A checkbox: absent from the post when unticked, "on" (or "true") when ticked. */
export const checkbox = z
  .enum(["on", "true"])
  .optional()
  .transform((value) => value !== undefined);

/** A key posted once is a string, several times (a group of checkboxes) a list: always a list. */
export const asList = (value: unknown) => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

export const optionalText = (max: number, label: string) =>
  z.preprocess(blankToUndefined, z.string().trim().max(max, `${label} can be at most ${max} characters.`).optional());

const capitalised = (label: string) => `${label[0].toUpperCase()}${label.slice(1)}`;

export const wholeNumber = (label: string, min: number, max: number) =>
  z.coerce
    .number({ error: `Enter ${label} as a whole number.` })
    .int(`Enter ${label} as a whole number.`)
    .min(min, `${capitalised(label)} must be at least ${min}.`)
    .max(max, `${capitalised(label)} must be at most ${max}.`);

export const optionalWholeNumber = (label: string, min: number, max: number) => z.preprocess(blankToUndefined, wholeNumber(label, min, max).optional());

/** A whole number of `unit` ("hours") from `min` to `max`, with messages that name the unit. */
export const wholeUnits = (unit: string, min: number, max: number, messages: { min?: string; max?: string } = {}) =>
  z.coerce
    .number({ error: `Enter a whole number of ${unit}.` })
    .int(`Enter a whole number of ${unit}.`)
    .min(min, messages.min ?? `Use ${min} or more ${unit}.`)
    .max(max, messages.max ?? `Use at most ${max} ${unit}.`);

/** The largest id a record can have: PostgreSQL's integer (every table's id). */
export const MAX_ID = 2_147_483_647;

/**
 * A record's id, from a form (a select or a hidden field), a page's address or its query string: a whole
 * number from 1 to MAX_ID, so that a larger one is refused here rather than overflowing in PostgreSQL.
 */
export const id = (message: string) => z.coerce.number({ error: message }).int(message).positive(message).max(MAX_ID, message);
export const optionalId = (message: string) => z.preprocess(blankToUndefined, id(message).optional());

export const localDate = (message: string) => z.string({ error: message }).trim().refine(isLocalDate, message);
export const localTime = (message: string) => z.string({ error: message }).trim().refine(isLocalTime, message);

/** A search box's text in a list's address: at most 100 characters, and no null character (PostgreSQL cannot compare one). */
export const searchText = z.preprocess(
  blankToUndefined,
  z
    .string()
    .trim()
    .max(100)
    .refine((text) => !text.includes("\u0000"))
    .optional(),
);

/** A page number in a list's address. */
export const pageNumber = z.preprocess(blankToUndefined, z.coerce.number().int().min(1).max(10_000).optional());
