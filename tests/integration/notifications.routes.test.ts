// /account/notifications (the client's email choices and recent notifications) and /unsubscribe/:token,
// driven through their loaders and actions as Remix runs them.
import type { ActionFunctionArgs, SerializeFrom } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { withRequestContext } from "~/modules/db.server";
import { Notification, NotificationPreference, type NotificationKind } from "~/modules/notifications/notifications.entities.server";
import { wantsEmail } from "~/modules/notifications/preferences.server";
import { readUnsubscribeToken, unsubscribeUrl } from "~/modules/notifications/unsubscribe-link.server";
import * as page from "~/routes/account.notifications";
import * as home from "~/routes/client._index";
import * as unsubscribe from "~/routes/unsubscribe.$token";
import { forkEm } from "../support/db";
import { createUser } from "../support/factories";
import { loaderData, signedInCookie } from "../support/routes";

type Page = SerializeFrom<typeof page.loader>;

/** POSTs `pairs` (a key may repeat, as ticked checkboxes do) to `path`'s action; answers its Response. */
async function post(
  action: (args: ActionFunctionArgs) => Promise<unknown>,
  path: string,
  pairs: [string, string][],
  init: { cookie?: string; params?: Record<string, string> } = {},
) {
  const request = new Request(`http://localhost${path}`, {
    method: "POST",
    headers: { ...(init.cookie ? { Cookie: init.cookie } : {}), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(pairs).toString(),
  });
  return withRequestContext(async () => {
    try {
      return (await action({ request, params: init.params ?? {}, context: { cspNonce: "test", clientIp: "127.0.0.1" } })) as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

/** A GET through a loader, whatever its status. */
async function get(loader: typeof unsubscribe.loader, path: string, params: Record<string, string>) {
  return withRequestContext(async () => {
    try {
      return (await loader({ request: new Request(`http://localhost${path}`), params, context: { cspNonce: "test", clientIp: "127.0.0.1" } })) as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

const prefsOf = async (user: { id: number }) =>
  Object.fromEntries((await (await forkEm()).find(NotificationPreference, { user: user.id })).map((p) => [p.kind, p.email])) as Partial<
    Record<NotificationKind, boolean>
  >;

async function note(user: { id: number }, kind: NotificationKind, subject: string, createdAt: Date) {
  const em = await forkEm();
  const n = em.create(Notification, { user: user.id, kind, subject, body: `${subject} body`, payload: {}, createdAt });
  await em.flush();
  return n;
}

let client: IUser;
let cookie: string;

beforeAll(async () => {
  client = await createUser(await forkEm());
  cookie = await signedInCookie(client);
});

describe("/account/notifications: email choices", () => {
  it("lists every optional kind with its default, and the ones always sent", async () => {
    const data = await loaderData<Page>(page.loader, { path: "/account/notifications", cookie });
    const booking = data.choices.find((c) => c.kind === "BOOKING_CONFIRMED");
    expect(booking).toEqual({ kind: "BOOKING_CONFIRMED", label: "Booking confirmed", optional: true, email: true });
    expect(data.choices.find((c) => c.kind === "CLASS_REMINDER")).toMatchObject({ optional: true, email: false });
    expect(data.choices.find((c) => c.kind === "PAYMENT_FAILED")).toMatchObject({ optional: false, email: true });
  });

  it("saves the ticked kinds on and every other optional kind off, with one POST", async () => {
    const user = await createUser(await forkEm());
    const userCookie = await signedInCookie(user);
    const response = await post(
      page.action,
      "/account/notifications",
      [
        ["intent", "preferences"],
        ["email", "WAITLIST_JOINED"],
        ["email", "CLASS_REMINDER"],
      ],
      { cookie: userCookie },
    );
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/account/notifications");

    const stored = await prefsOf(user);
    expect(stored).toMatchObject({ BOOKING_CONFIRMED: false, WAITLIST_JOINED: true, CLASS_REMINDER: true, LATE_CANCEL: false, COHORT_NUDGE: false });
    expect(stored.PAYMENT_FAILED).toBeUndefined();
    const em = await forkEm();
    expect(await wantsEmail(em, user.id, "BOOKING_CONFIRMED")).toBe(false);
    expect(await wantsEmail(em, user.id, "CLASS_REMINDER")).toBe(true);
    expect(await wantsEmail(em, user.id, "PAYMENT_FAILED")).toBe(true);

    const data = await loaderData<Page>(page.loader, { path: "/account/notifications", cookie: userCookie });
    expect(data.choices.filter((c) => c.optional && c.email).map((c) => c.kind)).toEqual(["WAITLIST_JOINED", "CLASS_REMINDER"]);

    // Saving again with everything unticked turns them all off: the same rows, changed.
    expect((await post(page.action, "/account/notifications", [["intent", "preferences"]], { cookie: userCookie })).status).toBe(303);
    expect(Object.values(await prefsOf(user)).every((email) => email === false)).toBe(true);
  });

  it("answers 400 to a kind that is not on the form, an unknown intent or a bad id, and changes nothing", async () => {
    const user = await createUser(await forkEm());
    const userCookie = await signedInCookie(user);
    const bad = await post(
      page.action,
      "/account/notifications",
      [
        ["intent", "preferences"],
        ["email", "BOOKING_CONFIRMED"],
        ["email", "PAYMENT_FAILED"],
      ],
      { cookie: userCookie },
    );
    expect(bad.status).toBe(400);
    const failure = await bad.json();
    expect(failure.fieldErrors.email).toEqual(["Choose messages from the list."]);
    expect(failure.values.email).toEqual(["BOOKING_CONFIRMED", "PAYMENT_FAILED"]);
    expect((await post(page.action, "/account/notifications", [["intent", "nonsense"]], { cookie: userCookie })).status).toBe(400);
    expect((await post(page.action, "/account/notifications", [["email", "BOOKING_CONFIRMED"]], { cookie: userCookie })).status).toBe(400);
    expect(
      (
        await post(
          page.action,
          "/account/notifications",
          [
            ["intent", "mark-read"],
            ["upTo", "99999999999"],
          ],
          { cookie: userCookie },
        )
      ).status,
    ).toBe(400);
    expect(await prefsOf(user)).toEqual({});
  });

  it("sends a guest to sign in", async () => {
    const response = await post(page.action, "/account/notifications", [["intent", "preferences"]]);
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});

describe("/account/notifications: recent notifications", () => {
  it("lists the client's own in-app notifications, newest first, the last 20; mark all read reads what was shown", async () => {
    const user = await createUser(await forkEm());
    const other = await createUser(await forkEm());
    const userCookie = await signedInCookie(user);
    const base = Date.parse("2026-03-01T09:00:00Z");
    for (let i = 1; i <= 21; i++) await note(user, "BOOKING_CONFIRMED", `Booked ${i}`, new Date(base + i * 3_600_000));
    await note(user, "PASSWORD_RESET", "Reset your password", new Date(base + 30 * 3_600_000));
    await note(other, "BOOKING_CONFIRMED", "Someone else's", new Date(base + 40 * 3_600_000));

    const data = await loaderData<Page>(page.loader, { path: "/account/notifications", cookie: userCookie });
    expect(data.recent).toHaveLength(20);
    expect(data.recent.map((n) => n.subject).slice(0, 3)).toEqual(["Booked 21", "Booked 20", "Booked 19"]);
    expect(data.recent.some((n) => n.subject === "Someone else's" || n.subject === "Reset your password")).toBe(false);
    expect(data.recent[0]).toMatchObject({ body: "Booked 21 body", when: "Mon 2 Mar 2026 at 06:00", unread: true });
    expect((await loaderData<{ unread: number }>(home.loader, { path: "/client", cookie: userCookie })).unread).toBe(21);

    // One arrives after the page was shown: it stays unread.
    const newest = data.recent[0].id;
    const later = await note(user, "LATE_CANCEL", "Arrived later", new Date(base + 50 * 3_600_000));
    const response = await post(
      page.action,
      "/account/notifications",
      [
        ["intent", "mark-read"],
        ["upTo", String(newest)],
      ],
      { cookie: userCookie },
    );
    expect(response.status).toBe(303);
    const after = await loaderData<Page>(page.loader, { path: "/account/notifications", cookie: userCookie });
    expect(after.recent.filter((n) => n.unread).map((n) => n.id)).toEqual([later.id]);
    expect((await loaderData<{ unread: number }>(home.loader, { path: "/client", cookie: userCookie })).unread).toBe(1);
    // The other client's notification is untouched.
    expect((await (await forkEm()).findOneOrFail(Notification, { user: other.id })).readAt ?? null).toBeNull();
  });
});

describe("/unsubscribe/:token", () => {
  const tokenOf = (userId: number, kind: NotificationKind) => unsubscribeUrl(userId, kind).split("/unsubscribe/")[1];
  const path = (token: string) => `/unsubscribe/${token}`;

  it("makes and reads signed tokens; a forged one reads as nothing", () => {
    const token = tokenOf(client.id, "BOOKING_CONFIRMED");
    expect(unsubscribeUrl(client.id, "BOOKING_CONFIRMED")).toBe(`http://localhost:3000/unsubscribe/${token}`);
    expect(readUnsubscribeToken(token)).toEqual({ userId: client.id, kind: "BOOKING_CONFIRMED" });
    const [, , mac] = token.split(".");
    expect(readUnsubscribeToken(`${client.id + 1}.BOOKING_CONFIRMED.${mac}`)).toBeNull();
    expect(readUnsubscribeToken(`${client.id}.LATE_CANCEL.${mac}`)).toBeNull();
    expect(readUnsubscribeToken(`${client.id}.BOOKING_CONFIRMED.${mac.slice(0, -2)}${mac.endsWith("AA") ? "BA" : "AA"}`)).toBeNull();
    expect(readUnsubscribeToken(`${client.id}.BOOKING_CONFIRMED.${mac}=`)).toBeNull();
    expect(readUnsubscribeToken(`${client.id}.BOOKING_CONFIRMED`)).toBeNull();
    expect(readUnsubscribeToken("x.y.z")).toBeNull();
  });

  it("GET shows what would stop and changes nothing; the page's POST turns it off, without signing in", async () => {
    const user = await createUser(await forkEm());
    const token = tokenOf(user.id, "BOOKING_CONFIRMED");
    const shown = await get(unsubscribe.loader, path(token), { token });
    expect(shown.status).toBe(200);
    expect(await shown.json()).toEqual({ label: "Booking confirmed", optional: true, email: true });
    await get(unsubscribe.loader, path(token), { token });
    expect(await prefsOf(user)).toEqual({});

    const done = await post(unsubscribe.action, path(token), [], { params: { token } });
    expect(done.status).toBe(303);
    expect(done.headers.get("Location")).toBe(path(token));
    expect(await prefsOf(user)).toEqual({ BOOKING_CONFIRMED: false });
    expect(await (await get(unsubscribe.loader, path(token), { token })).json()).toEqual({ label: "Booking confirmed", optional: true, email: false });
  });

  it("answers the RFC 8058 one-click POST with 200, without a session", async () => {
    const user = await createUser(await forkEm());
    const token = tokenOf(user.id, "COHORT_NUDGE");
    const response = await post(unsubscribe.action, path(token), [["List-Unsubscribe", "One-Click"]], { params: { token } });
    expect(response.status).toBe(200);
    expect(await prefsOf(user)).toEqual({ COHORT_NUDGE: false });
    // Again: still off, still 200.
    expect((await post(unsubscribe.action, path(token), [["List-Unsubscribe", "One-Click"]], { params: { token } })).status).toBe(200);
    expect((await post(unsubscribe.action, path(token), [["List-Unsubscribe", "Something"]], { params: { token } })).status).toBe(400);
  });

  it("answers 404 to a forged token or one for nobody, and changes nothing", async () => {
    const user = await createUser(await forkEm());
    const token = tokenOf(user.id, "BOOKING_CONFIRMED");
    const forged = `${user.id}.LATE_CANCEL.${token.split(".")[2]}`;
    expect((await get(unsubscribe.loader, path(forged), { token: forged })).status).toBe(404);
    expect((await post(unsubscribe.action, path(forged), [["List-Unsubscribe", "One-Click"]], { params: { token: forged } })).status).toBe(404);
    expect((await get(unsubscribe.loader, "/unsubscribe/nonsense", { token: "nonsense" })).status).toBe(404);
    const nobody = tokenOf(2_000_000_000, "BOOKING_CONFIRMED");
    expect((await get(unsubscribe.loader, path(nobody), { token: nobody })).status).toBe(404);
    expect((await post(unsubscribe.action, path(nobody), [], { params: { token: nobody } })).status).toBe(404);
    expect(await prefsOf(user)).toEqual({});
  });

  it("cannot turn off a kind that is always sent, and says so", async () => {
    const user = await createUser(await forkEm());
    const token = tokenOf(user.id, "PAYMENT_FAILED");
    expect(await (await get(unsubscribe.loader, path(token), { token })).json()).toEqual({ label: "Payment failed", optional: false, email: true });
    const refused = await post(unsubscribe.action, path(token), [["List-Unsubscribe", "One-Click"]], { params: { token } });
    expect(refused.status).toBe(400);
    expect((await refused.json()).formError).toBe("Payment failed messages are always sent, so they cannot be turned off.");
    expect(await prefsOf(user)).toEqual({});
  });
});
