import { expect, test, type Locator, type Page, type TestInfo } from "@playwright/test";
import { addDays, formatDayHeading, mondayOf, todayIn } from "../../app/utils/time";
import { accountFor, signIn } from "./helpers";

// Both projects share one seeded database, so every test picks names and dates of its own per project.
// Dates are counted from the studio's current week, which the seed fills with 26 weeks of timetable.
const ZONE = "Europe/London";
const today = todayIn(ZONE);
const thisMonday = mondayOf(today);
const nextMonday = addDays(thisMonday, 7);

function perProject<T>(testInfo: TestInfo, jsOn: T, jsOff: T): T {
  return testInfo.project.name === "js-off" ? jsOff : jsOn;
}

async function signInAsCoach(page: Page, email = "clare@centurion.test") {
  await signIn(page, email);
  await expect(page).toHaveURL(/\/coach$/);
}

/** The flash message at the top of the page (the first live region of the layout). */
function flash(page: Page): Locator {
  return page.getByRole("status").first();
}

/** Clicks a submit button and returns the status of its POST: a fetch with JavaScript, a page load without. */
async function submitStatus(page: Page, button: Locator): Promise<number> {
  const [response] = await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), button.click()]);
  return response.status();
}

async function createClassType(page: Page, classType: { name: string; colour: string; capacity: number; duration: number }) {
  await page.goto("/coach/class-types");
  await page.getByLabel("Name", { exact: true }).fill(classType.name);
  await page.getByLabel("Colour").fill(classType.colour);
  await page.getByLabel("Default capacity").fill(String(classType.capacity));
  await page.getByLabel("Default duration (minutes)").fill(String(classType.duration));
  await page.getByRole("button", { name: "Create class type" }).click();
  await expect(flash(page)).toHaveText(`Class type “${classType.name}” created.`);
}

/** A class type on the class types page, found by its edit link. */
function classTypeCard(page: Page, name: string): Locator {
  return page.getByRole("main").getByRole("listitem").filter({ has: page.getByRole("link", { name: `Edit ${name}`, exact: true }) });
}

/** The week grid's cell for an hour row ("06:00") and a day column (0 = Monday … 6 = Sunday). */
function weekCell(page: Page, hour: string, day: number): Locator {
  return page.getByRole("row").filter({ has: page.getByRole("rowheader", { name: hour, exact: true }) }).getByRole("cell").nth(day);
}

test.describe("class types", () => {
  test("a coach creates a class type, is told what is wrong, edits it and deactivates it", async ({ page }, testInfo) => {
    const name = `Pilates ${testInfo.project.name}`;
    const renamed = `Mat Pilates ${testInfo.project.name}`;
    await signInAsCoach(page);
    await page.goto("/coach/class-types");
    await expect(page.getByRole("heading", { name: "Class types", level: 1 })).toBeVisible();
    await expect(classTypeCard(page, "HIIT")).toContainText("25 min · 10 places");

    // Blank name, a colour word and no places: each field says what is wrong and keeps what was typed.
    await page.getByLabel("Name", { exact: true }).fill("");
    await page.getByLabel("Description").fill("Slow and strong");
    await page.getByLabel("Colour").fill("blue");
    await page.getByLabel("Default capacity").fill("0");
    await page.getByLabel("Default duration (minutes)").fill("50");
    expect(await submitStatus(page, page.getByRole("button", { name: "Create class type" }))).toBe(400);
    await expect(page.getByRole("alert")).toHaveText("Please correct the fields marked below.");
    await expect(page.getByLabel("Name", { exact: true })).toHaveAccessibleDescription("Enter a name.");
    await expect(page.getByLabel("Name", { exact: true })).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Colour")).toHaveAccessibleDescription(/Use a hex colour like #1d4ed8\./);
    await expect(page.getByLabel("Default capacity")).toHaveAccessibleDescription("The capacity must be at least 1.");
    await expect(page.getByLabel("Colour")).toHaveValue("blue");
    await expect(page.getByLabel("Default capacity")).toHaveValue("0");
    await expect(page.getByLabel("Default duration (minutes)")).toHaveValue("50");
    await expect(page.getByLabel("Description")).toHaveValue("Slow and strong");

    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Colour").fill("#7C3AED");
    await page.getByLabel("Default capacity").fill("8");
    await page.getByRole("button", { name: "Create class type" }).click();
    await expect(flash(page)).toHaveText(`Class type “${name}” created.`);
    await expect(classTypeCard(page, name)).toContainText("50 min · 8 places");
    await expect(classTypeCard(page, name)).not.toContainText("Inactive");

    // Editing: the form starts from the saved values (colour in lower case), a bad duration is refused, then saved.
    await page.getByRole("link", { name: `Edit ${name}`, exact: true }).click();
    await expect(page.getByRole("heading", { name: `Edit ${name}`, level: 1 })).toBeVisible();
    await expect(page.getByLabel("Colour")).toHaveValue("#7c3aed");
    await expect(page.getByLabel("Description")).toHaveValue("Slow and strong");
    await page.getByLabel("Name", { exact: true }).fill(renamed);
    await page.getByLabel("Default duration (minutes)").fill("2");
    expect(await submitStatus(page, page.getByRole("button", { name: "Save changes" }))).toBe(400);
    await expect(page.getByLabel("Default duration (minutes)")).toHaveAccessibleDescription("The duration must be at least 5.");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(renamed);
    await page.getByLabel("Default duration (minutes)").fill("55");
    await page.getByLabel("Default capacity").fill("10");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(flash(page)).toHaveText(`Class type “${renamed}” saved.`);
    await expect(classTypeCard(page, renamed)).toContainText("55 min · 10 places");
    await expect(classTypeCard(page, name)).toHaveCount(0);

    await page.getByRole("link", { name: `Edit ${renamed}`, exact: true }).click();
    await page.getByRole("button", { name: "Deactivate this class type" }).click();
    await expect(flash(page)).toHaveText(`“${renamed}” is deactivated; its sessions stay as they are.`);
    await expect(classTypeCard(page, renamed)).toContainText("Inactive");
    await expect(classTypeCard(page, "HIIT")).not.toContainText("Inactive");

    // New sessions can no longer pick it.
    await page.goto("/coach/sessions/new");
    await expect(page.getByLabel("Class type").getByRole("option", { name: "HIIT" })).toHaveCount(1);
    await expect(page.getByLabel("Class type").getByRole("option", { name: renamed })).toHaveCount(0);
  });
});

test.describe("one session at a time", () => {
  test("a session takes its class type's title, capacity and length; bad input answers 400 with messages", async ({ page }, testInfo) => {
    const name = `Spin ${testInfo.project.name}`;
    const option = `${name} (45 min, 8 places)`;
    // A Monday (js-on) or Tuesday (js-off) about fourteen weeks ahead.
    const date = addDays(thisMonday, 14 * 7 + perProject(testInfo, 0, 1));
    const yesterday = addDays(today, -1);
    await signInAsCoach(page);
    await createClassType(page, { name, colour: "#f59e0b", capacity: 8, duration: 45 });

    await page.goto("/coach/sessions/new");
    await expect(page.getByRole("heading", { name: "New session", level: 1 })).toBeVisible();
    const classType = page.getByLabel("Class type");
    const title = page.getByLabel("Title");
    const day = page.getByLabel("Date", { exact: true });
    const start = page.getByLabel("Start time");
    const end = page.getByLabel("End time");
    const capacity = page.getByLabel("Capacity");
    const create = page.getByRole("button", { name: "Create session" });

    await day.fill(date);
    await start.fill("18:00");
    await classType.selectOption({ label: option });
    if (testInfo.project.name === "js-on") {
      // With JavaScript, picking the class type fills its defaults in at once.
      await expect(title).toHaveValue(name);
      await expect(capacity).toHaveValue("8");
      await expect(end).toHaveValue("18:45");
    }

    // The end before the start.
    await title.fill("");
    await capacity.fill("");
    await end.fill("17:00");
    expect(await submitStatus(page, create)).toBe(400);
    await expect(page.getByRole("alert")).toHaveText("Please correct the fields marked below.");
    await expect(end).toHaveAccessibleDescription(/The end must be after the start\./);
    await expect(end).toHaveAttribute("aria-invalid", "true");
    await expect(end).toHaveValue("17:00");
    await expect(day).toHaveValue(date);
    await expect(start).toHaveValue("18:00");
    await expect(classType.locator("option:checked")).toHaveText(option);

    // No places.
    await end.fill("");
    await capacity.fill("0");
    expect(await submitStatus(page, create)).toBe(400);
    await expect(capacity).toHaveAccessibleDescription(/The capacity must be at least 1\./);
    await expect(capacity).toHaveValue("0");
    await expect(end).not.toHaveAttribute("aria-invalid");

    // A day that has gone.
    await capacity.fill("");
    await day.fill(yesterday);
    expect(await submitStatus(page, create)).toBe(400);
    await expect(day).toHaveAccessibleDescription("Choose a start time in the future.");
    await expect(day).toHaveValue(yesterday);
    await expect(start).toHaveValue("18:00");

    // A class type that is not in the list (the option's value tampered with before posting).
    await day.fill(date);
    await classType.evaluate((select: HTMLSelectElement, label) => {
      const tampered = [...select.options].find((o) => o.text === label)!;
      tampered.value = "999999";
      tampered.selected = true;
    }, option);
    await title.fill("Tampered");
    expect(await submitStatus(page, create)).toBe(400);
    await expect(classType).toHaveAccessibleDescription("Choose a class type from the list.");
    await expect(title).toHaveValue("Tampered");
    await expect(day).toHaveValue(date);
    await expect(start).toHaveValue("18:00");

    // Now properly: title, capacity and end left blank take the class type's.
    await page.goto("/coach/sessions/new");
    await day.fill(date);
    await start.fill("18:00");
    await classType.selectOption({ label: option });
    await title.fill("");
    await capacity.fill("");
    await end.fill("");
    await create.click();
    await expect(page).toHaveURL(/\/coach\/sessions\/\d+$/);
    await expect(flash(page)).toHaveText(`Session “${name}” created.`);
    const heading = page.getByRole("heading", { level: 1 });
    await expect(heading).toContainText(name);
    await expect(heading).toContainText("Scheduled");
    const main = page.getByRole("main");
    await expect(main).toContainText(`When: ${formatDayHeading(date)}, 18:00–18:45`);
    await expect(main).toContainText("Places: 0 of 8 places");
    await expect(main).toContainText(`Class type: ${name}`);
    await expect(main).toContainText("Coach: Clare Cuming");
    await expect(main).toContainText("Where: Hitsona Bangor");
    await expect(page.getByRole("heading", { name: "Registered (0 of 8)" })).toBeVisible();

    // Editing it: an end before the start is refused, a longer session with fewer places is saved.
    await page.getByRole("link", { name: "Edit session" }).click();
    await expect(page.getByRole("heading", { name: `Edit ${name}`, level: 1 })).toBeVisible();
    await expect(start).toHaveValue("18:00");
    await expect(end).toHaveValue("18:45");
    await expect(capacity).toHaveValue("8");
    await end.fill("17:30");
    expect(await submitStatus(page, page.getByRole("button", { name: "Save changes" }))).toBe(400);
    await expect(end).toHaveAccessibleDescription("The end must be after the start.");
    await expect(end).toHaveValue("17:30");
    await end.fill("19:00");
    await capacity.fill("6");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect(flash(page)).toHaveText("Session saved.");
    await expect(main).toContainText(`When: ${formatDayHeading(date)}, 18:00–19:00`);
    await expect(main).toContainText("Places: 0 of 6 places");
  });
});

test.describe("the recurring generator", () => {
  /** Opens the generator and fills in a series; the days are ticked exactly as given. */
  async function fillSeries(page: Page, series: { classType: string; days: string[]; times: string; from: string; to: string }) {
    await page.goto("/coach/sessions/recurring");
    await expect(page.getByRole("heading", { name: "Recurring sessions", level: 1 })).toBeVisible();
    await page.getByLabel("Class type").selectOption({ label: series.classType });
    for (const day of ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]) {
      await page.getByRole("checkbox", { name: day, exact: true }).setChecked(series.days.includes(day));
    }
    await page.getByLabel("Start times").fill(series.times);
    await page.getByLabel("From", { exact: true }).fill(series.from);
    await page.getByLabel("To (inclusive)").fill(series.to);
  }

  test("no days and a time that does not exist answer 400 with messages by the fields", async ({ page }) => {
    const from = addDays(thisMonday, 24 * 7);
    const to = addDays(from, 4);
    await signInAsCoach(page);
    await fillSeries(page, { classType: "HIIT", days: [], times: "06:30, 25:00", from, to });
    expect(await submitStatus(page, page.getByRole("button", { name: "Preview" }))).toBe(400);
    await expect(page.getByRole("alert")).toHaveText("Please correct the fields marked below.");
    await expect(page.getByRole("group", { name: "Days" })).toHaveAccessibleDescription("Choose at least one day.");
    await expect(page.getByLabel("Start times")).toHaveValue("06:30, 25:00");
    await expect(page.getByLabel("From", { exact: true })).toHaveValue(from);
    await expect(page.getByLabel("To (inclusive)")).toHaveValue(to);
    await expect(page.getByRole("checkbox", { checked: true })).toHaveCount(0);
    await expect(page.getByLabel("Class type").locator("option:checked")).toHaveText("HIIT");
    await expect(page.getByLabel("Start times")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Start times")).toHaveAccessibleDescription(/Enter times as HH:MM, separated by commas/);
  });

  test("a Mon/Wed/Fri series is previewed, created, and creates nothing the second time", async ({ page }, testInfo) => {
    const name = `Rowing ${testInfo.project.name}`;
    // Three weeks, Monday to Friday, away from the other project's series and the weeks other tests look at.
    const from = addDays(thisMonday, perProject(testInfo, 16, 20) * 7);
    const to = addDays(from, 18);
    const series = { classType: name, days: ["Mon", "Wed", "Fri"], times: "20:30", from, to };
    await signInAsCoach(page);
    await createClassType(page, { name, colour: "#0891b2", capacity: 6, duration: 30 });
    const preview = page.getByRole("button", { name: "Preview" });
    const createAll = page.getByRole("button", { name: "Create sessions" });

    await fillSeries(page, series);
    await preview.click();
    await expect(page.getByRole("heading", { name: `Preview: ${name} with Clare Cuming` })).toBeVisible();
    await expect(page.getByText("9 to create, 0 already there, 0 in the past.")).toBeVisible();
    const rows = page.getByRole("table").getByRole("row");
    await expect(rows).toHaveCount(1 + 9);
    await expect(rows.nth(1)).toHaveText(/20:30\s*Will be created/);
    // The form keeps the series, so it can be created straight from the preview.
    await expect(page.getByLabel("Start times")).toHaveValue("20:30");
    await createAll.click();
    await expect(page).toHaveURL(/\/coach\/sessions$/);
    await expect(flash(page)).toHaveText("Created 9 sessions; skipped 0 (already there or in the past).");

    await page.goto(`/coach/sessions/calendar?view=week&date=${from}`);
    await expect(weekCell(page, "20:00", 0)).toContainText(`20:30–21:00 ${name}`);
    await expect(weekCell(page, "20:00", 2)).toContainText(`20:30–21:00 ${name}`);
    await expect(weekCell(page, "20:00", 4)).toContainText(`20:30–21:00 ${name}`);
    await expect(weekCell(page, "20:00", 1)).toHaveText("");

    await fillSeries(page, series);
    await preview.click();
    await expect(page.getByText("0 to create, 9 already there, 0 in the past.")).toBeVisible();
    await expect(rows.nth(1)).toHaveText(/20:30\s*Already exists/);
    await createAll.click();
    await expect(flash(page)).toHaveText("Created 0 sessions; skipped 9 (already there or in the past).");
  });
});

test.describe("the calendar", () => {
  test("next week's grid and Monday's day list show the seeded timetable; the arrows and Today move about", async ({ page }) => {
    await signInAsCoach(page, "rory@centurion.test");
    await page.goto("/coach/sessions/calendar");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Week of ${formatDayHeading(thisMonday)}`);
    await expect(page.getByText("Times in Europe/London.")).toBeVisible();

    await page.getByRole("link", { name: "Next week" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Week of ${formatDayHeading(nextMonday)}`);
    const week = Array.from({ length: 7 }, (_, i) => addDays(nextMonday, i));
    await expect(page.getByRole("columnheader")).toHaveText(["Time", ...week.map(formatDayHeading)]);
    await expect(page.getByRole("rowheader")).toHaveText(["06:00", "07:00", "08:00", "09:00", "10:00", "12:00", "17:00", "18:00", "19:00"]);

    // Monday 06:30 HIIT in Monday's column of the 06:00 row; Saturday starts at 08:45.
    await expect(weekCell(page, "06:00", 0).getByRole("link")).toHaveText([/^06:30–06:55 HIIT/]);
    await expect(weekCell(page, "06:00", 5)).toHaveText("");
    await expect(weekCell(page, "08:00", 5).getByRole("link")).toHaveText([/^08:45–09:10 HIIT/]);
    await expect(weekCell(page, "08:00", 0)).toHaveText("");
    await expect(weekCell(page, "10:00", 0).getByRole("link")).toHaveText([/^10:05–10:30 HIIT/, /^10:35–11:00 CORE/]);
    await expect(weekCell(page, "07:00", 2).getByRole("link")).toHaveText([/^07:00–07:25 HIIT/, /^07:30–07:55 CORE/]);
    for (const hour of ["06:00", "09:00", "17:00"]) await expect(weekCell(page, hour, 6)).toHaveText("");

    // Monday's day view: its ten classes in time order.
    await page.getByRole("link", { name: formatDayHeading(nextMonday) }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(formatDayHeading(nextMonday));
    await expect(page.getByRole("main").getByRole("listitem")).toHaveText([
      /^06:30–06:55 HIIT/,
      /^07:00–07:25 HIIT/,
      /^09:30–09:55 HIIT/,
      /^10:05–10:30 HIIT/,
      /^10:35–11:00 CORE/,
      /^12:30–12:55 HIIT/,
      /^17:30–17:55 HIIT/,
      /^18:05–18:30 HIIT/,
      /^18:35–19:00 CORE/,
      /^19:05–19:30 HIIT/,
    ]);

    await page.getByRole("link", { name: "Next day" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(formatDayHeading(addDays(nextMonday, 1)));
    await expect(page.getByRole("main").getByRole("listitem")).toHaveCount(8);
    await page.getByRole("link", { name: "Previous day" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(formatDayHeading(nextMonday));
    await page.getByRole("link", { name: "Previous day" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(formatDayHeading(addDays(nextMonday, -1)));
    await page.getByRole("link", { name: "Today", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(formatDayHeading(today));
    await expect(page.getByRole("link", { name: "Day", exact: true })).toHaveAttribute("aria-current", "page");

    await page.getByRole("link", { name: "Week", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Week of ${formatDayHeading(thisMonday)}`);
    await page.getByRole("link", { name: "Previous week" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Week of ${formatDayHeading(addDays(thisMonday, -7))}`);
    await page.getByRole("link", { name: "Today", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Week of ${formatDayHeading(thisMonday)}`);
  });
});

test.describe("cancelling a session", () => {
  test("a reason is required; the session then shows as cancelled on its page, the calendar and the list", async ({ page }, testInfo) => {
    // The 12:30 HIIT six weeks ahead, beyond the booking window, so nobody is booked on it:
    // Tuesday's for js-on, Thursday's for js-off.
    const weekday = perProject(testInfo, 1, 3);
    const date = addDays(thisMonday, 6 * 7 + weekday);
    await signInAsCoach(page, "gav@centurion.test");
    await page.goto(`/coach/sessions/calendar?view=day&date=${date}`);
    await page.getByRole("link", { name: /^12:30–12:55 HIIT/ }).click();
    await expect(page).toHaveURL(/\/coach\/sessions\/\d+$/);
    const heading = page.getByRole("heading", { level: 1 });
    await expect(heading).toContainText("HIIT");
    await expect(heading).toContainText("Scheduled");
    await expect(page.getByRole("main")).toContainText(`When: ${formatDayHeading(date)}, 12:30–12:55`);

    const reason = page.getByRole("textbox", { name: "Reason" });
    const cancel = page.getByRole("button", { name: "Cancel session" });
    expect(await submitStatus(page, cancel)).toBe(400);
    await expect(reason).toHaveAccessibleDescription("Say why the session is cancelled.");
    await expect(reason).toHaveAttribute("aria-invalid", "true");
    await expect(heading).toContainText("Scheduled");

    await reason.fill("The studio floor is being resurfaced.");
    await cancel.click();
    await expect(flash(page)).toHaveText("Session cancelled. 0 clients were notified.");
    await expect(heading).toContainText("Cancelled");
    await expect(page.getByRole("main")).toContainText("Cancelled: The studio floor is being resurfaced.");
    await expect(page.getByRole("button", { name: "Cancel session" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Edit session" })).toHaveCount(0);

    // On the calendar it is struck through and marked Cancelled.
    await page.getByRole("link", { name: "← Calendar" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Week of ${formatDayHeading(addDays(thisMonday, 6 * 7))}`);
    const chip = weekCell(page, "12:00", weekday).getByRole("link", { name: /^12:30–12:55 HIIT/ });
    await expect(chip).toContainText("Cancelled");
    await expect(chip.getByText("HIIT", { exact: true })).toHaveCSS("text-decoration-line", "line-through");
    await expect(weekCell(page, "12:00", 0).getByRole("link")).not.toContainText("Cancelled");

    // The list's status filter finds it.
    await page.goto("/coach/sessions");
    const filters = page.getByRole("form", { name: "Filter sessions" });
    await filters.getByLabel("From", { exact: true }).fill(date);
    await filters.getByLabel("To", { exact: true }).fill(date);
    await filters.getByLabel("Status").selectOption({ label: "Cancelled" });
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/status=CANCELLED/);
    await expect(page.getByText("1 session · page 1 of 1")).toBeVisible();
    const items = page.getByRole("main").getByRole("listitem");
    await expect(items).toHaveCount(1);
    await expect(items).toContainText(formatDayHeading(date));
    await expect(items).toContainText("12:30–12:55");
    await expect(items).toContainText("Cancelled");
  });
});

test.describe("the session list", () => {
  test("filtering next week by class type and coach shows only those sessions", async ({ page }) => {
    const nextSunday = addDays(nextMonday, 6);
    const nextWeek = Array.from({ length: 7 }, (_, i) => formatDayHeading(addDays(nextMonday, i)));
    await signInAsCoach(page, "josh@centurion.test");
    await page.goto("/coach/sessions");
    await expect(page.getByRole("heading", { name: "Sessions", level: 1 })).toBeVisible();
    const filters = page.getByRole("form", { name: "Filter sessions" });
    await filters.getByLabel("From", { exact: true }).fill(nextMonday);
    await filters.getByLabel("To", { exact: true }).fill(nextSunday);
    await filters.getByLabel("Class type").selectOption({ label: "CORE" });
    await filters.getByRole("button", { name: "Filter" }).click();
    // The timetable has nine CORE classes a week.
    await expect(page.getByText("9 sessions · page 1 of 1")).toBeVisible();
    const items = page.getByRole("main").getByRole("listitem");
    await expect(items).toHaveCount(9);
    for (const item of await items.all()) await expect(item).toContainText("CORE");

    await filters.getByLabel("Coach").selectOption({ label: "Rory Stephens" });
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/classType=\d+.*coach=\d+/);
    const summary = await page.getByText(/^\d+ sessions? · page 1 of 1$/).textContent();
    const count = Number(summary!.split(" ")[0]);
    expect(count).toBeGreaterThan(0);
    await expect(items).toHaveCount(count);
    for (const item of await items.all()) {
      await expect(item).toContainText("CORE");
      await expect(item).toContainText("Rory Stephens");
      await expect(item).not.toContainText("HIIT");
    }
    for (const dayHeading of await page.getByRole("main").getByRole("heading", { level: 2 }).allTextContents()) {
      expect(nextWeek).toContain(dayHeading);
    }
    // The form shows the filters in use.
    await expect(filters.getByLabel("Class type").locator("option:checked")).toHaveText("CORE");
    await expect(filters.getByLabel("Coach").locator("option:checked")).toHaveText("Rory Stephens");
    await expect(filters.getByLabel("From", { exact: true })).toHaveValue(nextMonday);
  });
});

test("a client gets 403 on the class types and new session pages, and cannot post to them", async ({ page }, testInfo) => {
  await signIn(page, accountFor(testInfo, 13, 14));
  await expect(page).toHaveURL(/\/client$/);
  for (const path of ["/coach/class-types", "/coach/sessions/new"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  }
  const post = await page.request.post("/coach/class-types", {
    form: { intent: "create", name: `Sneaky ${testInfo.project.name}`, color: "#000000", defaultCapacity: "5", defaultDurationMins: "30" },
    maxRedirects: 0,
  });
  expect(post.status()).toBe(403);
});
