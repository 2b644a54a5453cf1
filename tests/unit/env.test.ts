import { describe, expect, it } from "vitest";
import { readEnv } from "~/utils/env.server";

describe("readEnv", () => {
  it("runs in development with no configuration", () => {
    const env = readEnv({});
    expect(env.NODE_ENV).toBe("development");
    expect(env.PORT).toBe(3000);
    expect(env.SESSION_SECRET.length).toBeGreaterThan(20);
  });

  it("refuses production without DATABASE_URL", () => {
    expect(() => readEnv({ NODE_ENV: "production", SESSION_SECRET: "x".repeat(40) })).toThrow(/DATABASE_URL is required/);
  });

  it("refuses production without a long SESSION_SECRET", () => {
    expect(() => readEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://u@h/db" })).toThrow(/SESSION_SECRET is required/);
    expect(() => readEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://u@h/db", SESSION_SECRET: "short" })).toThrow(/SESSION_SECRET/);
  });

  it("accepts a complete production environment", () => {
    const env = readEnv({ NODE_ENV: "production", DATABASE_URL: "postgres://u@h/db", SESSION_SECRET: "s".repeat(32), PORT: "8080" });
    expect(env.PORT).toBe(8080);
  });

  it("explains a malformed value", () => {
    expect(() => readEnv({ PORT: "eighty" })).toThrow(/PORT/);
  });
});

describe("email and job settings", () => {
  const production = { NODE_ENV: "production", DATABASE_URL: "postgres://u@h/db", SESSION_SECRET: "s".repeat(32) };

  it("runs workers unless WORKERS=false, and points email links at APP_URL or this machine", async () => {
    const { appUrl } = await import("~/utils/env.server");
    expect(readEnv({}).WORKERS).toBe("true");
    expect(readEnv({ WORKERS: "false" }).WORKERS).toBe("false");
    expect(() => readEnv({ WORKERS: "no" })).toThrow(/WORKERS/);
    expect(appUrl(readEnv({ PORT: "8080" }))).toBe("http://localhost:8080");
    expect(appUrl(readEnv({ APP_URL: "https://book.example.com/" }))).toBe("https://book.example.com");
  });

  it("needs MAIL_FROM in production when SMTP is configured", () => {
    expect(() => readEnv({ ...production, SMTP_URL: "smtp://mail.example.com:587" })).toThrow(/MAIL_FROM is required/);
    expect(() => readEnv({ ...production, SMTP_HOST: "mail.example.com" })).toThrow(/MAIL_FROM is required/);
    expect(readEnv({ ...production, SMTP_URL: "smtp://mail.example.com:587", MAIL_FROM: "Studio <hi@example.com>" }).MAIL_FROM).toBe("Studio <hi@example.com>");
    expect(readEnv({ ...production }).SMTP_URL).toBeUndefined();
  });
});
