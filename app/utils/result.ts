import { UniqueConstraintViolationException } from "@mikro-orm/core";
import type { FieldErrors } from "./forms";

/**
 * What every service answers when it refuses a command: a message for the whole form, messages by
 * field, or both (`reason` where a caller must tell refusals apart, e.g. to answer 429). Success is
 * `{ ok: true, … }`; `null` is kept for "not found".
 */
export type Failure = { ok: false; formError?: string; fieldErrors: FieldErrors; reason?: string };
export type Result<T extends object = object> = ({ ok: true } & T) | Failure;

/** A refusal of the whole form ("This session is already cancelled."), with field messages if any. */
export function refuse(formError: string, fieldErrors: FieldErrors = {}, reason?: string): Failure {
  return { ok: false, formError, fieldErrors, ...(reason ? { reason } : {}) };
}

/** A refusal by field ("Choose a coach from the list."), with a form-level message if any. */
export function invalid(fieldErrors: FieldErrors, formError?: string): Failure {
  return { ok: false, fieldErrors, ...(formError ? { formError } : {}) };
}

export const hasErrors = (fieldErrors: FieldErrors) => Object.keys(fieldErrors).length > 0;

/** A write refused by a unique index (two requests racing for one name, one slot or one token). */
export function isUniqueViolation(error: unknown): boolean {
  return error instanceof UniqueConstraintViolationException;
}

/** Saves what `em` holds; when a unique index refuses the write, answers `onDuplicate` instead of throwing. */
export async function flushUnlessDuplicate(em: { flush(): Promise<void> }, onDuplicate: Failure): Promise<Failure | null> {
  try {
    await em.flush();
    return null;
  } catch (error) {
    if (isUniqueViolation(error)) return onDuplicate;
    throw error;
  }
}
