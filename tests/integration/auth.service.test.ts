import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthSession, LoginAttempt, User } from "~/modules/auth/auth.entities.server";
import { AUTH_SESSION_ABSOLUTE_MS, AUTH_SESSION_IDLE_MS, THROTTLE } from "~/modules/auth/auth.rules";
import {
  changePassword,
  createAuthSession,
  destroyAuthSession,
  findAuthSessionUser,
  purgeExpiredAuthData,
  verifyLogin,
} from "~/modules/auth/auth.service.server";
import { hashPassword } from "~/modules/auth/password.server";
import { TOO_COMMON, TOO_PERSONAL } from "~/modules/auth/password-rules.server";
import { action as passwordAction } from "~/routes/account.password";
import { forkEm } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";
import { postForm, signedInCookie } from "../support/routes";

const PASSWORD = TEST_PASSWORD;
let passwordHash: string;

const makeUser = async (email: string, role: "CLIENT" | "COACH" | "ADMIN" = "CLIENT") => createUser(await forkEm(), { email, role });

beforeAll(async () => {
  passwordHash = await hashPassword(PASSWORD);
});

afterAll(async () => {
  const em = await forkEm();
  await em.nativeDelete(LoginAttempt, {});
});

/** A refused sign-in says the same whether the email has an account or not. */
const NO_MATCH = { ok: false, reason: "invalid", formError: "That email and password do not match an account. Check them and try again.", fieldErrors: {} };

describe("verifyLogin", () => {
  it("signs in with the right password, whatever the email's case", async () => {
    const user = await makeUser("ann@centurion.test");
    const result = await verifyLogin(await forkEm(), { email: " ANN@centurion.test", password: PASSWORD, ipAddress: "10.0.0.1" });
    expect(result).toEqual({ ok: true, user: { id: user.id, email: "ann@centurion.test", name: user.name, role: "CLIENT" } });
  });

  it("refuses a wrong password and an unknown email alike, and records both", async () => {
    await makeUser("bob@centurion.test");
    const em = await forkEm();
    expect(await verifyLogin(em, { email: "bob@centurion.test", password: "nope", ipAddress: "10.0.0.2" })).toEqual(NO_MATCH);
    expect(await verifyLogin(em, { email: "nobody@centurion.test", password: "nope", ipAddress: "10.0.0.2" })).toEqual(NO_MATCH);
    expect(await em.count(LoginAttempt, { ipAddress: "10.0.0.2", succeeded: false })).toBe(2);
  });

  const wrong = async (email: string, ipAddress: string, now?: Date) => verifyLogin(await forkEm(), { email, password: "wrong-guess", ipAddress }, now);
  const right = async (email: string, ipAddress: string, now?: Date) => verifyLogin(await forkEm(), { email, password: PASSWORD, ipAddress }, now);
  const THROTTLED = { ok: false, reason: "throttled", formError: expect.stringMatching(/^Too many /), fieldErrors: {}, retryAfterSeconds: expect.any(Number) };

  it("after five failures from one address, makes that address wait even with the right password, while the owner signs in from another", async () => {
    await makeUser("carol@centurion.test");
    for (let i = 0; i < THROTTLE.freeFailures; i++) expect(await wrong("carol@centurion.test", "10.1.0.1")).toEqual(NO_MATCH);
    const held = await right("carol@centurion.test", "10.1.0.1");
    expect(held).toEqual(THROTTLED);
    expect(held).toMatchObject({ formError: expect.stringContaining("Try again in 1 minute"), retryAfterSeconds: 60 });
    // The attacker's failures lock nobody else out: the owner, at home, signs in.
    expect((await right("carol@centurion.test", "10.1.0.2")).ok).toBe(true);
  });

  it("makes the wait grow with each further failure, and lets the address try again once it is over", async () => {
    await makeUser("dan@centurion.test");
    const start = Date.now() - 60 * 60_000;
    const at = (seconds: number) => new Date(start + seconds * 1000);
    for (let i = 0; i < 5; i++) await wrong("dan@centurion.test", "10.2.0.1", at(0));
    expect(await right("dan@centurion.test", "10.2.0.1", at(59))).toMatchObject({ reason: "throttled", retryAfterSeconds: 1 });
    // The sixth failure, once the minute is over: now two minutes.
    expect(await wrong("dan@centurion.test", "10.2.0.1", at(60))).toEqual(NO_MATCH);
    expect(await right("dan@centurion.test", "10.2.0.1", at(179))).toMatchObject({ reason: "throttled", formError: expect.stringContaining("1 minute") });
    expect(await wrong("dan@centurion.test", "10.2.0.1", at(180))).toEqual(NO_MATCH);
    expect(await right("dan@centurion.test", "10.2.0.1", at(181))).toMatchObject({ reason: "throttled", retryAfterSeconds: 239 });
    expect((await right("dan@centurion.test", "10.2.0.1", at(420))).ok).toBe(true);
  });

  it("starts afresh after a success from that address", async () => {
    await makeUser("dot@centurion.test");
    for (let i = 0; i < 4; i++) await wrong("dot@centurion.test", "10.2.0.2");
    expect((await right("dot@centurion.test", "10.2.0.2")).ok).toBe(true);
    for (let i = 0; i < 4; i++) expect(await wrong("dot@centurion.test", "10.2.0.2")).toEqual(NO_MATCH);
    expect((await right("dot@centurion.test", "10.2.0.2")).ok).toBe(true);
  });

  it("lets only five of 500 wrong guesses sent at once from one address reach the password check", async () => {
    await makeUser("race@centurion.test");
    const results = await Promise.all(Array.from({ length: 500 }, () => wrong("race@centurion.test", "10.3.0.1")));
    expect(results.filter((r) => r.ok === false && r.reason === "invalid")).toHaveLength(THROTTLE.freeFailures);
    expect(results.filter((r) => r.ok === false && r.reason === "throttled")).toHaveLength(500 - THROTTLE.freeFailures);
    // Only the checks that ran are recorded.
    expect(await (await forkEm()).count(LoginAttempt, { email: "race@centurion.test" })).toBe(THROTTLE.freeFailures);
  });

  it(`lets at most ${THROTTLE.maxFailuresPerAccount} of 400 wrong guesses sent at once from 400 addresses reach one account's password check`, async () => {
    await makeUser("siege@centurion.test");
    const results = await Promise.all(Array.from({ length: 400 }, (_, i) => wrong("siege@centurion.test", `10.4.${i >> 8}.${i & 255}`)));
    expect(results.filter((r) => r.ok === false && r.reason === "invalid")).toHaveLength(THROTTLE.maxFailuresPerAccount);
    const refused = results.find((r) => r.ok === false && r.reason === "throttled");
    expect(refused).toMatchObject({ formError: expect.stringContaining("for this account from elsewhere") });
  });

  it("keeps letting an address the account signed in from lately try while the account is besieged from elsewhere", async () => {
    await makeUser("erin@centurion.test");
    const earlier = new Date(Date.now() - 7 * 24 * 60 * 60_000);
    expect((await right("erin@centurion.test", "192.0.2.77", earlier)).ok).toBe(true);
    const em = await forkEm();
    const now = new Date();
    await em.insertMany(
      LoginAttempt,
      Array.from({ length: THROTTLE.maxFailuresPerAccount }, (_, i) => ({
        email: "erin@centurion.test",
        ipAddress: `10.5.0.${i}`,
        succeeded: false,
        attemptedAt: now,
      })),
    );
    expect(await right("erin@centurion.test", "10.5.1.1")).toMatchObject({ reason: "throttled", formError: expect.stringContaining("from elsewhere") });
    expect((await right("erin@centurion.test", "192.0.2.77")).ok).toBe(true);
  });

  it("lets sixty different members sign in from one front-desk address within a minute", async () => {
    const emails = Array.from({ length: 60 }, (_, i) => `desk${i}@centurion.test`);
    const em = await forkEm();
    for (const email of emails) em.create(User, { email, name: email, role: "CLIENT", passwordHash });
    await em.flush();
    // A few typos at the desk must not lock anybody else out.
    for (const email of emails.slice(0, 5)) await verifyLogin(await forkEm(), { email, password: "typo", ipAddress: "192.0.2.10" });
    const results = await Promise.all(emails.map(async (email) => verifyLogin(await forkEm(), { email, password: PASSWORD, ipAddress: "192.0.2.10" })));
    expect(results.filter((r) => r.ok)).toHaveLength(60);
  });

  it("holds back an address that keeps failing across many accounts, and only that address", async () => {
    const em = await forkEm();
    const now = new Date();
    await em.insertMany(
      LoginAttempt,
      Array.from({ length: THROTTLE.maxFailuresPerAddress }, (_, i) => ({
        email: `spray${i}@x.test`,
        ipAddress: "198.51.100.7",
        succeeded: false,
        attemptedAt: now,
      })),
    );
    await makeUser("fred@centurion.test");
    expect(await right("fred@centurion.test", "198.51.100.7")).toEqual({ ...THROTTLED, formError: expect.stringContaining("from your network") });
    expect((await right("fred@centurion.test", "198.51.100.8")).ok).toBe(true);
  });

  it(`lets at most ${THROTTLE.maxFailuresPerAddress} of 130 wrong guesses sent at once from one address across accounts reach the password check`, async () => {
    const results = await Promise.all(Array.from({ length: 130 }, (_, i) => wrong(`spread${i}@x.test`, "198.51.100.9")));
    expect(results.filter((r) => r.ok === false && r.reason === "invalid")).toHaveLength(THROTTLE.maxFailuresPerAddress);
  });
});

describe("sign-in sessions", () => {
  it("finds the user behind a token and forgets it on sign-out", async () => {
    const user = await makeUser("fay@centurion.test", "COACH");
    const token = await createAuthSession(await forkEm(), { userId: user.id, userAgent: "test", ipAddress: "127.0.0.1" });
    expect(await findAuthSessionUser(await forkEm(), token)).toMatchObject({ id: user.id, role: "COACH" });
    await destroyAuthSession(await forkEm(), token);
    expect(await findAuthSessionUser(await forkEm(), token)).toBeNull();
  });

  it("stores only a hash of the token", async () => {
    const user = await makeUser("gus@centurion.test");
    const token = await createAuthSession(await forkEm(), { userId: user.id });
    const stored = await (await forkEm()).find(AuthSession, { user: user.id });
    expect(stored).toHaveLength(1);
    expect(stored[0].id).not.toContain(token);
  });

  it("ends a session that has been idle too long", async () => {
    const user = await makeUser("hal@centurion.test");
    const start = new Date(Date.now() - AUTH_SESSION_IDLE_MS - 60_000);
    const token = await createAuthSession(await forkEm(), { userId: user.id }, start);
    expect(await findAuthSessionUser(await forkEm(), token)).toBeNull();
    expect(await (await forkEm()).count(AuthSession, { user: user.id })).toBe(0);
  });

  it("ends a session at its absolute limit even if it is in use", async () => {
    const user = await makeUser("ivy@centurion.test");
    const start = new Date(Date.now() - AUTH_SESSION_ABSOLUTE_MS - 60_000);
    const token = await createAuthSession(await forkEm(), { userId: user.id }, start);
    await (await forkEm()).nativeUpdate(AuthSession, { user: user.id }, { lastSeenAt: new Date() });
    expect(await findAuthSessionUser(await forkEm(), token)).toBeNull();
  });

  it("purges expired sessions", async () => {
    const user = await makeUser("jon@centurion.test");
    await createAuthSession(await forkEm(), { userId: user.id }, new Date(Date.now() - AUTH_SESSION_ABSOLUTE_MS - 60_000));
    await purgeExpiredAuthData(await forkEm());
    expect(await (await forkEm()).count(AuthSession, { user: user.id })).toBe(0);
  });
});

describe("changePassword", () => {
  it("changes the password, keeps this device and signs out the others", async () => {
    const user = await makeUser("mia@centurion.test");
    const here = await createAuthSession(await forkEm(), { userId: user.id });
    const elsewhere = await createAuthSession(await forkEm(), { userId: user.id });
    expect(await changePassword(await forkEm(), { userId: user.id, currentPassword: "wrong", newPassword: "new-password-1", ipAddress: "10.9.9.8" })).toEqual({
      ok: false,
      fieldErrors: { currentPassword: ["That is not your current password."] },
    });
    const result = await changePassword(await forkEm(), {
      userId: user.id,
      currentPassword: PASSWORD,
      newPassword: "new-password-1",
      keepAuthToken: here,
      ipAddress: "10.9.9.8",
    });
    expect(result).toEqual({ ok: true });
    expect(await findAuthSessionUser(await forkEm(), here)).not.toBeNull();
    expect(await findAuthSessionUser(await forkEm(), elsewhere)).toBeNull();
    expect((await verifyLogin(await forkEm(), { email: "mia@centurion.test", password: "new-password-1", ipAddress: "10.9.9.9" })).ok).toBe(true);
  });

  it("throttles the current-password check: after five wrong ones even the right one waits, answered 429 with when to try again", async () => {
    const user = await makeUser("ned@centurion.test");
    const cookie = await signedInCookie(user);
    const post = (currentPassword: string) =>
      postForm(passwordAction, {
        path: "/account/password",
        cookie,
        fields: { currentPassword, newPassword: "a-new-password-9", confirmPassword: "a-new-password-9" },
      });
    for (let i = 0; i < THROTTLE.freeFailures; i++) {
      const refused = await post(`wrong-${i}`);
      expect(refused.status).toBe(400);
      expect((await refused.json()).fieldErrors).toEqual({ currentPassword: ["That is not your current password."] });
    }
    const held = await post(PASSWORD);
    expect(held.status).toBe(429);
    expect(held.headers.get("Retry-After")).toBe("60");
    expect((await held.json()).formError).toMatch(/^Too many attempts with the wrong password\. Try again in 1 minute/);
    // Nothing changed: the old password still signs in (from another address).
    expect((await verifyLogin(await forkEm(), { email: "ned@centurion.test", password: PASSWORD, ipAddress: "10.9.9.10" })).ok).toBe(true);
    // The wrong current passwords were guesses at the account like any other: sign-ins from that address wait too.
    expect(await verifyLogin(await forkEm(), { email: "ned@centurion.test", password: PASSWORD, ipAddress: "127.0.0.1" })).toMatchObject({
      reason: "throttled",
    });
  });

  it("refuses a common new password, or one built from the email, before it checks the current password", async () => {
    const user = await makeUser("olga.smith@centurion.test");
    const change = async (newPassword: string) =>
      changePassword(await forkEm(), { userId: user.id, currentPassword: "not-even-checked", newPassword, ipAddress: "10.9.9.11" });
    expect(await change("qwertyuiop")).toEqual({ ok: false, fieldErrors: { newPassword: [TOO_COMMON] } });
    expect(await change("olga.smith.1990")).toEqual({ ok: false, fieldErrors: { newPassword: [TOO_PERSONAL] } });
    // No attempt was spent on them.
    expect(await (await forkEm()).count(LoginAttempt, { email: "olga.smith@centurion.test" })).toBe(0);
  });
});
