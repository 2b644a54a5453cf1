// The pure pieces of issue 15's HTTP hardening: redirect targets, form keys that name Object.prototype's
// members, ids, the sign-in cookie the server looks for, and the NODE_ENV the compiled server runs with.
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { safeRedirect } from "~/modules/auth/auth.rules";
import { AUTH_COOKIE, carriesSignInCookie } from "~/utils/cookies.server";
import { id, MAX_ID } from "~/utils/form-fields";
import { ownValue, parseForm, submittedValues } from "~/utils/forms";
import { productionNodeEnv } from "../../server/production-env";

describe("safeRedirect answers ASCII only, fit for a Location header", () => {
  it.each([
    ["/client/sessions/ü", "/client/sessions/%C3%BC"],
    ["/client/sessions/%E2%82%AC", "/client/sessions/%E2%82%AC"],
    ["/client/sessions/€?date=ü#när", "/client/sessions/%E2%82%AC?date=%C3%BC#n%C3%A4r"],
    ["/a\u2028b", "/a%E2%80%A8b"],
    ["/a\u0085b", "/a%C2%85b"],
    ["/😀", "/%F0%9F%98%80"],
    ["/\ud800", "/%EF%BF%BD"],
  ])("%s → %s", (to, expected) => {
    const answer = safeRedirect(to, "/home");
    expect(answer).toBe(expected);
    expect(() => new Headers({ Location: answer })).not.toThrow();
    expect(answer).toMatch(/^[\x21-\x7e]+$/);
  });

  it.each([
    ["dot segments folding into another host", "/..//evil.example"],
    ["encoded dots folding into another host", "/%2e%2e//evil.example"],
    ["a DEL character", "/client\u007f"],
    ["a tab", "/client\t/x"],
  ])("refuses %s", (_label, to) => {
    expect(safeRedirect(to, "/home")).toBe("/home");
  });
});

describe("form keys named after Object.prototype's members", () => {
  const TABLE = { pause: 1, resume: 2 };

  it("name no entry of a lookup table", () => {
    for (const key of ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf", "isPrototypeOf"]) expect(ownValue(TABLE, key)).toBeUndefined();
    expect(ownValue(TABLE, "pause")).toBe(1);
    expect(ownValue(TABLE, undefined)).toBeUndefined();
  });

  it("are plain fields to parseForm and submittedValues, never a prototype", () => {
    const form = new FormData();
    form.append("__proto__", "x");
    form.append("__proto__", "y");
    form.append("constructor", "z");
    form.append("name", "Ann");
    const parsed = parseForm(z.object({ name: z.string().min(5) }), form);
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(Object.entries(parsed.values)).toEqual([
      ["__proto__", ["x", "y"]],
      ["constructor", "z"],
      ["name", "Ann"],
    ]);
    expect(Object.getPrototypeOf(parsed.values)).toBe(Object.prototype);
    const values = submittedValues(form);
    expect(Object.entries(values)).toEqual([
      ["__proto__", "x"],
      ["constructor", "z"],
      ["name", "Ann"],
    ]);
  });
});

describe("ids", () => {
  const schema = id("Choose one.");

  it("are whole numbers from 1 to PostgreSQL's largest integer", () => {
    expect(schema.parse("1")).toBe(1);
    expect(schema.parse(String(MAX_ID))).toBe(MAX_ID);
    for (const bad of [String(MAX_ID + 1), "99999999999999999999", "0", "-1", "1.5", "abc", "", "Infinity", "1e400", "NaN"]) {
      expect(schema.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe("carriesSignInCookie", () => {
  it("finds the sign-in cookie with or without its production prefix, and nothing else", () => {
    expect(carriesSignInCookie(`${AUTH_COOKIE}=abc`)).toBe(true);
    expect(carriesSignInCookie(`theme=dark; __Host-${AUTH_COOKIE}=abc`)).toBe(true);
    expect(carriesSignInCookie(`theme=dark;${AUTH_COOKIE}=abc`)).toBe(true);
    expect(carriesSignInCookie(`x${AUTH_COOKIE}=abc`)).toBe(false);
    expect(carriesSignInCookie(`centurion_flash=abc`)).toBe(false);
    expect(carriesSignInCookie(undefined)).toBe(false);
    expect(carriesSignInCookie("")).toBe(false);
  });
});

describe("productionNodeEnv", () => {
  it("is production whatever the caller set, except test (the end-to-end tests)", () => {
    expect(productionNodeEnv(undefined)).toBe("production");
    expect(productionNodeEnv("")).toBe("production");
    expect(productionNodeEnv("development")).toBe("production");
    expect(productionNodeEnv("production")).toBe("production");
    expect(productionNodeEnv("test")).toBe("test");
  });
});
