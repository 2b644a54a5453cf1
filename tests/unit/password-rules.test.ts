import { describe, expect, it } from "vitest";
import { COMMON_PASSWORDS } from "~/modules/auth/common-passwords.server";
import { newPasswordProblem, TOO_COMMON, TOO_PERSONAL } from "~/modules/auth/password-rules.server";

const context = { email: "nora.new@bangor-fitness.co.uk", studioName: "Centurion" };

describe("the bundled list of common passwords", () => {
  const list = COMMON_PASSWORDS.split("\n");

  it("holds the ten thousand most common passwords and the longer ones among the hundred thousand, lower-cased, once each", () => {
    expect(list.length).toBeGreaterThan(12_000);
    expect(list.slice(0, 3)).toEqual(["123456", "password", "12345678"]);
    expect(new Set(list).size).toBe(list.length);
    expect(list.every((entry) => entry === entry.toLowerCase() && entry.length > 0)).toBe(true);
    expect(list.filter((entry) => entry.length >= 10).length).toBeGreaterThan(2_000);
  });
});

describe("newPasswordProblem", () => {
  it.each(["qwertyuiop", "1234567890", "password123", "basketball", "QWERTYUIOP", "iloveyou12"])("refuses %s, a common password", (password) => {
    expect(newPasswordProblem(password, context)).toBe(TOO_COMMON);
  });

  it.each(["Password2024!", "monkey19901990", "!!!dragon!!!", "basketball2024"])(
    "refuses %s, a common password with digits or symbols around it",
    (password) => {
      expect(newPasswordProblem(password, context)).toBe(TOO_COMMON);
    },
  );

  it.each([
    ["the studio's name and digits", "Centurion2024"],
    ["the studio's name twice", "centurion-centurion"],
    ["the studio's name and a common word", "CenturionPassword"],
    ["the email's name part", "nora.new12345"],
    ["the email's name part backwards in pieces", "new-nora-9999"],
    ["the email's domain", "bangorfitness1"],
    ["a word of the email's domain", "bangor-4321-9876"],
  ])("refuses a password made of %s (%s)", (_what, password) => {
    expect(newPasswordProblem(password, context)).toBe(TOO_PERSONAL);
  });

  it("looks at every word of a studio's name", () => {
    expect(newPasswordProblem("Bangor Barbell 2026", { studioName: "Bangor Barbell Club" })).toBe(TOO_PERSONAL);
    expect(newPasswordProblem("barbell-goblin-teapot", { studioName: "Bangor Barbell Club" })).toBeNull();
  });

  it.each(["correct horse battery", "Tr0ub4dor&3x", "a-brand-new-password", "centurion loves purple kettles", "my-coaching-password"])(
    "accepts %s",
    (password) => {
      expect(newPasswordProblem(password, context)).toBeNull();
    },
  );

  it("needs no context: without a studio or an email only the list applies", () => {
    expect(newPasswordProblem("centurion2024")).toBeNull();
    expect(newPasswordProblem("qwertyuiop")).toBe(TOO_COMMON);
  });
});
