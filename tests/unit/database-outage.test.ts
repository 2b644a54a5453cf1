import { describe, expect, it } from "vitest";
import { isDatabaseUnavailable } from "~/utils/database-outage";

const withCode = (code: string, message = "failed") => Object.assign(new Error(message), { code });

describe("isDatabaseUnavailable", () => {
  it("recognises a refused or dropped connection, and PostgreSQL shutting down, starting or full", () => {
    for (const code of ["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "08006", "08001", "57P01", "57P02", "57P03", "53300"]) {
      expect(isDatabaseUnavailable(withCode(code)), code).toBe(true);
    }
    expect(isDatabaseUnavailable(new Error("Connection terminated unexpectedly"))).toBe(true);
    expect(isDatabaseUnavailable(new Error("Client has encountered a connection error and is not queryable"))).toBe(true);
  });

  it("looks through a wrapped cause and an AggregateError of every address tried", () => {
    expect(isDatabaseUnavailable(new Error("query failed", { cause: withCode("ECONNREFUSED") }))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode("ECONNREFUSED"), withCode("ECONNREFUSED")], "connect"))).toBe(true);
    expect(isDatabaseUnavailable(new AggregateError([withCode("ECONNREFUSED"), new Error("bad")], "connect"))).toBe(false);
  });

  it("leaves every other error alone: a bad query, a constraint, a deadlock, a thrown response, nothing at all", () => {
    for (const code of ["42601", "23505", "40P01", "22P02", "ENOENT"]) expect(isDatabaseUnavailable(withCode(code)), code).toBe(false);
    expect(isDatabaseUnavailable(new Error("Cannot read properties of undefined"))).toBe(false);
    expect(isDatabaseUnavailable(new Response("nope", { status: 404 }))).toBe(false);
    expect(isDatabaseUnavailable(null)).toBe(false);
    expect(isDatabaseUnavailable("ECONNREFUSED")).toBe(false);
  });

  it("stops following a cause that leads back to itself", () => {
    const loop = new Error("loop") as Error & { cause?: unknown };
    loop.cause = loop;
    expect(isDatabaseUnavailable(loop)).toBe(false);
  });
});
