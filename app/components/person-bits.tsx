type Role = "CLIENT" | "COACH" | "ADMIN";

export const ROLE_LABELS: Record<Role, string> = { CLIENT: "Client", COACH: "Coach", ADMIN: "Admin" };

/** "Active", "Deactivated", "Invitation sent" or "Invitation expired". */
export function PersonStatus({ person }: { person: { deactivatedAt: string | null; invitation: "pending" | "expired" | null } }) {
  if (person.deactivatedAt) return <span className="rounded bg-slate-200 px-2 py-0.5 text-xs font-semibold">Deactivated</span>;
  if (person.invitation === "pending") return <span>Invitation sent</span>;
  if (person.invitation === "expired") return <span>Invitation expired</span>;
  return <span>Active</span>;
}
