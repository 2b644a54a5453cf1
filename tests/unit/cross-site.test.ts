import { describe, expect, it } from "vitest";
import { isCrossSiteRequest } from "~/utils/cross-site";

const post = (headers: { origin?: string; secFetchSite?: string }, path = "/login") => ({
  method: "POST",
  path,
  host: "studio.example:3000",
  origin: headers.origin,
  secFetchSite: headers.secFetchSite,
});

describe("isCrossSiteRequest", () => {
  it("lets reads through whatever their origin", () => {
    expect(isCrossSiteRequest({ ...post({ secFetchSite: "cross-site" }), method: "GET" })).toBe(false);
  });

  it("trusts the browser's Sec-Fetch-Site", () => {
    expect(isCrossSiteRequest(post({ secFetchSite: "same-origin" }))).toBe(false);
    expect(isCrossSiteRequest(post({ secFetchSite: "none" }))).toBe(false);
    expect(isCrossSiteRequest(post({ secFetchSite: "cross-site" }))).toBe(true);
    expect(isCrossSiteRequest(post({ secFetchSite: "same-site" }))).toBe(true);
  });

  it("compares Origin with our host when Sec-Fetch-Site is absent", () => {
    expect(isCrossSiteRequest(post({ origin: "http://studio.example:3000" }))).toBe(false);
    expect(isCrossSiteRequest(post({ origin: "https://evil.example" }))).toBe(true);
    expect(isCrossSiteRequest(post({ origin: "null" }))).toBe(true);
    expect(isCrossSiteRequest(post({ origin: "::garbage::" }))).toBe(true);
  });

  it("lets through clients that send neither header", () => {
    expect(isCrossSiteRequest(post({}))).toBe(false);
  });

  it("always lets Stripe reach its webhook", () => {
    expect(isCrossSiteRequest(post({ secFetchSite: "cross-site", origin: "https://stripe.com" }, "/webhooks/stripe"))).toBe(false);
  });
});
