// Locators and small helpers the specs share. Data and sign-in are in fixtures.ts.
import { expect, type APIResponse, type Locator, type Page, type TestInfo } from "@playwright/test";
import { formatDayHeading } from "../../app/utils/time";

export const jsOn = (testInfo: TestInfo) => testInfo.project.name !== "js-off";

/** The flash message at the top of the page (the first live region of the layout). */
export function flash(page: Page): Locator {
  return page.getByRole("status").first();
}

export function usage(page: Page): Locator {
  return page.getByRole("region", { name: "Your usage" });
}

/** A day of the client timetable or calendar, found by its heading ("Tuesday 24 November"). */
export function day(page: Page, date: string): Locator {
  return page.getByRole("region", { name: formatDayHeading(date), exact: true });
}

/** A session in a day list, found by its link ("12:30–12:55 HIIT"). */
export function sessionItem(page: Page, date: string, link: string): Locator {
  return day(page, date)
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: link, exact: true }) });
}

/** The client's own state on a session ("Booked", "On the waitlist: position 1", "Late-cancelled"…). */
export function myState(scope: Locator, text: string): Locator {
  return scope.getByText(text, { exact: true });
}

/** A response's HTML without its scripts, which also carry the loader and action data as JSON. */
export async function shownHtml(response: APIResponse): Promise<string> {
  return (await response.text()).replace(/<script\b[\s\S]*?<\/script>/g, "");
}

/** Clicks a submit button and returns the status of its POST: a fetch with JavaScript, a page load without. */
export async function submitStatus(page: Page, button: Locator): Promise<number> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), button.click()]);
  return response.status();
}

/** `text` as a regular expression that matches it literally. */
export function literal(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A person as the coach's lists show them: name, then email. */
export function nameAndEmail(person: { name: string; email: string }, end = ""): RegExp {
  return new RegExp(`^${literal(person.name)}\\s*${literal(person.email)}${end}`);
}

export async function signOut(page: Page) {
  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/login$/);
}
