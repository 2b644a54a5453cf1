// /admin/people in-process: inviting a coach or admin (the link sets the password and signs them in),
// changing roles (never the last admin, never your own admin role), deactivating (no sign-in, sessions
// end, classes not started given back with the waitlist moving up, history kept) and reactivating.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import { AuthSession, PasswordToken, User, type IUser } from "~/modules/auth/auth.entities.server";
import { INVITE_LINK_MS } from "~/modules/auth/auth.rules";
import { findAuthSessionUser, verifyLogin } from "~/modules/auth/auth.service.server";
import { getAuthCookie } from "~/modules/auth/auth-session.server";
import { hashPasswordToken, requestPasswordReset } from "~/modules/auth/password-tokens.service.server";
import { changeRole } from "~/modules/auth/people.service.server";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { withRequestContext } from "~/modules/db.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import { Notification } from "~/modules/notifications/notifications.entities.server";
import { action as peopleAction, loader as peopleLoader } from "~/routes/admin.people._index";
import { action as personAction, loader as personLoader } from "~/routes/admin.people.$userId";
import { action as resetAction, loader as resetLoader } from "~/routes/reset-password.$token";
import { forkEm } from "../support/db";
import { createMember, createPlan, createMembership, createRegistration, createSession, createUser, TEST_PASSWORD, uniqueName } from "../support/factories";
import { signedInCookie } from "../support/routes";

type Handler = (args: ActionFunctionArgs & LoaderFunctionArgs) => Promise<unknown>;

async function call(handler: Handler, options: { path: string; params?: Record<string, string>; fields?: Record<string, string>; cookie?: string }) {
  const request = new Request(`http://localhost${options.path}`, {
    method: options.fields ? "POST" : "GET",
    headers: { Cookie: options.cookie ?? "", ...(options.fields ? { "Content-Type": "application/x-www-form-urlencoded" } : {}) },
    body: options.fields ? new URLSearchParams(options.fields).toString() : undefined,
  });
  return withRequestContext(async () => {
    try {
      const result = await handler({ request, params: options.params ?? {}, context: { cspNonce: "test", clientIp: "127.0.0.1" } });
      return result instanceof Response ? result : Response.json(result);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

const invite = (cookie: string, fields: Record<string, string>) =>
  call(peopleAction as Handler, { path: "/admin/people", fields: { intent: "invite", ...fields }, cookie });
const act = (cookie: string, userId: number | string, fields: Record<string, string>) =>
  call(personAction as Handler, { path: `/admin/people/${userId}`, params: { userId: String(userId) }, fields, cookie });

const emailFor = (name: string) => `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@people.test`;
const signIn = async (email: string, password = TEST_PASSWORD) => verifyLogin(await forkEm(), { email, password, ipAddress: "192.0.2.77" });
const NO_MATCH = "That email and password do not match an account. Check them and try again.";

let admin: IUser;
let adminCookie: string;
beforeAll(async () => {
  admin = await createUser(await forkEm(), { role: "ADMIN" });
  adminCookie = await signedInCookie(admin);
});

describe("inviting a coach or admin", () => {
  it("makes the account, an invitation link (valid 7 days) and its email; the link sets the password and signs them in", async () => {
    const name = uniqueName("Coach Invitee");
    const email = emailFor(name);
    const response = await invite(adminCookie, { name: `  ${name} `, email: email.toUpperCase(), role: "COACH" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/admin/people");

    const em = await forkEm();
    const user = await em.findOneOrFail(User, { email });
    expect(user).toMatchObject({ name, role: "COACH", deactivatedAt: null });
    // No password anybody knows until they choose one.
    expect((await signIn(email, "")).ok).toBe(false);
    const [token] = await em.find(PasswordToken, { user: user.id });
    expect(token).toMatchObject({ purpose: "INVITE", usedAt: null });
    expect(token.expiresAt.getTime() - token.createdAt.getTime()).toBe(INVITE_LINK_MS);
    const [mail] = await em.find(Notification, { user: user.id });
    expect(mail).toMatchObject({ kind: "ACCOUNT_INVITE", subject: "You're invited to Centurion" });
    expect(mail.body).toContain(`${admin.name} has invited you to Centurion as a coach.`);
    const link = /http:\/\/localhost:3000\/reset-password\/([\w-]+)/.exec(mail.body)!;
    expect(token.tokenHash).toBe(hashPasswordToken(link[1]));

    const listed = await call(peopleLoader as Handler, { path: "/admin/people", cookie: adminCookie });
    expect((await listed.json()).staff).toContainEqual({
      id: user.id,
      name,
      email,
      role: "COACH",
      deactivatedAt: null,
      invitation: "pending",
      twoFactor: false,
    });

    const params = { token: link[1] };
    const page = await call(resetLoader as Handler, { path: `/reset-password/${link[1]}`, params });
    expect(await page.json()).toEqual({ spent: false, purpose: "INVITE", name, email });
    const done = await call(resetAction as Handler, {
      path: `/reset-password/${link[1]}`,
      params,
      fields: { password: "coach-chosen-password", confirmPassword: "coach-chosen-password" },
    });
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe("/coach");
    const authToken = await getAuthCookie().parse(done.headers.get("Set-Cookie"));
    expect(await findAuthSessionUser(await forkEm(), authToken)).toMatchObject({ id: user.id, role: "COACH" });
    expect((await signIn(email, "coach-chosen-password")).ok).toBe(true);
    const after = await call(peopleLoader as Handler, { path: "/admin/people", cookie: adminCookie });
    expect((await after.json()).staff).toContainEqual(expect.objectContaining({ id: user.id, invitation: null }));
  });

  it("refuses an address that has an account (400, by the field, keeping what was typed)", async () => {
    const existing = await createUser(await forkEm());
    const response = await invite(adminCookie, { name: "Someone", email: existing.email, role: "ADMIN" });
    expect(response.status).toBe(400);
    const failure = await response.json();
    expect(failure.fieldErrors).toEqual({ email: ["An account with this email already exists. Find it below to change its role."] });
    expect(failure.values).toMatchObject({ name: "Someone", email: existing.email, role: "ADMIN" });
  });

  it("checks the form (400) and who asks (403 for a coach)", async () => {
    const bad = await invite(adminCookie, { name: "", email: "nope", role: "CLIENT" });
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).fieldErrors).sort()).toEqual(["email", "name", "role"]);
    expect((await call(peopleAction as Handler, { path: "/admin/people", fields: { intent: "other" }, cookie: adminCookie })).status).toBe(400);
    const coachCookie = await signedInCookie(await createUser(await forkEm(), { role: "COACH" }));
    expect((await invite(coachCookie, { name: "X", email: emailFor(uniqueName("x")), role: "COACH" })).status).toBe(403);
    expect((await call(peopleLoader as Handler, { path: "/admin/people", cookie: coachCookie })).status).toBe(403);
  });

  it("sends a new link for an invitation not yet accepted, closing the old one", async () => {
    const name = uniqueName("Late Invitee");
    await invite(adminCookie, { name, email: emailFor(name), role: "ADMIN" });
    const user = await (await forkEm()).findOneOrFail(User, { email: emailFor(name) });
    expect((await act(adminCookie, user.id, { intent: "resend-invite" })).status).toBe(303);
    const tokens = await (await forkEm()).find(PasswordToken, { user: user.id }, { orderBy: { id: "asc" } });
    expect(tokens.map((t) => t.usedAt === null)).toEqual([false, true]);
    expect(await (await forkEm()).count(Notification, { user: user.id, kind: "ACCOUNT_INVITE" })).toBe(2);
    // Someone who was never invited (or has accepted) gets no invitation.
    const client = await createUser(await forkEm());
    expect((await act(adminCookie, client.id, { intent: "resend-invite" })).status).toBe(400);
  });
});

describe("changing a role", () => {
  it("changes a client to a coach and back, with a flash; the change applies to their next request", async () => {
    const client = await createUser(await forkEm());
    const cookie = await signedInCookie(client);
    const response = await act(adminCookie, client.id, { intent: "role", role: "COACH" });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe(`/admin/people/${client.id}`);
    expect(await findAuthSessionUser(await forkEm(), await getAuthCookie().parse(cookie))).toMatchObject({ role: "COACH" });
    expect((await act(adminCookie, client.id, { intent: "role", role: "CLIENT" })).status).toBe(303);
    expect((await (await forkEm()).findOneOrFail(User, client.id)).role).toBe("CLIENT");
  });

  it("refuses an admin's own demotion and a bad role (400), and unknown people (404)", async () => {
    const self = await act(adminCookie, admin.id, { intent: "role", role: "COACH" });
    expect(self.status).toBe(400);
    expect((await self.json()).fieldErrors.role).toEqual(["You cannot remove your own admin role. Ask another admin to do it."]);
    expect((await (await forkEm()).findOneOrFail(User, admin.id)).role).toBe("ADMIN");
    const client = await createUser(await forkEm());
    expect((await act(adminCookie, client.id, { intent: "role", role: "OWNER" })).status).toBe(400);
    expect((await act(adminCookie, client.id, { intent: "bogus" })).status).toBe(400);
    for (const id of ["999999", "abc", "0", "99999999999"]) {
      expect((await act(adminCookie, id, { intent: "role", role: "COACH" })).status, id).toBe(404);
      expect((await call(personLoader as Handler, { path: `/admin/people/${id}`, params: { userId: id }, cookie: adminCookie })).status, id).toBe(404);
    }
  });

  it("never leaves the studio without an admin, even when two admins demote each other at once", async () => {
    const em = await forkEm();
    // This test needs to know every admin: the file's others step down for it, and come back after.
    const others = await em.find(User, { role: "ADMIN" });
    await em.nativeUpdate(User, { id: { $in: others.map((o) => o.id) } }, { role: "COACH" });
    try {
      const a = await createUser(em, { role: "ADMIN" });
      const b = await createUser(em, { role: "ADMIN" });
      const results = await Promise.all([
        changeRole(await forkEm(), { userId: b.id, role: "COACH", actorId: a.id }),
        changeRole(await forkEm(), { userId: a.id, role: "COACH", actorId: b.id }),
      ]);
      expect(results.filter((r) => r?.ok)).toHaveLength(1);
      expect(results.find((r) => !r?.ok)).toMatchObject({ formError: "This is the studio's last admin: make someone else an admin first." });
      expect(await (await forkEm()).count(User, { role: "ADMIN" })).toBe(1);
    } finally {
      await em.nativeUpdate(User, { id: { $in: others.map((o) => o.id) } }, { role: "ADMIN" });
    }
  });
});

describe("deactivating an account", () => {
  it("stops sign-in and ends its sessions, releases classes not started (the waitlist moves up), and keeps its history", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const { user: client, membership } = await createMember(em, { type: "PACK", totalSessions: 10 }, { sessionsRemaining: 8 });
    const waiting = await createMember(em, { type: "PACK", totalSessions: 10 }, { sessionsRemaining: 5 });
    const soon = new Date(Date.now() + 3 * 24 * 60 * 60 * 1000);
    const full = await createSession(em, { coach, start: soon, capacity: 1 });
    const queued = await createSession(em, { coach, start: new Date(soon.getTime() + 60 * 60 * 1000), capacity: 1 });
    const past = await createSession(em, { coach, start: new Date(Date.now() - 3 * 24 * 60 * 60 * 1000) });
    const booked = await createRegistration(em, { session: full, user: client, membership });
    const behind = await createRegistration(em, {
      session: full,
      user: waiting.user,
      membership: waiting.membership,
      status: "WAITLISTED",
      waitlistPosition: 1,
    });
    const holder = await createUser(em);
    const holderPlan = await createPlan(em, { type: "RECURRING" });
    await createRegistration(em, { session: queued, user: holder, membership: await createMembership(em, { user: holder, plan: holderPlan }) });
    const onList = await createRegistration(em, { session: queued, user: client, membership, status: "WAITLISTED", waitlistPosition: 1 });
    const attended = await createRegistration(em, { session: past, user: client, membership, status: "ATTENDED" });
    const cookie = await signedInCookie(client);
    expect((await signIn(client.email)).ok).toBe(true);

    const detail = await call(personLoader as Handler, { path: `/admin/people/${client.id}`, params: { userId: String(client.id) }, cookie: adminCookie });
    expect((await detail.json()).person).toMatchObject({ futureBookings: 2, deactivatedAt: null });

    const response = await act(adminCookie, client.id, { intent: "deactivate" });
    expect(response.status).toBe(303);

    const after = await forkEm();
    // Cannot sign in (the same answer as a wrong password); the cookie it had no longer works.
    expect(await signIn(client.email)).toEqual({ ok: false, reason: "invalid", formError: NO_MATCH, fieldErrors: {} });
    expect(await after.count(AuthSession, { user: client.id })).toBe(0);
    expect(await findAuthSessionUser(after, await getAuthCookie().parse(cookie))).toBeNull();
    // The booked place went to the waitlist, the pack got its session back; the queue place is gone.
    expect(await after.findOneOrFail(SessionRegistration, booked.id)).toMatchObject({ status: "CANCELLED", waitlistPosition: null });
    expect(await after.findOneOrFail(SessionRegistration, behind.id)).toMatchObject({ status: "REGISTERED", waitlistPosition: null });
    expect(await after.findOneOrFail(SessionRegistration, onList.id)).toMatchObject({ status: "CANCELLED", waitlistPosition: null });
    expect((await after.findOneOrFail(UserMembership, membership.id)).sessionsRemaining).toBe(9);
    expect((await after.findOneOrFail(UserMembership, waiting.membership.id)).sessionsRemaining).toBe(4);
    expect(await after.count(Notification, { user: waiting.user.id, kind: "WAITLIST_PROMOTED" })).toBe(1);
    // History stays: the account, its attendance and its membership.
    expect(await after.findOneOrFail(User, client.id)).toMatchObject({ deactivatedAt: expect.any(Date) });
    expect((await after.findOneOrFail(SessionRegistration, attended.id)).status).toBe("ATTENDED");
    expect((await after.findOneOrFail(UserMembership, membership.id)).status).toBe("ACTIVE");
    // And no reset link reaches it.
    expect(await requestPasswordReset(after, { email: client.email, ipAddress: "192.0.2.99" })).toBe("no-account");

    // A second deactivation is refused; reactivation lets them sign in again.
    expect((await act(adminCookie, client.id, { intent: "deactivate" })).status).toBe(400);
    expect((await act(adminCookie, client.id, { intent: "reactivate" })).status).toBe(303);
    expect((await signIn(client.email)).ok).toBe(true);
    expect((await act(adminCookie, client.id, { intent: "reactivate" })).status).toBe(400);
  });

  it("ends a session still open when the account was deactivated behind its back", async () => {
    const client = await createUser(await forkEm());
    const cookie = await signedInCookie(client);
    await (await forkEm()).nativeUpdate(User, client.id, { deactivatedAt: new Date() });
    expect(await findAuthSessionUser(await forkEm(), await getAuthCookie().parse(cookie))).toBeNull();
    const page = await call(personLoader as Handler, { path: `/admin/people/${client.id}`, params: { userId: String(client.id) }, cookie });
    expect(page.status).toBe(303);
    expect(page.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });

  it("refuses an admin's own deactivation", async () => {
    const response = await act(adminCookie, admin.id, { intent: "deactivate" });
    expect(response.status).toBe(400);
    expect((await response.json()).formError).toBe("You cannot deactivate your own account.");
    expect((await (await forkEm()).findOneOrFail(User, admin.id)).deactivatedAt).toBeNull();
  });
});
