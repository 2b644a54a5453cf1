import { describe, expect, it } from "vitest";
import { resetAllowed, RESET_THROTTLE } from "~/modules/auth/auth.rules";
import { deactivationRefusal, roleChangeRefusal } from "~/modules/auth/people.rules";

const LAST_ADMIN = "This is the studio's last admin: make someone else an admin first.";

describe("roleChangeRefusal", () => {
  const change = (fields: Partial<Parameters<typeof roleChangeRefusal>[0]>) =>
    roleChangeRefusal({ actorId: 1, targetId: 2, from: "COACH", to: "ADMIN", otherActiveAdmins: 1, ...fields });

  it("lets an admin promote and demote other people", () => {
    expect(change({})).toBeNull();
    expect(change({ from: "CLIENT", to: "COACH", otherActiveAdmins: 0 })).toBeNull();
    expect(change({ from: "ADMIN", to: "COACH" })).toBeNull();
    expect(change({ from: "ADMIN", to: "CLIENT" })).toBeNull();
  });

  it("refuses an admin's own demotion, but not keeping their own role", () => {
    expect(change({ actorId: 2, from: "ADMIN", to: "COACH", otherActiveAdmins: 3 })).toBe("You cannot remove your own admin role. Ask another admin to do it.");
    expect(change({ actorId: 2, from: "ADMIN", to: "ADMIN", otherActiveAdmins: 0 })).toBeNull();
  });

  it("refuses to demote the last active admin", () => {
    expect(change({ from: "ADMIN", to: "COACH", otherActiveAdmins: 0 })).toBe(LAST_ADMIN);
  });
});

describe("deactivationRefusal", () => {
  const deactivate = (fields: Partial<Parameters<typeof deactivationRefusal>[0]>) =>
    deactivationRefusal({ actorId: 1, targetId: 2, role: "CLIENT", deactivated: false, otherActiveAdmins: 1, ...fields });

  it("lets an admin deactivate a client, a coach or another admin", () => {
    expect(deactivate({})).toBeNull();
    expect(deactivate({ role: "COACH", otherActiveAdmins: 0 })).toBeNull();
    expect(deactivate({ role: "ADMIN", otherActiveAdmins: 1 })).toBeNull();
  });

  it("refuses their own account, one already deactivated, and the last admin", () => {
    expect(deactivate({ actorId: 2 })).toBe("You cannot deactivate your own account.");
    expect(deactivate({ deactivated: true })).toBe("This account is already deactivated.");
    expect(deactivate({ role: "ADMIN", otherActiveAdmins: 0 })).toBe(LAST_ADMIN);
  });
});

describe("resetAllowed", () => {
  it(`allows ${RESET_THROTTLE.maxPerAccount} links an hour per account and ${RESET_THROTTLE.maxPerAddress} per address`, () => {
    expect(resetAllowed({ account: 0, address: 0 })).toBe(true);
    expect(resetAllowed({ account: RESET_THROTTLE.maxPerAccount - 1, address: RESET_THROTTLE.maxPerAddress - 1 })).toBe(true);
    expect(resetAllowed({ account: RESET_THROTTLE.maxPerAccount, address: 0 })).toBe(false);
    expect(resetAllowed({ account: 0, address: RESET_THROTTLE.maxPerAddress })).toBe(false);
  });
});
