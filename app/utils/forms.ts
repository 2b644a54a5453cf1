import type { z } from "zod";

export type FieldErrors = Record<string, string[] | undefined>;
export type FormFailure = { ok: false; fieldErrors: FieldErrors; formError?: string; values: Record<string, string> };
export type FormSuccess<T> = { ok: true; data: T };

/**
 * Validates a submitted form with its zod schema. On failure it returns the messages by field and the
 * values as typed (passwords left out), so the page can show both without JavaScript.
 */
export function parseForm<S extends z.ZodType>(
  schema: S,
  formData: FormData,
  options: { keepOut?: string[] } = {},
): FormSuccess<z.output<S>> | FormFailure {
  const raw: Record<string, string> = {};
  for (const [key, value] of formData.entries()) {
    if (typeof value === "string" && !(key in raw)) raw[key] = value;
  }
  const result = schema.safeParse(raw);
  if (result.success) return { ok: true, data: result.data };
  const fieldErrors: FieldErrors = {};
  let formError: string | undefined;
  for (const issue of result.error.issues) {
    const key = issue.path.join(".");
    if (!key) {
      formError ??= issue.message;
      continue;
    }
    (fieldErrors[key] ??= []).push(issue.message);
  }
  return { ok: false, fieldErrors, formError, values: keepValues(raw, options.keepOut) };
}

const SECRET_FIELD = /password/i;

export function keepValues(raw: Record<string, string>, keepOut: string[] = []): Record<string, string> {
  return Object.fromEntries(Object.entries(raw).filter(([key]) => !SECRET_FIELD.test(key) && !keepOut.includes(key)));
}

export function formFailure(values: Record<string, string>, formError: string, fieldErrors: FieldErrors = {}): FormFailure {
  return { ok: false, fieldErrors, formError, values: keepValues(values) };
}
