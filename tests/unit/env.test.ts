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
