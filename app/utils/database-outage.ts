// PostgreSQL out of reach (restarting, failing over, refusing connections) is a passing state, not a bug in
// the request: pages and form posts answer 503 with a human message and a Retry-After, never a 500, and the
// next request after it is back works again with no restart (docs/decisions/0028-database-outages-and-backups.md).

/** What a person sees while the database is out of reach (the root error page and the server's fallback page). */
export const UNAVAILABLE_TEXT = {
  title: "Back in a moment",
  body: "We cannot reach our records just now. Please try again in a minute; if you were booking or cancelling, check your calendar afterwards to see whether it went through.",
} as const;

/** Seconds a client is asked to wait (the `Retry-After` header of a 503). */
export const RETRY_AFTER_SECONDS = 5;

/** Node's socket errors when the server cannot be reached or drops the connection. */
const SOCKET_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "EAI_AGAIN"]);
/**
 * PostgreSQL's SQLSTATEs for the same: class 08 (connection exception), the server shutting down or
 * crashed (57P01, 57P02), starting up (57P03), out of connection slots (53300).
 */
const SQLSTATES = new Set(["57P01", "57P02", "57P03", "53300"]);
/** What the `pg` driver throws without a code when a connection dies under a query or cannot be had. */
const DRIVER_MESSAGES =
  /Connection terminated|connection error and is not queryable|timeout exceeded when trying to connect|terminating connection due to administrator command/i;

/**
 * Whether `error` (or an error it wraps: MikroORM's exceptions copy the driver's `code`, others keep it
 * as `cause`) says the database could not be reached, rather than that the query was wrong.
 */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (depth > 5 || typeof error !== "object" || error === null) return false;
  const { code, message, cause, errors } = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof code === "string" && (SOCKET_CODES.has(code) || SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (typeof message === "string" && DRIVER_MESSAGES.test(message)) return true;
  // Connecting to "localhost" tries each address and fails with an AggregateError of them all.
  if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(cause, depth + 1);
}
