// The app's JavaScript only enhances pages that work without it, so the browser fetches it at low priority:
// every <link rel="modulepreload"> Remix writes says fetchpriority="low" (patches/@remix-run+react+2.17.5.patch,
// docs/decisions/0036). The stylesheet, which the first paint waits for, keeps the browser's own priority.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { forkEm } from "../support/db";
import { createMember } from "../support/factories";
import { signedInCookie } from "../support/routes";
import { serveAppBuild } from "../support/serve-app";

let baseUrl = "";
let cookie = "";
let close: () => Promise<unknown> = async () => {};

beforeAll(async () => {
  const served = await serveAppBuild();
  baseUrl = `http://127.0.0.1:${served.port}`;
  close = served.close;
  const { user } = await createMember(await forkEm(), { type: "PACK" });
  cookie = await signedInCookie(user);
});

afterAll(async () => {
  await close();
});

describe("the pages' JavaScript", () => {
  it.each(["/login", "/client", "/client/sessions", "/client/membership"])("is preloaded at low priority on %s, and the stylesheet is not", async (path) => {
    const response = await fetch(baseUrl + path, { headers: path === "/login" ? {} : { cookie }, redirect: "manual" });
    expect(response.status).toBe(200);
    const html = await response.text();
    const preloads = html.match(/<link rel="modulepreload"[^>]*>/g) ?? [];
    expect(preloads.length).toBeGreaterThan(3);
    for (const link of preloads) expect(link).toContain('fetchpriority="low"');
    const stylesheets = html.match(/<link rel="stylesheet"[^>]*>/g) ?? [];
    expect(stylesheets.length).toBeGreaterThan(0);
    for (const link of stylesheets) expect(link).not.toContain("fetchpriority");
  });
});
