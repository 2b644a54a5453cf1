const SPECIAL = /["'&<>]/g;

/** An escaper of text and attribute values for HTML; `apostrophe` is the entity it writes for '. */
function escaperWith(apostrophe: string): (value: string) => string {
  const entity: Record<string, string> = { '"': "&quot;", "&": "&amp;", "'": apostrophe, "<": "&lt;", ">": "&gt;" };
  return (value) => value.replace(SPECIAL, (c) => entity[c]);
}

/**
 * Text or an attribute value escaped exactly as React's server renderer escapes it, so that markup written
 * as a string is byte for byte what React would write, and React can hydrate it
 * (components/client-session-card.tsx).
 */
export const escapeHtml = escaperWith("&#x27;");

/** The same for the HTML part of emails (notifications/email.server.ts), which writes ' as &#39;. */
export const escapeEmailHtml = escaperWith("&#39;");
