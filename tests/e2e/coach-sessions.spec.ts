import type { Locator, Page } from "@playwright/test";
import { addDays, formatDate, formatDayHeading } from "../../app/utils/time";
import { uniqueName } from "../support/factories";
import { bookingDay, expect, nextMonday, SEED_WEEK, test, thisMonday, today, ZONE, type Make } from "./fixtures";
import { flash, jsOn, submitStatus } from "./helpers";

// Every test makes its own coach, class types and sessions, so nothing here depends on another test or on
// the seed, except the calendar tests that read the seeded timetable (in SEED_WEEK, which no test touches).

/** A class type on the class types page, found by its edit link. */
function classTypeCard(page: Page, name: string): Locator {
  return page
    .getByRole("main")
    .getByRole("listitem")
    .filter({ has: page.getByRole("link", { name: `Edit ${name}`, exact: true }) });
}

/** The week grid's cell for an hour row ("06:00") and a day column (0 = Monday … 6 = Sunday). */
function weekCell(page: Page, hour: string, day: number): Locator {
  return page
    .getByRole("row")
    .filter({ has: page.getByRole("rowheader", { name: hour, exact: true }) })
    .getByRole("cell")
    .nth(day);
}

test.describe("class types", () => {
  test("a bad class type is refused with a message by each field and the values kept", async ({ make, signedIn }) => {
    const page = await signedIn(await make.coach());
    await page.goto("/coach/class-types");
    await expect(page.getByRole("heading", { name: "Class types", level: 1 })).toBeVisible();
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
  });

  test("a coach creates a class type, and its edit form starts from the saved values", async ({ make, signedIn }) => {
    const existing = await make.classType({ defaultDurationMins: 25, defaultCapacity: 10 });
    const name = uniqueName("Pilates");
    const page = await signedIn(await make.coach());
    await page.goto("/coach/class-types");
    await expect(classTypeCard(page, existing.name)).toContainText("25 min · 10 places");
    await page.getByLabel("Name", { exact: true }).fill(name);
    await page.getByLabel("Description").fill("Slow and strong");
    await page.getByLabel("Colour").fill("#7C3AED");
    await page.getByLabel("Default capacity").fill("8");
    await page.getByLabel("Default duration (minutes)").fill("50");
    await page.getByRole("button", { name: "Create class type" }).click();
    await expect(flash(page)).toHaveText(`Class type “${name}” created.`);
    await expect(classTypeCard(page, name)).toContainText("50 min · 8 places");
    await expect(classTypeCard(page, name)).not.toContainText("Inactive");

    // The colour is saved in lower case.
    await page.getByRole("link", { name: `Edit ${name}`, exact: true }).click();
    await expect(page.getByRole("heading", { name: `Edit ${name}`, level: 1 })).toBeVisible();
    await expect(page.getByLabel("Colour")).toHaveValue("#7c3aed");
    await expect(page.getByLabel("Description")).toHaveValue("Slow and strong");
    await expect(page.getByLabel("Default capacity")).toHaveValue("8");
    await expect(page.getByLabel("Default duration (minutes)")).toHaveValue("50");
  });

  test("editing a class type: a bad duration is refused with the values kept, then the change is saved", async ({ make, signedIn }) => {
    const classType = await make.classType({ defaultCapacity: 8, defaultDurationMins: 50 });
    const renamed = uniqueName("Mat Pilates");
    const page = await signedIn(await make.coach());
    await page.goto("/coach/class-types");
    await page.getByRole("link", { name: `Edit ${classType.name}`, exact: true }).click();
    await expect(page.getByRole("heading", { name: `Edit ${classType.name}`, level: 1 })).toBeVisible();
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
    await expect(classTypeCard(page, classType.name)).toHaveCount(0);
  });

  test("a deactivated class type is marked inactive and new sessions can no longer pick it", async ({ make, signedIn }) => {
    const other = await make.classType();
    const classType = await make.classType();
    const page = await signedIn(await make.coach());
    await page.goto(`/coach/class-types`);
    await page.getByRole("link", { name: `Edit ${classType.name}`, exact: true }).click();
    await page.getByRole("button", { name: "Deactivate this class type" }).click();
    await expect(flash(page)).toHaveText(`“${classType.name}” is deactivated; its sessions stay as they are.`);
    await expect(classTypeCard(page, classType.name)).toContainText("Inactive");
    await expect(classTypeCard(page, other.name)).not.toContainText("Inactive");

    await page.goto("/coach/sessions/new");
    await expect(page.getByLabel("Class type").getByRole("option", { name: new RegExp(`^${other.name} \\(`) })).toHaveCount(1);
    await expect(page.getByLabel("Class type").getByRole("option", { name: new RegExp(`^${classType.name} \\(`) })).toHaveCount(0);
  });
});

test.describe("one session at a time", () => {
  /** A class type of 45 minutes and 8 places, and the new session form of a new coach with its fields. */
  async function newSessionForm(make: Make, signedIn: (p: { email: string; password: string }) => Promise<Page>) {
    const classType = await make.classType({ defaultCapacity: 8, defaultDurationMins: 45 });
    const coach = await make.coach();
    const page = await signedIn(coach);
    await page.goto("/coach/sessions/new");
    await expect(page.getByRole("heading", { name: "New session", level: 1 })).toBeVisible();
    return {
      page,
      coach,
      name: classType.name,
      option: `${classType.name} (45 min, 8 places)`,
      date: bookingDay(9),
      classType: page.getByLabel("Class type"),
      title: page.getByLabel("Title"),
      day: page.getByLabel("Date", { exact: true }),
      start: page.getByLabel("Start time"),
      end: page.getByLabel("End time"),
      capacity: page.getByLabel("Capacity"),
      create: page.getByRole("button", { name: "Create session" }),
    };
  }

  test("picking a class type fills its defaults in with JavaScript, and leaves the fields alone without", async ({ make, signedIn }, testInfo) => {
    const f = await newSessionForm(make, signedIn);
    await f.day.fill(f.date);
    await f.start.fill("18:00");
    await f.classType.selectOption({ label: f.option });
    if (jsOn(testInfo)) {
      await expect(f.title).toHaveValue(f.name);
      await expect(f.capacity).toHaveValue("8");
      await expect(f.end).toHaveValue("18:45");
    } else {
      // The server fills the blanks in instead (see "a session left blank…").
      await expect(f.title).toHaveValue("");
      await expect(f.capacity).toHaveValue("");
      await expect(f.end).toHaveValue("");
    }
  });

  test("an end before the start answers 400 with the message by the field and the values kept", async ({ make, signedIn }) => {
    const f = await newSessionForm(make, signedIn);
    await f.day.fill(f.date);
    await f.start.fill("18:00");
    await f.classType.selectOption({ label: f.option });
    await f.title.fill("");
    await f.capacity.fill("");
    await f.end.fill("17:00");
    expect(await submitStatus(f.page, f.create)).toBe(400);
    await expect(f.page.getByRole("alert")).toHaveText("Please correct the fields marked below.");
    await expect(f.end).toHaveAccessibleDescription(/The end must be after the start\./);
    await expect(f.end).toHaveAttribute("aria-invalid", "true");
    await expect(f.end).toHaveValue("17:00");
    await expect(f.day).toHaveValue(f.date);
    await expect(f.start).toHaveValue("18:00");
    await expect(f.classType.locator("option:checked")).toHaveText(f.option);
  });

  test("no places answers 400 with the message by the capacity", async ({ make, signedIn }) => {
    const f = await newSessionForm(make, signedIn);
    await f.day.fill(f.date);
    await f.start.fill("18:00");
    await f.classType.selectOption({ label: f.option });
    await f.title.fill("");
    await f.end.fill("");
    await f.capacity.fill("0");
    expect(await submitStatus(f.page, f.create)).toBe(400);
    await expect(f.capacity).toHaveAccessibleDescription(/The capacity must be at least 1\./);
    await expect(f.capacity).toHaveValue("0");
    await expect(f.end).not.toHaveAttribute("aria-invalid");
  });

  test("a day that has gone answers 400 with the message by the date", async ({ make, signedIn }) => {
    const f = await newSessionForm(make, signedIn);
    const yesterday = addDays(today, -1);
    await f.day.fill(yesterday);
    await f.start.fill("18:00");
    await f.classType.selectOption({ label: f.option });
    await f.title.fill("");
    await f.capacity.fill("");
    await f.end.fill("");
    expect(await submitStatus(f.page, f.create)).toBe(400);
    await expect(f.day).toHaveAccessibleDescription("Choose a start time in the future.");
    await expect(f.day).toHaveValue(yesterday);
    await expect(f.start).toHaveValue("18:00");
  });

  test("a class type that is not on the list answers 400 with the message by the field", async ({ make, signedIn }) => {
    const f = await newSessionForm(make, signedIn);
    await f.day.fill(f.date);
    await f.start.fill("18:00");
    // The option's value tampered with before posting.
    await f.classType.evaluate((select: HTMLSelectElement, label) => {
      const tampered = [...select.options].find((o) => o.text === label)!;
      tampered.value = "999999";
      tampered.selected = true;
    }, f.option);
    await f.title.fill("Tampered");
    expect(await submitStatus(f.page, f.create)).toBe(400);
    await expect(f.classType).toHaveAccessibleDescription("Choose a class type from the list.");
    await expect(f.title).toHaveValue("Tampered");
    await expect(f.day).toHaveValue(f.date);
    await expect(f.start).toHaveValue("18:00");
  });

  test("a session left blank takes its class type's title, capacity and length", async ({ make, signedIn }) => {
    const f = await newSessionForm(make, signedIn);
    await f.day.fill(f.date);
    await f.start.fill("18:00");
    await f.classType.selectOption({ label: f.option });
    await f.title.fill("");
    await f.capacity.fill("");
    await f.end.fill("");
    await f.create.click();
    await expect(f.page).toHaveURL(/\/coach\/sessions\/\d+$/);
    await expect(flash(f.page)).toHaveText(`Session “${f.name}” created.`);
    const heading = f.page.getByRole("heading", { level: 1 });
    await expect(heading).toContainText(f.name);
    await expect(heading).toContainText("Scheduled");
    const main = f.page.getByRole("main");
    await expect(main).toContainText(`When: ${formatDayHeading(f.date)}, 18:00–18:45`);
    await expect(main).toContainText("Places: 0 of 8 places");
    await expect(main).toContainText(`Class type: ${f.name}`);
    await expect(main).toContainText(`Coach: ${f.coach.name}`);
    await expect(main).toContainText("Where: Hitsona Bangor");
    await expect(f.page.getByRole("heading", { name: "Registered (0 of 8)" })).toBeVisible();
  });

  test("editing a session: an end before the start is refused, a longer session with fewer places is saved", async ({ make, signedIn }) => {
    const coach = await make.coach();
    const classType = await make.classType({ defaultCapacity: 8, defaultDurationMins: 45 });
    const date = bookingDay(10);
    const session = await make.session({ date, time: "18:00", durationMins: 45, capacity: 8, classType, coach, title: classType.name });
    const page = await signedIn(coach);
    await page.goto(`/coach/sessions/${session.id}`);
    const main = page.getByRole("main");
    const start = page.getByLabel("Start time");
    const end = page.getByLabel("End time");
    const capacity = page.getByLabel("Capacity");
    await page.getByRole("link", { name: "Edit session" }).click();
    await expect(page.getByRole("heading", { name: `Edit ${classType.name}`, level: 1 })).toBeVisible();
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

  /** Three weeks from a Monday ten weeks ahead: clear of the booking window and of SEED_WEEK. */
  const from = addDays(thisMonday, 10 * 7);
  const to = addDays(from, 18);

  test("no days and a time that does not exist answer 400 with messages by the fields", async ({ make, signedIn }) => {
    const classType = await make.classType({ defaultCapacity: 10, defaultDurationMins: 25 });
    const option = classType.name;
    const page = await signedIn(await make.coach());
    await fillSeries(page, { classType: option, days: [], times: "06:30, 25:00", from, to: addDays(from, 4) });
    expect(await submitStatus(page, page.getByRole("button", { name: "Preview" }))).toBe(400);
    await expect(page.getByRole("alert")).toHaveText("Please correct the fields marked below.");
    await expect(page.getByRole("group", { name: "Days" })).toHaveAccessibleDescription("Choose at least one day.");
    await expect(page.getByLabel("Start times")).toHaveValue("06:30, 25:00");
    await expect(page.getByLabel("From", { exact: true })).toHaveValue(from);
    await expect(page.getByLabel("To (inclusive)")).toHaveValue(addDays(from, 4));
    await expect(page.getByRole("checkbox", { checked: true })).toHaveCount(0);
    await expect(page.getByLabel("Class type").locator("option:checked")).toHaveText(option);
    await expect(page.getByLabel("Start times")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Start times")).toHaveAccessibleDescription(/Enter times as HH:MM, separated by commas/);
  });

  test("a Mon/Wed/Fri series is previewed, then created on those days", async ({ make, signedIn }) => {
    const classType = await make.classType({ defaultCapacity: 6, defaultDurationMins: 30 });
    const option = classType.name;
    const coach = await make.coach();
    const page = await signedIn(coach);
    await fillSeries(page, { classType: option, days: ["Mon", "Wed", "Fri"], times: "20:30", from, to });
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByRole("heading", { name: `Preview: ${classType.name} with ${coach.name}` })).toBeVisible();
    await expect(page.getByText("9 to create, 0 already there, 0 in the past.")).toBeVisible();
    const rows = page.getByRole("table").getByRole("row");
    await expect(rows).toHaveCount(1 + 9);
    await expect(rows.nth(1)).toHaveText(/20:30\s*Will be created/);
    // The form keeps the series, so it can be created straight from the preview.
    await expect(page.getByLabel("Start times")).toHaveValue("20:30");
    await page.getByRole("button", { name: "Create sessions" }).click();
    await expect(page).toHaveURL(/\/coach\/sessions$/);
    await expect(flash(page)).toHaveText("Created 9 sessions; skipped 0 (already there or in the past).");

    // The coach's own week: the new sessions on Monday, Wednesday and Friday only.
    await page.goto(`/coach/sessions/calendar?view=week&date=${from}&coach=${coach.id}`);
    await expect(weekCell(page, "20:00", 0)).toContainText(`20:30–21:00 ${classType.name}`);
    await expect(weekCell(page, "20:00", 2)).toContainText(`20:30–21:00 ${classType.name}`);
    await expect(weekCell(page, "20:00", 4)).toContainText(`20:30–21:00 ${classType.name}`);
    await expect(weekCell(page, "20:00", 1)).toHaveText("");
  });

  test("a series already there creates nothing the second time", async ({ make, signedIn }) => {
    const classType = await make.classType({ defaultCapacity: 6, defaultDurationMins: 30 });
    const option = classType.name;
    const coach = await make.coach();
    // The same nine sessions the generator would make: Mon, Wed and Fri at 20:30 for three weeks.
    for (let week = 0; week < 3; week++) {
      for (const weekday of [0, 2, 4]) {
        await make.session({ date: addDays(from, week * 7 + weekday), time: "20:30", durationMins: 30, capacity: 6, classType, coach, title: classType.name });
      }
    }
    const page = await signedIn(coach);
    await fillSeries(page, { classType: option, days: ["Mon", "Wed", "Fri"], times: "20:30", from, to });
    await page.getByRole("button", { name: "Preview" }).click();
    await expect(page.getByText("0 to create, 9 already there, 0 in the past.")).toBeVisible();
    await expect(page.getByRole("table").getByRole("row").nth(1)).toHaveText(/20:30\s*Already exists/);
    await page.getByRole("button", { name: "Create sessions" }).click();
    await expect(flash(page)).toHaveText("Created 0 sessions; skipped 9 (already there or in the past).");
  });
});

test.describe("the calendar", () => {
  test("a week's grid and its Monday's day list show the seeded timetable", async ({ make, signedIn }) => {
    const page = await signedIn(await make.coach());
    await page.goto(`/coach/sessions/calendar?view=week&date=${SEED_WEEK}`);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Week of ${formatDayHeading(SEED_WEEK)}`);
    await expect(page.getByText("Times in Europe/London.")).toBeVisible();
    const week = Array.from({ length: 7 }, (_, i) => addDays(SEED_WEEK, i));
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

    // Monday's day view: its ten classes in time order; Tuesday has eight.
    await page.getByRole("link", { name: formatDayHeading(SEED_WEEK) }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(formatDayHeading(SEED_WEEK));
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
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(formatDayHeading(addDays(SEED_WEEK, 1)));
    await expect(page.getByRole("main").getByRole("listitem")).toHaveCount(8);
  });

  test("the arrows and Today move about the weeks and days", async ({ make, signedIn }) => {
    const page = await signedIn(await make.coach());
    await page.goto("/coach/sessions/calendar");
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Week of ${formatDayHeading(thisMonday)}`);
    await page.getByRole("link", { name: "Next week" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Week of ${formatDayHeading(nextMonday)}`);

    await page.getByRole("link", { name: formatDayHeading(nextMonday) }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(formatDayHeading(nextMonday));
    await page.getByRole("link", { name: "Next day" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(formatDayHeading(addDays(nextMonday, 1)));
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

test.describe("attendance", () => {
  test("a coach marks attendance the day after a class and corrects it, within the studio's seven days", async ({ make, signedIn }) => {
    const coach = await make.coach();
    const client = await make.client();
    const session = await make.session({ date: addDays(today, -1), time: "18:00", durationMins: 45, coach, title: uniqueName("Yesterday") });
    await make.registration({ session, user: client, status: "REGISTERED" });
    const page = await signedIn(coach);
    await page.goto(`/coach/sessions/${session.id}`);
    await expect(page.getByRole("main")).toContainText(`Attendance can be marked and corrected until the end of ${formatDate(addDays(today, 6), ZONE)}.`);

    const attendance = page.getByRole("form", { name: `Attendance of ${client.name}` });
    await attendance.getByRole("button", { name: "No-show" }).click();
    await expect(flash(page)).toHaveText("Attendance saved.");
    await expect(attendance.getByRole("button", { name: "No-show" })).toHaveAttribute("aria-pressed", "true");

    // A correction: the client had come in after all.
    await attendance.getByRole("button", { name: "Attended" }).click();
    await expect(flash(page)).toHaveText("Attendance saved.");
    await expect(attendance.getByRole("button", { name: "Attended" })).toHaveAttribute("aria-pressed", "true");
    await expect(attendance.getByRole("button", { name: "No-show" })).toHaveAttribute("aria-pressed", "false");
  });

  test("after the window a class's attendance is shown but can no longer be changed", async ({ make, signedIn }) => {
    const coach = await make.coach();
    const client = await make.client();
    const classDay = addDays(today, -8);
    const session = await make.session({ date: classDay, time: "18:00", durationMins: 45, coach, title: uniqueName("Last week") });
    await make.registration({ session, user: client, status: "ATTENDED" });
    const page = await signedIn(coach);
    await page.goto(`/coach/sessions/${session.id}`);
    await expect(page.getByRole("main")).toContainText(`until the end of ${formatDate(addDays(classDay, 7), ZONE)}.`);
    await expect(page.getByRole("form", { name: `Attendance of ${client.name}` })).toHaveCount(0);
    await expect(page.getByRole("region", { name: /^Registered/ })).toContainText("Attended");
  });
});

test.describe("cancelling a session", () => {
  test("a reason is required", async ({ make, signedIn }) => {
    const coach = await make.coach();
    const classType = await make.classType();
    const session = await make.session({ date: bookingDay(11), time: "12:30", durationMins: 25, classType, coach, title: classType.name });
    const page = await signedIn(coach);
    await page.goto(`/coach/sessions/${session.id}`);
    const heading = page.getByRole("heading", { level: 1 });
    await expect(heading).toContainText("Scheduled");
    const reason = page.getByRole("textbox", { name: "Reason" });
    expect(await submitStatus(page, page.getByRole("button", { name: "Cancel session" }))).toBe(400);
    await expect(reason).toHaveAccessibleDescription("Say why the session is cancelled.");
    await expect(reason).toHaveAttribute("aria-invalid", "true");
    await expect(heading).toContainText("Scheduled");
    await expect(page.getByRole("button", { name: "Cancel session" })).toBeVisible();
  });

  test("a cancelled session shows as cancelled on its page, the calendar and the list", async ({ make, signedIn }) => {
    const coach = await make.coach();
    const classType = await make.classType();
    const date = bookingDay(11);
    const weekday = (new Date(`${date}T12:00:00Z`).getUTCDay() + 6) % 7;
    const session = await make.session({ date, time: "12:30", durationMins: 25, classType, coach, title: classType.name });
    // Another class that hour, which stays as it is.
    const sibling = await make.session({ date, time: "12:05", durationMins: 20, coach, title: uniqueName("Sibling") });
    const page = await signedIn(coach);
    await page.goto(`/coach/sessions/${session.id}`);
    const heading = page.getByRole("heading", { level: 1 });
    await expect(heading).toContainText(classType.name);
    await expect(heading).toContainText("Scheduled");
    await expect(page.getByRole("main")).toContainText(`When: ${formatDayHeading(date)}, 12:30–12:55`);

    await page.getByRole("textbox", { name: "Reason" }).fill("The studio floor is being resurfaced.");
    await page.getByRole("button", { name: "Cancel session" }).click();
    await expect(flash(page)).toHaveText("Session cancelled. 0 clients were notified.");
    await expect(heading).toContainText("Cancelled");
    await expect(page.getByRole("main")).toContainText("Cancelled: The studio floor is being resurfaced.");
    await expect(page.getByRole("button", { name: "Cancel session" })).toHaveCount(0);
    await expect(page.getByRole("link", { name: "Edit session" })).toHaveCount(0);

    // On the calendar it is struck through and marked Cancelled; the other class that hour is not.
    await page.getByRole("link", { name: "← Calendar" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Week of ${formatDayHeading(addDays(date, -weekday))}`);
    const chip = weekCell(page, "12:00", weekday).getByRole("link", { name: new RegExp(`^12:30–12:55 ${classType.name}`) });
    await expect(chip).toContainText("Cancelled");
    await expect(chip.getByText(classType.name, { exact: true })).toHaveCSS("text-decoration-line", "line-through");
    await expect(weekCell(page, "12:00", weekday).getByRole("link", { name: new RegExp(`^12:05–12:25 ${sibling.title}`) })).not.toContainText("Cancelled");

    // The list's status filter finds it.
    await page.goto("/coach/sessions");
    const filters = page.getByRole("form", { name: "Filter sessions" });
    await filters.getByLabel("From", { exact: true }).fill(date);
    await filters.getByLabel("To", { exact: true }).fill(date);
    await filters.getByLabel("Class type").selectOption({ label: classType.name });
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
  test("filtering next week by class type and coach shows only those sessions", async ({ make, signedIn }) => {
    const [mine, theirs] = [await make.coach(), await make.coach()];
    const [pick, other] = [await make.classType(), await make.classType()];
    const nextSunday = addDays(nextMonday, 6);
    const nextWeek = Array.from({ length: 7 }, (_, i) => formatDayHeading(addDays(nextMonday, i)));
    // Next week: three of the class type (two by one coach, one by the other) and one of another type.
    for (const [classType, coach, weekday, time] of [
      [pick, mine, 0, "09:00"],
      [pick, mine, 2, "09:00"],
      [pick, theirs, 4, "09:00"],
      [other, theirs, 4, "10:00"],
    ] as const) {
      await make.session({ date: addDays(nextMonday, weekday), time, classType, coach, title: classType.name });
    }

    const page = await signedIn(mine);
    await page.goto("/coach/sessions");
    await expect(page.getByRole("heading", { name: "Sessions", level: 1 })).toBeVisible();
    const filters = page.getByRole("form", { name: "Filter sessions" });
    await filters.getByLabel("From", { exact: true }).fill(nextMonday);
    await filters.getByLabel("To", { exact: true }).fill(nextSunday);
    await filters.getByLabel("Class type").selectOption({ label: pick.name });
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(page.getByText("3 sessions · page 1 of 1")).toBeVisible();
    const items = page.getByRole("main").getByRole("listitem");
    await expect(items).toHaveCount(3);
    for (const item of await items.all()) await expect(item).toContainText(pick.name);

    await filters.getByLabel("Coach").selectOption({ label: theirs.name });
    await filters.getByRole("button", { name: "Filter" }).click();
    await expect(page).toHaveURL(/classType=\d+.*coach=\d+/);
    await expect(page.getByText("1 session · page 1 of 1")).toBeVisible();
    await expect(items).toHaveCount(1);
    await expect(items).toContainText(pick.name);
    await expect(items).toContainText(theirs.name);
    await expect(items).not.toContainText(other.name);
    for (const dayHeading of await page.getByRole("main").getByRole("heading", { level: 2 }).allTextContents()) {
      expect(nextWeek).toContain(dayHeading);
    }
    // The form shows the filters in use.
    await expect(filters.getByLabel("Class type").locator("option:checked")).toHaveText(pick.name);
    await expect(filters.getByLabel("Coach").locator("option:checked")).toHaveText(theirs.name);
    await expect(filters.getByLabel("From", { exact: true })).toHaveValue(nextMonday);
  });
});

test("a client gets 403 on the class types and new session pages, and cannot post to them", async ({ make, signedIn }) => {
  const page = await signedIn(await make.client());
  for (const path of ["/coach/class-types", "/coach/sessions/new"]) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed" })).toBeVisible();
  }
  const post = await page.request.post("/coach/class-types", {
    form: { intent: "create", name: uniqueName("Sneaky"), color: "#000000", defaultCapacity: "5", defaultDurationMins: "30" },
    maxRedirects: 0,
  });
  expect(post.status()).toBe(403);
});
