import { expect, test } from "@playwright/test";
import { accountFor, DEMO_PASSWORD, signIn, signOut } from "./helpers";

test.describe("signing in and out", () => {
  test("a demo client signs in, sees the client home and signs out", async ({ page }, testInfo) => {
    const email = accountFor(testInfo, 1, 2);
    await signIn(page, email);
    await expect(page).toHaveURL(/\/client$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(/Hello, Client [12]/);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" })).toBeVisible();
    await signOut(page);
    await expect(page.getByRole("status")).toContainText("You have signed out.");
    await page.goto("/client");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Fclient$/);
  });

  test("a wrong password shows a message and keeps the email", async ({ page }, testInfo) => {
    const email = accountFor(testInfo, 3, 4);
    await signIn(page, email, "not-the-password");
    await expect(page.getByRole("alert")).toContainText("That email and password do not match an account");
    await expect(page.getByLabel("Email")).toHaveValue(email);
    await expect(page.getByLabel("Password")).toHaveValue("");
  });

  test("an unknown email gets the same message, with the email kept", async ({ page }) => {
    await signIn(page, "nobody@centurion.test", "whatever-it-is");
    await expect(page.getByRole("alert")).toContainText("That email and password do not match an account");
    await expect(page.getByLabel("Email")).toHaveValue("nobody@centurion.test");
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
    await page.getByLabel("Email").fill("client5@centurion.test");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText("Enter your password.")).toBeVisible();
    await expect(page.getByLabel("Email")).toHaveValue("client5@centurion.test");
  });

  test("a guest asking for a signed-in page lands there after signing in", async ({ page }, testInfo) => {
    await page.goto("/account/password");
    await expect(page).toHaveURL(/\/login\?redirectTo=%2Faccount%2Fpassword$/);
    await page.getByLabel("Email").fill(accountFor(testInfo, 6, 7));
    await page.getByLabel("Password").fill(DEMO_PASSWORD);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(/\/account\/password$/);
    await expect(page.getByRole("heading", { name: "Change your password" })).toBeVisible();
  });
});

test.describe("joining and changing the password", () => {
  test("a new client signs up, changes the password and signs in with the new one", async ({ page }, testInfo) => {
    const email = `new-${testInfo.project.name}-${Date.now()}@example.com`;
    await page.goto("/signup");
    await page.getByLabel("Your name").fill("Nora New");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password", { exact: true }).fill("short");
    await page.getByLabel("Repeat the password").fill("short");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("Use at least 10 characters.")).toBeVisible();
    await expect(page.getByLabel("Your name")).toHaveValue("Nora New");
    await expect(page.getByLabel("Email")).toHaveValue(email);

    await page.getByLabel("Password", { exact: true }).fill("first-password-1");
    await page.getByLabel("Repeat the password").fill("first-password-1");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/client$/);
    await expect(page.getByRole("status")).toContainText("Welcome to the studio, Nora New!");

    await page.goto("/account/password");
    await page.getByLabel("Current password").fill("wrong-password");
    await page.getByLabel("New password", { exact: true }).fill("second-password-2");
    await page.getByLabel("Repeat the new password").fill("second-password-2");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByText("That is not your current password.")).toBeVisible();

    await page.getByLabel("Current password").fill("first-password-1");
    await page.getByLabel("New password", { exact: true }).fill("second-password-2");
    await page.getByLabel("Repeat the new password").fill("second-password-2");
    await page.getByRole("button", { name: "Change password" }).click();
    await expect(page.getByRole("status")).toContainText("Your password has been changed.");

    await signOut(page);
    await signIn(page, email, "second-password-2");
    await expect(page).toHaveURL(/\/client$/);
  });

  test("signing up with an email that has an account is refused", async ({ page }) => {
    await page.goto("/signup");
    await page.getByLabel("Your name").fill("Copy Cat");
    await page.getByLabel("Email").fill("client1@centurion.test");
    await page.getByLabel("Password", { exact: true }).fill("a-long-password");
    await page.getByLabel("Repeat the password").fill("a-long-password");
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page.getByText("An account with this email already exists.")).toBeVisible();
  });
});
