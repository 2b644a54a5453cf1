import { describe, expect, it } from "vitest";
import { readEnv } from "~/utils/env.server";
import { parseTrustProxy } from "~/utils/trust-proxy.server";
import { redactUrl } from "../../server/log-redaction";

describe("TRUST_PROXY", () => {
  it("is off unless set", () => {
    expect(parseTrustProxy(undefined)).toEqual({ ok: true, value: false });
    expect(parseTrustProxy("")).toEqual({ ok: true, value: false });
    expect(parseTrustProxy("false")).toEqual({ ok: true, value: false });
    expect(parseTrustProxy("0")).toEqual({ ok: true, value: false });
    expect(readEnv({}).TRUST_PROXY).toBe(false);
  });

  it("takes a hop count: the number of proxies in front of the app", () => {
    expect(parseTrustProxy("1")).toEqual({ ok: true, value: 1 });
    expect(parseTrustProxy(" 2 ")).toEqual({ ok: true, value: 2 });
    expect(readEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(parseTrustProxy("11")).toMatchObject({ ok: false, message: expect.stringContaining("1 to 10") });
  });

  it("takes the proxies' addresses, subnets or Express's names for them", () => {
    expect(parseTrustProxy("10.0.0.0/8, 192.0.2.1,loopback")).toEqual({ ok: true, value: "10.0.0.0/8, 192.0.2.1, loopback" });
    expect(parseTrustProxy("fd00::/8")).toEqual({ ok: true, value: "fd00::/8" });
    for (const bad of ["10.0.0.0/33", "proxy.example", "10.0.0.1/8/2", "yes"]) expect(parseTrustProxy(bad), bad).toMatchObject({ ok: false });
  });

  it("refuses true, which would let any client choose its address, and says what to set instead", () => {
    const parsed = parseTrustProxy("true");
    expect(parsed).toMatchObject({ ok: false, message: expect.stringContaining("TRUST_PROXY=1") });
    expect(() => readEnv({ TRUST_PROXY: "true" })).toThrow(/TRUST_PROXY=true trusts every X-Forwarded-For entry/);
  });
});

describe("redactUrl", () => {
  it("keeps the secret of a calendar feed, a password link or an unsubscribe link out of the logs", () => {
    expect(redactUrl("/calendar/feed/AbC_dEf-0123456789abcdefghij")).toBe("/calendar/feed/[redacted]");
    expect(redactUrl("/calendar/feed/AbC_dEf-0123456789abcdefghij?x=1")).toBe("/calendar/feed/[redacted]?x=1");
    expect(redactUrl("/reset-password/secret-token")).toBe("/reset-password/[redacted]");
    expect(redactUrl("/reset-password/secret-token?_data=routes%2Freset-password.%24token")).toBe(
      "/reset-password/[redacted]?_data=routes%2Freset-password.%24token",
    );
    expect(redactUrl("/unsubscribe/signed.token")).toBe("/unsubscribe/[redacted]");
  });

  it("leaves every other address as it is", () => {
    for (const url of ["/client/sessions?date=2026-01-05", "/login", "/calendar", "/client/sessions/calendar"]) expect(redactUrl(url)).toBe(url);
    expect(redactUrl(undefined)).toBeUndefined();
  });
});
