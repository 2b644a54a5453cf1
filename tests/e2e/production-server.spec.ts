import { randomBytes } from "node:crypto";
import { startAppServer, waitForHealthy, type AppServer } from "../support/app-server";
import { expect, test, type Person } from "./fixtures";

// The headers and cookies of the production server, asserted on the compiled server (build/server/start.js)
// started as the Docker image and `npm start` run it, but with NODE_ENV not set at all: it must run as
// production by itself (server/start.ts). The suite's own server runs with NODE_ENV=test, over plain HTTP,
// so this spec starts a second one on the suite's database. It speaks plain HTTP on 127.0.0.1 too: in
// production TLS ends at the proxy in front, which the app cannot see unless TRUST_PROXY is set, so the
// production server sends HSTS on every answer (browsers heed it only over HTTPS) and Secure cookies.
// No browser: this spec runs once, in the "http" project (playwright.config.ts).

test.describe.configure({ mode: "default" });

let server: AppServer;

test.beforeAll(async () => {
  const databaseUrl = process.env.E2E_DATABASE_URL;
  expect(databaseUrl, "tests/e2e/run.ts passes the suite's database").toBeTruthy();
  server = await startAppServer({
    NODE_ENV: undefined,
    DATABASE_URL: databaseUrl,
    SESSION_SECRET: randomBytes(32).toString("hex"),
    // Web only: the suite's own server runs the job workers.
    WORKERS: "false",
    LOG_LEVEL: "warn",
  });
  try {
    await waitForHealthy(server);
  } catch (error) {
    await server.stop(true);
    throw error;
  }
});

test.afterAll(async () => {
  await server?.stop();
});

const form = { "Content-Type": "application/x-www-form-urlencoded" };

function get(path: string, cookie?: string) {
  return fetch(`${server.baseUrl}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" });
}

function post(path: string, body: string, cookie?: string) {
  return fetch(`${server.baseUrl}${path}`, { method: "POST", headers: { ...form, ...(cookie ? { Cookie: cookie } : {}) }, body, redirect: "manual" });
}

/** The CSP's directives by name. */
function directives(csp: string | null): Map<string, string[]> {
  return new Map(
    (csp ?? "")
      .split(";")
      .map((part) => part.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...values]) => [name, values]),
  );
}

async function signIn(person: Person): Promise<{ response: Response; cookie: string }> {
  const response = await post("/login", new URLSearchParams({ email: person.email, password: person.password }).toString());
  expect(response.status).toBe(303);
  const auth = response.headers.getSetCookie().find((line) => line.startsWith("__Host-centurion_auth="));
  expect(auth, "the sign-in cookie has the __Host- prefix").toBeTruthy();
  return { response, cookie: auth!.split(";")[0] };
}

/** A Set-Cookie line's attributes, lower-cased, without its name and value. */
const attributes = (line: string) =>
  line
    .split(";")
    .slice(1)
    .map((part) => part.trim().toLowerCase());

test("every page has a CSP with a fresh nonce, which every script carries; no inline script or handler without it", async () => {
  const nonces = new Set<string>();
  for (let i = 0; i < 2; i++) {
    const response = await get("/login");
    expect(response.status).toBe(200);
    const csp = directives(response.headers.get("content-security-policy"));
    const scripts = csp.get("script-src") ?? [];
    const nonce = scripts.find((value) => value.startsWith("'nonce-"))?.slice("'nonce-".length, -1);
    expect(nonce, "script-src names a nonce").toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(scripts).toEqual(["'self'", `'nonce-${nonce}'`]);
    expect(csp.get("script-src-attr")).toEqual(["'none'"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("base-uri")).toEqual(["'self'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    expect(csp.has("upgrade-insecure-requests")).toBe(true);
    const html = await response.text();
    const tags = html.match(/<script\b[^>]*>/g) ?? [];
    expect(tags.length, "the page has scripts (Remix's context and modules)").toBeGreaterThan(0);
    for (const tag of tags) expect(tag, "every script carries the nonce").toContain(`nonce="${nonce}"`);
    expect(html, "no inline event handler").not.toMatch(/<[^>]+\son[a-z]+=/i);
    nonces.add(nonce!);
  }
  expect(nonces.size, "each answer gets its own nonce").toBe(2);
});

test("HSTS, nosniff, X-Frame-Options, Referrer-Policy and Permissions-Policy on pages, and on errors", async () => {
  for (const path of ["/login", "/no-such-page", "/healthz"]) {
    const headers = (await get(path)).headers;
    expect(headers.get("strict-transport-security"), path).toBe("max-age=63072000; includeSubDomains");
    expect(headers.get("x-content-type-options"), path).toBe("nosniff");
    expect(headers.get("x-frame-options"), path).toBe("DENY");
    expect(headers.get("referrer-policy"), path).toBe("strict-origin-when-cross-origin");
    expect(headers.get("permissions-policy"), path).toMatch(/camera=\(\).*geolocation=\(\).*microphone=\(\)/);
    expect(headers.get("x-powered-by"), path).toBeNull();
  }
});

test("cookies are __Host- prefixed, Secure, HttpOnly and SameSite=Lax, for the whole site and no domain", async ({ make }) => {
  const { response, cookie } = await signIn(await make.client());
  const out = await post("/logout", "", cookie);
  expect(out.status).toBe(303);
  const lines = [...response.headers.getSetCookie(), ...out.headers.getSetCookie()];
  expect(lines.map((line) => line.split("=")[0]).sort()).toEqual(["__Host-centurion_auth", "__Host-centurion_auth", "__Host-centurion_flash"]);
  for (const line of lines) {
    const given = attributes(line);
    expect(given, line).toEqual(expect.arrayContaining(["path=/", "httponly", "secure", "samesite=lax"]));
    expect(
      given.some((attribute) => attribute.startsWith("domain=")),
      line,
    ).toBe(false);
  }
});

test("signed-in pages, data requests and redirects are Cache-Control: no-store; the build's files are immutable", async ({ make }) => {
  const { response: signedIn, cookie } = await signIn(await make.client());
  expect(signedIn.headers.get("cache-control")).toBe("no-store");
  const page = await get("/client", cookie);
  expect(page.status).toBe(200);
  expect(page.headers.get("cache-control")).toBe("no-store");
  const html = await page.text();
  for (const [path, status] of [
    ["/client?_data=routes%2Fclient._index", 200],
    ["/client/sessions", 200],
    ["/client/membership", 200],
    ["/login", 303],
    ["/admin", 403],
  ] as const) {
    const response = await get(path, cookie);
    expect(response.status, path).toBe(status);
    expect(response.headers.get("cache-control"), path).toBe("no-store");
  }
  const asset = html.match(/\/build\/[^"]+\.js/)?.[0];
  expect(asset, "the page loads a built script").toBeTruthy();
  const file = await get(asset!, cookie);
  expect(file.status).toBe(200);
  expect(file.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
});
