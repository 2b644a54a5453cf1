import { z } from "zod";

/** The hidden one-time token of a form that creates a record; a missing or damaged one is a 400. */
export const formToken = z.uuid({ error: "This form is out of date or damaged. Reload the page and try again." });

/** A failed parse with the token's message moved to the form-level message, where every page shows it. */
export function tokenErrorFirst<F extends { fieldErrors: Partial<Record<string, string[]>>; formError?: string }>(failure: F): F {
  const message = failure.fieldErrors.formToken?.[0];
  if (!message) return failure;
  const { formToken: _dropped, ...fieldErrors } = failure.fieldErrors;
  return { ...failure, fieldErrors, formError: message };
}
