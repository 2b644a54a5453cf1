import type { EntityManager } from "@mikro-orm/postgresql";
import type { Locator, Page } from "@playwright/test";
import { readdirSync } from "node:fs";
import { bookAppointment, createSlot } from "../../app/modules/appointments/appointments.service.server";
import { createPasswordToken } from "../../app/modules/auth/password-tokens.service.server";
import { EmailMessage, Notification } from "../../app/modules/notifications/notifications.entities.server";
import { unsubscribeUrl } from "../../app/modules/notifications/unsubscribe-link.server";
import { updateSettings } from "../../app/modules/settings/settings.service.server";
import { addDays } from "../../app/utils/time";
import { createEntry, createFeedback, createQuestionnaire, createResponse } from "../support/cohort-factories";
import { uniqueName } from "../support/factories";
import { axeViolations, type Violation } from "./axe";
import { bookingDay, expect, inDays, test, thisMonday, today, type Make, type Person } from "./fixtures";
import { flash, jsOn, myState } from "./helpers";

// Accessibility, with JavaScript on and off:
// - axe-core's WCAG 2.x A and AA rules find nothing on any page of the app, each seen as the role it is
//   for and filled with real data. The pages are listed by route file below, and a route file that is in
//   neither list fails the suite, so a new page cannot go unchecked.
// - booking, cancelling and buying work with the keyboard alone, and the focus can always be seen.

// Cohort pages answer 404 while reports.spec.ts switches cohorts off for a moment.
test.use({ needsStudioSettings: true });

/** A page's address, from the data its test made; `status` when it is not 200 (the error pages). */
type Target = string | { path: string; status: number };
type Visit<D> = (data: D, page: Page) => Target | Promise<Target>;

// ---------- the pages, by route file (app/routes) ----------

// The data each test makes; see `setUp` below.
type GuestData = { resetToken: string; unsubscribeToken: string };
type ClientData = { membershipId: number; sessionId: number; entryId: number; planOnSale: string };
type CoachData = { sessionId: number; pastSessionId: number; classTypeId: number; cohortId: number; memberId: number; responseId: number };
type AdminData = { memberId: number; personId: number; planId: number; messageId: number };
type AppointmentData = { slotId: number; bookingId: number };

const GUEST: Record<string, Visit<GuestData>> = {
  login: () => "/login",
  signup: () => "/signup",
  "forgot-password": () => "/forgot-password",
  "reset-password.$token": (d) => `/reset-password/${d.resetToken}`,
  "unsubscribe.$token": (d) => `/unsubscribe/${d.unsubscribeToken}`,
  $: () => ({ path: "/no-such-page", status: 404 }),
};

const CLIENT: Record<string, Visit<ClientData>> = {
  "client._index": () => "/client",
  "client.sessions._index": () => "/client/sessions",
  "client.sessions.calendar": () => "/client/sessions/calendar",
  "client.sessions.$id": (d) => `/client/sessions/${d.sessionId}`,
  "client.membership._index": () => "/client/membership",
  "client.membership.plans": () => "/client/membership/plans",
  "client.membership.$id.cancel": (d) => `/client/membership/${d.membershipId}/cancel`,
  "client.membership.checkout.cancel": () => "/client/membership/checkout/cancel",
  // Needs a paid checkout: bought the ordinary way, and the page it lands on is checked.
  "client.membership.checkout.success": async (d, page) => {
    await page.goto("/client/membership/plans");
    await page.getByRole("button", { name: `Buy ${d.planOnSale}`, exact: true }).click();
    await page.getByRole("button", { name: "Pay", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Thank you: your ${d.planOnSale} is ready`);
    const url = new URL(page.url());
    return url.pathname + url.search;
  },
  "client.cohort._index": () => "/client/cohort",
  "client.cohort.weeks.$week": () => "/client/cohort/weeks/1",
  "client.cohort.questionnaire.$week": () => "/client/cohort/questionnaire/1",
  "client.cohorts": () => "/client/cohorts",
  "client.health._index": () => "/client/health",
  "client.health.$id": (d) => `/client/health/${d.entryId}`,
  "account.notifications": () => "/account/notifications",
  "account.password": () => "/account/password",
  "account.two-factor": () => "/account/two-factor",
  // The error page as a signed-in client sees it: the layout with the client's navigation.
  "admin._index (403)": () => ({ path: "/admin", status: 403 }),
};

const COACH: Record<string, Visit<CoachData>> = {
  "coach._index": () => "/coach",
  "coach.sessions._index": () => "/coach/sessions",
  "coach.sessions.calendar": () => "/coach/sessions/calendar",
  "coach.sessions.new": () => "/coach/sessions/new",
  "coach.sessions.recurring": () => "/coach/sessions/recurring",
  "coach.sessions.$id._index": (d) => `/coach/sessions/${d.sessionId}`,
  "coach.sessions.$id._index (taking attendance)": (d) => `/coach/sessions/${d.pastSessionId}`,
  "coach.sessions.$id.edit": (d) => `/coach/sessions/${d.sessionId}/edit`,
  "coach.class-types._index": () => "/coach/class-types",
  "coach.class-types.$id": (d) => `/coach/class-types/${d.classTypeId}`,
  "coach.clients._index": () => "/coach/clients",
  "coach.clients.$userId._index": (d) => `/coach/clients/${d.memberId}`,
  "coach.clients.$userId.health": (d) => `/coach/clients/${d.memberId}/health`,
  "coach.cohorts._index": () => "/coach/cohorts",
  "coach.cohorts.new": () => "/coach/cohorts/new",
  "coach.cohorts.$id._index": (d) => `/coach/cohorts/${d.cohortId}`,
  "coach.cohorts.$id.edit": (d) => `/coach/cohorts/${d.cohortId}/edit`,
  "coach.cohorts.$id.check-ins": (d) => `/coach/cohorts/${d.cohortId}/check-ins`,
  "coach.cohorts.$id.review": (d) => `/coach/cohorts/${d.cohortId}/review`,
  "coach.cohorts.$id.questionnaires._index": (d) => `/coach/cohorts/${d.cohortId}/questionnaires`,
  "coach.cohorts.$id.questionnaires.$week": (d) => `/coach/cohorts/${d.cohortId}/questionnaires/1`,
  "coach.cohorts.$id.members.$userId._index": (d) => `/coach/cohorts/${d.cohortId}/members/${d.memberId}`,
  "coach.cohorts.$id.members.$userId.weeks.$week": (d) => `/coach/cohorts/${d.cohortId}/members/${d.memberId}/weeks/1`,
  "coach.cohorts.$id.responses.$responseId": (d) => `/coach/cohorts/${d.cohortId}/responses/${d.responseId}`,
};

const ADMIN: Record<string, Visit<AdminData>> = {
  "admin._index": () => "/admin",
  "admin.members._index": () => "/admin/members",
  "admin.members.$userId": (d) => `/admin/members/${d.memberId}`,
  "admin.people._index": () => "/admin/people",
  "admin.people.$userId": (d) => `/admin/people/${d.personId}`,
  "admin.plans._index": () => "/admin/plans",
  "admin.plans.new": () => "/admin/plans/new",
  "admin.plans.$id": (d) => `/admin/plans/${d.planId}`,
  "admin.reports._index": () => "/admin/reports",
  "admin.settings": () => "/admin/settings",
  "admin.outbox._index": () => "/admin/outbox",
  "admin.outbox.$id": (d) => `/admin/outbox/${d.messageId}`,
};

// Appointments are switched off by default: their tests switch them on (a studio-wide setting).
const COACH_APPOINTMENTS: Record<string, Visit<AppointmentData>> = {
  "coach.appointments._index": () => "/coach/appointments",
  "coach.appointments.new": () => "/coach/appointments/new",
  "coach.appointments.$id": (d) => `/coach/appointments/${d.slotId}`,
};
const CLIENT_APPOINTMENTS: Record<string, Visit<AppointmentData>> = {
  "client.appointments._index": () => "/client/appointments",
  "client.appointments.$id": (d) => `/client/appointments/${d.bookingId}`,
};

/** Route files that render no page of their own, and why. */
const NOT_PAGES: Record<string, string> = {
  _index: "redirects to the signed-in user's home page or to /login",
  logout: "POST only; a GET redirects home",
  client: "the client area's layout: only an <Outlet />, checked through its pages",
  coach: "the coach area's layout: only an <Outlet />, checked through its pages",
  admin: "the admin area's layout: only an <Outlet />, checked through its pages",
  "admin.members[.csv]": "a CSV download",
  "admin.reports.$report": "a CSV download",
  "calendar.feed.$token": "an iCalendar feed",
  "client.sessions.$id_.ics": "an iCalendar file",
  "webhooks.stripe": "Stripe's webhook endpoint (POST only)",
  "login_.two-factor": "the code step after a right password: axe checks it in two-factor.spec.ts, which signs in through it",
};

const ALL_PAGES = [GUEST, CLIENT, COACH, ADMIN, COACH_APPOINTMENTS, CLIENT_APPOINTMENTS];

/** The route file a page entry is for (an entry may add a note in brackets: "admin._index (403)"). */
const routeOf = (entry: string) => entry.replace(/ \(.*\)$/, "");

test("every route file is either a page checked below or listed as not a page", () => {
  const files = readdirSync(new URL("../../app/routes", import.meta.url)).map((file) => file.replace(/\.tsx?$/, ""));
  const listed = new Set([...ALL_PAGES.flatMap((pages) => Object.keys(pages).map(routeOf)), ...Object.keys(NOT_PAGES)]);
  expect(
    files.filter((file) => !listed.has(file)),
    "route files with no entry in accessibility.spec.ts: add each page to its role's list (or to NOT_PAGES)",
  ).toEqual([]);
  expect(
    [...listed].filter((route) => !files.includes(route)),
    "entries in accessibility.spec.ts for route files that do not exist",
  ).toEqual([]);
});

// ---------- the data each role's pages show ----------

type Fixtures = { make: Make; em: EntityManager; signedIn: (person: Person) => Promise<Page>; page: Page };

const lastMonday = addDays(thisMonday, -7);
const CHECK_IN = { metrics: ["weightKg" as const, "mood" as const, "energy" as const], frequencyDays: 7 };

/** A cohort in its second week (week 1's questionnaire open and answered), coached by `coach`, with `member` in it. */
async function cohortWeek(make: Make, em: EntityManager, coach: Person, member: Person) {
  const cohort = await make.cohort({ startDate: lastMonday, weeks: 6, coaches: [coach], members: [member], checkIn: CHECK_IN });
  const bundle = await createQuestionnaire(em, cohort, 1);
  await createQuestionnaire(em, cohort, 2);
  const entry = await createEntry(em, { user: member, date: addDays(lastMonday, 2), weightKg: 80.2, mood: 6, energy: 7, note: "Slept badly" });
  await createEntry(em, { user: member, date: today, weightKg: 79.6, mood: 8 });
  return { cohort, bundle, entry };
}

async function guestPages({ make, em, page }: Fixtures) {
  const client = await make.client();
  const { token } = await createPasswordToken(em, { userId: client.id, purpose: "RESET" });
  const unsubscribeToken = unsubscribeUrl(client.id, "WAITLIST_JOINED").split("/unsubscribe/")[1];
  return { page, data: { resetToken: token, unsubscribeToken } satisfies GuestData };
}

async function clientPages({ make, em, signedIn }: Fixtures) {
  const { person: client, membership } = await make.member({ type: "PACK", totalSessions: 10, name: uniqueName("A11y pack") });
  const booked = await make.session({ date: bookingDay(2), time: "18:00", title: uniqueName("Booked HIIT") });
  await make.registration({ session: booked, user: client, membership });
  const full = await make.session({ date: bookingDay(3), time: "07:00", capacity: 1, title: uniqueName("Full spin") });
  await make.registration({ session: full, user: await make.client() });
  await make.registration({ session: full, user: client, status: "WAITLISTED", waitlistPosition: 1 });
  const coach = await make.coach();
  const { cohort, entry } = await cohortWeek(make, em, coach, client);
  await createFeedback(em, { cohort, user: client, coach, weekNumber: 1 });
  em.create(Notification, {
    user: client.id,
    kind: "BOOKING_CONFIRMED",
    subject: `Booked: ${booked.title}`,
    body: "See you there.",
    payload: {},
    createdAt: new Date(),
  });
  await em.flush();
  const forSale = await make.planOnSale({ type: "PREPAID", name: uniqueName("A11y pass"), durationDays: 30, pricePence: 5000 });
  const data: ClientData = { membershipId: membership.id, sessionId: booked.id, entryId: entry.id, planOnSale: forSale.name };
  return { page: await signedIn(client), data };
}

async function coachPages({ make, em, signedIn }: Fixtures) {
  const coach = await make.coach();
  const classType = await make.classType({ name: uniqueName("A11y class") });
  const { person: member, membership } = await make.member({ type: "PACK", totalSessions: 10 });
  const session = await make.session({ date: bookingDay(4), time: "12:00", capacity: 1, coach, classType, title: uniqueName("A11y HIIT") });
  await make.registration({ session, user: member, membership });
  await make.registration({ session, user: await make.client(), status: "WAITLISTED", waitlistPosition: 1 });
  // Yesterday's class, whose attendance can still be taken.
  const past = await make.session({ date: inDays(-1), time: "09:00", coach, classType, title: uniqueName("A11y yesterday") });
  await make.registration({ session: past, user: member, membership });
  const { cohort, bundle } = await cohortWeek(make, em, coach, member);
  const response = await createResponse(em, { bundle, user: member });
  await createFeedback(em, { cohort, user: member, coach, weekNumber: 1, status: "DRAFT" });
  const data: CoachData = {
    sessionId: session.id,
    pastSessionId: past.id,
    classTypeId: classType.id,
    cohortId: cohort.id,
    memberId: member.id,
    responseId: response.id,
  };
  return { page: await signedIn(coach), data };
}

async function adminPages({ make, em, signedIn }: Fixtures) {
  const { person: member, plan } = await make.member({ type: "RECURRING", sessionsPerWeek: 3, name: uniqueName("A11y monthly") });
  const coach = await make.coach();
  const message = em.create(EmailMessage, {
    user: member.id,
    toAddress: member.email,
    subject: "Your booking is confirmed",
    textBody: "See you there.",
    htmlBody: "<p>See you there.</p>",
    status: "FAILED",
    attempts: 3,
    lastError: "connect ECONNREFUSED 127.0.0.1:25",
  });
  await em.flush();
  const data: AdminData = { memberId: member.id, personId: coach.id, planId: plan.id, messageId: message.id };
  return { page: await signedIn(await make.admin()), data };
}

/** A coach's open slot and a booked one, and the client who booked it, with appointments switched on. */
async function appointments({ make, em, signedIn }: Fixtures, as: "coach" | "client") {
  await updateSettings(em, { "features.appointments.enabled": true });
  const coach = await make.coach();
  const massage = await make.classType({ name: uniqueName("A11y massage"), defaultCapacity: 1, defaultDurationMins: 45 });
  const { person: client } = await make.member({ type: "PACK", totalSessions: 3, classTypes: [massage] });
  const actor = { id: coach.id, role: coach.role };
  const slot = (time: string) => ({ classTypeId: massage.id, date: bookingDay(3), startTime: time, durationMins: 45, location: "Treatment room", actor });
  const offered = await createSlot(em, slot("10:30"));
  const open = await createSlot(em, slot("14:00"));
  if (!offered.ok || !open.ok) throw new Error("the slots could not be offered");
  const booking = await bookAppointment(em, { slotId: offered.slot.id, userId: client.id });
  if (!booking?.ok) throw new Error("the slot could not be booked");
  const data: AppointmentData = { slotId: offered.slot.id, bookingId: booking.bookingId };
  return { page: await signedIn(as === "coach" ? coach : client), data };
}

// ---------- the checks ----------

/** At most this many pages per test: the two workers share the tests out, and each test stays short on a busy machine. */
const PAGES_PER_TEST = 8;

/**
 * Tests that open each page (its status checked, so an error page never stands in for it) and expect axe
 * to find nothing. Each test makes its role's data once and signs in once, for all its pages.
 */
function checkPages<D>(who: string, pages: Record<string, Visit<D>>, setUp: (fixtures: Fixtures) => Promise<{ page: Page; data: D }>) {
  const entries = Object.entries(pages);
  const parts = Math.ceil(entries.length / PAGES_PER_TEST);
  const size = Math.ceil(entries.length / parts);
  for (let part = 0; part < parts; part++) {
    const mine = entries.slice(part * size, (part + 1) * size);
    const title = `axe finds nothing on ${who}${parts > 1 ? ` (${part + 1} of ${parts})` : ""}`;
    test(title, async ({ make, em, signedIn, page: guest }, testInfo) => {
      const { page, data } = await setUp({ make, em, signedIn, page: guest });
      const found: { page: string; violations: Violation[] }[] = [];
      for (const [entry, visit] of mine) {
        const target = await visit(data, page);
        const { path, status } = typeof target === "string" ? { path: target, status: 200 } : target;
        const response = await page.goto(path);
        expect(response?.status(), `GET ${path} (${entry})`).toBe(status);
        const violations = await axeViolations(page, { javaScript: jsOn(testInfo) });
        if (violations.length) found.push({ page: `${entry}: ${path}`, violations });
      }
      expect(found).toEqual([]);
    });
  }
}

checkPages("the public pages", GUEST, guestPages);
checkPages("the client's pages", CLIENT, clientPages);
checkPages("the coach's pages", COACH, coachPages);
checkPages("the admin's pages", ADMIN, adminPages);
test.describe("appointments", () => {
  test.use({ changesStudioSettings: true });
  checkPages("the coach's appointment pages", COACH_APPOINTMENTS, (fixtures) => appointments(fixtures, "coach"));
  checkPages("the client's appointment pages", CLIENT_APPOINTMENTS, (fixtures) => appointments(fixtures, "client"));
});

// ---------- the keyboard alone ----------

/**
 * Moves the focus to `target` as a keyboard user would: Tab, or Shift+Tab when the target comes before
 * the focus. Fails if the target is never reached.
 */
async function tabTo(page: Page, target: Locator, max = 400) {
  await expect(target).toBeVisible();
  // Found once: asking the element after each press is cheaper than finding it again by its role and name.
  const element = await target.elementHandle();
  const backwards = await element!.evaluate((el) => {
    const focused = document.activeElement;
    return !!focused && focused !== document.body && !!(el.compareDocumentPosition(focused) & Node.DOCUMENT_POSITION_FOLLOWING);
  });
  for (let presses = 0; presses <= max; presses++) {
    if (await element!.evaluate((el) => el === document.activeElement)) return element!.dispose();
    await page.keyboard.press(backwards ? "Shift+Tab" : "Tab");
  }
  throw new Error(`${max} presses of ${backwards ? "Shift+Tab" : "Tab"} never reached ${target}`);
}

/**
 * The focused element shows a ring the keyboard user can see: `:focus-visible`, an outline at least 2px
 * wide in view, and a contrast of at least 3:1 with the background it is drawn on (WCAG 2.2 non-text contrast).
 */
async function expectVisibleFocus(target: Locator) {
  await expect(target).toBeFocused();
  await expect(target).toBeInViewport();
  const ring = await target.evaluate((el) => {
    const style = getComputedStyle(el);
    // The ring is drawn outside the element, on its parent's background, unless it is inset.
    let background = "rgb(255, 255, 255)";
    for (let at = parseFloat(style.outlineOffset) < 0 ? el : el.parentElement; at; at = at.parentElement) {
      const colour = getComputedStyle(at).backgroundColor;
      if (colour !== "rgba(0, 0, 0, 0)" && colour !== "transparent") {
        background = colour;
        break;
      }
    }
    // Colours come back in whatever space the stylesheet wrote (oklch for Tailwind's palette): a canvas turns them into sRGB.
    const canvas = document.createElement("canvas").getContext("2d", { willReadFrequently: true })!;
    const srgb = (colour: string) => {
      canvas.clearRect(0, 0, 1, 1);
      canvas.fillStyle = colour;
      canvas.fillRect(0, 0, 1, 1);
      return [...canvas.getImageData(0, 0, 1, 1).data.slice(0, 3)];
    };
    return {
      focusVisible: el.matches(":focus-visible"),
      outlineStyle: style.outlineStyle,
      outlineWidth: parseFloat(style.outlineWidth),
      outline: srgb(style.outlineColor),
      background: srgb(background),
    };
  });
  expect(ring.focusVisible, `${target} matches :focus-visible`).toBe(true);
  expect(ring.outlineStyle, `${target} has an outline`).not.toBe("none");
  expect(ring.outlineWidth).toBeGreaterThanOrEqual(2);
  expect(contrast(ring.outline, ring.background), `contrast of ${target}'s focus ring rgb(${ring.outline}) on rgb(${ring.background})`).toBeGreaterThanOrEqual(
    3,
  );
}

/** WCAG's contrast ratio of two sRGB colours. */
function contrast(a: number[], b: number[]): number {
  const luminance = (rgb: number[]) => {
    const [r, g, bl] = rgb.map((c) => {
      const s = c / 255;
      return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

/** Tabs to `target`, checks its focus shows, and presses `key` on it. */
async function press(page: Page, target: Locator, key: "Enter" | "Space" = "Enter") {
  await tabTo(page, target);
  await expectVisibleFocus(target);
  await page.keyboard.press(key);
}

test("a client buys a pack through the checkout page with the keyboard alone", async ({ make, signedIn }) => {
  const plan = await make.planOnSale({ type: "PACK", name: uniqueName("Keyboard pack"), totalSessions: 5, pricePence: 4000 });
  const page = await signedIn(await make.client());
  await page.goto("/client");

  await press(page, page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Membership" }));
  await expect(page).toHaveURL(/\/client\/membership$/);
  await press(page, page.getByRole("main").getByRole("link", { name: "Choose a plan" }));
  await expect(page).toHaveURL(/\/client\/membership\/plans$/);
  await press(page, page.getByRole("button", { name: `Buy ${plan.name}`, exact: true }));
  await expect(page).toHaveURL(/\/checkout\//);
  // The checkout page is Stripe's (the local stand-in's here), not the app's: its focus ring is not ours to check.
  const pay = page.getByRole("button", { name: "Pay", exact: true });
  await tabTo(page, pay);
  await expect(pay).toBeFocused();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText(`Thank you: your ${plan.name} is ready`);
  await press(page, page.getByRole("link", { name: "Book a class" }));
  await expect(page).toHaveURL(/\/client\/sessions$/);
  await expect(page.getByRole("region", { name: "Your usage" }).getByText(`${plan.name}: 5 of 5 sessions left`, { exact: true })).toBeVisible();
});

test("a client books a class and cancels it with the keyboard alone", async ({ make, signedIn }) => {
  const { person, plan } = await make.member({ type: "PACK", totalSessions: 5, name: uniqueName("Keyboard pack") });
  // First thing in next week's timetable, so the keyboard gets there from the week's first day.
  const title = uniqueName("Keyboard HIIT");
  await make.session({ date: bookingDay(7), time: "05:00", title });
  const page = await signedIn(person);
  await page.goto("/client/sessions");

  // The skip link comes first and takes the focus past the header and its navigation.
  await page.keyboard.press("Tab");
  await expectVisibleFocus(page.getByRole("link", { name: "Skip to content" }));
  await page.keyboard.press("Enter");
  await press(page, page.getByRole("link", { name: "Next week" }));
  await expect(page).toHaveURL(new RegExp(`\\?date=${bookingDay(7)}$`));
  await press(page, page.getByRole("button", { name: `Book: ${title}`, exact: true }), "Space");
  await expect(flash(page)).toHaveText("You're booked. See you there!");
  const item = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: new RegExp(`${title}$`) }) });
  await expect(myState(item, "Booked")).toBeVisible();
  await expect(page.getByRole("region", { name: "Your usage" }).getByText(`${plan.name}: 4 of 5 sessions left`, { exact: true })).toBeVisible();

  await press(page, item.getByRole("button", { name: `Cancel booking: ${title}`, exact: true }));
  await expect(flash(page)).toHaveText("Booking cancelled.");
  await expect(myState(item, "Booked")).toHaveCount(0);
  await expect(item.getByRole("button", { name: `Book: ${title}`, exact: true })).toBeVisible();
  await expect(page.getByRole("region", { name: "Your usage" }).getByText(`${plan.name}: 5 of 5 sessions left`, { exact: true })).toBeVisible();
});
