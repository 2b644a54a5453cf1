import { uniqueName } from "../support/factories";
import { expect, test, today } from "./fixtures";

test("a client gets 403 on coach and admin pages", async ({ make, signedIn }) => {
  const page = await signedIn(await make.client());
  for (const path of ["/coach", "/admin", "/admin/settings"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  }
});

test("a coach reaches the coach dashboard but gets 403 on admin pages", async ({ make, signedIn }) => {
  const page = await signedIn(await make.coach());
  await page.goto("/coach");
  await expect(page.getByRole("heading", { name: "Coach dashboard" })).toBeVisible();
  const response = await page.goto("/admin");
  expect(response?.status()).toBe(403);
});

test("an unknown page answers 404 with the layout", async ({ page }) => {
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
});

// The studio settings are one set for the whole studio, shared with every test running alongside (and with
// this file's twin in the other JS mode): these tests say so (`changesStudioSettings`), and the fixture runs
// them one at a time across workers and projects and writes every setting back afterwards. They flip only the
// appointments switch, which no page shows yet (which areas the navigation shows for each switch is a unit
// test, navigation.test.ts), and leave the late-cancel cut-off at the 2 hours the booking spec relies on.
test.describe("studio settings", () => {
  test.use({ changesStudioSettings: true });

  test("an admin switches a feature on, and off again", async ({ make, signedIn }) => {
    const page = await signedIn(await make.admin());
    const appointments = () => page.getByLabel("1-to-1 appointments");
    await page.goto("/admin/settings");
    await expect(appointments()).not.toBeChecked();
    await appointments().check();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status")).toContainText("Settings saved.");
    await page.goto("/admin/settings");
    await expect(appointments()).toBeChecked();

    await appointments().uncheck();
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByRole("status")).toContainText("Settings saved.");
    await page.goto("/admin/settings");
    await expect(appointments()).not.toBeChecked();
    await expect(page.getByLabel("Default late-cancel cut-off (hours)")).toHaveValue("2");
  });

  test("a bad value is refused with the typed value kept, and nothing is saved", async ({ make, signedIn }) => {
    const page = await signedIn(await make.admin());
    const appointments = () => page.getByLabel("1-to-1 appointments");
    const cutOff = () => page.getByLabel("Default late-cancel cut-off (hours)");
    await page.goto("/admin/settings");
    await expect(appointments()).not.toBeChecked();
    await appointments().check();
    await cutOff().fill("-3");
    await page.getByRole("button", { name: "Save settings" }).click();
    await expect(page.getByText("Use 0 or more hours.")).toBeVisible();
    await expect(cutOff()).toHaveValue("-3");

    await page.goto("/admin/settings");
    await expect(appointments()).not.toBeChecked();
    await expect(cutOff()).toHaveValue("2");
  });
});

// The figures are the seeded studio's (other tests only add people, plans and sessions of their own).
test("the admin dashboard shows the people, the memberships in effect and today's classes", async ({ make, signedIn }) => {
  const title = uniqueName("Today's class");
  const session = await make.session({ date: today, time: "23:30", durationMins: 25, capacity: 8, title });
  const page = await signedIn(await make.admin());
  await page.goto("/admin");
  const people = page.getByRole("region", { name: "People" });
  await expect(people.getByRole("definition")).toHaveText([/^\d+$/, /^\d+$/, /^\d+$/]);
  await expect(people.getByRole("term")).toHaveText(["Clients", "Coaches", "Admins"]);
  const memberships = page.getByRole("region", { name: "Memberships in effect" });
  await expect(memberships.getByRole("term")).toHaveText(["Recurring", "Packs", "Prepaid passes", "Paused"]);
  await expect(memberships.getByRole("definition")).toHaveText([/^\d+$/, /^\d+$/, /^\d+$/, /^\d+$/]);
  // The seed gives clients 1–20 a recurring plan.
  expect(Number(await memberships.getByRole("definition").first().textContent())).toBeGreaterThan(10);
  const todays = page.getByRole("region", { name: "Today at the studio" });
  await expect(todays).toContainText(/\d+ of \d+ places booked/);
  await expect(todays.getByRole("link", { name: new RegExp(title) })).toHaveAttribute("href", `/coach/sessions/${session.id}`);
});
