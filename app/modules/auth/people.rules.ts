import type { Role } from "./auth.entities.server";

// Who may change whose account on /admin/people. Pure: the service counts the admins under a lock.

/** Every role, in the order pages list them (the user table's enum too). */
export const ROLES = ["CLIENT", "COACH", "ADMIN"] as const;

/** The roles an admin may invite someone as. */
export const INVITE_ROLES = ["COACH", "ADMIN"] as const;

/** Why an admin may not give `target` the role `role`, or null when they may. */
export function roleChangeRefusal(input: { actorId: number; targetId: number; from: Role; to: Role; otherActiveAdmins: number }): string | null {
  if (input.from === input.to) return null;
  if (input.from !== "ADMIN") return null;
  if (input.actorId === input.targetId) return "You cannot remove your own admin role. Ask another admin to do it.";
  if (input.otherActiveAdmins === 0) return "This is the studio's last admin: make someone else an admin first.";
  return null;
}

/** Why an admin may not deactivate `target`, or null when they may. */
export function deactivationRefusal(input: { actorId: number; targetId: number; role: Role; deactivated: boolean; otherActiveAdmins: number }): string | null {
  if (input.actorId === input.targetId) return "You cannot deactivate your own account.";
  if (input.deactivated) return "This account is already deactivated.";
  if (input.role === "ADMIN" && input.otherActiveAdmins === 0) return "This is the studio's last admin: make someone else an admin first.";
  return null;
}
