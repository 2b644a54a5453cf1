import type { EntityManager } from "@mikro-orm/postgresql";
import type { Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { User } from "../../app/modules/auth/auth.entities.server";
import { Notification } from "../../app/modules/notifications/notifications.entities.server";
import { SIGNUP_REQUESTED } from "../../app/modules/auth/auth.rules";
import { demo, expect, test } from "./fixtures";
import { flash, signOut } from "./helpers";

/** Fills in the sign-in form and sends it. */
async function fillSignIn(page: Page, email: string, password: string) {
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** The token of the newest link of `kind` emailed to `email` (emails are read from the notification rows). */
async function emailedToken(em: EntityManager, email: string, kind: "ACCOUNT_INVITE" | "PASSWORD_RESET") {
  const fork = em.fork();
  const user = await fork.findOneOrFail(User, { email });
  const [mail] = await fork.find(Notification, { user: user.id, kind }, { orderBy: { id: "desc" }, limit: 1 });
  const match = /\/reset-password\/([\w-]+)/.exec(mail?.body ?? "");
  if (!match) throw new Error(`No ${kind} link emailed to ${email}`);
  return match[1];
}

test.describe("signing in and out", () => {
  // One of the two tests that sign in through the form itself (every other test signs in by cookie), with a
  // demo account the README lists.
  test("a demo client signs in through the form and lands on the client home", async ({ page }) => {
    const client1 = demo("client1@centurion.test", "Client 1", "CLIENT");
    await page.goto("/login");
    await fillSignIn(page, client1.email, client1.password);
    await expect(page).toHaveURL(/\/client$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Hello, Client 1\b/);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" })).toBeVisible();
  });

  test("signing out ends the session", async ({ make, signedIn }) => {
    const client = await make.client();
    const page = await signedIn(client);
    await page.goto("/client");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Hello, ${client.name}`);
    await signOut(page);
    await expect(page.getByRole("status")).toContainText("You have signed out.");
    await page.goto("/client");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fclient$/);
  });

  test("a wrong password shows a message and keeps the email", async ({ page, make }) => {
    const client = await make.client();
    await page.goto("/login");
    await fillSignIn(page, client.email, "not-the-password");
    await expect(page.getByRole("alert")).toContainText("That email and password do not match an account");
    await expect(page.getByLabel("Email")).toHaveValue(client.email);
    await expect(page.getByLabel("Password")).toHaveValue("");
  });

  test("an unknown email gets the same message, with the email kept", async ({ page }) => {
    const nobody = `nobody-${randomBytes(4).toString("hex")}@centurion.test`;
    await page.goto("/login");
    await fillSignIn(page, nobody, "whatever-it-is");
    await expect(page.getByRole("alert")).toContainText("That email and password do not match an account");
    await expect(page.getByLabel("Email")).toHaveValue(nobody);
  });

  test("empty fields are named by the form", async ({ page }) => {
    await page.goto("/login");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter your email address.")).toBeVisible();
    await expect(page.getByText("Enter your password.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveAttribute("aria-invalid", "true");
  });

  test("an empty password keeps the typed email", async ({ page }) => {
    await page.goto("/login");
    await page.getByLabel("Email").fill("someone@centurion.test");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter your password.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue("someone@centurion.test");
  });

  test("a guest asking for a signed-in page is sent to sign in, and lands there after signing in", async ({ page, make }) => {
    const client = await make.client();
    await page.goto("/account/password");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount%2Fpassword$/);
    await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
    // The form carries the page asked for in a hidden field, with JavaScript and without.
    await fillSignIn(page, client.email, client.password);
    await expect(page).toHaveURL(/\/account\/password$/);
    await expect(page.getByRole("heading", { name: "Change your password" })).toBeVisible();
  });
});

test.describe("joining and changing the password", () => {
  test("a new client signs up: a bad address is refused with the name kept; the emailed link asks for a password that passes the rules, then the account is made", async ({
    page,
    em,
  }, testInfo) => {
    const email = `new-${testInfo.project.name}-${randomBytes(4).toString("hex")}@example.com`;
    await page.goto("/signup");
    await page.getByLabel("Your name").fill("Nora New");
    await page.getByLabel("Email").fill("nora-at-example.com");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Enter a valid email address, like name@example.com.")).toBeVisible();
    await expect(page.getByLabel("Your name")).toHaveValue("Nora New");
    await expect(page.getByLabel("Email")).toHaveValue("nora-at-example.com");

    await page.getByLabel("Email").fill(email);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByRole("status").filter({ hasText: "Check your email" })).toHaveText(SIGNUP_REQUESTED);
    // Not signed in: the account is made by the emailed link.
    await page.goto("/client");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fclient$/);

    await page.goto(`/reset-password/${await emailedToken(em, email, "ACCOUNT_INVITE")}`);
    await expect(page.getByRole("heading", { name: "Welcome — choose your password", level: 1 })).toBeVisible();
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Repeat the password").fill("short");
    await page.getByRole("button", { name: "Set my password" }).click();
    await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
    await page.getByLabel("Password", { exact: true }).fill("password1234");
    await page.getByLabel("Repeat the password").fill("password1234");
    await page.getByRole("button", { name: "Set my password" }).click();
    await expect(page.getByText("That password is one of the most common ones")).toBeVisible();

    await page.getByLabel("Password", { exact: true }).fill("first-password-1");
    await page.getByLabel("Repeat the password").fill("first-password-1");
    await page.getByRole("button", { name: "Set my password" }).click();
    await expect(page).toHaveURL(/\/client$/);
    await expect(flash(page)).toContainText("Welcome to Centurion, Nora New!");
  });

  test("a client changes the password, and then signs in with the new one only", async ({ make, signedIn, playwright, baseURL }) => {
    const client = await make.client();
    const page = await signedIn(client);
    await page.goto("/account/password");
    await page.getByLabel("Current password").fill("wrong-password");
    await page.getByLabel("New password", { exact: true }).fill("second-password-2");
    await page.getByLabel("Repeat the new password").fill("second-password-2");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("That is not your current password.")).toBeVisible();

    await page.getByLabel("Current password").fill(client.password);
    await page.getByLabel("New password", { exact: true }).fill("second-password-2");
    await page.getByLabel("Repeat the new password").fill("second-password-2");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(flash(page)).toContainText("Your password has been changed.");
    await signOut(page);

    const api = await playwright.request.newContext({ baseURL });
    const withOld = await api.post("/login", { form: { email: client.email, password: client.password }, maxRedirects: 0 });
    expect(withOld.status()).toBe(400);
    const withNew = await api.post("/login", { form: { email: client.email, password: "second-password-2" }, maxRedirects: 0 });
    expect(withNew.status()).toBe(303);
    expect(withNew.headers().location).toBe("/client");
    await api.dispose();
  });

  test("signing up with an email that has an account answers as for a new one, and the owner is told by email", async ({ page, make, em }, testInfo) => {
    const taken = await make.client();
    const fresh = `fresh-${testInfo.project.name}-${randomBytes(4).toString("hex")}@example.com`;
    const signUp = async (email: string) => {
      await page.goto("/signup");
      await page.getByLabel("Your name").fill("Copy Cat");
      await page.getByLabel("Email").fill(email);
      await page.getByRole("button", { name: "Create account" }).click();
      await expect(page.getByRole("status").filter({ hasText: "Check your email" })).toBeVisible();
      return page.getByRole("main").innerText();
    };
    expect(await signUp(taken.email)).toBe(await signUp(fresh));
    // Only the inbox learns which it was: the owner is told someone tried, with a link to choose a new password.
    const token = await emailedToken(em, taken.email, "PASSWORD_RESET");
    await page.goto(`/reset-password/${token}`);
    await expect(page.getByRole("heading", { name: "Choose a new password", level: 1 })).toBeVisible();
    // The account is as it was: its password still signs in.
    await page.goto("/login");
    await fillSignIn(page, taken.email, taken.password);
    await expect(page).toHaveURL(/\/client$/);
  });
});
