// Secrets that travel in a URL's path: the private calendar feed (the only key to a client's bookings), a
// password link (signs its holder in) and an unsubscribe link. Request logs keep the route, not the secret.
const SECRET_SEGMENT = /^(\/(?:calendar\/feed|reset-password|unsubscribe)\/)[^/?#]*/;

/** The request URL as logs show it: the secret segment of those paths becomes "[redacted]". */
export function redactUrl(url: string | undefined): string | undefined {
  return url?.replace(SECRET_SEGMENT, "$1[redacted]");
}
