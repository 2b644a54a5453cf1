import { test as base, expect, type APIResponse, type BrowserContext, type Locator, type Page, type TestInfo } from "@playwright/test";
import { Temporal } from "temporal-polyfill";
import { addDays, formatDate, formatDayHeading, mondayOf, todayIn, toInstant } from "../../app/utils/time";
import { signIn } from "./helpers";

// Both projects share one seeded database, so each project books with its own demo clients (30–40 hold
// the "10 Personal Training Sessions" pack, 50–57 the "8 WEEK CHALLENGE" prepaid pass) and on its own
// sessions: seeded ones on different days, or sessions a coach creates with the project's name in the title.
// The seed fills 26 weeks from this week's Monday (Europe/London); booking opens 14 days before a session
// and closes at its start; a cancel inside 2 hours of the start is late.

const ZONE = "Europe/London";
const today = todayIn(ZONE);
const thisMonday = mondayOf(today);
const nextMonday = addDays(thisMonday, 7);
// The coach calendar spec checks next week's grid and day lists against the seeded timetable, so the
// sessions created here go on days inside the booking window (tomorrow to 13 days ahead) but outside
// next week: the rest of this week and the start of the week after. There are always six such days.
const spareDays = Array.from({ length: 13 }, (_, i) => addDays(today, i + 1)).filter((d) => d < nextMonday || d > addDays(nextMonday, 6));
const PACK = "10 Personal Training Sessions";
const PREPAID = "8 WEEK CHALLENGE";
const BOOKED = "You're booked. See you there!";
const LATE_WARNING = "Cancelling now is a late cancel: it still counts toward your week, and a pack session is not refunded.";
const LATE_CANCELLED = "Booking cancelled late: it still counts toward your week, and a pack session is not refunded.";
const NO_MEMBERSHIP = "You need a membership to book classes. See the plans.";

type Person = { email: string; name: string; home: RegExp };

/**
 * `signedIn(person)` opens a browser context of its own (same base URL and JavaScript setting as the
 * project) and signs the person in, so several people can take turns without signing out.
 */
const test = base.extend<{ signedIn: (person: Person) => Promise<Page> }>({
  signedIn: async ({ browser, baseURL, javaScriptEnabled, viewport, userAgent }, provide) => {
    const contexts: BrowserContext[] = [];
    await provide(async (person) => {
      const context = await browser.newContext({ baseURL, javaScriptEnabled, viewport, userAgent });
      contexts.push(context);
      const page = await context.newPage();
      await signIn(page, person.email);
      await expect(page).toHaveURL(person.home);
      return page;
    });
    for (const context of contexts) await context.close();
  },
});

function perProject<T>(testInfo: TestInfo, jsOn: T, jsOff: T): T {
  return testInfo.project.name === "js-off" ? jsOff : jsOn;
}

const jsOn = (testInfo: TestInfo) => testInfo.project.name !== "js-off";

function client(n: number): Person {
  return { email: `client${n}@centurion.test`, name: `Client ${n}`, home: /\/client$/ };
}

function coach(email: string): Person {
  return { email, name: email, home: /\/coach$/ };
}

const ADMIN: Person = { email: "admin@centurion.test", name: "Studio Admin", home: /\/admin$/ };

/** The flash message at the top of the page (the first live region of the layout). */
function flash(page: Page): Locator {
  return page.getByRole("status").first();
}

function usage(page: Page): Locator {
  return page.getByRole("region", { name: "Your usage" });
}

/** A day of the client timetable or calendar, found by its heading ("Tuesday 24 November"). */
function day(page: Page, date: string): Locator {
  return page.getByRole("region", { name: formatDayHeading(date), exact: true });
}

/** A session in a day list, found by its link ("12:30–12:55 HIIT"). */
function sessionItem(page: Page, date: string, link: string): Locator {
  return day(page, date).getByRole("listitem").filter({ has: page.getByRole("link", { name: link, exact: true }) });
}

/** The client's own state on a session ("Booked", "On the waitlist: position 1", "Late-cancelled"…). */
function myState(scope: Locator, text: string): Locator {
  return scope.getByText(text, { exact: true });
}

/** A response's HTML without its scripts, which also carry the loader and action data as JSON. */
async function shownHtml(response: APIResponse): Promise<string> {
  return (await response.text()).replace(/<script\b[\s\S]*?<\/script>/g, "");
}

/** The id in a session link's href (/client/sessions/:id). */
async function sessionIdOf(link: Locator): Promise<number> {
  const href = await link.getAttribute("href");
  const id = Number(/^\/client\/sessions\/(\d+)$/.exec(href ?? "")?.[1]);
  expect(id, `session id in ${href}`).toBeGreaterThan(0);
  return id;
}

/** How iCalendar writes an instant in UTC: 20261124T123000Z. */
function icsUtc(instant: Date): string {
  return instant.toISOString().replace(/[-:]/g, "").replace(/\.\d{3}/, "");
}

type NewSession = { title: string; date: string; start: string; end?: string; capacity?: number };

/** A coach creates an ad hoc session on /coach/sessions/new and lands on its page; returns its id. */
async function createSession(page: Page, session: NewSession): Promise<number> {
  await page.goto("/coach/sessions/new");
  await expect(page.getByRole("heading", { name: "New session", level: 1 })).toBeVisible();
  await page.getByLabel("Title").fill(session.title);
  await page.getByLabel("Date", { exact: true }).fill(session.date);
  await page.getByLabel("Start time").fill(session.start);
  await page.getByLabel("End time").fill(session.end ?? "");
  await page.getByLabel("Capacity").fill(session.capacity === undefined ? "" : String(session.capacity));
  await page.getByRole("button", { name: "Create session" }).click();
  await expect(page).toHaveURL(/\/coach\/sessions\/\d+$/);
  await expect(flash(page)).toHaveText(`Session “${session.title}” created.`);
  const id = Number(/\/coach\/sessions\/(\d+)$/.exec(page.url())![1]);
  if (session.capacity !== undefined) await expect(page.getByRole("main")).toContainText(`Places: 0 of ${session.capacity} places`);
  return id;
}

/** The coach's session page: who is registered and who is waiting. */
function registeredList(page: Page): Locator {
  return page.getByRole("region", { name: /^Registered \(/ });
}

function waitlistList(page: Page): Locator {
  return page.getByRole("region", { name: /^Waitlist \(/ });
}

/** The seven day headings of the week from `monday`. */
function formatDayHeadings(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => formatDayHeading(addDays(monday, i)));
}

test.describe("booking from the timetable", () => {
  test("a pack holder books a session, sees it booked and counted, and gets it into a calendar", async ({ page, request, signedIn }, testInfo) => {
    const member = client(perProject(testInfo, 30, 31));
    // Next week's 12:30 HIIT: Tuesday for js-on, Thursday for js-off (2 to 10 days ahead, inside the window).
    const date = addDays(nextMonday, perProject(testInfo, 1, 3));
    const slot = "12:30–12:55 HIIT";
    await signIn(page, member.email);
    await expect(page).toHaveURL(/\/client$/);
    const next = page.getByRole("region", { name: "Your next classes" });
    await expect(next).toContainText("Nothing booked yet.");

    await page.goto(`/client/sessions?date=${date}`);
    await expect(page.getByRole("heading", { name: "Book a session", level: 1 })).toBeVisible();
    await expect(usage(page).getByText(`${PACK}: 10 of 10 sessions left`, { exact: true })).toBeVisible();
    await expect(usage(page).getByRole("meter", { name: `${PACK}: 10 of 10 sessions left` })).toHaveAttribute("value", "0");
    const item = sessionItem(page, date, slot);
    await expect(item).toHaveCount(1);
    await expect(item).toContainText("0 of 10 places");
    // The one action on an open session is "Book".
    await expect(item.getByRole("button")).toHaveCount(1);
    await expect(item.getByRole("button")).toHaveText("Book");
    const id = await sessionIdOf(item.getByRole("link", { name: slot, exact: true }));

    await item.getByRole("button", { name: "Book: HIIT", exact: true }).click();
    await expect(flash(page)).toHaveText(BOOKED);
    await expect(page).toHaveURL(new RegExp(`/client/sessions\\?date=${date}$`));
    await expect(myState(item, "Booked")).toBeVisible();
    await expect(item).toContainText("1 of 10 places");
    await expect(item.getByRole("button")).toHaveText(["Cancel booking"]);
    await expect(usage(page).getByText(`${PACK}: 9 of 10 sessions left`, { exact: true })).toBeVisible();
    await expect(usage(page).getByRole("meter", { name: `${PACK}: 9 of 10 sessions left` })).toHaveAttribute("value", "10");
    // Only that one session is booked.
    await expect(page.getByRole("main").getByText("Booked", { exact: true })).toHaveCount(1);

    // The home page shows it as the next class, linked to the session.
    await page.goto("/client");
    await expect(next.getByRole("listitem")).toHaveCount(1);
    await expect(next.getByRole("link", { name: `${formatDayHeading(date)}, ${slot}`, exact: true })).toHaveAttribute("href", `/client/sessions/${id}`);
    await expect(next.getByRole("listitem")).toContainText("Booked");
    // So does the member's page for the studio, linked to the coach's view of the session.
    const studio = await signedIn(ADMIN);
    await studio.goto(`/admin/members?q=${encodeURIComponent(member.email)}`);
    await studio.getByRole("link", { name: member.name, exact: true }).click();
    const theirs = studio.getByRole("region", { name: "Next classes" });
    await expect(theirs.getByRole("link", { name: `${formatDayHeading(date)}, ${slot}`, exact: true })).toHaveAttribute("href", `/coach/sessions/${id}`);
    await expect(theirs.getByRole("listitem")).toContainText("Booked");
    await page.goto(`/client/sessions?date=${date}`);

    // The client's calendar shows it in next week, with an .ics file to add it to a calendar app.
    await page.getByRole("main").getByRole("link", { name: "My calendar" }).click();
    await expect(page).toHaveURL(/\/client\/sessions\/calendar$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`My calendar: week of ${formatDayHeading(thisMonday)}`);
    await page.getByRole("link", { name: "Next week" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`My calendar: week of ${formatDayHeading(nextMonday)}`);
    const entry = day(page, date).getByRole("listitem");
    await expect(entry).toHaveCount(1);
    await expect(entry.getByRole("link", { name: slot, exact: true })).toHaveAttribute("href", `/client/sessions/${id}`);
    await expect(entry).toContainText("Booked");
    const addToCalendar = entry.getByRole("link", { name: "Add to calendar" });
    await expect(addToCalendar).toHaveAttribute("href", `/client/sessions/${id}/ics`);
    const start = toInstant(date, "12:30", ZONE);
    const ics = await page.request.get((await addToCalendar.getAttribute("href"))!);
    expect(ics.status()).toBe(200);
    expect(ics.headers()["content-type"]).toMatch(/^text\/calendar/);
    const icsText = await ics.text();
    expect(icsText).toContain("BEGIN:VEVENT");
    expect(icsText).toContain("SUMMARY:HIIT");
    expect(icsText).toContain(`DTSTART:${icsUtc(start)}`);
    expect(icsText).toContain(`DTEND:${icsUtc(new Date(start.getTime() + 25 * 60_000))}`);
    for (const other of formatDayHeadings(nextMonday).filter((d) => d !== formatDayHeading(date))) {
      await expect(page.getByRole("region", { name: other, exact: true })).toHaveText(new RegExp(`^${other}\\s*Nothing booked$`));
    }

    // The private feed works without cookies, until the link is replaced.
    const feed = page.getByLabel("Your private calendar link");
    const oldUrl = await feed.inputValue();
    expect(oldUrl).toMatch(/\/calendar\/feed\/[A-Za-z0-9_-]{20,64}$/);
    const subscribed = await request.get(oldUrl);
    expect(subscribed.status()).toBe(200);
    expect(subscribed.headers()["content-type"]).toMatch(/^text\/calendar/);
    const feedText = await subscribed.text();
    expect(feedText).toContain("BEGIN:VEVENT");
    expect(feedText).toContain(`UID:session-${id}@centurion`);
    expect(feedText).toContain("SUMMARY:HIIT");
    expect(feedText).toContain(`DTSTART:${icsUtc(start)}`);
    expect(feedText.match(/BEGIN:VEVENT/g)).toHaveLength(1);

    await page.getByRole("button", { name: "Replace the link (stops the old one)" }).click();
    await expect(flash(page)).toHaveText("Your calendar link was replaced. The old link no longer works.");
    await expect(feed).not.toHaveValue(oldUrl);
    const newUrl = await feed.inputValue();
    expect(newUrl).toMatch(/\/calendar\/feed\/[A-Za-z0-9_-]{20,64}$/);
    expect((await request.get(oldUrl)).status()).toBe(404);
    const replaced = await request.get(newUrl);
    expect(replaced.status()).toBe(200);
    expect(await replaced.text()).toContain(`UID:session-${id}@centurion`);
  });
});

test.describe("a full session and its waitlist", () => {
  test("a client joins the waitlist of a full session and is booked when a place opens", async ({ signedIn }, testInfo) => {
    const tag = testInfo.project.name;
    const title = `Waitlist drill ${tag}`;
    const date = spareDays[perProject(testInfo, 0, 1)];
    const first = client(perProject(testInfo, 50, 51));
    const second = client(perProject(testInfo, 32, 33));
    const studio = await signedIn(coach(perProject(testInfo, "gav@centurion.test", "rory@centurion.test")));
    const id = await createSession(studio, { title, date, start: "21:00", end: "21:25", capacity: 1 });

    // The first client takes the only place.
    const a = await signedIn(first);
    await a.goto(`/client/sessions/${id}`);
    await expect(a.getByRole("heading", { name: title, level: 1 })).toBeVisible();
    await expect(a.getByText("0 of 1 places", { exact: true })).toBeVisible();
    await a.getByRole("button", { name: `Book: ${title}`, exact: true }).click();
    await expect(flash(a)).toHaveText(BOOKED);
    await expect(myState(a.getByRole("main"), "Booked")).toBeVisible();
    await expect(a.getByText("Full", { exact: true })).toBeVisible();

    // The second sees it full on the timetable and joins the waitlist.
    const b = await signedIn(second);
    await b.goto(`/client/sessions?date=${date}`);
    const item = sessionItem(b, date, `21:00–21:25 ${title}`);
    await expect(item).toContainText("Full");
    await expect(item.getByRole("button")).toHaveText(["Join waitlist"]);
    await item.getByRole("button", { name: `Join waitlist: ${title}`, exact: true }).click();
    await expect(flash(b)).toHaveText("The session is full, so you're on the waitlist at position 1. We'll book you automatically if a place opens.");
    await expect(myState(item, "On the waitlist: position 1")).toBeVisible();
    await expect(item).toContainText("Full — waitlist 1");
    await expect(item.getByRole("button")).toHaveText(["Leave waitlist"]);
    // Waiting costs nothing.
    await expect(usage(b).getByText(`${PACK}: 10 of 10 sessions left`, { exact: true })).toBeVisible();

    await studio.reload();
    await expect(studio.getByRole("main")).toContainText("Places: Full — waitlist 1");
    await expect(registeredList(studio).getByRole("heading")).toHaveText("Registered (1 of 1)");
    await expect(registeredList(studio).getByRole("listitem")).toHaveText([new RegExp(`^${first.name}\\s*${first.email}`)]);
    await expect(waitlistList(studio).getByRole("heading")).toHaveText("Waitlist (1)");
    await expect(waitlistList(studio).getByRole("listitem")).toHaveText([new RegExp(`^${second.name}\\s*${second.email}$`)]);

    // The first cancels more than 2 hours ahead: a free cancel, and the place goes to the waitlist.
    await a.getByRole("button", { name: `Cancel booking: ${title}`, exact: true }).click();
    await expect(flash(a)).toHaveText("Booking cancelled.");
    await expect(myState(a.getByRole("main"), "Booked")).toHaveCount(0);
    await expect(a.getByText("Full", { exact: true })).toBeVisible();
    await expect(a.getByRole("button", { name: `Join waitlist: ${title}`, exact: true })).toBeVisible();

    await b.reload();
    await expect(myState(item, "Booked")).toBeVisible();
    await expect(item).toContainText("Full");
    await expect(item).not.toContainText("waitlist");
    await expect(item.getByRole("button")).toHaveText(["Cancel booking"]);
    await expect(usage(b).getByText(`${PACK}: 9 of 10 sessions left`, { exact: true })).toBeVisible();

    await studio.reload();
    await expect(studio.getByRole("main")).toContainText("Places: Full");
    await expect(registeredList(studio).getByRole("heading")).toHaveText("Registered (1 of 1)");
    await expect(registeredList(studio).getByRole("listitem")).toHaveText([new RegExp(`^${second.name}\\s*${second.email}`)]);
    await expect(waitlistList(studio).getByRole("heading")).toHaveText("Waitlist (0)");
    await expect(waitlistList(studio)).toContainText("Nobody is waiting.");
    await expect(waitlistList(studio).getByRole("listitem")).toHaveCount(0);
  });

  test("a client leaves a waitlist and can join it again", async ({ signedIn }, testInfo) => {
    const tag = testInfo.project.name;
    const title = `Queue leaver ${tag}`;
    const date = spareDays[perProject(testInfo, 0, 1)];
    const studio = await signedIn(coach(perProject(testInfo, "gav@centurion.test", "rory@centurion.test")));
    const id = await createSession(studio, { title, date, start: "21:30", end: "21:55", capacity: 1 });

    const holder = await signedIn(client(perProject(testInfo, 52, 53)));
    await holder.goto(`/client/sessions/${id}`);
    await holder.getByRole("button", { name: `Book: ${title}`, exact: true }).click();
    await expect(flash(holder)).toHaveText(BOOKED);

    const c = await signedIn(client(perProject(testInfo, 34, 35)));
    await c.goto(`/client/sessions/${id}`);
    const card = c.getByRole("main");
    const join = card.getByRole("button", { name: `Join waitlist: ${title}`, exact: true });
    const leave = card.getByRole("button", { name: `Leave waitlist: ${title}`, exact: true });
    await expect(c.getByText("Full", { exact: true })).toBeVisible();
    await join.click();
    await expect(flash(c)).toHaveText(/on the waitlist at position 1\./);
    await expect(myState(card, "On the waitlist: position 1")).toBeVisible();
    await expect(c.getByText("Full — waitlist 1", { exact: true })).toBeVisible();

    await leave.click();
    await expect(flash(c)).toHaveText("You have left the waitlist.");
    await expect(myState(card, "On the waitlist: position 1")).toHaveCount(0);
    await expect(c.getByText("Full", { exact: true })).toBeVisible();
    await expect(join).toBeVisible();
    await expect(leave).toHaveCount(0);
    await studio.reload();
    await expect(waitlistList(studio).getByRole("heading")).toHaveText("Waitlist (0)");

    // Joining again puts them back at the front of the (empty) queue.
    await join.click();
    await expect(flash(c)).toHaveText(/on the waitlist at position 1\./);
    await expect(myState(card, "On the waitlist: position 1")).toBeVisible();
    await studio.reload();
    await expect(waitlistList(studio).getByRole("heading")).toHaveText("Waitlist (1)");
  });

  // When someone ahead in the queue leaves or is booked, the ones behind should move up.
  test("the queue closes up when someone ahead leaves it", async ({ signedIn }, testInfo) => {
    const tag = testInfo.project.name;
    const title = `Queue shuffle ${tag}`;
    const date = spareDays[perProject(testInfo, 0, 1)];
    const studio = await signedIn(coach(perProject(testInfo, "gav@centurion.test", "rory@centurion.test")));
    const id = await createSession(studio, { title, date, start: "20:00", end: "20:25", capacity: 1 });
    const holder = await signedIn(client(perProject(testInfo, 54, 55)));
    await holder.goto(`/client/sessions/${id}`);
    await holder.getByRole("button", { name: `Book: ${title}`, exact: true }).click();
    await expect(flash(holder)).toHaveText(BOOKED);

    const ahead = await signedIn(client(perProject(testInfo, 40, 23)));
    const behindPerson = client(perProject(testInfo, 20, 21));
    const behind = await signedIn(behindPerson);
    for (const [waiter, position] of [[ahead, 1], [behind, 2]] as const) {
      await waiter.goto(`/client/sessions/${id}`);
      await waiter.getByRole("button", { name: `Join waitlist: ${title}`, exact: true }).click();
      await expect(myState(waiter.getByRole("main"), `On the waitlist: position ${position}`)).toBeVisible();
    }

    await ahead.getByRole("button", { name: `Leave waitlist: ${title}`, exact: true }).click();
    await expect(flash(ahead)).toHaveText("You have left the waitlist.");
    await studio.reload();
    await expect(waitlistList(studio).getByRole("listitem")).toHaveText([new RegExp(`^${behindPerson.name}\\s*${behindPerson.email}$`)]);
    await behind.reload();
    await expect(behind.getByText("Full — waitlist 1", { exact: true })).toBeVisible();
    // BUG: stays "On the waitlist: position 2" (the renumbering runs outside the booking transaction).
    await expect(myState(behind.getByRole("main"), "On the waitlist: position 1")).toBeVisible();
  });

  test("the queue closes up when the one ahead is booked from it", async ({ signedIn }, testInfo) => {
    const tag = testInfo.project.name;
    const title = `Queue promotion ${tag}`;
    const date = spareDays[perProject(testInfo, 0, 1)];
    const studio = await signedIn(coach(perProject(testInfo, "gav@centurion.test", "rory@centurion.test")));
    const id = await createSession(studio, { title, date, start: "20:30", end: "20:55", capacity: 1 });
    const holder = await signedIn(client(perProject(testInfo, 56, 57)));
    await holder.goto(`/client/sessions/${id}`);
    await holder.getByRole("button", { name: `Book: ${title}`, exact: true }).click();
    await expect(flash(holder)).toHaveText(BOOKED);

    const aheadPerson = client(perProject(testInfo, 50, 51));
    const behindPerson = client(perProject(testInfo, 52, 53));
    const ahead = await signedIn(aheadPerson);
    const behind = await signedIn(behindPerson);
    for (const [waiter, position] of [[ahead, 1], [behind, 2]] as const) {
      await waiter.goto(`/client/sessions/${id}`);
      await waiter.getByRole("button", { name: `Join waitlist: ${title}`, exact: true }).click();
      await expect(myState(waiter.getByRole("main"), `On the waitlist: position ${position}`)).toBeVisible();
    }

    await holder.getByRole("button", { name: `Cancel booking: ${title}`, exact: true }).click();
    await expect(flash(holder)).toHaveText("Booking cancelled.");
    await ahead.reload();
    await expect(myState(ahead.getByRole("main"), "Booked")).toBeVisible();
    await studio.reload();
    await expect(registeredList(studio).getByRole("listitem")).toHaveText([new RegExp(`^${aheadPerson.name}\\s*${aheadPerson.email}`)]);
    await expect(waitlistList(studio).getByRole("listitem")).toHaveText([new RegExp(`^${behindPerson.name}\\s*${behindPerson.email}$`)]);
    await behind.reload();
    await expect(behind.getByText("Full — waitlist 1", { exact: true })).toBeVisible();
    // BUG: stays "On the waitlist: position 2" (the renumbering runs outside the booking transaction).
    await expect(myState(behind.getByRole("main"), "On the waitlist: position 1")).toBeVisible();
  });
});

test("a late cancel warns first, then keeps the pack session spent", async ({ page, signedIn }, testInfo) => {
  const tag = testInfo.project.name;
  const title = `Last minute ${tag}`;
  // Starts in about 75 minutes, inside the 2-hour late-cancel cut-off. Late in the evening it starts at
  // 23:59 instead, so it stays on today (a Sunday's session would otherwise land in next week, which the
  // coach calendar spec checks); only in the last minutes of the day does it move to tomorrow.
  const now = Temporal.Now.zonedDateTimeISO(ZONE);
  const lastMinute = now.with({ hour: 23, minute: 59, second: 0, millisecond: 0, microsecond: 0, nanosecond: 0 });
  let start = now.add({ minutes: 75 });
  if (start.toPlainDate().toString() !== today && Temporal.ZonedDateTime.compare(lastMinute, now.add({ minutes: 4 })) > 0) start = lastMinute;
  const date = start.toPlainDate().toString();
  const time = start.toPlainTime().toString({ smallestUnit: "minute" });
  const studio = await signedIn(coach(perProject(testInfo, "gav@centurion.test", "rory@centurion.test")));
  const id = await createSession(studio, { title, date, start: time, capacity: 5 });

  const member = client(perProject(testInfo, 36, 37));
  await signIn(page, member.email);
  await expect(page).toHaveURL(/\/client$/);
  await expect(usage(page).getByText(`${PACK}: 10 of 10 sessions left`, { exact: true })).toBeVisible();
  await page.goto(`/client/sessions/${id}`);
  const card = page.getByRole("main");
  await expect(card.getByRole("heading", { name: title, level: 1 })).toBeVisible();
  await card.getByRole("button", { name: `Book: ${title}`, exact: true }).click();
  await expect(flash(page)).toHaveText(BOOKED);
  await expect(myState(card, "Booked")).toBeVisible();

  // The only action now is a late cancel, with the warning beside it.
  const lateCancel = card.getByRole("button", { name: `Late cancel: ${title}`, exact: true });
  await expect(lateCancel).toHaveText("Late cancel");
  await expect(card.getByRole("button", { name: `Cancel booking: ${title}`, exact: true })).toHaveCount(0);
  await expect(card.getByText(LATE_WARNING, { exact: true })).toBeVisible();

  const posts: string[] = [];
  page.on("request", (r) => {
    if (r.method() === "POST") posts.push(new URL(r.url()).pathname);
  });
  if (jsOn(testInfo)) {
    // With JavaScript the browser asks once more; saying no keeps the booking.
    const asked: string[] = [];
    page.once("dialog", (dialog) => {
      asked.push(dialog.message());
      void dialog.dismiss();
    });
    await lateCancel.click();
    expect(asked).toEqual([LATE_WARNING]);
    await expect(myState(card, "Booked")).toBeVisible();
    page.once("dialog", (dialog) => {
      asked.push(dialog.message());
      void dialog.accept();
    });
  }
  await lateCancel.click();
  await expect(flash(page)).toHaveText(LATE_CANCELLED);
  await expect(myState(card, "Late-cancelled")).toBeVisible();
  await expect(card.getByRole("button")).toHaveCount(0);
  expect(posts.filter((p) => p === `/client/sessions/${id}`)).toHaveLength(1);

  // The pack is not refunded, and the session cannot be booked again.
  await page.goto("/client");
  await expect(usage(page).getByText(`${PACK}: 9 of 10 sessions left`, { exact: true })).toBeVisible();
  const again = await page.request.post(`/client/sessions/${id}`, { form: { intent: "book" }, maxRedirects: 0 });
  expect(again.status()).toBe(400);
  expect(await shownHtml(again)).toMatch(/role="alert"[^>]*>You late-cancelled this session, so it cannot be booked again\.</);

  // The coach no longer counts the client as registered, and sees the late cancel apart.
  await studio.reload();
  await expect(registeredList(studio).getByRole("heading")).toHaveText("Registered (0 of 5)");
  const late = studio.getByRole("region", { name: "Cancelled late (1)" });
  await expect(late.getByRole("listitem")).toHaveCount(1);
  await expect(late.getByRole("listitem")).toContainText(member.name);
});

test.describe("refusals", () => {
  test("a session beyond the booking window shows when booking opens and offers no button", async ({ page }, testInfo) => {
    const member = client(perProject(testInfo, 54, 55));
    // The 12:30 HIIT three weeks ahead (16 to 24 days): Tuesday for js-on, Thursday for js-off.
    const date = addDays(thisMonday, 21 + perProject(testInfo, 1, 3));
    const opens = `Booking for this session opens ${formatDate(addDays(date, -14), "UTC")} at 12:30.`;
    await signIn(page, member.email);
    await expect(page).toHaveURL(/\/client$/);

    await page.goto(`/client/sessions?date=${date}`);
    await expect(usage(page).getByText(new RegExp(`^${PREPAID}: \\d+ days? left$`))).toBeVisible();
    const item = sessionItem(page, date, "12:30–12:55 HIIT");
    await expect(item).toHaveCount(1);
    await expect(item.getByText(opens, { exact: true })).toBeVisible();
    await expect(item.getByRole("button")).toHaveCount(0);
    // Nothing that week can be booked yet.
    await expect(day(page, date).getByRole("button")).toHaveCount(0);

    const id = await sessionIdOf(item.getByRole("link", { name: "12:30–12:55 HIIT", exact: true }));
    await page.goto(`/client/sessions/${id}`);
    await expect(page.getByText(opens, { exact: true })).toBeVisible();
    await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);

    // Posting anyway is refused with the same reason, and nothing is booked.
    const forced = await page.request.post(`/client/sessions/${id}`, { form: { intent: "book" }, maxRedirects: 0 });
    expect(forced.status()).toBe(400);
    expect(await shownHtml(forced)).toContain(`role="alert" class="mb-4 rounded-md border border-red-300 bg-red-50 p-3 font-medium text-red-900">${opens}</div>`);
    await page.reload();
    await expect(page.getByRole("main").getByText("Booked", { exact: true })).toHaveCount(0);
  });

  test("unknown sessions answer 404, unknown intents 400, and staff without a membership are told they need one", async ({ page }, testInfo) => {
    const member = client(perProject(testInfo, 56, 57));
    // Next week's 06:30 HIIT: Wednesday for js-on, Friday for js-off.
    const date = addDays(nextMonday, perProject(testInfo, 2, 4));
    await signIn(page, member.email);
    await expect(page).toHaveURL(/\/client$/);
    await page.goto(`/client/sessions?date=${date}`);
    const item = sessionItem(page, date, "06:30–06:55 HIIT");
    const id = await sessionIdOf(item.getByRole("link", { name: "06:30–06:55 HIIT", exact: true }));
    await expect(item.getByRole("button", { name: "Book: HIIT", exact: true })).toBeVisible();

    const missing = await page.request.post("/client/sessions/99999999", { form: { intent: "book" }, maxRedirects: 0 });
    expect(missing.status()).toBe(404);
    expect(await shownHtml(missing)).toContain("We could not find that session.");
    const malformed = await page.request.post("/client/sessions/not-a-session", { form: { intent: "book" }, maxRedirects: 0 });
    expect(malformed.status()).toBe(404);
    const gone = await page.goto("/client/sessions/99999999");
    expect(gone?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found", level: 1 })).toBeVisible();

    const nonsense = await page.request.post(`/client/sessions/${id}`, { form: { intent: "nonsense" }, maxRedirects: 0 });
    expect(nonsense.status()).toBe(400);
    const noIntent = await page.request.post(`/client/sessions/${id}`, { form: { redirectTo: "/client" }, maxRedirects: 0 });
    expect(noIntent.status()).toBe(400);
    // Neither booked anything.
    await page.goto(`/client/sessions?date=${date}`);
    await expect(myState(item, "Booked")).toHaveCount(0);
    await expect(item.getByRole("button", { name: "Book: HIIT", exact: true })).toBeVisible();
    await expect(usage(page).getByText(new RegExp(`^${PREPAID}: \\d+ days? left$`))).toBeVisible();

    // A coach and an admin can see the session but, holding no membership, cannot book it.
    for (const staff of [coach(perProject(testInfo, "josh@centurion.test", "clare@centurion.test")), ADMIN]) {
      await page.getByRole("button", { name: "Sign out" }).click();
      await expect(page).toHaveURL(/\/login$/);
      await signIn(page, staff.email);
      await expect(page).toHaveURL(staff.home);
      const refused = await page.request.post(`/client/sessions/${id}`, { form: { intent: "book" }, maxRedirects: 0 });
      expect(refused.status(), staff.email).toBe(400);
      expect(await shownHtml(refused), staff.email).toMatch(new RegExp(`role="alert"[^>]*>${NO_MEMBERSHIP.replace(/\./g, "\\.")}<`));
      // On the page, the same refusal shows by the button.
      await page.goto(`/client/sessions/${id}`);
      await page.getByRole("button", { name: "Book: HIIT", exact: true }).click();
      await expect(page.getByRole("alert")).toHaveText(NO_MEMBERSHIP);
      await expect(myState(page.getByRole("main"), "Booked")).toHaveCount(0);
    }
  });
});

test("the HTTP contract: booking, cancelling and rebooking answer 303 to the page asked for", async ({ page }, testInfo) => {
  const member = client(perProject(testInfo, 38, 39));
  // Next week's 17:30 HIIT: Wednesday for js-on, Friday for js-off.
  const date = addDays(nextMonday, perProject(testInfo, 2, 4));
  const slot = "17:30–17:55 HIIT";
  await signIn(page, member.email);
  await expect(page).toHaveURL(/\/client$/);
  await page.goto(`/client/sessions?date=${date}`);
  const item = sessionItem(page, date, slot);
  const id = await sessionIdOf(item.getByRole("link", { name: slot, exact: true }));
  const path = `/client/sessions/${id}`;

  const booked = await page.request.post(path, { form: { intent: "book" }, maxRedirects: 0 });
  expect(booked.status()).toBe(303);
  expect(booked.headers().location).toBe(path);
  await page.goto(booked.headers().location);
  await expect(flash(page)).toHaveText(BOOKED);
  await expect(myState(page.getByRole("main"), "Booked")).toBeVisible();

  const twice = await page.request.post(path, { form: { intent: "book" }, maxRedirects: 0 });
  expect(twice.status()).toBe(400);
  expect(await shownHtml(twice)).toMatch(/role="alert"[^>]*>You are already booked on this session\.</);

  const back = `/client/sessions?date=${date}`;
  const cancelled = await page.request.post(path, { form: { intent: "cancel", redirectTo: back }, maxRedirects: 0 });
  expect(cancelled.status()).toBe(303);
  expect(cancelled.headers().location).toBe(back);
  const notWaiting = await page.request.post(path, { form: { intent: "leave-waitlist" }, maxRedirects: 0 });
  expect(notWaiting.status()).toBe(400);
  expect(await shownHtml(notWaiting)).toMatch(/role="alert"[^>]*>You are not on the waitlist for this session\.</);
  const offsite = await page.request.post(path, { form: { intent: "book", redirectTo: "//evil.example/" }, maxRedirects: 0 });
  expect(offsite.status()).toBe(303);
  expect(offsite.headers().location).toBe(path);

  // Booked, cancelled (refunded) and booked again: one pack session spent.
  await page.goto(back);
  await expect(flash(page)).toHaveText(BOOKED);
  await expect(myState(item, "Booked")).toBeVisible();
  await expect(usage(page).getByText(`${PACK}: 9 of 10 sessions left`, { exact: true })).toBeVisible();
});
