const SPECIAL = /["'&<>]/g;
const ENTITY: Record<string, string> = { '"': "&quot;", "&": "&amp;", "'": "&#x27;", "<": "&lt;", ">": "&gt;" };

/**
 * Text or an attribute value escaped exactly as React's server renderer escapes it, so that markup written
 * as a string is byte for byte what React would write, and React can hydrate it
 * (components/client-session-card.tsx).
 */
export function escapeHtml(value: string): string {
  return value.replace(SPECIAL, (c) => ENTITY[c]);
}
