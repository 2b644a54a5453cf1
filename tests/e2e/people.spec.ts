import type { EntityManager } from "@mikro-orm/postgresql";
import type { Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { User } from "../../app/modules/auth/auth.entities.server";
import { Notification } from "../../app/modules/notifications/notifications.entities.server";
import { uniqueName } from "../support/factories";
import { expect, test } from "./fixtures";
import { flash } from "./helpers";

// People and passwords end to end: an admin invites a coach, who sets a password from the emailed link;
// an admin deactivates a client, who can no longer sign in; the forgotten-password form says nothing
// about whether an address has an account. Emails are read from the notification rows (the outbox).

const NO_MATCH = "That email and password do not match an account. Check them and try again.";

/** The token of the newest link of `kind` emailed to `email`. */
async function emailedToken(em: EntityManager, email: string, kind: "ACCOUNT_INVITE" | "PASSWORD_RESET") {
  const fork = em.fork();
  const user = await fork.findOneOrFail(User, { email });
  const [mail] = await fork.find(Notification, { user: user.id, kind }, { orderBy: { id: "desc" }, limit: 1 });
  const match = /\/reset-password\/([\w-]+)/.exec(mail?.body ?? "");
  if (!match) throw new Error(`No ${kind} link emailed to ${email}`);
  return match[1];
}

async function signInThroughForm(page: Page, email: string, password: string) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

test("an admin invites a coach, who chooses a password from the emailed link and lands signed in", async ({ make, em, signedIn, page }) => {
  const admin = await make.admin();
  const adminPage = await signedIn(admin);
  const name = uniqueName("Invited Coach");
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@people.test`;

  await adminPage.goto("/admin/people");
  await expect(adminPage.getByRole("heading", { name: "People", level: 1 })).toBeVisible();
  await expect(adminPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "People" })).toHaveAttribute("href", "/admin/people");
  const form = adminPage.getByRole("form", { name: "Invite a coach or admin" });
  await form.getByLabel("Name", { exact: true }).fill(name);
  await form.getByLabel("Email", { exact: true }).fill("not an email");
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(form.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
  await expect(form.getByLabel("Name", { exact: true })).toHaveValue(name);
  await form.getByLabel("Email", { exact: true }).fill(email);
  await form.getByLabel("Role").selectOption({ label: "Coach" });
  await form.getByRole("button", { name: "Send invitation" }).click();
  await expect(flash(adminPage)).toHaveText(`Invitation sent to ${email}: the link in it sets their password (valid for 7 days).`);
  const staff = adminPage.getByRole("table", { name: "Coaches and admins" });
  await expect(staff.getByRole("row").filter({ hasText: email }).getByRole("cell")).toHaveText([email, "Coach", "Invitation sent"]);

  // The coach opens the emailed link (a guest's browser) and chooses a password.
  const token = await emailedToken(em, email, "ACCOUNT_INVITE");
  await page.goto(`/reset-password/${token}`);
  await expect(page.getByRole("heading", { name: "Welcome — choose your password", level: 1 })).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("my-coaching-password");
  await page.getByLabel("Repeat the password").fill("my-coaching-passwort");
  await page.getByRole("button", { name: "Set my password" }).click();
  await expect(page.getByText("The passwords do not match.")).toBeVisible();
  await page.getByLabel("Password", { exact: true }).fill("my-coaching-password");
  await page.getByLabel("Repeat the password").fill("my-coaching-password");
  await page.getByRole("button", { name: "Set my password" }).click();
  await expect(page).toHaveURL(/\/coach$/);
  await expect(flash(page)).toHaveText(`Welcome to Centurion, ${name}! Your password is set and you are signed in.`);
  await expect(page.getByRole("link", { name })).toBeVisible();

  // The link worked once.
  await page.goto(`/reset-password/${token}`);
  await expect(page.getByRole("heading", { name: "This link has expired or was already used", level: 1 })).toBeVisible();
  await expect(page.getByRole("link", { name: "Email me a new link" })).toHaveAttribute("href", "/forgot-password");
});

test("an admin deactivates a client: the client is signed out and their sign-in is refused", async ({ make, signedIn, page }) => {
  const admin = await make.admin();
  const client = await make.client();
  const clientPage = await signedIn(client);
  await clientPage.goto("/client");
  await expect(clientPage.getByRole("heading", { level: 1 })).toHaveText(`Hello, ${client.name}`);

  const adminPage = await signedIn(admin);
  await adminPage.goto("/admin/people");
  await adminPage.getByRole("searchbox", { name: "Name or email" }).fill(client.email);
  await adminPage.getByRole("button", { name: "Search" }).click();
  await adminPage
    .getByRole("table", { name: `People matching “${client.email}”` })
    .getByRole("link", { name: client.name })
    .click();
  await expect(adminPage.getByRole("heading", { name: client.name, level: 1 })).toBeVisible();
  await adminPage.getByRole("button", { name: "Deactivate account" }).click();
  await expect(flash(adminPage)).toHaveText(`${client.name}'s account is deactivated: they can no longer sign in.`);
  await expect(adminPage.getByRole("button", { name: "Reactivate account" })).toBeVisible();

  // Their open session has ended…
  await clientPage.goto("/client");
  await expect(clientPage).toHaveURL(/\/login\?redirectTo=%2Fclient$/);
  // …and signing in again answers as a wrong password does.
  await signInThroughForm(page, client.email, client.password);
  await expect(page.getByRole("alert")).toHaveText(NO_MATCH);
  await expect(page).toHaveURL(/\/login$/);
});

test("the forgotten-password form answers an unknown address exactly as a registered one", async ({ make, em, page }) => {
  const client = await make.client();
  const nobody = `nobody-${randomBytes(4).toString("hex")}@people.test`;

  const ask = async (email: string) => {
    await page.goto("/login");
    await page.getByRole("link", { name: "Forgot your password?" }).click();
    await expect(page.getByRole("heading", { name: "Forgot your password?", level: 1 })).toBeVisible();
    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Email me a link" }).click();
    const answer = page.getByRole("status").filter({ hasText: "If an account uses that address" });
    await expect(answer).toContainText("If an account uses that address, we have emailed a link");
    return { text: await answer.textContent(), main: await page.getByRole("main").innerText() };
  };

  const unknown = await ask(nobody);
  const known = await ask(client.email);
  expect(unknown).toEqual(known);
  // Only the registered address was sent a link.
  const token = await emailedToken(em, client.email, "PASSWORD_RESET");
  await page.goto(`/reset-password/${token}`);
  await expect(page.getByRole("heading", { name: "Choose a new password", level: 1 })).toBeVisible();
});
