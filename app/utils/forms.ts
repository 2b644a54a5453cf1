import type { z } from "zod";

export type FieldErrors = Record<string, string[] | undefined>;
export type FormValues = Record<string, string | string[]>;
export type FormFailure = { ok: false; fieldErrors: FieldErrors; formError?: string; values: FormValues };
export type FormSuccess<T> = { ok: true; data: T };

/** PostgreSQL cannot store U+0000 in text or JSON, and no one types it: a value holding one is refused like any bad value. */
export const NUL_REFUSED = "This holds a null character (U+0000), which cannot be saved. Remove it and try again.";
export const hasNul = (text: string) => text.includes("\u0000");

/**
 * Validates a submitted form with its zod schema. On failure it returns the messages by field and the
 * values as typed (passwords left out), so the page can show both without JavaScript.
 */
export function parseForm<S extends z.ZodType>(schema: S, formData: FormData, options: { keepOut?: string[] } = {}): FormSuccess<z.output<S>> | FormFailure {
  // A key sent once is a string; a key sent several times (checkboxes) is a list. No prototype, so that a
  // posted "__proto__" or "constructor" is a field like any other.
  const raw: FormValues = Object.create(null);
  for (const [key, value] of formData.entries()) {
    if (typeof value !== "string") continue;
    const seen = raw[key];
    raw[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  const withNul = Object.keys(raw).filter((key) => hasNul(key) || [raw[key]].flat().some(hasNul));
  if (withNul.length) {
    const values = Object.fromEntries(Object.entries(raw).map(([key, value]) => [key, Array.isArray(value) ? value.map(withoutNul) : withoutNul(value)]));
    return { ok: false, fieldErrors: Object.fromEntries(withNul.map((key) => [withoutNul(key), [NUL_REFUSED]])), values: keepValues(values, options.keepOut) };
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  let formError: string | undefined;
  for (const issue of result.error.issues) {
    // A message about one item of a list (a time in "times", a ticked box) belongs to the list's field.
    const key = issue.path.filter((part) => typeof part !== "number").join(".");
    if (!key) {
      formError ??= issue.message;
      continue;
    }
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { ok: false, fieldErrors, formError, values: keepValues(raw, options.keepOut) };
}

const withoutNul = (text: string) => text.replaceAll("\u0000", "");

const SECRET_FIELD = /password/i;

export function keepValues(raw: FormValues, keepOut: string[] = []): FormValues {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !SECRET_FIELD.test(key) && !keepOut.includes(key)));
}

/** What a page shows after a refused post: the service's messages (or one message) and the values as typed. */
export function formFailure(values: FormValues, refusal: string | { formError?: string; fieldErrors: FieldErrors }): FormFailure {
  const { formError, fieldErrors } = typeof refusal === "string" ? { formError: refusal, fieldErrors: {} } : refusal;
  return { ok: false, fieldErrors, ...(formError ? { formError } : {}), values: keepValues(values) };
}

/** A kept value as one string (for a text input). */
export function valueOf(values: FormValues | undefined, key: string): string | undefined {
  const value = values?.[key];
  return Array.isArray(value) ? value[0] : value;
}

/** A kept value as a list (for checkboxes). */
export function valuesOf(values: FormValues | undefined, key: string): string[] {
  const value = values?.[key];
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

/** What was submitted, for showing back after a 400: `listKeys` always as lists (checkbox groups). */
export function submittedValues(formData: FormData, listKeys: string[] = []): FormValues {
  const values: FormValues = Object.create(null);
  for (const key of new Set(formData.keys())) {
    const all = formData.getAll(key).filter((v): v is string => typeof v === "string");
    values[key] = listKeys.includes(key) ? all : (all[0] ?? "");
  }
  return keepValues(values);
}

/**
 * `table[key]` when `key` is one of the table's own keys, else undefined: a posted "toString",
 * "constructor" or "__proto__" names no entry, though `key in table` says it does.
 */
export function ownValue<T extends object>(table: T, key: unknown): T[keyof T] | undefined {
  return typeof key === "string" && Object.hasOwn(table, key) ? table[key as keyof T] : undefined;
}
