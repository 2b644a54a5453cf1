import { json } from "@remix-run/node";
import { isBodyTooLarge } from "./body-limit";
import type { FormFailure } from "./forms";

export function forbidden(message = "You do not have access to this page."): never {
  throw json({ message }, { status: 403 });
}

export function notFound(message = "We could not find that page."): never {
  throw json({ message }, { status: 404 });
}

export function badRequest(failure: FormFailure) {
  return json(failure, { status: 400 });
}

/** 400 for one of several forms on a page, tagged with its intent so the page shows the message by that form. */
export function badRequestFor<I extends string>(intent: I, failure: FormFailure) {
  return json({ ...failure, intent }, { status: 400 });
}

/** 400 for a body that is not a form post. */
export function notAForm() {
  return json({ message: "Send the form as a normal form post." }, { status: 400 });
}

/**
 * The error `Request.formData()` throws for a body that is not a form (wrong type, or malformed), or that
 * was cut off past the size limit (the server has answered 413 already: server/body-limit.ts).
 */
export function isUnreadableForm(error: unknown): boolean {
  return isBodyTooLarge(error) || (error instanceof TypeError && /form|content-type/i.test(error.message));
}

/** Reads the form body, answering 400 (not 500) when the body is not a form, 413 when it is too large. */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch (error) {
    if (isBodyTooLarge(error)) throw json({ message: "That request is too large." }, { status: 413 });
    if (isUnreadableForm(error)) throw notAForm();
    throw error;
  }
}
