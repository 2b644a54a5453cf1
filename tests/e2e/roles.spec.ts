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

test("an admin switches a feature on and off, and a bad value is refused with the typed value kept", async ({ page }) => {
  // Which areas the navigation shows for each switch is a unit test (navigation.test.ts): flipping a
  // switch that has a visible area here would change the navigation under the specs running alongside.
  await signIn(page, "admin@centurion.test");
  await expect(page).toHaveURL(/\/admin$/);
  const appointments = () => page.getByLabel("1-to-1 appointments");

  await page.goto("/admin/settings");
  await expect(appointments()).not.toBeChecked();
  await appointments().check();
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toContainText("Settings saved.");
  await page.goto("/admin/settings");
  await expect(appointments()).toBeChecked();

  await appointments().uncheck();
  await page.getByLabel("Default late-cancel cut-off (hours)").fill("-3");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByText("Use 0 or more hours.")).toBeVisible();
  await expect(page.getByLabel("Default late-cancel cut-off (hours)")).toHaveValue("-3");

  await page.getByLabel("Default late-cancel cut-off (hours)").fill("2");
  await page.getByRole("button", { name: "Save settings" }).click();
  await expect(page.getByRole("status")).toContainText("Settings saved.");
  await page.goto("/admin/settings");
  await expect(appointments()).not.toBeChecked();
  await expect(page.getByLabel("Default late-cancel cut-off (hours)")).toHaveValue("2");
});
