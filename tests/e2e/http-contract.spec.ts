import Stripe from "stripe";
import { expect, test, type Person } from "./fixtures";

// Plain form posts as outside tests and old phones send them: no JavaScript, no browser. This spec runs
// once, in the "http" project (playwright.config.ts), not once per JS mode.
const form = { "Content-Type": "application/x-www-form-urlencoded" };

const credentials = (person: Pick<Person, "email" | "password">, extra = "") =>
  `email=${encodeURIComponent(person.email)}&password=${encodeURIComponent(person.password)}${extra}`;

test("POST /login answers 303 with a session cookie, and the cookie opens the client home", async ({ make, playwright, baseURL }) => {
  const client = await make.client();
  const api = await playwright.request.newContext({ baseURL });
  const response = await api.post("/login", { headers: form, data: credentials(client), maxRedirects: 0 });
  expect(response.status()).toBe(303);
  expect(response.headers().location).toBe("/client");
  const cookie = response.headers()["set-cookie"];
  expect(cookie).toMatch(/centurion_auth=/);
  expect(cookie).toMatch(/HttpOnly/i);
  expect(cookie).toMatch(/SameSite=Lax/i);
  const home = await api.get("/client", { maxRedirects: 0 });
  expect(home.status()).toBe(200);
  expect(await home.text()).toContain(`Hello, ${client.name}`);
  const out = await api.post("/logout", { headers: form, maxRedirects: 0 });
  expect(out.status()).toBe(303);
  expect((await api.get("/client", { maxRedirects: 0 })).status()).toBe(303);
  await api.dispose();
});

test("redirectTo only leads to our own pages", async ({ make, playwright, baseURL }) => {
  const client = await make.client();
  const api = await playwright.request.newContext({ baseURL });
  const ours = await api.post("/login", {
    headers: form,
    data: credentials(client, `&redirectTo=${encodeURIComponent("/client/sessions?date=2026-01-05")}`),
    maxRedirects: 0,
  });
  expect(ours.headers().location).toBe("/client/sessions?date=2026-01-05");
  await api.post("/logout", { headers: form, maxRedirects: 0 });
  const theirs = await api.post("/login", {
    headers: form,
    data: credentials(client, `&redirectTo=${encodeURIComponent("//evil.example/")}`),
    maxRedirects: 0,
  });
  expect(theirs.headers().location).toBe("/client");
  await api.dispose();
});

test("bad sign-in input answers 400, never 500", async ({ request }) => {
  expect((await request.post("/login", { headers: form, data: "email=&password=", maxRedirects: 0 })).status()).toBe(400);
  expect((await request.post("/login", { headers: form, data: "email=not-an-email&password=x", maxRedirects: 0 })).status()).toBe(400);
  expect((await request.post("/login", { headers: { "Content-Type": "application/json" }, data: "{}", maxRedirects: 0 })).status()).toBe(400);
});

test("a cross-site POST gets 403", async ({ make, request }) => {
  const client = await make.client();
  const byOrigin = await request.post("/login", { headers: { ...form, Origin: "https://evil.example" }, data: credentials(client), maxRedirects: 0 });
  expect(byOrigin.status()).toBe(403);
  const byFetchSite = await request.post("/logout", { headers: { ...form, "Sec-Fetch-Site": "cross-site" }, maxRedirects: 0 });
  expect(byFetchSite.status()).toBe(403);
});

test("after five failed sign-ins from one address the account waits there (429, Retry-After), even for the right password, and a forged X-Forwarded-For changes nothing", async ({
  make,
  request,
}) => {
  // An account of its own, so the wait cannot get in the way of other tests; the owner elsewhere is not held back
  // (tests/integration/auth.service.test.ts).
  const client = await make.client();
  for (let i = 0; i < 5; i++) {
    const attempt = await request.post("/login", { headers: form, data: credentials({ ...client, password: `wrong-${i}` }), maxRedirects: 0 });
    expect(attempt.status()).toBe(400);
  }
  const held = await request.post("/login", { headers: form, data: credentials(client), maxRedirects: 0 });
  expect(held.status()).toBe(429);
  expect(Number(held.headers()["retry-after"])).toBeGreaterThan(0);
  expect(await held.text()).toContain("Too many attempts with the wrong password. Try again in 1 minute");
  // The server trusts no proxy (TRUST_PROXY unset): a client claiming another address is still the address it connects from.
  const forged = await request.post("/login", { headers: { ...form, "X-Forwarded-For": "203.0.113.99" }, data: credentials(client), maxRedirects: 0 });
  expect(forged.status()).toBe(429);
});

test("sixty members sign in from one address within a minute", async ({ make, playwright, baseURL }) => {
  const members: Person[] = [];
  for (let i = 0; i < 60; i++) members.push(await make.client());
  const results = await Promise.all(
    members.map(async (member) => {
      const api = await playwright.request.newContext({ baseURL });
      const response = await api.post("/login", { headers: form, data: credentials(member), maxRedirects: 0 });
      await api.dispose();
      return response.status();
    }),
  );
  expect(results.filter((status) => status === 303)).toHaveLength(60);
});

test("/healthz answers 200 while the database is up", async ({ request }) => {
  const response = await request.get("/healthz");
  expect(response.status()).toBe(200);
  expect(await response.json()).toEqual({ status: "ok" });
});

test("dates far off or malformed in a page's address show a page, never a 500", async ({ make, playwright, baseURL }) => {
  const admin = await make.admin();
  const api = await playwright.request.newContext({ baseURL });
  const signedIn = await api.post("/login", { headers: form, data: credentials(admin), maxRedirects: 0 });
  expect(signedIn.status()).toBe(303);
  for (const date of ["9999-12-31", "2199-12-31", "1900-01-01", "0000-00-00", "2026-02-30", "soon"]) {
    for (const path of [
      `/coach/sessions/calendar?view=week&date=${date}`,
      `/coach/sessions/calendar?view=day&date=${date}`,
      `/coach/sessions?from=${date}&to=${date}`,
      `/client/sessions?date=${date}`,
      `/client/sessions/calendar?date=${date}`,
    ]) {
      expect((await api.get(path, { maxRedirects: 0 })).status(), path).toBe(200);
    }
  }
  await api.dispose();
});

test("POST /webhooks/stripe: 400 for a missing or bad signature, 200 for a signed event, 405 for a GET", async ({ playwright, baseURL }) => {
  const secret = process.env.E2E_STRIPE_WEBHOOK_SECRET;
  expect(secret, "tests/e2e/run.ts passes the local Stripe server's webhook secret").toBeTruthy();
  const api = await playwright.request.newContext({ baseURL });
  // A cross-site POST (another Origin) is let through for this path only: Stripe is another site.
  const headers = { "Content-Type": "application/json", Origin: "https://stripe.example" };
  const payload = JSON.stringify({
    id: `evt_e2e_${Date.now()}`,
    object: "event",
    type: "customer.tax_id.created",
    created: Math.floor(Date.now() / 1000),
    data: { object: { id: "txi_e2e" } },
  });
  expect((await api.post("/webhooks/stripe", { headers, data: payload, maxRedirects: 0 })).status()).toBe(400);
  const forged = new Stripe("sk_test_e2e").webhooks.generateTestHeaderString({ payload, secret: "whsec_forged" });
  expect((await api.post("/webhooks/stripe", { headers: { ...headers, "Stripe-Signature": forged }, data: payload })).status()).toBe(400);
  const signed = new Stripe("sk_test_e2e").webhooks.generateTestHeaderString({ payload, secret: secret! });
  const accepted = await api.post("/webhooks/stripe", { headers: { ...headers, "Stripe-Signature": signed }, data: payload });
  expect(accepted.status()).toBe(200);
  expect(await accepted.text()).toBe("ignored");
  expect((await api.get("/webhooks/stripe", { maxRedirects: 0 })).status()).toBe(405);
  await api.dispose();
});
