import { Notification, NotificationPreference } from "../../app/modules/notifications/notifications.entities.server";
import { unsubscribeUrl } from "../../app/modules/notifications/unsubscribe-link.server";
import { expect, test } from "./fixtures";
import { flash } from "./helpers";

// A client's notification settings and recent notifications, and the unsubscribe link of an email.
// The unsubscribe tokens are signed here with the server's secret (tests/e2e/run.ts shares it).

const tokenOf = (userId: number, kind: Parameters<typeof unsubscribeUrl>[1]) => unsubscribeUrl(userId, kind).split("/unsubscribe/")[1];

test("a client turns off booking confirmations, the choice sticks, and they read their recent notifications", async ({ make, em, signedIn }) => {
  const client = await make.client();
  em.create(Notification, {
    user: client.id,
    kind: "WAITLIST_PROMOTED",
    subject: "You're in: HIIT on Thu 12 Mar 2026 at 18:00",
    body: "A place opened up and you are now booked on HIIT on Thu 12 Mar 2026 at 18:00.",
    payload: {},
    createdAt: new Date(),
  });
  await em.flush();
  const page = await signedIn(client);

  // The home page counts what is unread; the navigation leads to the page.
  await page.goto("/client");
  await expect(page.getByRole("link", { name: "Notifications (1)" })).toBeVisible();
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Notifications" }).click();
  await expect(page.getByRole("heading", { name: "Notifications", level: 1 })).toBeVisible();

  const emails = page.getByRole("form", { name: "Emails" });
  await expect(emails.getByRole("checkbox", { name: "Booking confirmed" })).toBeChecked();
  await expect(emails.getByRole("checkbox", { name: "Reminder the evening before a class" })).not.toBeChecked();
  await expect(page.getByRole("region", { name: "Emails" }).getByRole("listitem").filter({ hasText: "Payment failed" })).toBeVisible();
  await emails.getByRole("checkbox", { name: "Booking confirmed" }).uncheck();
  await emails.getByRole("button", { name: "Save choices" }).click();
  await expect(flash(page)).toHaveText("Your email choices are saved.");

  await page.reload();
  await expect(page.getByRole("checkbox", { name: "Booking confirmed" })).not.toBeChecked();
  await expect(page.getByRole("checkbox", { name: "You joined a waitlist" })).toBeChecked();
  expect(await em.fork().findOne(NotificationPreference, { user: client.id, kind: "BOOKING_CONFIRMED" })).toMatchObject({ email: false });

  const recent = page.getByRole("region", { name: /^Recent notifications/ });
  await expect(recent.getByRole("heading", { name: "Recent notifications (1 new)" })).toBeVisible();
  const item = recent.getByRole("article", { name: /You're in: HIIT on Thu 12 Mar 2026 at 18:00$/ });
  await expect(item).toContainText("A place opened up and you are now booked on HIIT");
  await expect(item.getByText("New", { exact: true })).toBeVisible();
  await recent.getByRole("button", { name: "Mark all as read" }).click();
  await expect(flash(page)).toHaveText("Notifications marked as read.");
  await expect(page.getByRole("heading", { name: "Recent notifications", exact: true })).toBeVisible();
  await expect(page.getByRole("article", { name: /You're in: HIIT/ }).getByText("New", { exact: true })).toHaveCount(0);
  expect((await em.fork().findOneOrFail(Notification, { user: client.id })).readAt).toBeInstanceOf(Date);
});

test("the unsubscribe link asks first, then stops those emails, without signing in", async ({ make, em, page }) => {
  const client = await make.client();
  const token = tokenOf(client.id, "WAITLIST_JOINED");
  const choice = () => em.fork().findOne(NotificationPreference, { user: client.id, kind: "WAITLIST_JOINED" });

  await page.goto(`/unsubscribe/${token}`);
  await expect(page.getByRole("heading", { name: "Stop emails about “You joined a waitlist”?", level: 1 })).toBeVisible();
  expect(await choice()).toBeNull(); // showing the page changed nothing

  await page.getByRole("button", { name: "Stop these emails" }).click();
  await expect(flash(page)).toHaveText("Done: you will not get these emails any more.");
  await expect(page.getByRole("heading", { name: "You no longer get “You joined a waitlist” emails", level: 1 })).toBeVisible();
  expect(await choice()).toMatchObject({ email: false });

  // Messages about money are always sent.
  await page.goto(`/unsubscribe/${tokenOf(client.id, "PAYMENT_FAILED")}`);
  await expect(page.getByRole("heading", { name: "“Payment failed” emails are always sent", level: 1 })).toBeVisible();
  await expect(page.getByRole("button", { name: "Stop these emails" })).toHaveCount(0);

  // A link whose signature belongs to another kind leads nowhere.
  const forged = `${client.id}.LATE_CANCEL.${token.split(".")[2]}`;
  expect((await page.goto(`/unsubscribe/${forged}`))?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("a mail client's one-click unsubscribe (RFC 8058) works without a session", async ({ make, em, playwright, baseURL }) => {
  const client = await make.client();
  const api = await playwright.request.newContext({ baseURL });
  try {
    const response = await api.post(`/unsubscribe/${tokenOf(client.id, "LATE_CANCEL")}`, { form: { "List-Unsubscribe": "One-Click" }, maxRedirects: 0 });
    expect(response.status()).toBe(200);
  } finally {
    await api.dispose();
  }
  expect(await em.fork().findOne(NotificationPreference, { user: client.id, kind: "LATE_CANCEL" })).toMatchObject({ email: false });
});
