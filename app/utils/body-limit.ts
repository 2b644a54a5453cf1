// The request body's size limit, shared by the server, which enforces it (server/body-limit.ts), and the app,
// which reads bodies. ADR 25.

/**
 * The most a request body may hold: 1 MiB. The largest form (a questionnaire of 30 questions with 20
 * options each, or its 30 answers of 2,000 characters) stays under it even when every character is
 * percent-encoded non-Latin text; a Stripe event is a few kilobytes.
 */
export const MAX_BODY_BYTES = 1024 * 1024;

const NAME = "PayloadTooLargeError";

/** What reading a body cut off past the limit fails with (the server has answered 413 already). */
export function bodyTooLargeError(limit: number): Error {
  return Object.assign(new Error(`The request body passed ${limit} bytes.`), { name: NAME, status: 413 });
}

export function isBodyTooLarge(error: unknown): boolean {
  return error instanceof Error && error.name === NAME;
}
