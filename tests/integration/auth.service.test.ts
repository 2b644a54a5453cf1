import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuthSession, LoginAttempt, User } from "~/modules/auth/auth.entities.server";
import { AUTH_SESSION_ABSOLUTE_MS, AUTH_SESSION_IDLE_MS, THROTTLE } from "~/modules/auth/auth.rules";
import {
  changePassword,
  createAuthSession,
  destroyAuthSession,
  findAuthSessionUser,
  purgeExpiredAuthData,
  registerClient,
  verifyLogin,
} from "~/modules/auth/auth.service.server";
import { hashPassword } from "~/modules/auth/password.server";
import { forkEm } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";

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

  it("locks an account after ten failures in fifteen minutes, even with the right password", async () => {
    await makeUser("carol@centurion.test");
    const em = await forkEm();
    for (let i = 0; i < THROTTLE.maxFailuresPerAccount; i++) {
      const result = await verifyLogin(em, { email: "carol@centurion.test", password: `guess-${i}`, ipAddress: `10.1.0.${i}` });
      expect(result).toEqual(NO_MATCH);
    }
    const locked = await verifyLogin(em, { email: "carol@centurion.test", password: PASSWORD, ipAddress: "10.1.1.1" });
    expect(locked).toEqual({ ok: false, reason: "throttled", formError: expect.stringContaining("for this account"), fieldErrors: {} });
  });

  it("keeps the account locked for fifteen minutes after the failures, then unlocks it", async () => {
    await makeUser("dan@centurion.test");
    const em = await forkEm();
    const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);
    for (let i = 0; i < 10; i++) await verifyLogin(em, { email: "dan@centurion.test", password: "wrong", ipAddress: "10.2.0.1" }, minutesAgo(16));
    expect((await verifyLogin(em, { email: "dan@centurion.test", password: PASSWORD, ipAddress: "10.2.0.1" })).ok).toBe(true);

    await makeUser("dot@centurion.test");
    for (let i = 0; i < 10; i++) await verifyLogin(em, { email: "dot@centurion.test", password: "wrong", ipAddress: "10.2.0.2" }, minutesAgo(14));
    expect(await verifyLogin(em, { email: "dot@centurion.test", password: PASSWORD, ipAddress: "10.2.0.2" })).toMatchObject({ ok: false, reason: "throttled" });
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

  it("blocks an address that keeps failing across many accounts", async () => {
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
    await makeUser("erin@centurion.test");
    const result = await verifyLogin(em, { email: "erin@centurion.test", password: PASSWORD, ipAddress: "198.51.100.7" });
    expect(result).toEqual({ ok: false, reason: "throttled", formError: expect.stringContaining("from this network"), fieldErrors: {} });
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

describe("registerClient and changePassword", () => {
  it("creates a client with a hashed password and refuses a second account for the email", async () => {
    const first = await registerClient(await forkEm(), { name: " Kim ", email: "Kim@Centurion.test", password: "a-long-password" });
    expect(first).toMatchObject({ ok: true, user: { email: "kim@centurion.test", name: "Kim", role: "CLIENT" } });
    const second = await registerClient(await forkEm(), { name: "Kim", email: "kim@centurion.test", password: "another-password" });
    expect(second).toEqual({ ok: false, fieldErrors: { email: ["An account with this email already exists. Sign in instead."] } });
    const user = await (await forkEm()).findOneOrFail(User, { email: "kim@centurion.test" }, { populate: ["passwordHash"] });
    expect(user.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("keeps one account when two sign-ups with one email race", async () => {
    const results = await Promise.all(
      [1, 2, 3].map(async () => registerClient(await forkEm(), { name: "Lee", email: "lee@centurion.test", password: "a-long-password" })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(await (await forkEm()).count(User, { email: "lee@centurion.test" })).toBe(1);
  });

  it("changes the password, keeps this device and signs out the others", async () => {
    const user = await makeUser("mia@centurion.test");
    const here = await createAuthSession(await forkEm(), { userId: user.id });
    const elsewhere = await createAuthSession(await forkEm(), { userId: user.id });
    expect(await changePassword(await forkEm(), { userId: user.id, currentPassword: "wrong", newPassword: "new-password-1" })).toEqual({
      ok: false,
      fieldErrors: { currentPassword: ["That is not your current password."] },
    });
    const result = await changePassword(await forkEm(), { userId: user.id, currentPassword: PASSWORD, newPassword: "new-password-1", keepAuthToken: here });
    expect(result).toEqual({ ok: true });
    expect(await findAuthSessionUser(await forkEm(), here)).not.toBeNull();
    expect(await findAuthSessionUser(await forkEm(), elsewhere)).toBeNull();
    expect((await verifyLogin(await forkEm(), { email: "mia@centurion.test", password: "new-password-1", ipAddress: "10.9.9.9" })).ok).toBe(true);
  });
});
