import { describe, expect, it } from "vitest";
import {
  homePathFor,
  isAuthSessionExpired,
  normaliseEmail,
  safeRedirect,
  AUTH_SESSION_ABSOLUTE_MS,
  AUTH_SESSION_IDLE_MS,
  AUTH_SESSION_TOUCH_MS,
  authSessionLimits,
  isStaff,
  needsPasswordAgain,
  REAUTH_AFTER_MS,
  shouldTouchAuthSession,
  STAFF_SESSION_ABSOLUTE_MS,
  STAFF_SESSION_IDLE_MS,
  throttleVerdict,
} from "~/modules/auth/auth.rules";

describe("safeRedirect", () => {
  it.each(["/client", "/client/sessions?date=2026-01-05", "/coach/sessions/12#top"])("keeps our own path %s", (to) => {
    expect(safeRedirect(to, "/home")).toBe(to);
  });

  it.each([
    ["another site", "https://evil.example/"],
    ["a protocol-relative URL", "//evil.example"],
    ["a backslash trick", "/\\evil.example"],
    ["a relative path", "client"],
    ["a javascript: URL", "javascript:alert(1)"],
    ["a newline", "/client\n/evil"],
    ["an empty string", ""],
    ["no value", null],
    ["a number", 42],
  ])("refuses %s", (_label, to) => {
    expect(safeRedirect(to, "/home")).toBe("/home");
  });
});

describe("throttleVerdict", () => {
  it("allows up to nine recent failures for an account", () => {
    expect(throttleVerdict({ account: 9, address: 0 })).toEqual({ allowed: true });
  });

  it("locks an account after ten failures", () => {
    expect(throttleVerdict({ account: 10, address: 10 })).toEqual({ allowed: false, reason: "account" });
  });

  it("blocks an address only after many failures, so a shared front desk keeps working", () => {
    expect(throttleVerdict({ account: 0, address: 60 })).toEqual({ allowed: true });
    expect(throttleVerdict({ account: 0, address: 99 })).toEqual({ allowed: true });
    expect(throttleVerdict({ account: 0, address: 100 })).toEqual({ allowed: false, reason: "address" });
  });
});

describe("session expiry", () => {
  const created = new Date("2026-01-01T10:00:00Z");
  const at = (ms: number) => new Date(created.getTime() + ms);

  it("keeps a session in use", () => {
    expect(isAuthSessionExpired({ createdAt: created, lastSeenAt: at(AUTH_SESSION_IDLE_MS), role: "CLIENT" }, at(AUTH_SESSION_IDLE_MS + 1000))).toBe(false);
  });

  it("ends a session idle for longer than the idle limit", () => {
    expect(isAuthSessionExpired({ createdAt: created, lastSeenAt: created, role: "CLIENT" }, at(AUTH_SESSION_IDLE_MS + 1))).toBe(true);
  });

  it("ends every session at its absolute limit, however busy", () => {
    const now = at(AUTH_SESSION_ABSOLUTE_MS + 1);
    expect(isAuthSessionExpired({ createdAt: created, lastSeenAt: now, role: "CLIENT" }, now)).toBe(true);
  });

  it("gives clients 14 idle days and 60 in all, coaches and admins 30 idle minutes and 12 hours in all", () => {
    expect(authSessionLimits("CLIENT")).toEqual({ idleMs: 14 * 24 * 3600_000, absoluteMs: 60 * 24 * 3600_000 });
    for (const role of ["COACH", "ADMIN"] as const) expect(authSessionLimits(role)).toEqual({ idleMs: 30 * 60_000, absoluteMs: 12 * 3600_000 });
    expect(isStaff("CLIENT")).toBe(false);
    expect(isStaff("COACH") && isStaff("ADMIN")).toBe(true);
  });

  it.each(["COACH", "ADMIN"] as const)("ends a %s's session after 30 idle minutes, where a client's goes on", (role) => {
    const idle = { createdAt: created, lastSeenAt: created };
    expect(isAuthSessionExpired({ ...idle, role }, at(STAFF_SESSION_IDLE_MS))).toBe(false);
    expect(isAuthSessionExpired({ ...idle, role }, at(STAFF_SESSION_IDLE_MS + 1))).toBe(true);
    expect(isAuthSessionExpired({ ...idle, role: "CLIENT" }, at(STAFF_SESSION_IDLE_MS + 1))).toBe(false);
  });

  it.each(["COACH", "ADMIN"] as const)("ends a busy %s's session after 12 hours, where a client's goes on", (role) => {
    const busy = at(STAFF_SESSION_ABSOLUTE_MS + 1);
    expect(isAuthSessionExpired({ createdAt: created, lastSeenAt: at(STAFF_SESSION_ABSOLUTE_MS - 60_000), role }, at(STAFF_SESSION_ABSOLUTE_MS))).toBe(false);
    expect(isAuthSessionExpired({ createdAt: created, lastSeenAt: busy, role }, busy)).toBe(true);
    expect(isAuthSessionExpired({ createdAt: created, lastSeenAt: busy, role: "CLIENT" }, busy)).toBe(false);
  });

  it("writes last-seen back only every few minutes", () => {
    expect(shouldTouchAuthSession({ createdAt: created, lastSeenAt: created }, at(AUTH_SESSION_TOUCH_MS - 1))).toBe(false);
    expect(shouldTouchAuthSession({ createdAt: created, lastSeenAt: created }, at(AUTH_SESSION_TOUCH_MS + 1))).toBe(true);
  });
});

describe("needsPasswordAgain", () => {
  const typed = new Date("2026-01-01T10:00:00Z");
  it("asks again once the password was typed more than 15 minutes ago", () => {
    expect(REAUTH_AFTER_MS).toBe(15 * 60_000);
    expect(needsPasswordAgain(typed, new Date(typed.getTime() + REAUTH_AFTER_MS))).toBe(false);
    expect(needsPasswordAgain(typed, new Date(typed.getTime() + REAUTH_AFTER_MS + 1))).toBe(true);
  });
});

describe("homePathFor and normaliseEmail", () => {
  it("sends each role to its own home", () => {
    expect(homePathFor("CLIENT")).toBe("/client");
    expect(homePathFor("COACH")).toBe("/coach");
    expect(homePathFor("ADMIN")).toBe("/admin");
  });

  it("compares emails without case or surrounding spaces", () => {
    expect(normaliseEmail("  Client1@Centurion.TEST ")).toBe("client1@centurion.test");
  });
});
