import type { Page } from "@playwright/test";
import { Temporal } from "temporal-polyfill";
import { addDays, formatDate, formatDayHeading } from "../../app/utils/time";
import { uniqueName } from "../support/factories";
import { at, bookingDay, expect, nextMonday, test, thisMonday, ZONE, type Make, type Person } from "./fixtures";
import { day, flash, jsOn, myState, nameAndEmail, sessionItem, shownHtml, usage } from "./helpers";

// Every test makes its own clients (with their own plans), coach and sessions, on days inside the booking
// window (tomorrow to 13 days ahead) unless the test is about that window. Booking opens 14 days before a
// session and closes at its start; a cancel inside the studio's default 2 hours is late.

const BOOKED = "You're booked. See you there!";
const LATE_WARNING = "Cancelling now is a late cancel: it still counts toward your week, and a pack session is not refunded.";
const LATE_CANCELLED = "Booking cancelled late: it still counts toward your week, and a pack session is not refunded.";
const NO_MEMBERSHIP = "You need a membership to book classes. See the plans.";

/** A new client with a pack of 10 sessions; `left` is what the usage bar says of it. */
async function packHolder(make: Make) {
  const { person, plan, membership } = await make.member({ type: "PACK", totalSessions: 10 });
  return { person, plan, membership, left: (n: number) => `${plan.name}: ${n} of 10 sessions left` };
}

/** A session of 25 minutes with a title of its own; `slot` is its link text on the client's pages. */
async function session(make: Make, fields: { date: string; time: string; capacity?: number; coach?: Person; title?: string }) {
  const title = fields.title ?? uniqueName("HIIT");
  const created = await make.session({ date: fields.date, time: fields.time, durationMins: 25, capacity: fields.capacity ?? 10, title, coach: fields.coach });
  const end = Temporal.PlainTime.from(fields.time).add({ minutes: 25 }).toString({ smallestUnit: "minute" });
  return { id: created.id, title, date: fields.date, slot: `${fields.time}–${end} ${title}` };
}

/** The coach's session page: who is registered and who is waiting. */
function registeredList(page: Page) {
  return page.getByRole("region", { name: /^Registered \(/ });
}

function waitlistList(page: Page) {
  return page.getByRole("region", { name: /^Waitlist \(/ });
}

/** How iCalendar writes an instant in UTC: 20261124T123000Z. */
function icsUtc(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
}

/** The seven day headings of the week from `monday`. */
function formatDayHeadings(monday: string): string[] {
  return Array.from({ length: 7 }, (_, i) => formatDayHeading(addDays(monday, i)));
}

test.describe("booking from the timetable", () => {
  test("a pack holder books a session from the timetable and sees it booked and counted", async ({ make, signedIn }) => {
    const member = await packHolder(make);
    const s = await session(make, { date: bookingDay(2), time: "12:30" });
    const page = await signedIn(member.person);
    await page.goto("/client");
    await expect(page.getByRole("region", { name: "Your next classes" })).toContainText("Nothing booked yet.");

    await page.goto(`/client/sessions?date=${s.date}`);
    await expect(page.getByRole("heading", { name: "Book a session", level: 1 })).toBeVisible();
    await expect(usage(page).getByText(member.left(10), { exact: true })).toBeVisible();
    await expect(usage(page).getByRole("meter", { name: member.left(10) })).toHaveAttribute("value", "0");
    const item = sessionItem(page, s.date, s.slot);
    await expect(item).toHaveCount(1);
    await expect(item).toContainText("0 of 10 places");
    // The one action on an open session is "Book".
    await expect(item.getByRole("button")).toHaveCount(1);
    await expect(item.getByRole("button")).toHaveText("Book");
    await expect(item.getByRole("link", { name: s.slot, exact: true })).toHaveAttribute("href", `/client/sessions/${s.id}`);

    await item.getByRole("button", { name: `Book: ${s.title}`, exact: true }).click();
    await expect(flash(page)).toHaveText(BOOKED);
    await expect(page).toHaveURL(new RegExp(`/client/sessions\\?date=${s.date}$`));
    await expect(myState(item, "Booked")).toBeVisible();
    await expect(item).toContainText("1 of 10 places");
    await expect(item.getByRole("button")).toHaveText(["Cancel booking"]);
    await expect(usage(page).getByText(member.left(9), { exact: true })).toBeVisible();
    await expect(usage(page).getByRole("meter", { name: member.left(9) })).toHaveAttribute("value", "10");
    // Only that one session is booked.
    await expect(page.getByRole("main").getByText("Booked", { exact: true })).toHaveCount(1);
  });

  test("a booked session is the client's next class on the home page and on the member's page for the studio", async ({ make, signedIn }) => {
    const member = await packHolder(make);
    const s = await session(make, { date: bookingDay(3), time: "12:30" });
    await make.registration({ session: s, user: member.person, membership: member.membership });

    const page = await signedIn(member.person);
    await page.goto("/client");
    const next = page.getByRole("region", { name: "Your next classes" });
    await expect(next.getByRole("listitem")).toHaveCount(1);
    await expect(next.getByRole("link", { name: `${formatDayHeading(s.date)}, ${s.slot}`, exact: true })).toHaveAttribute("href", `/client/sessions/${s.id}`);
    await expect(next.getByRole("listitem")).toContainText("Booked");

    // The member's page for the studio links to the coach's view of the session.
    const studio = await signedIn(await make.admin());
    await studio.goto(`/admin/members?q=${encodeURIComponent(member.person.email)}`);
    await studio.getByRole("link", { name: member.person.name, exact: true }).click();
    const theirs = studio.getByRole("region", { name: "Next classes" });
    await expect(theirs.getByRole("link", { name: `${formatDayHeading(s.date)}, ${s.slot}`, exact: true })).toHaveAttribute("href", `/coach/sessions/${s.id}`);
    await expect(theirs.getByRole("listitem")).toContainText("Booked");
  });

  test("the client's calendar shows a booking in its week, with an .ics file for a calendar app", async ({ make, signedIn }) => {
    const member = await packHolder(make);
    // Next week's Tuesday: 2 to 8 days ahead.
    const s = await session(make, { date: addDays(nextMonday, 1), time: "12:30" });
    await make.registration({ session: s, user: member.person, membership: member.membership });
    const page = await signedIn(member.person);

    await page.goto(`/client/sessions?date=${s.date}`);
    await page.getByRole("main").getByRole("link", { name: "My calendar" }).click();
    await expect(page).toHaveURL(/\/client\/sessions\/calendar$/);
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`My calendar: week of ${formatDayHeading(thisMonday)}`);
    await page.getByRole("link", { name: "Next week" }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`My calendar: week of ${formatDayHeading(nextMonday)}`);
    const entry = day(page, s.date).getByRole("listitem");
    await expect(entry).toHaveCount(1);
    await expect(entry.getByRole("link", { name: s.slot, exact: true })).toHaveAttribute("href", `/client/sessions/${s.id}`);
    await expect(entry).toContainText("Booked");
    for (const other of formatDayHeadings(nextMonday).filter((d) => d !== formatDayHeading(s.date))) {
      await expect(page.getByRole("region", { name: other, exact: true })).toHaveText(new RegExp(`^${other}\\s*Nothing booked$`));
    }

    const addToCalendar = entry.getByRole("link", { name: "Add to calendar" });
    await expect(addToCalendar).toHaveAttribute("href", `/client/sessions/${s.id}/ics`);
    const start = at(s.date, "12:30");
    const ics = await page.request.get((await addToCalendar.getAttribute("href"))!);
    expect(ics.status()).toBe(200);
    expect(ics.headers()["content-type"]).toMatch(/^text\/calendar/);
    const icsText = await ics.text();
    expect(icsText).toContain("BEGIN:VEVENT");
    expect(icsText).toContain(`SUMMARY:${s.title}`);
    expect(icsText).toContain(`DTSTART:${icsUtc(start)}`);
    expect(icsText).toContain(`DTEND:${icsUtc(new Date(start.getTime() + 25 * 60_000))}`);
  });

  test("the private calendar feed works without cookies, is shown only when made, and stops when the link is replaced", async ({ make, signedIn, request }) => {
    const member = await packHolder(make);
    const s = await session(make, { date: bookingDay(4), time: "12:30" });
    await make.registration({ session: s, user: member.person, membership: member.membership });
    const page = await signedIn(member.person);
    await page.goto("/client/sessions/calendar");

    const section = page.getByRole("region", { name: "Subscribe in your calendar app" });
    await expect(section).toContainText("You have no calendar link yet.");
    await section.getByRole("button", { name: "Make my calendar link" }).click();
    await expect(section.getByRole("status")).toContainText("for your safety it is shown only this once");
    const feed = page.getByLabel("Your private calendar link");
    const oldUrl = await feed.inputValue();
    expect(oldUrl).toMatch(/\/calendar\/feed\/[A-Za-z0-9_-]{20,64}$/);
    const subscribed = await request.get(oldUrl);
    expect(subscribed.status()).toBe(200);
    expect(subscribed.headers()["content-type"]).toMatch(/^text\/calendar/);
    const feedText = await subscribed.text();
    expect(feedText).toContain("BEGIN:VEVENT");
    expect(feedText).toContain(`UID:session-${s.id}@centurion`);
    expect(feedText).toContain(`SUMMARY:${s.title}`);
    expect(feedText).toContain(`DTSTART:${icsUtc(at(s.date, "12:30"))}`);
    expect(feedText.match(/BEGIN:VEVENT/g)).toHaveLength(1);

    // Only its hash is kept: the page says there is a link and when it was read, never the link again.
    await page.goto("/client/sessions/calendar");
    await expect(section).toContainText("a calendar app last read it on");
    await expect(feed).toHaveCount(0);
    expect(await page.content()).not.toContain(oldUrl);

    await section.getByRole("button", { name: "Replace the link (stops the old one)" }).click();
    await expect(section.getByRole("status")).toContainText("Any older link no longer works.");
    await expect(feed).not.toHaveValue(oldUrl);
    const newUrl = await feed.inputValue();
    expect(newUrl).toMatch(/\/calendar\/feed\/[A-Za-z0-9_-]{20,64}$/);
    expect((await request.get(oldUrl)).status()).toBe(404);
    const replaced = await request.get(newUrl);
    expect(replaced.status()).toBe(200);
    expect(await replaced.text()).toContain(`UID:session-${s.id}@centurion`);
  });

  test("the timetable's links and forms are plain HTML, which JavaScript follows without loading a new page", async ({ make, signedIn }, testInfo) => {
    const member = await packHolder(make);
    const s = await session(make, { date: bookingDay(3), time: "13:30" });
    const page = await signedIn(member.person);
    // The server writes the cards as a string that React hydrates: a mismatch would be reported here.
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    page.on("console", (message) => {
      if (message.type() === "error") errors.push(message.text());
    });
    await page.goto(`/client/sessions?date=${s.date}`);
    const item = sessionItem(page, s.date, s.slot);
    await expect(item.locator("form")).toHaveAttribute("method", "post");
    await expect(item.locator("form")).toHaveAttribute("action", `/client/sessions/${s.id}`);
    const menu = page.getByRole("navigation", { name: "Main" });
    await expect(menu.getByRole("link", { name: "Sessions", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(menu.getByRole("link", { name: "Membership", exact: true })).not.toHaveAttribute("aria-current");
    // A mark on the window, which a new page would not have.
    const samePage = async () => jsOn(testInfo) && (await page.evaluate(() => "centurionMark" in window));
    if (jsOn(testInfo)) await page.evaluate(() => Object.assign(window, { centurionMark: true }));

    await item.getByRole("button", { name: `Book: ${s.title}`, exact: true }).click();
    await expect(flash(page)).toHaveText(BOOKED);
    await expect(myState(item, "Booked")).toBeVisible();
    expect(await samePage()).toBe(jsOn(testInfo));
    // With JavaScript the card is updated in place: the button that was pressed keeps the focus.
    if (jsOn(testInfo)) await expect(item.getByRole("button", { name: `Cancel booking: ${s.title}`, exact: true })).toBeFocused();
    expect(errors).toEqual([]);

    await item.getByRole("link", { name: s.slot, exact: true }).click();
    await expect(page).toHaveURL(new RegExp(`/client/sessions/${s.id}$`));
    await expect(page.getByRole("heading", { name: s.title, level: 1 })).toBeVisible();
    expect(await samePage()).toBe(jsOn(testInfo));

    await menu.getByRole("link", { name: "Membership", exact: true }).click();
    await expect(page).toHaveURL(/\/client\/membership$/);
    await expect(menu.getByRole("link", { name: "Membership", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(menu.getByRole("link", { name: "Sessions", exact: true })).not.toHaveAttribute("aria-current");
    expect(await samePage()).toBe(jsOn(testInfo));
  });
});

test.describe("a full session and its waitlist", () => {
  /** A session of one place, taken by a pack holder; the coach is signed in on its page. */
  async function fullSession(make: Make, signedIn: (p: Person) => Promise<Page>, time: string) {
    const coach = await make.coach();
    const s = await session(make, { date: bookingDay(5), time, capacity: 1, coach });
    const holder = await packHolder(make);
    await make.registration({ session: s, user: holder.person, membership: holder.membership });
    const studio = await signedIn(coach);
    await studio.goto(`/coach/sessions/${s.id}`);
    return { s, holder, studio };
  }

  test("booking the only place on its page makes the session full", async ({ make, signedIn }) => {
    const s = await session(make, { date: bookingDay(5), time: "21:00", capacity: 1 });
    const a = await signedIn((await packHolder(make)).person);
    await a.goto(`/client/sessions/${s.id}`);
    await expect(a.getByRole("heading", { name: s.title, level: 1 })).toBeVisible();
    await expect(a.getByText("0 of 1 places", { exact: true })).toBeVisible();
    await a.getByRole("button", { name: `Book: ${s.title}`, exact: true }).click();
    await expect(flash(a)).toHaveText(BOOKED);
    await expect(myState(a.getByRole("main"), "Booked")).toBeVisible();
    await expect(a.getByText("Full", { exact: true })).toBeVisible();
  });

  test("a client sees a full session on the timetable and joins its waitlist, which costs nothing", async ({ make, signedIn }) => {
    const { s, holder, studio } = await fullSession(make, signedIn, "21:00");
    const second = await packHolder(make);
    const b = await signedIn(second.person);
    await b.goto(`/client/sessions?date=${s.date}`);
    const item = sessionItem(b, s.date, s.slot);
    await expect(item).toContainText("Full");
    await expect(item.getByRole("button")).toHaveText(["Join waitlist"]);
    await item.getByRole("button", { name: `Join waitlist: ${s.title}`, exact: true }).click();
    await expect(flash(b)).toHaveText("The session is full, so you're on the waitlist at position 1. We'll book you automatically if a place opens.");
    await expect(myState(item, "On the waitlist: position 1")).toBeVisible();
    await expect(item).toContainText("Full — waitlist 1");
    await expect(item.getByRole("button")).toHaveText(["Leave waitlist"]);
    await expect(usage(b).getByText(second.left(10), { exact: true })).toBeVisible();

    await studio.reload();
    await expect(studio.getByRole("main")).toContainText("Places: Full — waitlist 1");
    await expect(registeredList(studio).getByRole("heading")).toHaveText("Registered (1 of 1)");
    await expect(registeredList(studio).getByRole("listitem")).toHaveText([nameAndEmail(holder.person)]);
    await expect(waitlistList(studio).getByRole("heading")).toHaveText("Waitlist (1)");
    await expect(waitlistList(studio).getByRole("listitem")).toHaveText([nameAndEmail(second.person, "$")]);
  });

  test("when the one booked cancels in good time, the place goes to the first on the waitlist", async ({ make, signedIn }) => {
    const { s, holder, studio } = await fullSession(make, signedIn, "21:00");
    const second = await packHolder(make);
    await make.registration({ session: s, user: second.person, status: "WAITLISTED", waitlistPosition: 1 });

    // More than 2 hours ahead: a free cancel.
    const a = await signedIn(holder.person);
    await a.goto(`/client/sessions/${s.id}`);
    await expect(myState(a.getByRole("main"), "Booked")).toBeVisible();
    await a.getByRole("button", { name: `Cancel booking: ${s.title}`, exact: true }).click();
    await expect(flash(a)).toHaveText("Booking cancelled.");
    await expect(myState(a.getByRole("main"), "Booked")).toHaveCount(0);
    await expect(a.getByText("Full", { exact: true })).toBeVisible();
    await expect(a.getByRole("button", { name: `Join waitlist: ${s.title}`, exact: true })).toBeVisible();

    const b = await signedIn(second.person);
    await b.goto(`/client/sessions?date=${s.date}`);
    const item = sessionItem(b, s.date, s.slot);
    await expect(myState(item, "Booked")).toBeVisible();
    await expect(item).toContainText("Full");
    await expect(item).not.toContainText("waitlist");
    await expect(item.getByRole("button")).toHaveText(["Cancel booking"]);
    // Booked from the waitlist spends a session of the pack.
    await expect(usage(b).getByText(second.left(9), { exact: true })).toBeVisible();

    await studio.reload();
    await expect(studio.getByRole("main")).toContainText("Places: Full");
    await expect(registeredList(studio).getByRole("heading")).toHaveText("Registered (1 of 1)");
    await expect(registeredList(studio).getByRole("listitem")).toHaveText([nameAndEmail(second.person)]);
    await expect(waitlistList(studio).getByRole("heading")).toHaveText("Waitlist (0)");
    await expect(waitlistList(studio)).toContainText("Nobody is waiting.");
    await expect(waitlistList(studio).getByRole("listitem")).toHaveCount(0);
  });

  test("a client leaves a waitlist and can join it again", async ({ make, signedIn }) => {
    const { s, studio } = await fullSession(make, signedIn, "21:30");
    const c = await signedIn((await packHolder(make)).person);
    await c.goto(`/client/sessions/${s.id}`);
    const card = c.getByRole("main");
    const join = card.getByRole("button", { name: `Join waitlist: ${s.title}`, exact: true });
    const leave = card.getByRole("button", { name: `Leave waitlist: ${s.title}`, exact: true });
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

  // When someone ahead in the queue leaves or is booked, the ones behind move up.
  test("a second client joins behind the first, and moves up when the one ahead leaves", async ({ make, signedIn }) => {
    const { s, studio } = await fullSession(make, signedIn, "20:00");
    const aheadPerson = (await packHolder(make)).person;
    await make.registration({ session: s, user: aheadPerson, status: "WAITLISTED", waitlistPosition: 1 });
    const behindPerson = (await packHolder(make)).person;

    const behind = await signedIn(behindPerson);
    await behind.goto(`/client/sessions/${s.id}`);
    await behind.getByRole("button", { name: `Join waitlist: ${s.title}`, exact: true }).click();
    await expect(myState(behind.getByRole("main"), "On the waitlist: position 2")).toBeVisible();

    const ahead = await signedIn(aheadPerson);
    await ahead.goto(`/client/sessions/${s.id}`);
    await expect(myState(ahead.getByRole("main"), "On the waitlist: position 1")).toBeVisible();
    await ahead.getByRole("button", { name: `Leave waitlist: ${s.title}`, exact: true }).click();
    await expect(flash(ahead)).toHaveText("You have left the waitlist.");
    await studio.reload();
    await expect(waitlistList(studio).getByRole("listitem")).toHaveText([nameAndEmail(behindPerson, "$")]);
    await behind.reload();
    await expect(behind.getByText("Full — waitlist 1", { exact: true })).toBeVisible();
    await expect(myState(behind.getByRole("main"), "On the waitlist: position 1")).toBeVisible();
  });

  test("the queue closes up when the one ahead is booked from it", async ({ make, signedIn }) => {
    const { s, holder, studio } = await fullSession(make, signedIn, "20:30");
    const aheadPerson = (await packHolder(make)).person;
    const behindPerson = (await packHolder(make)).person;
    await make.registration({ session: s, user: aheadPerson, status: "WAITLISTED", waitlistPosition: 1 });
    await make.registration({ session: s, user: behindPerson, status: "WAITLISTED", waitlistPosition: 2 });

    const holderPage = await signedIn(holder.person);
    await holderPage.goto(`/client/sessions/${s.id}`);
    await holderPage.getByRole("button", { name: `Cancel booking: ${s.title}`, exact: true }).click();
    await expect(flash(holderPage)).toHaveText("Booking cancelled.");

    const ahead = await signedIn(aheadPerson);
    await ahead.goto(`/client/sessions/${s.id}`);
    await expect(myState(ahead.getByRole("main"), "Booked")).toBeVisible();
    await studio.reload();
    await expect(registeredList(studio).getByRole("listitem")).toHaveText([nameAndEmail(aheadPerson)]);
    await expect(waitlistList(studio).getByRole("listitem")).toHaveText([nameAndEmail(behindPerson, "$")]);
    const behind = await signedIn(behindPerson);
    await behind.goto(`/client/sessions/${s.id}`);
    await expect(behind.getByText("Full — waitlist 1", { exact: true })).toBeVisible();
    await expect(myState(behind.getByRole("main"), "On the waitlist: position 1")).toBeVisible();
  });
});

test.describe("late cancels", () => {
  /** A session of 5 places starting in about 75 minutes, inside the 2-hour late-cancel cut-off. */
  async function startingSoon(make: Make, coach?: Person) {
    const start = Temporal.Now.zonedDateTimeISO(ZONE).add({ minutes: 75 });
    const date = start.toPlainDate().toString();
    const time = start.toPlainTime().toString({ smallestUnit: "minute" });
    return session(make, { date, time, capacity: 5, coach });
  }

  test("inside the cut-off a booking's only action is a late cancel, with the warning beside it", async ({ make, signedIn }) => {
    const member = await packHolder(make);
    const s = await startingSoon(make);
    await make.registration({ session: s, user: member.person, membership: member.membership });
    const page = await signedIn(member.person);
    await page.goto(`/client/sessions/${s.id}`);
    const card = page.getByRole("main");
    await expect(card.getByRole("heading", { name: s.title, level: 1 })).toBeVisible();
    await expect(myState(card, "Booked")).toBeVisible();
    await expect(card.getByRole("button")).toHaveCount(1);
    await expect(card.getByRole("button", { name: `Late cancel: ${s.title}`, exact: true })).toHaveText("Late cancel");
    await expect(card.getByRole("button", { name: `Cancel booking: ${s.title}`, exact: true })).toHaveCount(0);
    await expect(card.getByText(LATE_WARNING, { exact: true })).toBeVisible();
  });

  test("a late cancel (asked once more with JavaScript) keeps the pack session spent", async ({ make, signedIn }, testInfo) => {
    const member = await packHolder(make);
    const s = await startingSoon(make);
    const page = await signedIn(member.person);
    // Booked through the HTTP contract, so the pack is spent as a real booking spends it.
    const booked = await page.request.post(`/client/sessions/${s.id}`, { form: { intent: "book" }, maxRedirects: 0 });
    expect(booked.status()).toBe(303);
    await page.goto(`/client/sessions/${s.id}`);
    const card = page.getByRole("main");
    await expect(myState(card, "Booked")).toBeVisible();
    const lateCancel = card.getByRole("button", { name: `Late cancel: ${s.title}`, exact: true });

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
    expect(posts.filter((p) => p === `/client/sessions/${s.id}`)).toHaveLength(1);

    // The pack is not refunded.
    await page.goto("/client");
    await expect(usage(page).getByText(member.left(9), { exact: true })).toBeVisible();
  });

  test("a late-cancelled session cannot be booked again, and the coach sees the late cancel apart", async ({ make, signedIn }) => {
    const coach = await make.coach();
    const member = await packHolder(make);
    const s = await startingSoon(make, coach);
    await make.registration({ session: s, user: member.person, membership: member.membership, status: "LATE_CANCELLED" });

    const page = await signedIn(member.person);
    const again = await page.request.post(`/client/sessions/${s.id}`, { form: { intent: "book" }, maxRedirects: 0 });
    expect(again.status()).toBe(400);
    expect(await shownHtml(again)).toMatch(/role="alert"[^>]*>You late-cancelled this session, so it cannot be booked again\.</);
    await page.goto(`/client/sessions/${s.id}`);
    await expect(myState(page.getByRole("main"), "Late-cancelled")).toBeVisible();
    await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);

    // The coach no longer counts the client as registered.
    const studio = await signedIn(coach);
    await studio.goto(`/coach/sessions/${s.id}`);
    await expect(registeredList(studio).getByRole("heading")).toHaveText("Registered (0 of 5)");
    const late = studio.getByRole("region", { name: "Cancelled late (1)" });
    await expect(late.getByRole("listitem")).toHaveCount(1);
    await expect(late.getByRole("listitem")).toContainText(member.person.name);
  });
});

test.describe("refusals", () => {
  test("a session beyond the booking window shows when booking opens and offers no button", async ({ make, signedIn }) => {
    const { person, plan } = await make.member({ type: "PREPAID", durationDays: 56 });
    // Nine weeks ahead: beyond the window, and away from the seeded week the coach calendar spec reads.
    const s = await session(make, { date: addDays(thisMonday, 9 * 7 + 1), time: "12:30" });
    const opens = `Booking for this session opens ${formatDate(addDays(s.date, -14), "UTC")} at 12:30.`;
    const page = await signedIn(person);

    await page.goto(`/client/sessions?date=${s.date}`);
    await expect(usage(page).getByText(new RegExp(`^${plan.name}: \\d+ days? left$`))).toBeVisible();
    const item = sessionItem(page, s.date, s.slot);
    await expect(item).toHaveCount(1);
    await expect(item.getByText(opens, { exact: true })).toBeVisible();
    await expect(item.getByRole("button")).toHaveCount(0);
    // Nothing that day can be booked yet.
    await expect(day(page, s.date).getByRole("button")).toHaveCount(0);

    await page.goto(`/client/sessions/${s.id}`);
    await expect(page.getByText(opens, { exact: true })).toBeVisible();
    await expect(page.getByRole("main").getByRole("button")).toHaveCount(0);

    // Posting anyway is refused with the same reason, and nothing is booked.
    const forced = await page.request.post(`/client/sessions/${s.id}`, { form: { intent: "book" }, maxRedirects: 0 });
    expect(forced.status()).toBe(400);
    expect(await shownHtml(forced)).toContain(
      `role="alert" class="mb-4 rounded-md border border-red-300 bg-red-50 p-3 font-medium text-red-900">${opens}</div>`,
    );
    await page.reload();
    await expect(page.getByRole("main").getByText("Booked", { exact: true })).toHaveCount(0);
  });

  test("an unknown session answers 404, to a post and on its page", async ({ make, signedIn }) => {
    const page = await signedIn((await make.member({ type: "PREPAID" })).person);
    const missing = await page.request.post("/client/sessions/99999999", { form: { intent: "book" }, maxRedirects: 0 });
    expect(missing.status()).toBe(404);
    expect(await shownHtml(missing)).toContain("We could not find that session.");
    const malformed = await page.request.post("/client/sessions/not-a-session", { form: { intent: "book" }, maxRedirects: 0 });
    expect(malformed.status()).toBe(404);
    const gone = await page.goto("/client/sessions/99999999");
    expect(gone?.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "Page not found", level: 1 })).toBeVisible();
  });

  test("an unknown or missing intent answers 400 and books nothing", async ({ make, signedIn }) => {
    const { person, plan } = await make.member({ type: "PREPAID" });
    const s = await session(make, { date: bookingDay(3), time: "06:30" });
    const page = await signedIn(person);
    const nonsense = await page.request.post(`/client/sessions/${s.id}`, { form: { intent: "nonsense" }, maxRedirects: 0 });
    expect(nonsense.status()).toBe(400);
    const noIntent = await page.request.post(`/client/sessions/${s.id}`, { form: { redirectTo: "/client" }, maxRedirects: 0 });
    expect(noIntent.status()).toBe(400);
    // Neither booked anything.
    await page.goto(`/client/sessions?date=${s.date}`);
    const item = sessionItem(page, s.date, s.slot);
    await expect(item).toHaveCount(1);
    await expect(myState(item, "Booked")).toHaveCount(0);
    await expect(item.getByRole("button", { name: `Book: ${s.title}`, exact: true })).toBeVisible();
    await expect(usage(page).getByText(new RegExp(`^${plan.name}: \\d+ days? left$`))).toBeVisible();
  });

  for (const [role, aRole] of [
    ["coach", "a coach"],
    ["admin", "an admin"],
  ] as const) {
    test(`${aRole} without a membership sees a session but is told they need one to book it`, async ({ make, signedIn }) => {
      const s = await session(make, { date: bookingDay(3), time: "06:30" });
      const staff = await make[role]();
      const page = await signedIn(staff);
      const refused = await page.request.post(`/client/sessions/${s.id}`, { form: { intent: "book" }, maxRedirects: 0 });
      expect(refused.status()).toBe(400);
      expect(await shownHtml(refused)).toMatch(new RegExp(`role="alert"[^>]*>${NO_MEMBERSHIP.replace(/\./g, "\\.")}<`));
      // On the page, the same refusal shows by the button.
      await page.goto(`/client/sessions/${s.id}`);
      await page.getByRole("button", { name: `Book: ${s.title}`, exact: true }).click();
      await expect(page.getByRole("alert")).toHaveText(NO_MEMBERSHIP);
      await expect(myState(page.getByRole("main"), "Booked")).toHaveCount(0);
    });
  }
});

test("the HTTP contract: booking, cancelling and rebooking answer 303 to the page asked for", async ({ make, signedIn }) => {
  const member = await packHolder(make);
  const s = await session(make, { date: bookingDay(6), time: "17:30" });
  const page = await signedIn(member.person);
  const path = `/client/sessions/${s.id}`;

  const booked = await page.request.post(path, { form: { intent: "book" }, maxRedirects: 0 });
  expect(booked.status()).toBe(303);
  expect(booked.headers().location).toBe(path);
  await page.goto(booked.headers().location);
  await expect(flash(page)).toHaveText(BOOKED);
  await expect(myState(page.getByRole("main"), "Booked")).toBeVisible();

  const twice = await page.request.post(path, { form: { intent: "book" }, maxRedirects: 0 });
  expect(twice.status()).toBe(400);
  expect(await shownHtml(twice)).toMatch(/role="alert"[^>]*>You are already booked on this session\.</);

  const back = `/client/sessions?date=${s.date}`;
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
  await expect(myState(sessionItem(page, s.date, s.slot), "Booked")).toBeVisible();
  await expect(usage(page).getByText(member.left(9), { exact: true })).toBeVisible();
});
