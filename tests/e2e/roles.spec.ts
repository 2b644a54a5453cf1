import { expect, test } from "@playwright/test";
import { accountFor, signIn } from "./helpers";

test("a client gets 403 on coach and admin pages", async ({ page }, testInfo) => {
  await signIn(page, accountFor(testInfo, 8, 9));
  await expect(page).toHaveURL(/\/client$/);
  for (const path of ["/coach", "/admin", "/admin/settings"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  }
});

test("a coach reaches the coach dashboard but gets 403 on admin pages", async ({ page }) => {
  await signIn(page, "rory@centurion.test");
  await expect(page).toHaveURL(/\/coach$/);
  await expect(page.getByRole("heading", { name: "Coach dashboard" })).toBeVisible();
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
});

test("an unknown page answers 404 with the layout", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

test("an admin switches a feature on and the navigation follows", async ({ page }) => {
  await signIn(page, "admin@centurion.test");
  await expect(page).toHaveURL(/\/admin$/);
  const nav = page.getByRole("navigation", { name: "Main" });
  await expect(nav.getByRole("link", { name: "Appointments" })).toHaveCount(0);

  await page.goto("/admin/settings");
  await page.getByLabel("1-to-1 appointments").check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toContainText("Settings saved.");
  await expect(nav.getByRole("link", { name: "Appointments" })).toBeVisible();

  await page.getByLabel("1-to-1 appointments").uncheck();
  await page.getByLabel("Default late-cancel cut-off (hours)").fill("-3");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Use 0 or more hours.")).toBeVisible();
  await expect(page.getByLabel("Default late-cancel cut-off (hours)")).toHaveValue("-3");

  await page.getByLabel("Default late-cancel cut-off (hours)").fill("2");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toContainText("Settings saved.");
  await expect(nav.getByRole("link", { name: "Appointments" })).toHaveCount(0);
});
