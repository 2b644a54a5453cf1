/** Paths that other sites legitimately post to (signed by other means). */
export const CROSS_SITE_ALLOWED_PATHS = ["/webhooks/stripe"];

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * A state-changing request is refused when the browser says it came from another site: by
 * `Sec-Fetch-Site` where the browser sends it, else by comparing `Origin` with our host. Requests
 * with neither header (curl, old browsers) pass; SameSite=Lax cookies still protect them.
 */
export function isCrossSiteRequest(request: {
  method: string;
  path: string;
  host: string | undefined;
  origin: string | undefined;
  secFetchSite: string | undefined;
}): boolean {
  if (SAFE_METHODS.has(request.method.toUpperCase())) return false;
  if (CROSS_SITE_ALLOWED_PATHS.includes(request.path)) return false;
  if (request.secFetchSite) return !["same-origin", "none"].includes(request.secFetchSite);
  if (!request.origin) return false;
  if (request.origin === "null") return true;
  try {
    return new URL(request.origin).host !== request.host;
  } catch {
    return true;
  }
}
