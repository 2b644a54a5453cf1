import { json } from "@remix-run/node";
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

/** Reads the form body, answering 400 (not 500) when the body is not a form. */
export async function readFormData(request: Request): Promise<FormData> {
  try {
    return await request.formData();
  } catch {
    throw json({ message: "Send the form as a normal form post." }, { status: 400 });
  }
}
