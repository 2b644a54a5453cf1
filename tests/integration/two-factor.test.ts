// Two-step sign-in (ADR 0026): setting up an authenticator, codes at sign-in (drift, reuse, throttling),
// recovery codes, the studio setting that requires it of coaches and admins, the staff rules for how long a
// sign-in lasts, and the password asked again before changing settings, plans or roles. Services and the
// routes' loaders and actions as Remix runs them, on a real PostgreSQL.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Secret, TOTP } from "otpauth";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AuthSession, User } from "~/modules/auth/auth.entities.server";
import { CODE_THROTTLE, RECOVERY_CODE_COUNT } from "~/modules/auth/two-factor.rules";
import { REAUTH_AFTER_MS, REAUTH_MAX_FAILURES, STAFF_SESSION_ABSOLUTE_MS, STAFF_SESSION_IDLE_MS } from "~/modules/auth/auth.rules";
import { createAuthSession, findAuthSessionUser, findAuthSessionUserAndSettings } from "~/modules/auth/auth.service.server";
import { getAuthCookie } from "~/modules/auth/auth-session.server";
import { createPasswordToken } from "~/modules/auth/password-tokens.service.server";
import { RecoveryCode, TwoFactor } from "~/modules/auth/two-factor.entities.server";
import {
  confirmEnrolment,
  disableTwoFactor,
  hasTwoFactor,
  regenerateRecoveryCodes,
  startEnrolment,
  twoFactorState,
  verifySecondFactor,
} from "~/modules/auth/two-factor.service.server";
import { withRequestContext } from "~/modules/db.server";
import { MembershipPlan } from "~/modules/memberships/memberships.entities.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { getSettings, updateSettings } from "~/modules/settings/settings.service.server";
import { SystemSettings } from "~/modules/settings/settings.entities.server";
import * as account from "~/routes/account.two-factor";
import * as adminHome from "~/routes/admin._index";
import * as people from "~/routes/admin.people.$userId";
import * as newPlan from "~/routes/admin.plans.new";
import * as settingsPage from "~/routes/admin.settings";
import * as clientHome from "~/routes/client._index";
import * as coachHome from "~/routes/coach._index";
import * as login from "~/routes/login";
import * as secondStep from "~/routes/login_.two-factor";
import * as resetPassword from "~/routes/reset-password.$token";
import { forkEm } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";
import { signedInCookie } from "../support/routes";

type Handler = (args: ActionFunctionArgs | LoaderFunctionArgs) => Promise<unknown>;

/** Runs a loader (no pairs) or an action (pairs: a form post) as Remix would; answers its Response. */
async function call(handler: Handler, path: string, init: { cookie?: string; pairs?: [string, string][]; params?: Record<string, string> } = {}) {
  const request = init.pairs
    ? new Request(`http://localhost${path}`, {
        method: "POST",
        headers: { ...(init.cookie ? { Cookie: init.cookie } : {}), "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams(init.pairs).toString(),
      })
    : new Request(`http://localhost${path}`, { headers: init.cookie ? { Cookie: init.cookie } : {} });
  return withRequestContext(async () => {
    try {
      const result = await handler({ request, params: init.params ?? {}, context: { cspNonce: "test", clientIp: "127.0.0.1" } });
      return result instanceof Response ? result : Response.json(result);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

/** The Cookie header a browser would send after `response` (its cookies, without attributes). */
function cookiesFrom(response: Response, previous = ""): string {
  const jar = new Map(
    previous
      .split("; ")
      .filter(Boolean)
      .map((pair) => [pair.split("=")[0], pair] as const),
  );
  for (const line of response.headers.getSetCookie()) {
    const pair = line.split(";")[0];
    const name = pair.split("=")[0];
    if (/max-age=0|expires=thu, 01 jan 1970/i.test(line)) jar.delete(name);
    else jar.set(name, pair);
  }
  return [...jar.values()].join("; ");
}

const codeAt = (secret: string, at: Date) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: at.getTime() });
/** Six digits that are no code of `secret` within a step of `at` (nor the step either side of those). */
function wrongCodeAt(secret: string, at: Date): string {
  const near = new Set([-2, -1, 0, 1, 2].map((steps) => codeAt(secret, new Date(at.getTime() + steps * 30_000))));
  return ["123456", "654321", "111111", "222222", "333333", "444444"].find((code) => !near.has(code))!;
}

/** A person with two-step sign-in on: their secret and recovery codes. */
async function withTwoFactor(role: "CLIENT" | "COACH" | "ADMIN" = "COACH", at = new Date(Date.now() - 60_000)) {
  const user = await createUser(await forkEm(), { role });
  expect((await startEnrolment(await forkEm(), user.id)).ok).toBe(true);
  const state = await twoFactorState(await forkEm(), user, "Centurion");
  if (state.status !== "pending") throw new Error(`expected a set-up in progress, got ${state.status}`);
  const confirmed = await confirmEnrolment(await forkEm(), user.id, codeAt(state.secret, at), at);
  if (!confirmed.ok) throw new Error(`confirming failed: ${JSON.stringify(confirmed)}`);
  return { user, secret: state.secret, recoveryCodes: confirmed.recoveryCodes };
}

afterEach(() => {
  vi.useRealTimers();
});

describe("setting up an authenticator", () => {
  it("gives a secret and an otpauth:// address, turns on only with a current code, and answers ten recovery codes once", async () => {
    const user = await createUser(await forkEm(), { role: "CLIENT" });
    expect(await twoFactorState(await forkEm(), user, "Centurion")).toEqual({ status: "off" });
    expect((await startEnrolment(await forkEm(), user.id)).ok).toBe(true);
    const state = await twoFactorState(await forkEm(), user, "Bangor Strength");
    if (state.status !== "pending") throw new Error("not pending");
    expect(state.secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(state.uri).toBe(
      `otpauth://totp/Bangor%20Strength:${encodeURIComponent(user.email)}?issuer=Bangor%20Strength&secret=${state.secret}&algorithm=SHA1&digits=6&period=30`,
    );
    expect(await hasTwoFactor(await forkEm(), user.id)).toBe(false);

    // The database holds the secret sealed, not as the app shows it.
    const [stored] = await (await forkEm()).getConnection().execute<{ secret: string }[]>(`select secret from two_factor where user_id = ?`, [user.id]);
    expect(stored.secret).not.toContain(state.secret);

    const now = new Date();
    const wrong = await confirmEnrolment(await forkEm(), user.id, wrongCodeAt(state.secret, now), now);
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { code: [expect.stringContaining("not right")] } });
    expect(await hasTwoFactor(await forkEm(), user.id)).toBe(false);

    const confirmed = await confirmEnrolment(await forkEm(), user.id, codeAt(state.secret, now), now);
    if (!confirmed.ok) throw new Error(JSON.stringify(confirmed));
    expect(confirmed.recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(confirmed.recoveryCodes).size).toBe(RECOVERY_CODE_COUNT);
    expect(await hasTwoFactor(await forkEm(), user.id)).toBe(true);
    expect(await twoFactorState(await forkEm(), user, "Centurion")).toMatchObject({ status: "on", recoveryCodesLeft: RECOVERY_CODE_COUNT });

    // Only salted hashes of the recovery codes are kept.
    const hashes = (await (await forkEm()).find(RecoveryCode, { user: user.id })).map((row) => row.codeHash);
    expect(hashes).toHaveLength(RECOVERY_CODE_COUNT);
    for (const code of confirmed.recoveryCodes) for (const hash of hashes) expect(hash).not.toContain(code.replace(/-/g, ""));

    // Starting again once it is on changes nothing.
    expect(await startEnrolment(await forkEm(), user.id)).toMatchObject({ ok: false });
  });

  it("accepts codes one step either side of now, and each step only once", async () => {
    const { user, secret } = await withTwoFactor("COACH", new Date(Date.now() - 10 * 60_000));
    const now = new Date();
    const step = 30_000;
    const check = async (at: Date) => (await verifySecondFactor(await forkEm(), user.id, codeAt(secret, at), now)).ok;
    expect(await check(new Date(now.getTime() - 2 * step))).toBe(false);
    expect(await check(new Date(now.getTime() - step))).toBe(true);
    expect(await check(now)).toBe(true);
    expect(await check(now)).toBe(false); // the same code again
    expect(await check(new Date(now.getTime() - step))).toBe(false); // an earlier step, after a later one
    expect(await check(new Date(now.getTime() + 2 * step))).toBe(false);
    expect(await check(new Date(now.getTime() + step))).toBe(true);
  });

  it("lets each recovery code sign in once, and new codes replace the old ones", async () => {
    const { user, recoveryCodes } = await withTwoFactor("ADMIN");
    const first = await verifySecondFactor(await forkEm(), user.id, recoveryCodes[0].toLowerCase());
    expect(first).toEqual({ ok: true, method: "recovery", recoveryCodesLeft: RECOVERY_CODE_COUNT - 1 });
    expect((await verifySecondFactor(await forkEm(), user.id, recoveryCodes[0])).ok).toBe(false);
    expect((await verifySecondFactor(await forkEm(), user.id, "ZZZZ-ZZZZ-ZZZZ")).ok).toBe(false);

    const renewed = await regenerateRecoveryCodes(await forkEm(), user.id);
    if (!renewed.ok) throw new Error("no new codes");
    expect(renewed.recoveryCodes.some((code) => recoveryCodes.includes(code))).toBe(false);
    expect((await verifySecondFactor(await forkEm(), user.id, recoveryCodes[1])).ok).toBe(false);
    expect(await verifySecondFactor(await forkEm(), user.id, renewed.recoveryCodes[3])).toMatchObject({ ok: true, recoveryCodesLeft: RECOVERY_CODE_COUNT - 1 });
  });

  it(`refuses every code after ${CODE_THROTTLE.maxFailures} wrong ones, counting simultaneous guesses one by one`, async () => {
    const { user, secret } = await withTwoFactor("COACH");
    const now = new Date();
    const right = codeAt(secret, now);
    const wrong = wrongCodeAt(secret, now);
    const results = await Promise.all(Array.from({ length: 12 }, async () => verifySecondFactor(await forkEm(), user.id, wrong, now)));
    expect(results.filter((r) => !r.ok && r.reason === "invalid")).toHaveLength(CODE_THROTTLE.maxFailures);
    expect(results.filter((r) => !r.ok && r.reason === "throttled")).toHaveLength(12 - CODE_THROTTLE.maxFailures);
    expect(await (await forkEm()).findOneOrFail(TwoFactor, { user: user.id })).toMatchObject({ failedCodes: CODE_THROTTLE.maxFailures });

    expect(await verifySecondFactor(await forkEm(), user.id, right, now)).toMatchObject({ ok: false, reason: "throttled" });
    const later = new Date(now.getTime() + CODE_THROTTLE.windowMs);
    expect((await verifySecondFactor(await forkEm(), user.id, codeAt(secret, later), later)).ok).toBe(true);
  });

  it("turns off only with a right code, and forgets the secret and the recovery codes", async () => {
    const { user, secret } = await withTwoFactor("CLIENT");
    expect((await disableTwoFactor(await forkEm(), user.id, "ABCD-EFGH-JKMN")).ok).toBe(false);
    expect(await hasTwoFactor(await forkEm(), user.id)).toBe(true);
    expect((await disableTwoFactor(await forkEm(), user.id, codeAt(secret, new Date()))).ok).toBe(true);
    expect(await hasTwoFactor(await forkEm(), user.id)).toBe(false);
    const em = await forkEm();
    expect(await em.count(TwoFactor, { user: user.id })).toBe(0);
    expect(await em.count(RecoveryCode, { user: user.id })).toBe(0);
  });
});

describe("the account page", () => {
  it("sets up, confirms and shows the recovery codes through its forms, then asks for the password to make new ones or to turn off", async () => {
    const user = await createUser(await forkEm(), { role: "CLIENT" });
    const cookie = await signedInCookie(user);
    expect(await (await call(account.loader, "/account/two-factor", { cookie })).json()).toMatchObject({ state: { status: "off" } });

    const started = await call(account.action, "/account/two-factor", { cookie, pairs: [["intent", "start"]] });
    expect(started.status).toBe(303);
    const page = await (await call(account.loader, "/account/two-factor", { cookie })).json();
    expect(page.state).toMatchObject({ status: "pending", uri: expect.stringMatching(/^otpauth:\/\/totp\//) });
    expect(page.state.qr).toMatch(/^<svg [^>]*viewBox/);

    const turnedOn = await call(account.action, "/account/two-factor", {
      cookie,
      pairs: [
        ["intent", "confirm"],
        ["code", codeAt(page.state.secret, new Date())],
      ],
    });
    expect(turnedOn.status).toBe(200);
    expect(turnedOn.headers.get("Cache-Control")).toBe("no-store");
    const { recoveryCodes } = await turnedOn.json();
    expect(recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);
    // Shown once: the page itself never shows them again.
    expect(JSON.stringify(await (await call(account.loader, "/account/two-factor", { cookie })).json())).not.toContain(recoveryCodes[0]);

    const badPassword = await call(account.action, "/account/two-factor", {
      cookie,
      pairs: [
        ["intent", "regenerate"],
        ["password", "not-my-password"],
      ],
    });
    expect(badPassword.status).toBe(400);
    expect(await badPassword.json()).toMatchObject({ intent: "regenerate", fieldErrors: { password: ["That is not your password."] } });
    const regenerated = await call(account.action, "/account/two-factor", {
      cookie,
      pairs: [
        ["intent", "regenerate"],
        ["password", TEST_PASSWORD],
      ],
    });
    expect((await regenerated.json()).recoveryCodes).toHaveLength(RECOVERY_CODE_COUNT);

    // The first recovery codes were replaced by the new ones.
    const oldCode = await call(account.action, "/account/two-factor", {
      cookie,
      pairs: [
        ["intent", "disable"],
        ["password", TEST_PASSWORD],
        ["code", recoveryCodes[0]],
      ],
    });
    expect(oldCode.status).toBe(400);
    expect(await hasTwoFactor(await forkEm(), user.id)).toBe(true);
    const off = await call(account.action, "/account/two-factor", {
      cookie,
      pairs: [
        ["intent", "disable"],
        ["password", TEST_PASSWORD],
        ["code", codeAt(page.state.secret, new Date(Date.now() + 30_000))],
      ],
    });
    expect(off.status).toBe(303);
    expect(await hasTwoFactor(await forkEm(), user.id)).toBe(false);
  });

  it("answers 400, not 500, to a post it never makes", async () => {
    const cookie = await signedInCookie(await createUser(await forkEm()));
    for (const pairs of [[["intent", "toString"]], [["intent", "confirm"]], []] as [string, string][][]) {
      expect((await call(account.action, "/account/two-factor", { cookie, pairs })).status).toBe(400);
    }
  });
});

describe("signing in with a second factor", () => {
  const loginPost = (email: string, password = TEST_PASSWORD, redirectTo = "") =>
    call(login.action, "/login", {
      pairs: [
        ["email", email],
        ["password", password],
        ["redirectTo", redirectTo],
      ],
    });
  const sessionsOf = async (user: { id: number }) => (await forkEm()).count(AuthSession, { user: user.id });

  it("asks for a code after the right password and signs in only with it, going where the form asked", async () => {
    const { user, secret } = await withTwoFactor("COACH");
    const password = await loginPost(user.email, TEST_PASSWORD, "/coach/sessions");
    expect(password.status).toBe(303);
    expect(password.headers.get("Location")).toBe("/login/two-factor");
    const pending = cookiesFrom(password);
    expect(pending).toMatch(/centurion_2fa=/);
    expect(pending).not.toMatch(/centurion_auth=/);
    expect(await sessionsOf(user)).toBe(0);

    expect((await call(secondStep.loader, "/login/two-factor", { cookie: pending })).status).toBe(200);
    const wrong = await call(secondStep.action, "/login/two-factor", { cookie: pending, pairs: [["code", "ABCD-EFGH-JKMN"]] });
    expect(wrong.status).toBe(400);
    expect(await sessionsOf(user)).toBe(0);

    const signedIn = await call(secondStep.action, "/login/two-factor", { cookie: pending, pairs: [["code", codeAt(secret, new Date())]] });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("Location")).toBe("/coach/sessions");
    const cookie = cookiesFrom(signedIn, pending);
    expect(cookie).not.toMatch(/centurion_2fa=/);
    const token = await getAuthCookie().parse(cookie);
    expect(await findAuthSessionUser(await forkEm(), token)).toMatchObject({ id: user.id, twoFactor: true });
  });

  it("signs in with a recovery code, saying how many are left", async () => {
    const { user, recoveryCodes } = await withTwoFactor("ADMIN");
    const pending = cookiesFrom(await loginPost(user.email));
    const signedIn = await call(secondStep.action, "/login/two-factor", { cookie: pending, pairs: [["code", recoveryCodes[4]]] });
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get("Location")).toBe("/admin");
    expect(await sessionsOf(user)).toBe(1);
  });

  it("does not ask a client or coach without two-step sign-in for a code", async () => {
    const client = await createUser(await forkEm(), { role: "CLIENT" });
    const response = await loginPost(client.email);
    expect(response.headers.get("Location")).toBe("/client");
    expect(cookiesFrom(response)).toMatch(/centurion_auth=/);
  });

  it("refuses the code step without the password step, after 10 minutes, or with a wrong password first", async () => {
    const { user, secret } = await withTwoFactor("COACH");
    const alone = await call(secondStep.action, "/login/two-factor", { pairs: [["code", codeAt(secret, new Date())]] });
    expect(alone.status).toBe(303);
    expect(alone.headers.get("Location")).toBe("/login");
    expect((await call(secondStep.loader, "/login/two-factor")).headers.get("Location")).toBe("/login");

    const wrongPassword = await loginPost(user.email, "not-the-password");
    expect(wrongPassword.status).toBe(400);
    expect(cookiesFrom(wrongPassword)).not.toMatch(/centurion_2fa=/);

    const pending = cookiesFrom(await loginPost(user.email));
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    const late = await call(secondStep.action, "/login/two-factor", { cookie: pending, pairs: [["code", codeAt(secret, new Date())]] });
    expect(late.headers.get("Location")).toBe("/login");
    expect(await sessionsOf(user)).toBe(0);
  });

  it("asks for the code after a password reset link too: the link proves the inbox, not the phone", async () => {
    const { user, secret } = await withTwoFactor("ADMIN");
    const { token } = await createPasswordToken(await forkEm(), { userId: user.id, purpose: "RESET" });
    const reset = await call(resetPassword.action, `/reset-password/${token}`, {
      params: { token },
      pairs: [
        ["password", "a-brand-new-password"],
        ["confirmPassword", "a-brand-new-password"],
      ],
    });
    expect(reset.status).toBe(303);
    expect(reset.headers.get("Location")).toBe("/login/two-factor");
    const pending = cookiesFrom(reset);
    expect(pending).toMatch(/centurion_2fa=/);
    expect(pending).not.toMatch(/centurion_auth=/);
    expect(await sessionsOf(user)).toBe(0);
    const signedIn = await call(secondStep.action, "/login/two-factor", { cookie: pending, pairs: [["code", codeAt(secret, new Date())]] });
    expect(signedIn.headers.get("Location")).toBe("/admin");
    expect(await sessionsOf(user)).toBe(1);
  });

  it("throttles code guesses at sign-in with 429", async () => {
    const { user, secret } = await withTwoFactor("COACH");
    const pending = cookiesFrom(await loginPost(user.email));
    const right = codeAt(secret, new Date());
    const wrong = wrongCodeAt(secret, new Date());
    for (let i = 0; i < CODE_THROTTLE.maxFailures; i++) {
      expect((await call(secondStep.action, "/login/two-factor", { cookie: pending, pairs: [["code", wrong]] })).status).toBe(400);
    }
    const throttled = await call(secondStep.action, "/login/two-factor", { cookie: pending, pairs: [["code", right]] });
    expect(throttled.status).toBe(429);
    expect(await sessionsOf(user)).toBe(0);
  });
});

describe("the studio setting that requires it of coaches and admins", () => {
  it("is on in a studio with nothing stored", async () => {
    const em = await forkEm();
    await em.nativeDelete(SystemSettings, { key: "staffTwoFactorRequired" });
    try {
      expect((await getSettings(await forkEm())).staffTwoFactorRequired).toBe(true);
    } finally {
      await updateSettings(await forkEm(), { staffTwoFactorRequired: false });
    }
  });

  it("sends a coach or admin without a second factor to set it up before any other page, and leaves clients alone", async () => {
    await updateSettings(await forkEm(), { staffTwoFactorRequired: true });
    try {
      const coach = await createUser(await forkEm(), { role: "COACH" });
      const admin = await createUser(await forkEm(), { role: "ADMIN" });
      const client = await createUser(await forkEm(), { role: "CLIENT" });
      const coachCookie = await signedInCookie(coach);
      const home = await call(coachHome.loader, "/coach", { cookie: coachCookie });
      expect(home.status).toBe(303);
      expect(home.headers.get("Location")).toBe("/account/two-factor");
      const adminPost = await call(settingsPage.action, "/admin/settings", { cookie: await signedInCookie(admin), pairs: [["studioName", "Taken Over"]] });
      expect(adminPost.headers.get("Location")).toBe("/account/two-factor");
      expect((await getSettings(await forkEm())).studioName).not.toBe("Taken Over");
      expect((await call(clientHome.loader, "/client", { cookie: await signedInCookie(client) })).status).toBe(200);

      // The set-up page is open to them and says why (the layout hides the navigation: mustEnrolSecondFactor).
      const page = await (await call(account.loader, "/account/two-factor", { cookie: coachCookie })).json();
      expect(page).toMatchObject({ mustSetUp: true, requiredForRole: true });

      // Setting it up through the page opens the rest.
      await call(account.action, "/account/two-factor", { cookie: coachCookie, pairs: [["intent", "start"]] });
      const { state } = await (await call(account.loader, "/account/two-factor", { cookie: coachCookie })).json();
      const on = await call(account.action, "/account/two-factor", {
        cookie: coachCookie,
        pairs: [
          ["intent", "confirm"],
          ["code", codeAt(state.secret, new Date())],
        ],
      });
      expect(on.status).toBe(200);
      expect((await call(coachHome.loader, "/coach", { cookie: coachCookie })).status).toBe(200);

      // With the setting off, staff without a second factor go anywhere.
      await updateSettings(await forkEm(), { staffTwoFactorRequired: false });
      expect((await call(adminHome.loader, "/admin", { cookie: await signedInCookie(admin) })).status).toBe(200);
    } finally {
      await updateSettings(await forkEm(), { staffTwoFactorRequired: false });
    }
  });

  it("is saved from /admin/settings", async () => {
    const admin = await createUser(await forkEm(), { role: "ADMIN" });
    const settings = await getSettings(await forkEm());
    const pairs: [string, string][] = [
      ["studioName", settings.studioName],
      ["studioTimeZone", settings.studioTimeZone],
      ["currency", settings.currency],
      ["defaultLateCancelCutoffHours", String(settings.defaultLateCancelCutoffHours)],
      ["bookingOpensDaysBefore", String(settings.bookingOpensDaysBefore)],
      ["bookingClosesMinutesBefore", String(settings.bookingClosesMinutesBefore)],
      ["attendanceEditDays", String(settings.attendanceEditDays)],
      ["paymentGraceDays", String(settings.paymentGraceDays)],
      ["maxPaymentFailures", String(settings.maxPaymentFailures)],
      ["questionnaireOpensDaysBeforeWeekEnd", String(settings.questionnaireOpensDaysBeforeWeekEnd)],
      ["questionnaireClosesDaysAfterWeekEnd", String(settings.questionnaireClosesDaysAfterWeekEnd)],
      ["sessionsEnabled", "on"],
      ["cohortsEnabled", "on"],
    ];
    const cookie = await signedInCookie(admin);
    try {
      const saved = await call(settingsPage.action, "/admin/settings", { cookie, pairs: [...pairs, ["staffTwoFactorRequired", "on"]] });
      expect(saved.status).toBe(303);
      expect((await getSettings(await forkEm())).staffTwoFactorRequired).toBe(true);
    } finally {
      await updateSettings(await forkEm(), { staffTwoFactorRequired: false });
    }
  });
});

describe("an admin's reset of someone's two-step sign-in", () => {
  const resetPost = (cookie: string, userId: number) =>
    call(people.action, `/admin/people/${userId}`, { cookie, params: { userId: String(userId) }, pairs: [["intent", "reset-two-factor"]] });
  const personPage = async (cookie: string, userId: number) =>
    (await (await call(people.loader, `/admin/people/${userId}`, { cookie, params: { userId: String(userId) } })).json()) as { person: { twoFactor: boolean } };

  it("forgets a coach's authenticator and recovery codes, signs them out everywhere and emails them; their password then signs them in, and they set it up again", async () => {
    await updateSettings(await forkEm(), { staffTwoFactorRequired: true });
    try {
      const { user: coach, secret, recoveryCodes } = await withTwoFactor("COACH");
      const oldCookie = await signedInCookie(coach);
      const admin = await withTwoFactor("ADMIN");
      const adminCookie = await signedInCookie(admin.user);
      expect((await personPage(adminCookie, coach.id)).person.twoFactor).toBe(true);

      const reset = await resetPost(adminCookie, coach.id);
      expect(reset.status).toBe(303);
      expect(reset.headers.get("Location")).toBe(`/admin/people/${coach.id}`);

      const em = await forkEm();
      expect(await em.count(TwoFactor, { user: coach.id })).toBe(0);
      expect(await em.count(RecoveryCode, { user: coach.id })).toBe(0);
      expect(await em.count(AuthSession, { user: coach.id })).toBe(0);
      expect(await findAuthSessionUser(em, await getAuthCookie().parse(oldCookie))).toBeNull();
      const [mail] = await em.find(Notification, { user: coach.id, kind: "ACCOUNT_SECURITY" });
      expect(mail.subject).toMatch(/two-step sign-in .* was reset/);
      expect(mail.body).toContain(`${admin.user.name} has reset two-step sign-in`);
      // The admin's own second factor is untouched, and the old codes open nothing.
      expect(await em.count(TwoFactor, { user: admin.user.id })).toBe(1);
      expect(await verifySecondFactor(await forkEm(), coach.id, recoveryCodes[0])).toMatchObject({ ok: false });
      expect(await verifySecondFactor(await forkEm(), coach.id, codeAt(secret, new Date()))).toMatchObject({ ok: false });

      // The password alone signs them in, and the studio's setting sends them to set up a new authenticator.
      const signIn = await call(login.action, "/login", {
        pairs: [
          ["email", coach.email],
          ["password", TEST_PASSWORD],
          ["redirectTo", ""],
        ],
      });
      expect(signIn.status).toBe(303);
      expect(signIn.headers.get("Location")).not.toBe("/login/two-factor");
      const home = await call(coachHome.loader, "/coach", { cookie: cookiesFrom(signIn) });
      expect(home.headers.get("Location")).toBe("/account/two-factor");

      expect((await personPage(adminCookie, coach.id)).person.twoFactor).toBe(false);
      const again = await resetPost(adminCookie, coach.id);
      expect(again.status).toBe(400);
      expect((await again.json()).formError).toBe("Two-step sign-in is not on for this account.");
    } finally {
      await updateSettings(await forkEm(), { staffTwoFactorRequired: false });
    }
  });

  it("refuses an admin's own (400: that is the Security page's, with a code), an unknown person (404) and a coach (403)", async () => {
    const { user: admin } = await withTwoFactor("ADMIN");
    const adminCookie = await signedInCookie(admin);
    const own = await resetPost(adminCookie, admin.id);
    expect(own.status).toBe(400);
    expect((await own.json()).formError).toMatch(/^Your own two-step sign-in is on your Security page/);
    expect(await (await forkEm()).count(TwoFactor, { user: admin.id })).toBe(1);
    expect((await resetPost(adminCookie, 2_000_000_000)).status).toBe(404);

    const { user: other } = await withTwoFactor("CLIENT");
    const coachCookie = await signedInCookie(await createUser(await forkEm(), { role: "COACH" }));
    expect((await resetPost(coachCookie, other.id)).status).toBe(403);
    expect(await (await forkEm()).count(TwoFactor, { user: other.id })).toBe(1);
  });
});

describe("how long a sign-in lasts", () => {
  const ago = (ms: number) => new Date(Date.now() - ms);

  it.each(["COACH", "ADMIN"] as const)("ends a %s's sign-in after 30 idle minutes, where a client's goes on (both lookups)", async (role) => {
    const staff = await createUser(await forkEm(), { role });
    const client = await createUser(await forkEm(), { role: "CLIENT" });
    const start = ago(STAFF_SESSION_IDLE_MS + 60_000);
    const staffToken = await createAuthSession(await forkEm(), { userId: staff.id, role }, start);
    const clientToken = await createAuthSession(await forkEm(), { userId: client.id }, start);
    expect((await findAuthSessionUserAndSettings(await forkEm(), staffToken)).user).toBeNull();
    expect(await findAuthSessionUser(await forkEm(), staffToken)).toBeNull();
    expect(await (await forkEm()).count(AuthSession, { user: staff.id })).toBe(0);
    expect((await findAuthSessionUserAndSettings(await forkEm(), clientToken)).user).toMatchObject({ id: client.id });
    expect(await findAuthSessionUser(await forkEm(), clientToken)).toMatchObject({ id: client.id });
  });

  it("ends a coach's sign-in 12 hours after it began however busy, and holds a client made coach to the staff limits", async () => {
    const coach = await createUser(await forkEm(), { role: "COACH" });
    const busyToken = await createAuthSession(await forkEm(), { userId: coach.id, role: "COACH" }, ago(STAFF_SESSION_ABSOLUTE_MS + 60_000));
    await (await forkEm()).nativeUpdate(AuthSession, { user: coach.id }, { lastSeenAt: new Date() });
    expect(await findAuthSessionUser(await forkEm(), busyToken)).toBeNull();

    const promoted = await createUser(await forkEm(), { role: "CLIENT" });
    const token = await createAuthSession(await forkEm(), { userId: promoted.id }, ago(STAFF_SESSION_IDLE_MS + 60_000));
    await (await forkEm()).nativeUpdate(User, { id: promoted.id }, { role: "COACH" });
    expect(await findAuthSessionUser(await forkEm(), token)).toBeNull();
  });

  it("keeps a coach's sign-in in use within the limits", async () => {
    const coach = await createUser(await forkEm(), { role: "COACH" });
    const token = await createAuthSession(await forkEm(), { userId: coach.id, role: "COACH" }, ago(STAFF_SESSION_IDLE_MS - 60_000));
    expect(await findAuthSessionUser(await forkEm(), token)).toMatchObject({ id: coach.id, role: "COACH" });
  });
});

describe("the password asked again before changing settings, plans or roles", () => {
  /** An admin's sign-in whose password was typed 16 minutes ago. */
  async function staleAdmin() {
    const admin = await createUser(await forkEm(), { role: "ADMIN" });
    const cookie = await signedInCookie(admin);
    await (await forkEm()).nativeUpdate(AuthSession, { user: admin.id }, { passwordConfirmedAt: new Date(Date.now() - REAUTH_AFTER_MS - 60_000) });
    return { admin, cookie };
  }

  type Confirm = { confirmPassword: { action: string; fields: [string, string][]; error?: string } };

  it("asks on /admin/settings, keeps what was sent, and saves it once the password is right", async () => {
    const { cookie } = await staleAdmin();
    const before = await getSettings(await forkEm());
    const pairs: [string, string][] = [
      ["studioName", "Renamed After Confirming"],
      ["studioTimeZone", before.studioTimeZone],
      ["currency", before.currency],
      ["defaultLateCancelCutoffHours", "3"],
      ["bookingOpensDaysBefore", String(before.bookingOpensDaysBefore)],
      ["bookingClosesMinutesBefore", String(before.bookingClosesMinutesBefore)],
      ["attendanceEditDays", String(before.attendanceEditDays)],
      ["paymentGraceDays", String(before.paymentGraceDays)],
      ["maxPaymentFailures", String(before.maxPaymentFailures)],
      ["questionnaireOpensDaysBeforeWeekEnd", String(before.questionnaireOpensDaysBeforeWeekEnd)],
      ["questionnaireClosesDaysAfterWeekEnd", String(before.questionnaireClosesDaysAfterWeekEnd)],
      ["sessionsEnabled", "on"],
      ["cohortsEnabled", "on"],
    ];
    const asked = await call(settingsPage.action, "/admin/settings?index", { cookie, pairs });
    expect(asked.status).toBe(401);
    const { confirmPassword } = (await asked.json()) as Confirm;
    expect(confirmPassword).toEqual({ action: "/admin/settings?index=", fields: pairs });
    expect((await getSettings(await forkEm())).studioName).toBe(before.studioName);

    const wrong = await call(settingsPage.action, "/admin/settings", { cookie, pairs: [...confirmPassword.fields, ["reauthPassword", "not-my-password"]] });
    expect(wrong.status).toBe(401);
    expect(((await wrong.json()) as Confirm).confirmPassword).toMatchObject({ fields: pairs, error: expect.stringContaining("not your password") });
    expect((await getSettings(await forkEm())).studioName).toBe(before.studioName);

    try {
      const saved = await call(settingsPage.action, "/admin/settings", { cookie, pairs: [...confirmPassword.fields, ["reauthPassword", TEST_PASSWORD]] });
      expect(saved.status).toBe(303);
      expect(await getSettings(await forkEm())).toMatchObject({ studioName: "Renamed After Confirming", defaultLateCancelCutoffHours: 3 });
      // Confirmed for the next 15 minutes: the next change goes straight through.
      const again = await call(settingsPage.action, "/admin/settings", { cookie, pairs });
      expect(again.status).toBe(303);
    } finally {
      await updateSettings(await forkEm(), { studioName: before.studioName, defaultLateCancelCutoffHours: before.defaultLateCancelCutoffHours });
    }
  });

  it("asks before a new plan and before a role change, and changes nothing until then", async () => {
    const { cookie } = await staleAdmin();
    const plansBefore = await (await forkEm()).count(MembershipPlan);
    const plan = await call(newPlan.action, "/admin/plans/new", {
      cookie,
      pairs: [
        ["intent", "create"],
        ["name", "Confirmed Plan"],
      ],
    });
    expect(plan.status).toBe(401);
    expect(await (await forkEm()).count(MembershipPlan)).toBe(plansBefore);

    const client = await createUser(await forkEm(), { role: "CLIENT" });
    const params = { userId: String(client.id) };
    const role = await call(people.action, `/admin/people/${client.id}`, {
      cookie,
      params,
      pairs: [
        ["intent", "role"],
        ["role", "ADMIN"],
      ],
    });
    expect(role.status).toBe(401);
    expect((await (await forkEm()).findOneOrFail(User, client.id)).role).toBe("CLIENT");
    const { confirmPassword } = (await role.json()) as Confirm;
    const done = await call(people.action, `/admin/people/${client.id}`, {
      cookie,
      params,
      pairs: [...confirmPassword.fields, ["reauthPassword", TEST_PASSWORD]],
    });
    expect(done.status).toBe(303);
    expect((await (await forkEm()).findOneOrFail(User, client.id)).role).toBe("ADMIN");
  });

  it("does not ask within 15 minutes of signing in", async () => {
    const admin = await createUser(await forkEm(), { role: "ADMIN" });
    const client = await createUser(await forkEm(), { role: "CLIENT" });
    const response = await call(people.action, `/admin/people/${client.id}`, {
      cookie: await signedInCookie(admin),
      params: { userId: String(client.id) },
      pairs: [
        ["intent", "role"],
        ["role", "COACH"],
      ],
    });
    expect(response.status).toBe(303);
    expect((await (await forkEm()).findOneOrFail(User, client.id)).role).toBe("COACH");
  });

  it(`ends the sign-in after ${REAUTH_MAX_FAILURES} wrong passwords, however many are sent at once`, async () => {
    const { admin, cookie } = await staleAdmin();
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        call(settingsPage.action, "/admin/settings", {
          cookie,
          pairs: [
            ["studioName", "X"],
            ["reauthPassword", "wrong-password"],
          ],
        }),
      ),
    );
    expect(attempts.filter((r) => r.status === 401).length).toBeLessThanOrEqual(REAUTH_MAX_FAILURES - 1);
    expect(await (await forkEm()).count(AuthSession, { user: admin.id })).toBe(0);
    const after = await call(settingsPage.action, "/admin/settings", {
      cookie,
      pairs: [
        ["studioName", "X"],
        ["reauthPassword", TEST_PASSWORD],
      ],
    });
    expect(after.status).toBe(303);
    expect(after.headers.get("Location")).toMatch(/^\/login/);
    expect((await getSettings(await forkEm())).studioName).not.toBe("X");
  });
});
