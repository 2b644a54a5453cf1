import { describe, expect, it } from "vitest";
import {
  afterWrongCode,
  CODE_THROTTLE,
  codeGuessAllowed,
  isFreshStep,
  isPendingSignInFresh,
  minutesUntilCodesAllowed,
  mustEnrolSecondFactor,
  PENDING_SIGN_IN_MS,
  readSecondFactor,
  recoveryCodeFrom,
} from "~/modules/auth/two-factor.rules";

describe("recovery codes", () => {
  it("are 12 characters of Crockford's base 32 in three groups", () => {
    const code = recoveryCodeFrom(Uint8Array.from({ length: 16 }, (_, i) => i * 37));
    expect(code).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
  });

  it("use every character evenly (five bits of each byte)", () => {
    const seen = new Set(recoveryCodeFrom(Uint8Array.from({ length: 12 }, (_, i) => i)) + recoveryCodeFrom(Uint8Array.from({ length: 12 }, (_, i) => i + 12)));
    seen.delete("-");
    expect(seen.size).toBe(24);
    expect(() => recoveryCodeFrom(new Uint8Array(4))).toThrow(RangeError);
  });
});

describe("readSecondFactor", () => {
  it("reads six digits, with spaces as apps show them, as an authenticator code", () => {
    expect(readSecondFactor("123456")).toEqual({ kind: "totp", token: "123456" });
    expect(readSecondFactor(" 123 456 ")).toEqual({ kind: "totp", token: "123456" });
  });

  it("reads a recovery code in any case, with or without dashes, and misread letters as Crockford says", () => {
    expect(readSecondFactor("abcd-efgh-jk12")).toEqual({ kind: "recovery", code: "ABCD-EFGH-JK12" });
    expect(readSecondFactor("ABCDEFGHJK12")).toEqual({ kind: "recovery", code: "ABCD-EFGH-JK12" });
    expect(readSecondFactor("oOiI-lL00-1111")).toEqual({ kind: "recovery", code: "0011-1100-1111" });
  });

  it.each(["", "12345", "1234567", "ABCD-EFGH-JK1", "ABCD-EFGH-JKUU", "<script>", "'; drop table user; --"])("refuses %j", (typed) => {
    expect(readSecondFactor(typed)).toBeNull();
  });
});

describe("isFreshStep", () => {
  it("accepts each time step once, and never an earlier one", () => {
    expect(isFreshStep(100, null)).toBe(true);
    expect(isFreshStep(101, 100)).toBe(true);
    expect(isFreshStep(100, 100)).toBe(false);
    expect(isFreshStep(99, 100)).toBe(false);
  });
});

describe("code throttling", () => {
  const start = new Date("2026-01-01T10:00:00Z");
  const at = (ms: number) => new Date(start.getTime() + ms);

  it(`refuses codes after ${CODE_THROTTLE.maxFailures} wrong ones until the window from the first has passed`, () => {
    let state = { failures: 0, since: null as Date | null };
    for (let i = 0; i < CODE_THROTTLE.maxFailures; i++) {
      expect(codeGuessAllowed(state, at(i * 1000))).toBe(true);
      state = afterWrongCode(state, at(i * 1000));
    }
    expect(state).toEqual({ failures: CODE_THROTTLE.maxFailures, since: start });
    expect(codeGuessAllowed(state, at(CODE_THROTTLE.windowMs - 1))).toBe(false);
    expect(minutesUntilCodesAllowed(state, at(60_000))).toBe(14);
    expect(codeGuessAllowed(state, at(CODE_THROTTLE.windowMs))).toBe(true);
  });

  it("starts counting afresh once the window has passed", () => {
    const old = { failures: 3, since: start };
    expect(afterWrongCode(old, at(CODE_THROTTLE.windowMs + 5))).toEqual({ failures: 1, since: at(CODE_THROTTLE.windowMs + 5) });
  });
});

describe("mustEnrolSecondFactor", () => {
  const required = { staffTwoFactorRequired: true };
  it("holds coaches and admins without a second factor when the studio requires one", () => {
    expect(mustEnrolSecondFactor({ role: "COACH", twoFactor: false }, required)).toBe(true);
    expect(mustEnrolSecondFactor({ role: "ADMIN", twoFactor: false }, required)).toBe(true);
  });

  it("leaves clients, staff who have one, and studios that do not require it alone", () => {
    expect(mustEnrolSecondFactor({ role: "CLIENT", twoFactor: false }, required)).toBe(false);
    expect(mustEnrolSecondFactor({ role: "ADMIN", twoFactor: true }, required)).toBe(false);
    expect(mustEnrolSecondFactor({ role: "ADMIN", twoFactor: false }, { staffTwoFactorRequired: false })).toBe(false);
  });
});

describe("isPendingSignInFresh", () => {
  const now = new Date("2026-01-01T10:00:00Z");
  it("lets the code follow the password within 10 minutes, and no sign of a cookie from the future", () => {
    expect(isPendingSignInFresh(now.getTime() - PENDING_SIGN_IN_MS, now)).toBe(true);
    expect(isPendingSignInFresh(now.getTime() - PENDING_SIGN_IN_MS - 1, now)).toBe(false);
    expect(isPendingSignInFresh(now.getTime() + 1, now)).toBe(false);
    expect(isPendingSignInFresh(Number.NaN, now)).toBe(false);
  });
});
