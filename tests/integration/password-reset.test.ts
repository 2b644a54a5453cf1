// Forgotten password end to end in-process: /forgot-password answers the same for every address and makes a
// link (stored hashed) only for an active account, within the limits; /reset-password/:token works once,
// for an hour, closes the user's other links and signs out every other device.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { AuthSession, PasswordToken, User } from "~/modules/auth/auth.entities.server";
import { RESET_THROTTLE } from "~/modules/auth/auth.rules";
import { TOO_COMMON, TOO_PERSONAL } from "~/modules/auth/password-rules.server";
import { findAuthSessionUser, verifyLogin } from "~/modules/auth/auth.service.server";
import { getAuthCookie } from "~/modules/auth/auth-session.server";
import { createPasswordToken, hashPasswordToken, setPasswordWithToken } from "~/modules/auth/password-tokens.service.server";
import { withRequestContext } from "~/modules/db.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { action as forgotAction } from "~/routes/forgot-password";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password.$token";
import { forkEm } from "../support/db";
import { createUser, uniqueName } from "../support/factories";
import { signedInCookie } from "../support/routes";

const NEW_PASSWORD = "a-brand-new-password";
const HOUR = 60 * 60 * 1000;

type Handler = (args: ActionFunctionArgs & LoaderFunctionArgs) => Promise<unknown>;

/** One request through a route handler, from `ip`, answering its Response whatever it returned or threw. */
async function call(
  handler: Handler,
  options: { path: string; params?: Record<string, string>; fields?: Record<string, string>; ip?: string; cookie?: string },
) {
  const request = new Request(`http://localhost${options.path}`, {
    method: options.fields ? "POST" : "GET",
    headers: { Cookie: options.cookie ?? "", ...(options.fields ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
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
/** An address no other test uses, so the per-address limit is each test's own. */
const freshIp = () => `203.0.113.${++ipCounter}`;

const forgot = (email: string, ip = freshIp()) => call(forgotAction as Handler, { path: "/forgot-password", fields: { email }, ip });
const openLink = (token: string) => call(resetLoader as Handler, { path: `/reset-password/${token}`, params: { token } });
const useLink = (token: string, fields: Record<string, string> = { password: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, cookie?: string) =>
  call(resetAction as Handler, { path: `/reset-password/${token}`, params: { token }, fields, cookie });

const newUser = async (fields: { role?: "CLIENT" | "COACH" | "ADMIN" } = {}) => {
  const name = uniqueName("Reset");
  return createUser(await forkEm(), { ...fields, name, email: `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@reset.test` });
};

async function resetMails(userId: number) {
  return (await forkEm()).find(Notification, { user: userId, kind: "PASSWORD_RESET" }, { orderBy: { id: "asc" } });
}

/** The token in the emailed link (the only place it exists in clear). */
function tokenOf(body: string): string {
  const match = /\/reset-password\/([A-Za-z0-9_-]+)/.exec(body);
  if (!match) throw new Error(`No link in: ${body}`);
  return match[1];
}

describe("/forgot-password", () => {
  it("answers the same for a registered and an unknown address, and makes a link and its email only for the registered one", async () => {
    const user = await newUser();
    const known = await forgot(user.email.toUpperCase());
    const unknown = await forgot(`nobody-${uniqueName("x").replace(/\W/g, "")}@reset.test`);
    expect(known.status).toBe(200);
    expect(unknown.status).toBe(known.status);
    const knownBody = await known.text();
    expect(await unknown.text()).toBe(knownBody);
    expect(JSON.parse(knownBody).message).toMatch(/^If an account uses that address, we have emailed a link/);

    const em = await forkEm();
    const tokens = await em.find(PasswordToken, { user: user.id });
    expect(tokens).toHaveLength(1);
    expect(tokens[0]).toMatchObject({ purpose: "RESET", usedAt: null });
    expect(tokens[0].expiresAt.getTime() - tokens[0].createdAt.getTime()).toBe(HOUR);

    const [mail] = await resetMails(user.id);
    expect(mail.subject).toBe("Reset your Centurion password");
    expect(mail.body).toContain(`http://localhost:3000/reset-password/`);
    expect(mail.body).toMatch(/expires at .+ \(Europe\/London time\)/);
    const token = tokenOf(mail.body);
    // Stored hashed: the row holds the SHA-256 of the link's token, never the token.
    expect(tokens[0].tokenHash).toBe(hashPasswordToken(token));
    expect(tokens[0].tokenHash).not.toContain(token);
    expect(await em.count(PasswordToken, { tokenHash: token })).toBe(0);
    expect(mail.payload).toMatchObject({ purpose: "RESET", link: expect.stringContaining(token) });
  });

  it("asks for a well-formed address (400 with the field's message) without saying anything about accounts", async () => {
    const response = await forgot("not-an-email");
    expect(response.status).toBe(400);
    expect((await response.json()).fieldErrors).toEqual({ email: ["Enter a valid email address, like name@example.com."] });
  });

  it("sends nothing for a deactivated account, with the same answer", async () => {
    const user = await newUser();
    await (await forkEm()).nativeUpdate(User, user.id, { deactivatedAt: new Date() });
    const response = await forgot(user.email);
    expect(response.status).toBe(200);
    expect((await response.json()).message).toMatch(/^If an account uses that address/);
    expect(await (await forkEm()).count(PasswordToken, { user: user.id })).toBe(0);
  });

  it(`sends at most ${RESET_THROTTLE.maxPerAccount} links an hour for one account, whatever the address asking`, async () => {
    const user = await newUser();
    const answers = [];
    for (let i = 0; i < RESET_THROTTLE.maxPerAccount + 2; i++) answers.push(await forgot(user.email));
    expect(new Set(answers.map((a) => a.status))).toEqual(new Set([200]));
    expect(new Set(await Promise.all(answers.map((a) => a.text()))).size).toBe(1);
    expect(await (await forkEm()).count(PasswordToken, { user: user.id })).toBe(RESET_THROTTLE.maxPerAccount);
    expect(await resetMails(user.id)).toHaveLength(RESET_THROTTLE.maxPerAccount);
  });

  it("counts only the last hour: links asked for earlier do not hold a new one back", async () => {
    const user = await newUser();
    const em = await forkEm();
    for (let i = 0; i < RESET_THROTTLE.maxPerAccount; i++) {
      await createPasswordToken(em, { userId: user.id, purpose: "RESET", requestedIp: "192.0.2.50" }, new Date(Date.now() - HOUR - 60_000));
    }
    await forgot(user.email);
    expect(await em.count(PasswordToken, { user: user.id })).toBe(RESET_THROTTLE.maxPerAccount + 1);
  });

  it(`sends at most ${RESET_THROTTLE.maxPerAddress} links an hour to requests from one address`, async () => {
    const ip = freshIp();
    const users = [];
    for (let i = 0; i < RESET_THROTTLE.maxPerAddress + 2; i++) users.push(await newUser());
    for (const user of users) expect((await forgot(user.email, ip)).status).toBe(200);
    const em = await forkEm();
    expect(await em.count(PasswordToken, { requestedIp: ip })).toBe(RESET_THROTTLE.maxPerAddress);
    expect(await em.count(PasswordToken, { user: users.at(-1)!.id })).toBe(0);
    // Another address still gets its link.
    await forgot(users.at(-1)!.email);
    expect(await em.count(PasswordToken, { user: users.at(-1)!.id })).toBe(1);
  });
});

describe("/reset-password/:token", () => {
  async function linkFor(user: { id: number; email: string }) {
    await forgot(user.email);
    const mails = await resetMails(user.id);
    return tokenOf(mails.at(-1)!.body);
  }

  it("works once: sets the password, signs the user in with a new session, and signs out every other device", async () => {
    const user = await newUser();
    const otherDevices = [await signedInCookie(user), await signedInCookie(user)];
    const token = await linkFor(user);

    const page = await openLink(token);
    expect(page.status).toBe(200);
    expect(await page.json()).toMatchObject({ spent: false, purpose: "RESET", email: user.email });

    const mismatch = await useLink(token, { password: NEW_PASSWORD, confirmPassword: "something-else-entirely" });
    expect(mismatch.status).toBe(400);
    expect((await mismatch.json()).fieldErrors).toEqual({ confirmPassword: ["The passwords do not match."] });
    const tooShort = await useLink(token, { password: "short", confirmPassword: "short" });
    expect(tooShort.status).toBe(400);
    expect((await tooShort.json()).fieldErrors.password).toEqual(["Use at least 10 characters."]);

    const done = await useLink(token);
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe("/client");
    const authToken = await getAuthCookie().parse(done.headers.get("Set-Cookie"));
    expect(typeof authToken).toBe("string");

    const em = await forkEm();
    expect(await findAuthSessionUser(em, authToken)).toMatchObject({ id: user.id });
    // The other devices' sessions are gone: only the new one is left.
    expect(await em.count(AuthSession, { user: user.id })).toBe(1);
    for (const cookie of otherDevices) expect(await findAuthSessionUser(em, await getAuthCookie().parse(cookie))).toBeNull();
    expect((await verifyLogin(em, { email: user.email, password: NEW_PASSWORD, ipAddress: freshIp() })).ok).toBe(true);
    expect((await em.findOneOrFail(PasswordToken, { tokenHash: hashPasswordToken(token) })).usedAt).toBeInstanceOf(Date);

    // A second use is refused, and so is opening the link again.
    const again = await useLink(token, { password: "yet-another-password", confirmPassword: "yet-another-password" });
    expect(again.status).toBe(410);
    expect(await again.json()).toEqual({ spent: true });
    expect((await openLink(token)).status).toBe(410);
    expect((await verifyLogin(await forkEm(), { email: user.email, password: "yet-another-password", ipAddress: freshIp() })).ok).toBe(false);
  });

  it("closes the user's other open links once one is used", async () => {
    const user = await newUser();
    const first = await linkFor(user);
    const second = await linkFor(user);
    expect((await useLink(second)).status).toBe(303);
    expect((await openLink(first)).status).toBe(410);
    expect((await useLink(first)).status).toBe(410);
  });

  it("expires after an hour", async () => {
    const user = await newUser();
    const em = await forkEm();
    const stale = await createPasswordToken(em, { userId: user.id, purpose: "RESET" }, new Date(Date.now() - HOUR - 1000));
    const fresh = await createPasswordToken(em, { userId: user.id, purpose: "RESET" }, new Date(Date.now() - HOUR + 60_000));
    expect((await openLink(stale.token)).status).toBe(410);
    expect((await useLink(stale.token)).status).toBe(410);
    expect((await verifyLogin(await forkEm(), { email: user.email, password: NEW_PASSWORD, ipAddress: freshIp() })).ok).toBe(false);
    expect((await openLink(fresh.token)).status).toBe(200);
    expect((await useLink(fresh.token)).status).toBe(303);
  });

  it("answers 404 for a token no link ever had, with the same page", async () => {
    const response = await openLink("no-such-token");
    expect(response.status).toBe(404);
    expect(await response.json()).toEqual({ spent: true });
    expect((await useLink("no-such-token")).status).toBe(410);
  });

  it("lets only one of two simultaneous uses of a link through", async () => {
    const user = await newUser();
    const { token } = await createPasswordToken(await forkEm(), { userId: user.id, purpose: "RESET" });
    const results = await Promise.all(
      ["first-racing-password", "second-racing-password"].map(async (password) => setPasswordWithToken(await forkEm(), { token, password })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok)).toEqual([{ ok: false, formError: "This link has expired or was already used.", fieldErrors: {}, reason: "spent" }]);
  });

  it("refuses a common password, or one built from the studio's name or the email, and keeps the link open", async () => {
    const user = await newUser();
    const token = await linkFor(user);
    const localPart = user.email.split("@")[0];
    const submit = useLink;
    for (const [password, message] of [
      ["qwertyuiop", TOO_COMMON],
      ["Password2024!", TOO_COMMON],
      ["Centurion2024", TOO_PERSONAL],
      [`${localPart}-2024`, TOO_PERSONAL],
    ]) {
      const refused = await submit(token, { password, confirmPassword: password });
      expect(refused.status, password).toBe(400);
      expect((await refused.json()).fieldErrors, password).toEqual({ password: [message] });
    }
    expect((await openLink(token)).status).toBe(200);
    expect((await useLink(token)).status).toBe(303);
  });
});
