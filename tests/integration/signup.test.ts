// Joining the studio through /signup without telling anyone whether an address has an account: one answer
// for every accepted request, an email either way (a link that sets the password for a new address; "you
// already have an account" with a reset link for a registered one), no Argon2 work, and throttling per email
// address and per network address, counted under locks.
import type * as Argon2 from "@node-rs/argon2";
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PasswordToken, SignupAttempt, User } from "~/modules/auth/auth.entities.server";
import { SIGNUP_LINK_MS, SIGNUP_REQUESTED, SIGNUP_THROTTLE } from "~/modules/auth/auth.rules";
import { findAuthSessionUser, verifyLogin } from "~/modules/auth/auth.service.server";
import { getAuthCookie } from "~/modules/auth/auth-session.server";
import { NO_PASSWORD } from "~/modules/auth/password.server";
import { TOO_COMMON } from "~/modules/auth/password-rules.server";
import { requestSignup } from "~/modules/auth/signup.service.server";
import { withRequestContext } from "~/modules/db.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password.$token";
import { action as signupAction } from "~/routes/signup";
import { forkEm } from "../support/db";
import { createUser, TEST_PASSWORD, uniqueName } from "../support/factories";

// Counts Argon2 hashes: a sign-up must not cost any.
const argon2 = vi.hoisted(() => ({ hashes: 0 }));
vi.mock("@node-rs/argon2", async (importOriginal) => {
  const real = await importOriginal<typeof Argon2>();
  return {
    ...real,
    hash: (...args: Parameters<typeof real.hash>) => {
      argon2.hashes += 1;
      return real.hash(...args);
    },
  };
});

type Handler = (args: ActionFunctionArgs & LoaderFunctionArgs) => Promise<unknown>;

async function call(handler: Handler, options: { path: string; params?: Record<string, string>; fields?: Record<string, string>; ip?: string }) {
  const request = new Request(`http://localhost${options.path}`, {
    method: options.fields ? "POST" : "GET",
    headers: options.fields ? { "Content-Type": "application/x-www-form-urlencoded" } : {},
    body: options.fields ? new URLSearchParams(options.fields).toString() : undefined,
  });
  return withRequestContext(async () => {
    try {
      const result = await handler({ request, params: options.params ?? {}, context: { cspNonce: "test", clientIp: options.ip ?? "198.51.100.1" } });
      return result instanceof Response ? result : Response.json(result);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

let ipCounter = 0;
const freshIp = () => `203.0.113.${++ipCounter}`;
const freshEmail = () =>
  `${uniqueName("new")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ".")}@signup.test`;

const signUp = (fields: { name: string; email: string }, ip = freshIp()) => call(signupAction as Handler, { path: "/signup", fields, ip });

async function mails(email: string) {
  const em = await forkEm();
  const user = await em.findOne(User, { email });
  return user ? em.find(Notification, { user: user.id }, { orderBy: { id: "asc" } }) : [];
}

function tokenOf(body: string): string {
  const match = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(body);
  if (!match) throw new Error(`No link in: ${body}`);
  return match[1];
}

afterEach(() => {
  argon2.hashes = 0;
});

describe("/signup", () => {
  it("answers a new address and a registered one alike, and emails each what it needs", async () => {
    const registered = await createUser(await forkEm(), { email: freshEmail() });
    const newEmail = freshEmail();
    argon2.hashes = 0;

    const forNew = await signUp({ name: "Nora New", email: newEmail.toUpperCase() });
    const forRegistered = await signUp({ name: "Copy Cat", email: registered.email });
    expect(forNew.status).toBe(200);
    expect(forRegistered.status).toBe(forNew.status);
    const newBody = await forNew.json();
    const registeredBody = await forRegistered.json();
    expect(newBody).toEqual({ ok: true, message: SIGNUP_REQUESTED, email: newEmail });
    expect(registeredBody).toEqual({ ...newBody, email: registered.email });
    // Nobody is signed in by a sign-up.
    expect(forNew.headers.get("Set-Cookie")).toBeNull();
    expect(forRegistered.headers.get("Set-Cookie")).toBeNull();
    // No password was hashed for either.
    expect(argon2.hashes).toBe(0);

    // The new address: a client without a password, and an email with a link that sets one (for a day).
    const em = await forkEm();
    const made = await em.findOneOrFail(User, { email: newEmail }, { populate: ["passwordHash"] });
    expect(made).toMatchObject({ name: "Nora New", role: "CLIENT", passwordHash: NO_PASSWORD });
    const [invite] = await mails(newEmail);
    expect(invite).toMatchObject({ kind: "ACCOUNT_INVITE", subject: "Finish creating your Centurion account" });
    expect(invite.body).toContain("Choose your password here to finish creating your account");
    const token = await em.findOneOrFail(PasswordToken, { user: made.id });
    expect(token).toMatchObject({ purpose: "INVITE", usedAt: null });
    expect(token.expiresAt.getTime() - token.createdAt.getTime()).toBe(SIGNUP_LINK_MS);
    // It cannot sign in before it has a password.
    expect((await verifyLogin(await forkEm(), { email: newEmail, password: NO_PASSWORD, ipAddress: freshIp() })).ok).toBe(false);

    // The registered address: unchanged, and told someone tried, with a sign-in link and a reset link.
    expect(await em.count(User, { email: registered.email })).toBe(1);
    const [warning] = await mails(registered.email);
    expect(warning).toMatchObject({ kind: "PASSWORD_RESET", subject: "Someone tried to sign up to Centurion with your address" });
    expect(warning.body).toContain("You already have one, so nothing was changed.");
    expect(warning.body).toContain("http://localhost:3000/login");
    expect(await em.findOneOrFail(PasswordToken, { user: registered.id })).toMatchObject({ purpose: "RESET" });
    expect((await verifyLogin(await forkEm(), { email: registered.email, password: TEST_PASSWORD, ipAddress: freshIp() })).ok).toBe(true);
  });

  it("makes the account when the emailed link sets a password that passes the rules, and signs the client in", async () => {
    const email = freshEmail();
    await signUp({ name: "Lena Link", email });
    const token = tokenOf((await mails(email))[0].body);
    const page = await call(resetLoader as Handler, { path: `/reset-password/${token}`, params: { token } });
    expect(await page.json()).toMatchObject({ spent: false, purpose: "INVITE", name: "Lena Link", email });

    const use = (password: string) =>
      call(resetAction as Handler, { path: `/reset-password/${token}`, params: { token }, fields: { password, confirmPassword: password } });
    const common = await use("password1234");
    expect(common.status).toBe(400);
    expect((await common.json()).fieldErrors).toEqual({ password: [TOO_COMMON] });
    const done = await use("lena-picks-a-kettle");
    expect(done.status).toBe(303);
    // The password is hashed here, when it is chosen (which also shows the count above is real).
    expect(argon2.hashes).toBeGreaterThan(0);
    expect(done.headers.get("Location")).toBe("/client");
    const authToken = await getAuthCookie().parse(done.headers.get("Set-Cookie"));
    expect(await findAuthSessionUser(await forkEm(), authToken)).toMatchObject({ email, role: "CLIENT" });
    expect((await verifyLogin(await forkEm(), { email, password: "lena-picks-a-kettle", ipAddress: freshIp() })).ok).toBe(true);

    // Once it has a password, signing up again only warns the owner.
    expect((await signUp({ name: "Lena Again", email })).status).toBe(200);
    expect((await mails(email)).map((m) => m.kind)).toEqual(["ACCOUNT_INVITE", "PASSWORD_RESET"]);
  });

  it("sends an address that never chose its password a new link, and a deactivated one nothing, with the same answer", async () => {
    const pending = freshEmail();
    await signUp({ name: "Pat Pending", email: pending });
    const again = await signUp({ name: "Pat Pending", email: pending });
    expect(await again.json()).toMatchObject({ ok: true, message: SIGNUP_REQUESTED });
    expect((await mails(pending)).map((m) => m.kind)).toEqual(["ACCOUNT_INVITE", "ACCOUNT_INVITE"]);
    expect(await (await forkEm()).count(User, { email: pending })).toBe(1);

    const gone = await createUser(await forkEm(), { email: freshEmail() });
    await (await forkEm()).nativeUpdate(User, gone.id, { deactivatedAt: new Date() });
    const answer = await signUp({ name: "Gone", email: gone.email });
    expect(await answer.json()).toMatchObject({ ok: true, message: SIGNUP_REQUESTED });
    expect(await mails(gone.email)).toHaveLength(0);
  });

  it("asks for a name and a well-formed address (400, what was typed kept), and makes nothing", async () => {
    const response = await signUp({ name: "Nora", email: "not-an-email" });
    expect(response.status).toBe(400);
    const body = await response.json();
    expect(body.fieldErrors).toEqual({ email: ["Enter a valid email address, like name@example.com."] });
    expect(body.values).toMatchObject({ name: "Nora", email: "not-an-email" });
    expect((await signUp({ name: "", email: freshEmail() })).status).toBe(400);
    expect(await (await forkEm()).count(SignupAttempt, { email: "not-an-email" })).toBe(0);
  });

  it(`takes at most ${SIGNUP_THROTTLE.maxPerEmail} sign-ups an hour for one address, from anywhere: then 429 with when to try again`, async () => {
    const email = freshEmail();
    for (let i = 0; i < SIGNUP_THROTTLE.maxPerEmail; i++) expect((await signUp({ name: "Spam Target", email })).status).toBe(200);
    const held = await signUp({ name: "Spam Target", email });
    expect(held.status).toBe(429);
    expect(held.headers.get("Retry-After")).toBe(String(SIGNUP_THROTTLE.windowMs / 1000));
    const body = await held.json();
    expect(body.formError).toBe("Too many sign-ups for this email address. Check its inbox (and spam folder) for our email, or try again in 60 minutes.");
    expect(body.values).toMatchObject({ name: "Spam Target", email });
    expect(await mails(email)).toHaveLength(SIGNUP_THROTTLE.maxPerEmail);
  });

  it(`takes at most ${SIGNUP_THROTTLE.maxPerAddress} sign-ups an hour from one network address, even when they all arrive at once`, async () => {
    const ip = freshIp();
    const emails = Array.from({ length: SIGNUP_THROTTLE.maxPerAddress + 15 }, () => freshEmail());
    const answers = await Promise.all(emails.map((email) => signUp({ name: "Crowd", email }, ip)));
    expect(answers.filter((a) => a.status === 200)).toHaveLength(SIGNUP_THROTTLE.maxPerAddress);
    expect(answers.filter((a) => a.status === 429)).toHaveLength(15);
    const held = await answers.find((a) => a.status === 429)!.json();
    expect(held.formError).toMatch(/^Too many sign-ups from your network\. Try again in \d+ minutes?\.$/);
    expect(await (await forkEm()).count(User, { email: { $in: emails } })).toBe(SIGNUP_THROTTLE.maxPerAddress);
    // Another network is not held back.
    expect((await signUp({ name: "Elsewhere", email: freshEmail() })).status).toBe(200);
  });

  it("keeps one account, and at most the allowed emails, when sign-ups for one new address race", async () => {
    const email = freshEmail();
    const results = await Promise.all(Array.from({ length: 8 }, async () => requestSignup(await forkEm(), { name: "Racer", email, ipAddress: freshIp() })));
    expect(results.filter((r) => r.ok)).toHaveLength(SIGNUP_THROTTLE.maxPerEmail);
    expect(results.filter((r) => r.ok && r.outcome === "created")).toHaveLength(1);
    expect(await (await forkEm()).count(User, { email })).toBe(1);
    expect(await mails(email)).toHaveLength(SIGNUP_THROTTLE.maxPerEmail);
  });
});
