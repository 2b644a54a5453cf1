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
  minutesUntil,
  pairDelayMs,
  THROTTLE,
  throttledMessage,
  throttleVerdict,
  signupThrottledMessage,
  signupVerdict,
  SIGNUP_THROTTLE,
  type AttemptHistory,
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
  const now = new Date("2026-03-02T10:00:00Z");
  const ago = (ms: number) => new Date(now.getTime() - ms);
  const MINUTE = 60_000;
  const quiet: AttemptHistory = { pairFailures: 0, pairLastFailureAt: null, addressLimitFailureAt: null, accountLimitFailureAt: null, knownAddress: false };

  it("allows a check while one address has failed at one account fewer than five times", () => {
    expect(throttleVerdict(quiet, now)).toEqual({ allowed: true });
    expect(throttleVerdict({ ...quiet, pairFailures: THROTTLE.freeFailures - 1, pairLastFailureAt: ago(0) }, now)).toEqual({ allowed: true });
  });

  it("makes that address wait a minute after the fifth failure, then twice as long after each further one, up to an hour", () => {
    expect([4, 5, 6, 7, 8, 9, 10, 11, 12, 40].map((failures) => pairDelayMs(failures) / MINUTE)).toEqual([0, 1, 2, 4, 8, 16, 32, 60, 60, 60]);
    const fifth = { ...quiet, pairFailures: 5, pairLastFailureAt: ago(30_000) };
    expect(throttleVerdict(fifth, now)).toEqual({ allowed: false, reason: "pair", retryAt: new Date(now.getTime() + 30_000) });
    expect(throttleVerdict({ ...fifth, pairLastFailureAt: ago(MINUTE) }, now)).toEqual({ allowed: true });
    expect(throttleVerdict({ ...quiet, pairFailures: 7, pairLastFailureAt: ago(3 * MINUTE) }, now)).toMatchObject({ allowed: false, reason: "pair" });
    expect(throttleVerdict({ ...quiet, pairFailures: 7, pairLastFailureAt: ago(4 * MINUTE) }, now)).toEqual({ allowed: true });
  });

  it("holds back an address that keeps failing across accounts until its hundredth most recent failure is an hour old", () => {
    expect(THROTTLE.maxFailuresPerAddress).toBe(100);
    expect(throttleVerdict({ ...quiet, addressLimitFailureAt: ago(59 * MINUTE) }, now)).toEqual({
      allowed: false,
      reason: "address",
      retryAt: new Date(now.getTime() + MINUTE),
    });
    expect(throttleVerdict({ ...quiet, addressLimitFailureAt: ago(60 * MINUTE) }, now)).toEqual({ allowed: true });
  });

  it("after many failures at one account from everywhere, holds back only addresses the account has not signed in from", () => {
    const besieged = { ...quiet, accountLimitFailureAt: ago(10 * MINUTE) };
    expect(throttleVerdict(besieged, now)).toEqual({ allowed: false, reason: "account", retryAt: new Date(now.getTime() + 50 * MINUTE) });
    expect(throttleVerdict({ ...besieged, knownAddress: true }, now)).toEqual({ allowed: true });
  });

  it("answers the longest wait when several limits hold", () => {
    const verdict = throttleVerdict({ ...quiet, pairFailures: 5, pairLastFailureAt: ago(0), addressLimitFailureAt: ago(30 * MINUTE) }, now);
    expect(verdict).toEqual({ allowed: false, reason: "address", retryAt: new Date(now.getTime() + 30 * MINUTE) });
  });

  it("tells the person how long to wait, in whole minutes rounded up", () => {
    expect(minutesUntil(new Date(now.getTime() + 1_000), now)).toBe("1 minute");
    expect(minutesUntil(new Date(now.getTime() + 61_000), now)).toBe("2 minutes");
    const pair = throttledMessage({ reason: "pair", retryAt: new Date(now.getTime() + 14 * MINUTE) }, now);
    expect(pair).toBe("Too many attempts with the wrong password. Try again in 14 minutes, or choose a new password with “Forgot your password?”.");
    expect(throttledMessage({ reason: "address", retryAt: new Date(now.getTime() + MINUTE) }, now)).toBe(
      "Too many failed sign-ins from your network. Try again in 1 minute.",
    );
  });
});

describe("signupVerdict", () => {
  const now = new Date("2026-03-02T10:00:00Z");
  const ago = (minutes: number) => new Date(now.getTime() - minutes * 60_000);

  it("allows a sign-up until the email or the network address reached its limit within the hour", () => {
    expect(signupVerdict({ emailLimitAt: null, addressLimitAt: null }, now)).toEqual({ allowed: true });
    expect(signupVerdict({ emailLimitAt: ago(60), addressLimitAt: ago(61) }, now)).toEqual({ allowed: true });
  });

  it("holds back until the oldest counted sign-up is an hour old, naming which limit", () => {
    expect(signupVerdict({ emailLimitAt: ago(45), addressLimitAt: null }, now)).toEqual({ allowed: false, reason: "email", retryAt: ago(-15) });
    expect(signupVerdict({ emailLimitAt: ago(45), addressLimitAt: ago(10) }, now)).toEqual({ allowed: false, reason: "address", retryAt: ago(-50) });
    expect(signupThrottledMessage({ reason: "address", retryAt: ago(-50) }, now)).toBe("Too many sign-ups from your network. Try again in 50 minutes.");
    expect(SIGNUP_THROTTLE).toEqual({ windowMs: 3_600_000, maxPerEmail: 3, maxPerAddress: 20 });
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
