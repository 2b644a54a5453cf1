import type { MikroORM } from "@mikro-orm/postgresql";
import { RequestContext } from "@mikro-orm/postgresql";
import type { ServerBuild } from "@remix-run/node";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { databaseAnswers } from "~/modules/db.server";
import { findFreePort } from "../../server/embedded-postgres";
import { createApp } from "../../server/app";
import { createTestOrm } from "../support/db";

// The real Express app around a stand-in build: only the parts the server itself calls.
async function serve(orm: MikroORM) {
  const build = {
    entry: {
      module: {
        isDatabaseUp: () => databaseAnswers(orm, 2_000),
        withRequestContext: async <T>(fn: () => T) => RequestContext.create(orm.em, fn),
        closeOrm: async () => {},
      },
    },
  } as unknown as ServerBuild;
  const app = createApp({ getBuild: async () => build, mode: "production", https: true, logger: pino({ level: "silent" }) });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { base, close: () => new Promise((resolve) => server.close(resolve)) };
}

const closers: (() => Promise<unknown>)[] = [];
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
});

describe("the Express server", () => {
  it("answers /healthz 200 when the database answers, with the security headers", async () => {
    const app = await serve(await createTestOrm());
    closers.push(app.close);
    const response = await fetch(`${app.base}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: "ok" });
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
    expect(response.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    expect(response.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    expect(response.headers.get("content-security-policy")).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]+'/);
  });

  it("serves the build's files for a year, immutable, with nosniff but without the pages' headers", async () => {
    const app = await serve(await createTestOrm());
    closers.push(app.close);
    const name = `server-test-${process.pid}-${Date.now()}.js`;
    mkdirSync("public/build", { recursive: true });
    writeFileSync(path.join("public/build", name), "export {};\n");
    try {
      const response = await fetch(`${app.base}/build/${name}`);
      expect(response.status).toBe(200);
      expect(response.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("content-security-policy")).toBeNull();
    } finally {
      rmSync(path.join("public/build", name), { force: true });
    }
  });

  it("answers /healthz 503 when the database does not", async () => {
    const deadPort = await findFreePort();
    const orm = await createTestOrm({ clientUrl: `postgres://postgres:postgres@127.0.0.1:${deadPort}/nothing` });
    const app = await serve(orm);
    closers.push(app.close);
    const response = await fetch(`${app.base}/healthz`);
    expect(response.status).toBe(503);
  });

  it("refuses a cross-site form post with 403 before it reaches the app", async () => {
    const app = await serve(await createTestOrm());
    closers.push(app.close);
    const response = await fetch(`${app.base}/login`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example" },
      body: "email=a%40b.c&password=x",
      redirect: "manual",
    });
    expect(response.status).toBe(403);
  });
});

/**
 * The real Express app around a Remix build of two resource routes: one answers the client address the app
 * hands to loaders and actions (what sign-in throttling keys on), one stands for the private calendar feed.
 */
async function serveRoutes(options: { trustProxy?: false | number | string; logLines?: string[] }) {
  const loaderOnly = (loader: (args: { context: { clientIp: string }; params: Record<string, string> }) => Response) => ({ loader });
  const build = {
    mode: "production",
    future: {},
    publicPath: "/build/",
    assetsBuildDirectory: "public/build",
    assets: { version: "test", url: "/build/manifest.js", entry: { module: "/build/entry.js", imports: [] }, routes: {} },
    routes: {
      root: { id: "root", path: "", module: { default: () => null } },
      "routes/whoami": { id: "routes/whoami", parentId: "root", path: "whoami", module: loaderOnly(({ context }) => Response.json({ ip: context.clientIp })) },
      "routes/feed": {
        id: "routes/feed",
        parentId: "root",
        path: "calendar/feed/:token",
        module: loaderOnly(({ params }) => new Response(`feed of ${params.token.length} characters`)),
      },
    },
    entry: {
      module: {
        withRequestContext: async <T>(fn: () => T) => fn(),
        primeRequest: async () => {},
        featureFlagsNow: async () => ({ sessions: true, cohorts: true, appointments: true }),
      },
    },
  } as unknown as ServerBuild;
  const lines = options.logLines;
  const logger = lines ? pino({ level: "info" }, { write: (line: string) => void lines.push(line) }) : pino({ level: "silent" });
  const app = createApp({ getBuild: async () => build, mode: "production", https: false, logger, trustProxy: options.trustProxy });
  const server = app.listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  closers.push(() => new Promise((resolve) => server.close(resolve)));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const addressSeen = async (base: string, forwardedFor?: string) =>
  ((await (await fetch(`${base}/whoami`, { headers: forwardedFor ? { "X-Forwarded-For": forwardedFor } : {} })).json()) as { ip: string }).ip;

describe("the client address that throttling keys on", () => {
  it("ignores a forged X-Forwarded-For when no proxy is trusted (TRUST_PROXY unset)", async () => {
    const base = await serveRoutes({});
    const real = await addressSeen(base);
    expect(real).toMatch(/127\.0\.0\.1$/);
    expect(await addressSeen(base, "203.0.113.7")).toBe(real);
    expect(await addressSeen(base, "203.0.113.7, 198.51.100.2")).toBe(real);
  });

  it("behind one trusted proxy (TRUST_PROXY=1) takes the address that proxy appended, not the ones the client wrote before it", async () => {
    const base = await serveRoutes({ trustProxy: 1 });
    // The proxy appends the address it saw; whatever the client sent stays to its left.
    expect(await addressSeen(base, "198.51.100.2")).toBe("198.51.100.2");
    expect(await addressSeen(base, "203.0.113.7, 198.51.100.2")).toBe("198.51.100.2");
  });
});

describe("request logs", () => {
  it("never hold a calendar feed's token", async () => {
    const lines: string[] = [];
    const base = await serveRoutes({ logLines: lines });
    const token = "SecretFeedToken_0123456789abcdef";
    const response = await fetch(`${base}/calendar/feed/${token}`);
    expect(await response.text()).toBe(`feed of ${token.length} characters`);
    await expect.poll(() => lines.some((line) => line.includes("/calendar/feed/[redacted]"))).toBe(true);
    expect(lines.join("\n")).not.toContain(token);
  });
});
