import type { Locator, Page } from "@playwright/test";
import { parse } from "csv-parse/sync";
import { readFile } from "node:fs/promises";
import { uniqueName } from "../support/factories";
import { expect, test } from "./fixtures";
import { flash } from "./helpers";

// Reports read the whole studio, and the seed and other tests add their own sessions: each test makes its
// own class type and coach (unique names) in a fortnight of 2020 and reads its own row by class type.
const FROM = "2020-03-02";
const TO = "2020-03-15";

function region(page: Page, name: string): Locator {
  return page.getByRole("region", { name, exact: true });
}

/** The cells of a table's row, found by its row header. */
async function rowOf(table: Locator, header: string): Promise<string[]> {
  const row = table.getByRole("row").filter({ has: table.page().getByRole("rowheader", { name: header, exact: true }) });
  return (await row.locator("th, td").allInnerTexts()).map((cell) => cell.trim());
}

async function downloadCsv(page: Page, link: Locator): Promise<{ name: string; rows: string[][] }> {
  const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
  const text = await readFile(await download.path(), "utf8");
  return { name: download.suggestedFilename(), rows: parse(text, { bom: true }) as string[][] };
}

test("an admin reports attendance and utilisation for chosen dates, with charts, and downloads them as CSV", async ({ make, signedIn }) => {
  const coach = await make.coach();
  const classType = await make.classType();
  const clients = await Promise.all(Array.from({ length: 4 }, () => make.client()));
  const first = await make.session({ date: "2020-03-03", time: "06:30", coach, classType, capacity: 8 });
  for (const [i, status] of (["ATTENDED", "ATTENDED", "NO_SHOW", "LATE_CANCELLED"] as const).entries()) {
    await make.registration({ session: first, user: clients[i], status });
  }
  const second = await make.session({ date: "2020-03-10", time: "18:05", coach, classType, capacity: 4 });
  for (const [i, status] of (["ATTENDED", "ATTENDED", "ATTENDED", "REGISTERED"] as const).entries()) {
    await make.registration({ session: second, user: clients[i], status });
  }

  const page = await signedIn(await make.admin());
  await page.goto("/admin");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" }).click();
  await expect(page.getByRole("heading", { name: "Reports", level: 1 })).toBeVisible();
  // The default: the last 8 weeks by week, a table and a chart for each report.
  await expect(region(page, "Attendance").getByRole("table", { name: "Attendance by week" }).getByRole("row")).toHaveCount(1 + 8 + 1);
  for (const name of ["Attendance by week chart", "Utilisation by week chart", "Memberships in effect by month chart"]) {
    await expect(page.getByRole("img", { name: new RegExp(`^${name}`) })).toBeVisible();
  }

  const dates = page.getByRole("form", { name: "Choose the dates" });
  await dates.getByLabel("From").fill(FROM);
  await dates.getByLabel("To").fill(TO);
  await dates.getByLabel("Group sessions by").selectOption({ label: "Class type" });
  await dates.getByRole("button", { name: "Show" }).click();
  await expect(page).toHaveURL(new RegExp(`from=${FROM}&to=${TO}&by=class-type`));
  await expect(page.getByRole("status").filter({ hasText: "Sessions from" })).toContainText("Mon 2 Mar 2020 to Sun 15 Mar 2020");

  const attendance = region(page, "Attendance").getByRole("table", { name: "Attendance by class type" });
  await expect(attendance.getByRole("rowheader", { name: classType.name, exact: true })).toBeVisible();
  // Sessions, booked, attended, no-shows, not marked, late cancels.
  expect(await rowOf(attendance, classType.name)).toEqual([classType.name, "2", "7", "5", "1", "1", "1"]);
  const utilisation = region(page, "Utilisation").getByRole("table", { name: "Utilisation by class type" });
  expect(await rowOf(utilisation, classType.name)).toEqual([classType.name, "2", "12", "7", "58.3%"]);
  await expect(page.getByRole("img", { name: /^Attendance by class type chart/ })).toBeVisible();
  await expect(page.getByRole("img", { name: /^Utilisation by class type chart/ })).toBeVisible();

  const csv = await downloadCsv(page, page.getByRole("link", { name: "Download attendance (CSV)" }));
  expect(csv.name).toBe(`centurion-attendance-by-class-type-${FROM}-to-${TO}.csv`);
  expect(csv.rows[0]).toEqual(["Class type", "Sessions", "Booked", "Attended", "No-shows", "Not marked", "Late cancels"]);
  expect(csv.rows).toContainEqual([classType.name, "2", "7", "5", "1", "1", "1"]);
});

test("an admin exports the members with their pack balances as CSV", async ({ make, signedIn }) => {
  const { person, membership } = await make.member({ type: "PACK", totalSessions: 10 }, { sessionsRemaining: 6 }, { name: uniqueName('Comma, "Quoted"') });
  const page = await signedIn(await make.admin());
  await page.goto("/admin/reports");
  const csv = await downloadCsv(page, page.getByRole("link", { name: "Export members (CSV)" }));
  expect(csv.name).toMatch(/^centurion-members-\d{4}-\d{2}-\d{2}\.csv$/);
  const header = csv.rows[0];
  const row = csv.rows.find((cells) => cells[header.indexOf("Membership ID")] === String(membership.id));
  expect(row?.[header.indexOf("Name")]).toBe(person.name);
  expect(row?.[header.indexOf("Sessions remaining")]).toBe("6");
  expect(row?.[header.indexOf("Total sessions")]).toBe("10");
});

test("reports are for admins only", async ({ make, signedIn }) => {
  for (const person of [await make.coach(), await make.client()]) {
    const page = await signedIn(person);
    const response = await page.goto("/admin/reports");
    expect(response?.status(), person.role).toBe(403);
    await expect(page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Reports" })).toHaveCount(0);
  }
});

// Studio-wide settings: the fixture runs this test alone among those that change settings and writes every
// setting back afterwards (fixtures.ts). Cohorts are off only for the few seconds between the two saves.
test.describe("feature switches", () => {
  test.use({ changesStudioSettings: true });

  test("switching cohorts off on the settings page makes their pages answer 404 and their link disappear, until switched on again", async ({
    make,
    signedIn,
  }) => {
    const coachPage = await signedIn(await make.coach());
    const adminPage = await signedIn(await make.admin());
    const errors: string[] = [];
    coachPage.on("pageerror", (error) => errors.push(error.message));
    const cohortsLink = (page: Page) => page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Cohorts", exact: true });
    const setCohorts = async (on: boolean) => {
      await adminPage.goto("/admin/settings");
      await adminPage.getByLabel("Cohort programmes").setChecked(on);
      await adminPage.getByRole("button", { name: "Save settings" }).click();
      await expect(flash(adminPage)).toContainText("Settings saved.");
    };

    await coachPage.goto("/coach");
    await expect(cohortsLink(coachPage)).toBeVisible();

    await setCohorts(false);
    // The coach's page was loaded before: following its link now finds nothing (a data fetch with JS, a page without).
    await cohortsLink(coachPage).click();
    await expect(coachPage.getByRole("heading", { name: "Page not found" })).toBeVisible();
    const response = await coachPage.goto("/coach/cohorts");
    expect(response?.status()).toBe(404);
    await expect(coachPage.getByRole("heading", { name: "Page not found" })).toBeVisible();
    await expect(cohortsLink(coachPage)).toHaveCount(0);
    await expect(coachPage.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Sessions" })).toBeVisible();
    expect((await coachPage.goto("/coach/cohorts/new"))?.status()).toBe(404);
    expect((await adminPage.goto("/coach/cohorts"))?.status()).toBe(404);

    await setCohorts(true);
    expect((await coachPage.goto("/coach/cohorts"))?.status()).toBe(200);
    await expect(coachPage.getByRole("heading", { level: 1 })).not.toHaveText("Page not found");
    await expect(cohortsLink(coachPage)).toBeVisible();
    expect(errors).toEqual([]);
  });
});
