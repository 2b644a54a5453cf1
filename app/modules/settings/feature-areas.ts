import type { FeatureFlags } from "./feature-flags";

export type Feature = keyof FeatureFlags;

/**
 * The URL prefixes of each area a feature switch turns off (PRD section 13). A switched-off area answers
 * 404 to everyone, pages and actions alike (server/feature-guard.ts). A prefix covers itself and
 * everything under it, segment by segment: "/client/cohort" covers "/client/cohort/weeks/2" but not
 * "/client/cohorts", which is listed on its own.
 *
 * - sessions: the timetable, booking and class types, and each client's private calendar feed (it lists
 *   their class bookings; with no timetable there is nothing to subscribe to, so it answers 404 too).
 * - cohorts: the programme pages of clients and coaches. Not /client/health (health check-ins belong to
 *   every client) nor /coach/clients (a coach's clients come from classes too).
 * - appointments: the 1-to-1 appointment pages of clients and coaches.
 */
export const FEATURE_AREAS: Record<Feature, readonly string[]> = {
  sessions: ["/client/sessions", "/coach/sessions", "/coach/class-types", "/calendar/feed"],
  cohorts: ["/client/cohort", "/client/cohorts", "/coach/cohorts"],
  appointments: ["/client/appointments", "/coach/appointments"],
};

/**
 * The path as the router matches it: each segment percent-decoded, lower case (routes match without
 * regard to case), empty segments and a trailing slash dropped. Erring towards a match is safe here: a
 * path taken for an area's only answers 404 while the area is off.
 */
export function normalisePath(pathname: string): string {
  const segments = pathname
    .split("/")
    .filter(Boolean)
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
  return `/${segments.join("/")}`.toLowerCase();
}

/** The feature whose area holds `pathname` (a URL's path, as `new URL(...).pathname` gives it), if any. */
export function featureOfPath(pathname: string): Feature | null {
  const path = normalisePath(pathname);
  for (const [feature, prefixes] of Object.entries(FEATURE_AREAS) as [Feature, readonly string[]][]) {
    if (prefixes.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return feature;
  }
  return null;
}
