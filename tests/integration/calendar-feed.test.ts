// The private calendar feed: its URL holds a random token and the table only its SHA-256, so the URL is
// shown once, when it is made; replacing it, changing or resetting the password revokes it; it lapses when
// no calendar app has read it for three months; a deactivated account's feed answers nothing.
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { CalendarFeed, User } from "~/modules/auth/auth.entities.server";
import { changePassword } from "~/modules/auth/auth.service.server";
import { createPasswordToken, setPasswordWithToken } from "~/modules/auth/password-tokens.service.server";
import { CALENDAR_FEED_IDLE_MS, calendarFeedStatus, feedForToken, replaceCalendarFeed } from "~/modules/booking/calendar-feed.server";
import { loader as feedLoader } from "~/routes/calendar.feed.$token";
import { action as calendarAction, loader as calendarLoader } from "~/routes/client.sessions.calendar";
import { forkEm } from "../support/db";
import { createUser, TEST_PASSWORD } from "../support/factories";
import { getLoader, postForm, signedInCookie } from "../support/routes";

const DAY = 24 * 60 * 60 * 1000;
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const fetchFeed = (token: string) => getLoader(feedLoader, { path: `/calendar/feed/${token}`, params: { token }, cookie: "" });

describe("the calendar feed's token", () => {
  it("is stored only as its SHA-256, and the feed opens without a cookie", async () => {
    const user = await createUser(await forkEm());
    const token = await replaceCalendarFeed(await forkEm(), user.id);
    expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const em = await forkEm();
    const [row] = await em.find(CalendarFeed, { user: user.id });
    expect(row.tokenHash).toBe(sha256(token));
    expect(await em.count(CalendarFeed, { tokenHash: token })).toBe(0);

    const response = await fetchFeed(token);
    expect(response.status).toBe(200);
    expect(response.headers.get("Content-Type")).toMatch(/^text\/calendar/);
    expect(await response.text()).toContain("BEGIN:VCALENDAR");
    expect((await fetchFeed("x".repeat(32))).status).toBe(404);
  });

  it("is hashed by the migration as the app hashes it, so feeds made before it keep working", async () => {
    const token = "AbC_dEf-0123456789abcdefghijKLMN";
    // The expression Migration20261201002400 hashes the existing tokens with.
    const [row] = await (await forkEm()).execute<{ hash: string }[]>(`select encode(sha256(convert_to(?, 'UTF8')), 'hex') as hash`, [token]);
    expect(row.hash).toBe(sha256(token));
  });

  it("is shown once by the calendar page, when it is made, and replacing it stops the old one", async () => {
    const user = await createUser(await forkEm());
    const cookie = await signedInCookie(user);
    const page = async () => (await getLoader(calendarLoader, { path: "/client/sessions/calendar", cookie })).json();
    expect((await page()).feed).toBeNull();

    const made = await postForm(calendarAction, { path: "/client/sessions/calendar", cookie, fields: { intent: "replace-feed" } });
    expect(made.status).toBe(200);
    expect(made.headers.get("Cache-Control")).toBe("no-store");
    const { feedUrl } = (await made.json()) as { feedUrl: string };
    const first = /\/calendar\/feed\/([A-Za-z0-9_-]+)$/.exec(feedUrl)![1];
    expect((await fetchFeed(first)).status).toBe(200);
    // Afterwards the page says there is a link, and never shows it again.
    const later = await page();
    expect(later.feed).toMatchObject({ lastRead: expect.any(String) });
    expect(JSON.stringify(later)).not.toContain(first);

    const replaced = await postForm(calendarAction, { path: "/client/sessions/calendar", cookie, fields: { intent: "replace-feed" } });
    const second = /\/calendar\/feed\/([A-Za-z0-9_-]+)$/.exec(((await replaced.json()) as { feedUrl: string }).feedUrl)![1];
    expect(second).not.toBe(first);
    expect((await fetchFeed(first)).status).toBe(404);
    expect((await fetchFeed(second)).status).toBe(200);
    expect((await postForm(calendarAction, { path: "/client/sessions/calendar", cookie, fields: { intent: "toString" } })).status).toBe(400);
  });

  it("is revoked by a password change", async () => {
    const user = await createUser(await forkEm());
    const token = await replaceCalendarFeed(await forkEm(), user.id);
    const changed = await changePassword(await forkEm(), {
      userId: user.id,
      currentPassword: TEST_PASSWORD,
      newPassword: "a-fresh-kettle-tune",
      ipAddress: "10.7.0.1",
    });
    expect(changed).toEqual({ ok: true });
    expect((await fetchFeed(token)).status).toBe(404);
    expect(await (await forkEm()).count(CalendarFeed, { user: user.id })).toBe(0);
  });

  it("is revoked by a password reset", async () => {
    const user = await createUser(await forkEm());
    const token = await replaceCalendarFeed(await forkEm(), user.id);
    const link = await createPasswordToken(await forkEm(), { userId: user.id, purpose: "RESET" });
    expect((await setPasswordWithToken(await forkEm(), { token: link.token, password: "a-fresh-kettle-tune" })).ok).toBe(true);
    expect((await fetchFeed(token)).status).toBe(404);
  });

  it("lapses when no calendar app has read it for three months; each read keeps it going", async () => {
    const user = await createUser(await forkEm());
    const made = new Date(Date.now() - 200 * DAY);
    const token = await replaceCalendarFeed(await forkEm(), user.id, made);
    const at = (days: number) => new Date(made.getTime() + days * DAY);
    expect(await feedForToken(await forkEm(), token, at(80))).toContain("BEGIN:VCALENDAR");
    expect(await feedForToken(await forkEm(), token, at(160))).toContain("BEGIN:VCALENDAR");
    expect(await calendarFeedStatus(await forkEm(), user.id, at(160))).toMatchObject({ lapsed: false, lastUsedAt: at(160) });
    const idle = at(160 + CALENDAR_FEED_IDLE_MS / DAY + 1);
    expect(await feedForToken(await forkEm(), token, idle)).toBeNull();
    expect(await calendarFeedStatus(await forkEm(), user.id, idle)).toMatchObject({ lapsed: true });
  });

  it("answers nothing for a deactivated account", async () => {
    const user = await createUser(await forkEm());
    const token = await replaceCalendarFeed(await forkEm(), user.id);
    await (await forkEm()).nativeUpdate(User, user.id, { deactivatedAt: new Date() });
    expect((await fetchFeed(token)).status).toBe(404);
  });
});
