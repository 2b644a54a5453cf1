import type { FeatureFlags } from "~/modules/settings/feature-flags";

type Role = "CLIENT" | "COACH" | "ADMIN";
export type NavItem = { label: string; to: string };
type NavEntry = NavItem & { roles: Role[]; feature?: keyof FeatureFlags };

/**
 * The navigation of every role. Feature flags hide whole areas (PRD section 13): an area switched off
 * is not linked, and the server answers 404 for its pages too (server/feature-guard.ts). Appointments
 * are off until the studio switches them on.
 */
const NAV: NavEntry[] = [
  { label: "Home", to: "/client", roles: ["CLIENT"] },
  { label: "Sessions", to: "/client/sessions", roles: ["CLIENT"], feature: "sessions" },
  { label: "My calendar", to: "/client/sessions/calendar", roles: ["CLIENT"], feature: "sessions" },
  { label: "Appointments", to: "/client/appointments", roles: ["CLIENT"], feature: "appointments" },
  { label: "My cohort", to: "/client/cohort", roles: ["CLIENT"], feature: "cohorts" },
  { label: "Health", to: "/client/health", roles: ["CLIENT"] },
  { label: "Membership", to: "/client/membership", roles: ["CLIENT"] },
  { label: "Notifications", to: "/account/notifications", roles: ["CLIENT"] },
  { label: "Dashboard", to: "/coach", roles: ["COACH"] },
  { label: "Dashboard", to: "/admin", roles: ["ADMIN"] },
  { label: "Sessions", to: "/coach/sessions", roles: ["COACH", "ADMIN"], feature: "sessions" },
  { label: "Class types", to: "/coach/class-types", roles: ["COACH", "ADMIN"], feature: "sessions" },
  { label: "Appointments", to: "/coach/appointments", roles: ["COACH", "ADMIN"], feature: "appointments" },
  { label: "Cohorts", to: "/coach/cohorts", roles: ["COACH", "ADMIN"], feature: "cohorts" },
  { label: "Clients", to: "/coach/clients", roles: ["COACH", "ADMIN"] },
  { label: "Plans", to: "/admin/plans", roles: ["ADMIN"] },
  { label: "Members", to: "/admin/members", roles: ["ADMIN"] },
  { label: "People", to: "/admin/people", roles: ["ADMIN"] },
  { label: "Reports", to: "/admin/reports", roles: ["ADMIN"] },
  { label: "Settings", to: "/admin/settings", roles: ["ADMIN"] },
  { label: "Outbox", to: "/admin/outbox", roles: ["ADMIN"] },
];

export function navigationFor(role: Role, flags: FeatureFlags): NavItem[] {
  return NAV.filter((entry) => entry.roles.includes(role) && (!entry.feature || flags[entry.feature])).map(({ label, to }) => ({ label, to }));
}
