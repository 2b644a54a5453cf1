import { expect, type Page, type TestInfo } from "@playwright/test";

export const DEMO_PASSWORD = "centurion-demo";

/** Distinct demo accounts per project, since both projects share one database in a run. */
export function accountFor(testInfo: TestInfo, jsOnIndex: number, jsOffIndex: number): string {
  return `client${testInfo.project.name === "js-off" ? jsOffIndex : jsOnIndex}@centurion.test`;
}

export async function signIn(page: Page, email: string, password = DEMO_PASSWORD) {
  await page.goto("/login");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}
