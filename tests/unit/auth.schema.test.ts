import { describe, expect, it } from "vitest";
import { ChangePasswordSchema, LoginSchema, ResetPasswordSchema, SignupSchema } from "~/modules/auth/auth.schema";
import { parseForm } from "~/utils/forms";

const form = (fields: Record<string, string>) => {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) data.set(key, value);
  return data;
};

describe("LoginSchema through parseForm", () => {
  it("accepts and lower-cases a valid email", () => {
    const result = parseForm(LoginSchema, form({ email: " Client1@Centurion.test ", password: "x" }));
    expect(result).toEqual({ ok: true, data: { email: "client1@centurion.test", password: "x" } });
  });

  it("names each empty field and keeps the typed email but never the password", () => {
    const result = parseForm(LoginSchema, form({ email: "", password: "" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.email).toEqual(["Enter your email address."]);
    expect(result.fieldErrors.password).toEqual(["Enter your password."]);
    expect(result.values).toEqual({ email: "" });
  });

  it("explains a malformed email and keeps what was typed", () => {
    const result = parseForm(LoginSchema, form({ email: "not-an-email", password: "secret" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors.email?.[0]).toMatch(/valid email/);
    expect(result.values).toEqual({ email: "not-an-email" });
  });

  it("treats missing fields like empty ones", () => {
    const result = parseForm(LoginSchema, new FormData());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(Object.keys(result.fieldErrors).sort()).toEqual(["email", "password"]);
  });
});

describe("SignupSchema", () => {
  const valid = { name: "Ann", email: "Ann@Example.com" };

  it("accepts a name and an address, lower-cased: the password is chosen through the emailed link", () => {
    expect(parseForm(SignupSchema, form(valid))).toEqual({ ok: true, data: { name: "Ann", email: "ann@example.com" } });
  });

  it("names a missing name and a malformed address, keeping what was typed", () => {
    const result = parseForm(SignupSchema, form({ name: " ", email: "not-an-email" }));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.fieldErrors).toEqual({ name: ["Enter your name."], email: ["Enter a valid email address, like name@example.com."] });
    expect(result.values).toEqual({ name: " ", email: "not-an-email" });
  });
});

describe("ResetPasswordSchema (the password chosen through a reset, an invitation or a sign-up link)", () => {
  const valid = { password: "long-enough-1", confirmPassword: "long-enough-1" };

  it("accepts a long enough password typed twice", () => {
    expect(ResetPasswordSchema.safeParse(valid).success).toBe(true);
  });

  it("asks for a longer password", () => {
    const result = parseForm(ResetPasswordSchema, form({ password: "short", confirmPassword: "short" }));
    expect(!result.ok && result.fieldErrors.password).toEqual(["Use at least 10 characters."]);
  });

  it("says when the two passwords differ", () => {
    const result = parseForm(ResetPasswordSchema, form({ ...valid, confirmPassword: "something-else" }));
    expect(!result.ok && result.fieldErrors.confirmPassword).toEqual(["The passwords do not match."]);
  });
});

describe("ChangePasswordSchema", () => {
  it("refuses reusing the current password", () => {
    const result = ChangePasswordSchema.safeParse({ currentPassword: "same-password", newPassword: "same-password", confirmPassword: "same-password" });
    expect(result.success).toBe(false);
  });
});
