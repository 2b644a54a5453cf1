import { expect, test, type APIResponse, type Locator, type Page, type TestInfo } from "@playwright/test";
import { Temporal } from "temporal-polyfill";
import { formatDate, mondayOf, todayIn } from "../../app/utils/time";
import { signIn, signOut } from "./helpers";

// Both projects share one seeded database: plan names carry the project's name, and each project uses
// its own demo clients. Clients 1–20 hold "2025 6 Months x 3" (RECURRING, 6 a week), 21–40
// "10 Personal Training Sessions" (PACK of 10) and 41–60 "8 WEEK CHALLENGE" (PREPAID, 56 days).
// Only clients 13–19, 24–29 and 44–49 are used here for membership changes.

const ADMIN = "admin@centurion.test";
const ADMIN_NAME = "Studio Admin";
const ZONE = "Europe/London";
const SEEDED = { recurring: "2025 6 Months x 3", pack: "10 Personal Training Sessions", prepaid: "8 WEEK CHALLENGE" };

type PlanType = "RECURRING" | "PACK" | "PREPAID";
type NewPlan = { name: string; type: PlanType; price: string; count: string; classTypes?: string[]; summary: string; classes: string };

const COUNT_LABEL: Record<PlanType, string> = { RECURRING: "Sessions a week", PACK: "Sessions in the pack", PREPAID: "Days of access" };
const TYPE_COLUMN: Record<PlanType, string> = { RECURRING: "Recurring", PACK: "Pack", PREPAID: "Prepaid" };
const CARD_TYPE: Record<PlanType, string> = { RECURRING: "Monthly", PACK: "Pack", PREPAID: "Prepaid pass" };
const FIELDSET: Record<PlanType, string> = { RECURRING: "Recurring plans only", PACK: "Packs only", PREPAID: "Prepaid passes only" };

function perProject<T>(testInfo: TestInfo, jsOn: T, jsOff: T): T {
  return testInfo.project.name === "js-off" ? jsOff : jsOn;
}

const jsOn = (testInfo: TestInfo) => testInfo.project.name !== "js-off";

function client(n: number) {
  return { email: `client${n}@centurion.test`, name: `Client ${n}` };
}

/** The three plans the admin creates in this project. */
function newPlans(testInfo: TestInfo): Record<"recurring" | "pack" | "prepaid", NewPlan> {
  const tag = testInfo.project.name;
  return {
    recurring: { name: `Trio ${tag}`, type: "RECURRING", price: "60", count: "3", summary: "3 sessions a week · £60.00 a month", classes: "All" },
    pack: { name: `Core Five ${tag}`, type: "PACK", price: "45.50", count: "5", classTypes: ["CORE"], summary: "5 sessions · £45.50", classes: "CORE" },
    prepaid: { name: `Month Pass ${tag}`, type: "PREPAID", price: "99", count: "30", summary: "30 days of unlimited classes · £99.00", classes: "All" },
  };
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

/** A response's HTML without its scripts, which also carry the loader and action data as JSON. */
async function shownHtml(response: APIResponse): Promise<string> {
  return (await response.text()).replace(/<script\b[\s\S]*?<\/script>/g, "");
}

async function signInAs(page: Page, email: string, home: RegExp) {
  await signIn(page, email);
  await expect(page).toHaveURL(home);
}

/**
 * Opens the new plan form. With JavaScript, waits until the page is hydrated (only the chosen type's
 * fieldset left showing), so the type select is not reset by hydration after it is changed.
 */
async function openNewPlanForm(page: Page, testInfo: TestInfo) {
  await page.goto("/admin/plans/new");
  await expect(page.getByRole("heading", { name: "New plan", level: 1 })).toBeVisible();
  if (jsOn(testInfo)) await expect(page.getByRole("group", { name: FIELDSET.PACK })).toBeHidden();
}

async function fillPlanForm(page: Page, plan: { name: string; type: PlanType; price: string; count?: string; classTypes?: string[] }) {
  await page.getByLabel("Name", { exact: true }).fill(plan.name);
  await page.getByLabel("Type", { exact: true }).selectOption(plan.type);
  await page.getByLabel("Price (£)").fill(plan.price);
  if (plan.count) await page.getByLabel(COUNT_LABEL[plan.type]).fill(plan.count);
  for (const classType of plan.classTypes ?? []) await page.getByRole("checkbox", { name: classType, exact: true }).check();
}

/** A plan's row in the admin plan table, found by its link. */
function planRow(page: Page, name: string): Locator {
  return page.getByRole("row").filter({ has: page.getByRole("link", { name, exact: true }) });
}

/** A membership card, found by its heading ("Plan name · Monthly"). */
function membershipCard(page: Page, planName: string, type: PlanType): Locator {
  return page.getByRole("article", { name: `${planName} · ${CARD_TYPE[type]}`, exact: true });
}

/** The status badge of a membership card ("Active", "Paused", "Ending", "Cancelled"…). */
function badge(card: Locator, status: string): Locator {
  return card.getByText(status, { exact: true });
}

async function openHistory(card: Locator): Promise<Locator> {
  await card.getByText("History", { exact: true }).click();
  return card.getByRole("listitem");
}

/** The id in a membership's "Cancel membership" link on its owner's membership page. */
async function ownMembershipId(page: Page, planName: string, type: PlanType): Promise<number> {
  await page.goto("/client/membership");
  const link = membershipCard(page, planName, type).getByRole("link", { name: "Cancel membership" });
  const href = await link.getAttribute("href");
  const id = Number(/^\/client\/membership\/(\d+)\/cancel$/.exec(href ?? "")?.[1]);
  expect(id, `membership id in ${href}`).toBeGreaterThan(0);
  return id;
}

test.describe("admin plans and assignments", () => {
  test.describe.configure({ mode: "serial" });

  test("an admin creates a recurring plan, a CORE-only pack and a prepaid pass", async ({ page }, testInfo) => {
    const plans = newPlans(testInfo);
    await signInAs(page, ADMIN, /\/admin$/);
    await openNewPlanForm(page, testInfo);

    if (jsOn(testInfo)) {
      // Only the chosen type's fieldset shows, and it follows the type select.
      await expect(page.getByLabel("Type", { exact: true })).toHaveValue("RECURRING");
      await expect(page.getByRole("group", { name: FIELDSET.RECURRING })).toBeVisible();
      await expect(page.getByText(FIELDSET.PACK, { exact: true })).toBeHidden();
      await expect(page.getByRole("group", { name: FIELDSET.PREPAID })).toBeHidden();
      await page.getByLabel("Type", { exact: true }).selectOption("PACK");
      await expect(page.getByText(FIELDSET.PACK, { exact: true })).toBeVisible();
      await expect(page.getByRole("group", { name: FIELDSET.RECURRING })).toBeHidden();
      await page.getByLabel("Type", { exact: true }).selectOption("PREPAID");
      await expect(page.getByRole("group", { name: FIELDSET.PREPAID })).toBeVisible();
      await expect(page.getByRole("group", { name: FIELDSET.PACK })).toBeHidden();
    } else {
      // Without JavaScript every type's fieldset shows, each labelled.
      for (const legend of Object.values(FIELDSET)) await expect(page.getByRole("group", { name: legend })).toBeVisible();
    }

    for (const plan of Object.values(plans)) {
      await openNewPlanForm(page, testInfo);
      await fillPlanForm(page, plan);
      await page.getByRole("button", { name: "Create plan" }).click();
      await expect(page).toHaveURL(/\/admin\/plans$/);
      await expect(flash(page)).toHaveText(`Plan “${plan.name}” created.`);
    }

    await expect(page.getByRole("heading", { name: "Membership plans", level: 1 })).toBeVisible();
    for (const plan of Object.values(plans)) {
      const cells = planRow(page, plan.name).getByRole("cell");
      await expect(cells, plan.name).toHaveText([plan.name, TYPE_COLUMN[plan.type], plan.summary, plan.classes, "Clients"]);
    }
  });

  test("an admin assigns each new plan, then pauses, resumes and cancels one", async ({ page }, testInfo) => {
    const plans = newPlans(testInfo);
    const member = client(perProject(testInfo, 17, 18));
    await signInAs(page, ADMIN, /\/admin$/);

    await page.goto("/admin/members");
    await page.getByLabel("Name or email").fill(member.email);
    await page.getByRole("button", { name: "Search" }).click();
    await expect(page.getByText("1 member · page 1 of 1")).toBeVisible();
    await page.getByRole("link", { name: member.name, exact: true }).click();
    await expect(page.getByRole("heading", { name: member.name, level: 1 })).toBeVisible();
    await expect(page.getByText(member.email, { exact: true })).toBeVisible();
    await expect(badge(membershipCard(page, SEEDED.recurring, "RECURRING"), "Active")).toBeVisible();

    for (const plan of Object.values(plans)) {
      await page.getByLabel("Plan", { exact: true }).selectOption({ label: `${plan.name} — ${plan.summary}` });
      await page.getByRole("button", { name: "Assign plan" }).click();
      await expect(flash(page)).toHaveText("Membership assigned.");
      await expect(badge(membershipCard(page, plan.name, plan.type), "Active")).toBeVisible();
    }
    await expect(membershipCard(page, plans.recurring.name, "RECURRING")).toContainText(`${plans.recurring.name}: 0 of 3 sessions used this week`);
    await expect(membershipCard(page, plans.pack.name, "PACK")).toContainText(`${plans.pack.name}: 5 of 5 sessions left`);
    await expect(membershipCard(page, plans.prepaid.name, "PREPAID")).toContainText(`${plans.prepaid.name}: 30 days left`);

    const pass = membershipCard(page, plans.prepaid.name, "PREPAID");
    await pass.getByRole("button", { name: "Pause" }).click();
    await expect(flash(page)).toHaveText("Membership paused.");
    await expect(badge(pass, "Paused")).toBeVisible();
    await expect(pass.getByText("Paused since:")).toBeVisible();
    await expect(pass.getByRole("button", { name: "Pause" })).toHaveCount(0);

    await pass.getByRole("button", { name: "Resume" }).click();
    await expect(flash(page)).toHaveText("Membership resumed.");
    await expect(badge(pass, "Active")).toBeVisible();
    await expect(pass.getByText("Paused since:")).toHaveCount(0);

    await pass.getByRole("button", { name: "Cancel now" }).click();
    await expect(flash(page)).toHaveText("Membership cancelled.");
    await expect(badge(pass, "Cancelled")).toBeVisible();
    await expect(pass.getByText("Ended:")).toBeVisible();
    for (const name of ["Pause", "Resume", "Cancel now"]) await expect(pass.getByRole("button", { name })).toHaveCount(0);
    // The others are untouched.
    await expect(badge(membershipCard(page, plans.recurring.name, "RECURRING"), "Active")).toBeVisible();
    await expect(badge(membershipCard(page, plans.pack.name, "PACK"), "Active")).toBeVisible();

    const history = await openHistory(pass);
    await expect(history).toHaveText([
      new RegExp(`: Cancelled by ${ADMIN_NAME} — Cancelled by an admin$`),
      new RegExp(`: Resumed by ${ADMIN_NAME} — Paused 0 day\\(s\\); now ends \\w{3} \\d{1,2} \\w{3} \\d{4}$`),
      new RegExp(`: Paused by ${ADMIN_NAME}$`),
      new RegExp(`: Assigned by ${ADMIN_NAME} — Assigned by an admin from \\w{3} \\d{1,2} \\w{3} \\d{4}$`),
    ]);

    // The client sees the plans still in use, and the cancelled pass in their history.
    await signOut(page);
    await signInAs(page, member.email, /\/client$/);
    const usage = page.getByRole("region", { name: "Your usage" });
    await expect(usage).toContainText(`${plans.recurring.name}: 0 of 3 sessions used this week`);
    await expect(usage).toContainText(`${plans.pack.name}: 5 of 5 sessions left`);
    await expect(usage).not.toContainText(plans.prepaid.name);
    await page.goto("/client/membership");
    await expect(badge(membershipCard(page, plans.prepaid.name, "PREPAID"), "Cancelled")).toBeVisible();
  });
});

test("invalid plans answer 400 with messages by the fields and the values kept", async ({ page }, testInfo) => {
  const tag = testInfo.project.name;
  await signInAs(page, ADMIN, /\/admin$/);
  const create = page.getByRole("button", { name: "Create plan" });

  // A negative price.
  await openNewPlanForm(page, testInfo);
  await fillPlanForm(page, { name: `Negative ${tag}`, type: "RECURRING", price: "-5", count: "2" });
  expect(await submitStatus(page, create)).toBe(400);
  await expect(page.getByRole("alert")).toHaveText("Please correct the fields marked below.");
  await expect(page.getByLabel("Price (£)")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Price (£)")).toHaveAccessibleDescription(/Enter a price of 0 or more, like 9\.99\.$/);
  await expect(page.getByLabel("Price (£)")).toHaveValue("-5");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`Negative ${tag}`);
  await expect(page.getByLabel("Type", { exact: true })).toHaveValue("RECURRING");
  await expect(page.getByLabel("Sessions a week")).toHaveValue("2");

  // A pack without its number of sessions, restricted to CORE.
  await openNewPlanForm(page, testInfo);
  await fillPlanForm(page, { name: `Empty pack ${tag}`, type: "PACK", price: "20", classTypes: ["CORE"] });
  expect(await submitStatus(page, create)).toBe(400);
  await expect(page.getByLabel("Sessions in the pack")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Sessions in the pack")).toHaveAccessibleDescription("A pack needs its number of sessions.");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`Empty pack ${tag}`);
  await expect(page.getByLabel("Type", { exact: true })).toHaveValue("PACK");
  await expect(page.getByLabel("Price (£)")).toHaveValue("20");
  await expect(page.getByLabel("Price (£)")).not.toHaveAttribute("aria-invalid", "true");
  await expect(page.getByRole("checkbox", { name: "CORE", exact: true })).toBeChecked();

  // A prepaid pass without its number of days.
  await openNewPlanForm(page, testInfo);
  await fillPlanForm(page, { name: `Endless pass ${tag}`, type: "PREPAID", price: "10" });
  expect(await submitStatus(page, create)).toBe(400);
  await expect(page.getByLabel("Days of access")).toHaveAttribute("aria-invalid", "true");
  await expect(page.getByLabel("Days of access")).toHaveAccessibleDescription("A prepaid pass needs its number of days.");
  await expect(page.getByLabel("Name", { exact: true })).toHaveValue(`Endless pass ${tag}`);
  await expect(page.getByLabel("Type", { exact: true })).toHaveValue("PREPAID");

  // Class type ids that are not on the list, posted by hand with the admin's cookies.
  for (const classTypeIds of ["999999", "not-a-number"]) {
    const response = await page.request.post("/admin/plans/new", {
      form: { intent: "create", name: `Ghost ${tag}`, type: "PACK", price: "10", totalSessions: "5", classTypeIds },
      maxRedirects: 0,
    });
    expect(response.status(), classTypeIds).toBe(400);
    expect(await shownHtml(response), classTypeIds).toContain('class="field-error">Choose class types from the list.</p>');
  }

  // None of them was created.
  await page.goto("/admin/plans");
  for (const name of [`Negative ${tag}`, `Empty pack ${tag}`, `Endless pass ${tag}`, `Ghost ${tag}`]) {
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  }
});

test.describe("a client's own membership", () => {
  test("a client sees the usage of each plan type on the membership page and the home page", async ({ page }, testInfo) => {
    const cases = [
      { n: perProject(testInfo, 13, 16), plan: SEEDED.recurring, type: "RECURRING" as const, headline: /^0 of 6 sessions used this week$/, detail: "6 left this week" },
      { n: perProject(testInfo, 24, 26), plan: SEEDED.pack, type: "PACK" as const, headline: /^10 of 10 sessions left$/, detail: "Use them at any time" },
      { n: perProject(testInfo, 44, 46), plan: SEEDED.prepaid, type: "PREPAID" as const, headline: /^(\d+) days? left$/, detail: /^Until \w{3} \d{1,2} \w{3} \d{4}$/ },
    ];
    for (const { n, plan, type, headline, detail } of cases) {
      const { email } = client(n);
      await signInAs(page, email, /\/client$/);
      const usage = page.getByRole("region", { name: "Your usage" });
      const line = usage.getByText(`${plan}: `);
      await expect(line, email).toHaveCount(1);
      const said = (await line.textContent())!.slice(`${plan}: `.length);
      expect(said, email).toMatch(headline);
      if (type === "PREPAID") {
        const days = Number(headline.exec(said)![1]);
        expect(days, email).toBeGreaterThanOrEqual(1);
        expect(days, email).toBeLessThanOrEqual(56);
      }
      await expect(usage.getByText(detail), email).toBeVisible();
      await expect(usage.getByRole("meter", { name: `${plan}: ${said}` })).toBeAttached();

      await page.goto("/client/membership");
      await expect(page.getByRole("heading", { name: "My membership", level: 1 })).toBeVisible();
      const card = membershipCard(page, plan, type);
      await expect(badge(card, "Active")).toBeVisible();
      await expect(card.getByText(`${plan}: ${said}`, { exact: true })).toBeVisible();
      await expect(card.getByRole("link", { name: "Cancel membership" })).toBeVisible();
      if (type === "RECURRING") {
        await expect(card).toContainText("Price: £75.00 a month");
        await expect(card.getByText("Next billing date:")).toBeVisible();
      }
      if (type === "PACK") await expect(card).toContainText("Sessions left: 10");
      if (type === "PREPAID") await expect(card.getByText("Ends:")).toBeVisible();
      await signOut(page);
    }
  });

  test("the plans page groups the plans clients can buy and leaves out admin-only ones", async ({ page }, testInfo) => {
    await signInAs(page, client(perProject(testInfo, 44, 46)).email, /\/client$/);
    await page.goto("/client/membership");
    await page.getByRole("link", { name: "See all plans" }).click();
    await expect(page).toHaveURL(/\/client\/membership\/plans$/);
    await expect(page.getByRole("heading", { name: "Plans", level: 1 })).toBeVisible();
    await expect(page.getByRole("main").getByRole("heading", { level: 2 })).toHaveText(["Monthly memberships", "Class packs", "Prepaid passes"]);

    const groups = {
      "Monthly memberships": ["2025 6 Months x 3", "Daily Nutrition Accountability", "Committed", "Totally Committed"],
      "Class packs": ["1 Session Pass", "10 Personal Training Sessions", "Sports Massage", "3 Pack Sports Massages"],
      "Prepaid passes": ["Kickstarter"],
    };
    for (const [group, names] of Object.entries(groups)) {
      const region = page.getByRole("region", { name: group });
      for (const name of names) await expect(region.getByRole("heading", { name, exact: true, level: 3 }), `${name} in ${group}`).toBeVisible();
    }
    const packs = page.getByRole("region", { name: "Class packs" });
    const massage = packs.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "3 Pack Sports Massages", exact: true }) });
    await expect(massage).toContainText("£110.00");
    await expect(massage).toContainText("3 sessions · £110.00");
    await expect(massage).toContainText("Classes: Sports Massage");
    const monthly = page.getByRole("region", { name: "Monthly memberships" });
    await expect(monthly.getByRole("listitem").filter({ has: page.getByRole("heading", { name: "Daily Nutrition Accountability", exact: true }) })).toContainText("One per member.");

    // The 8-week challenge is sold by the admin only, even to a client who holds it.
    await expect(page.getByRole("heading", { name: SEEDED.prepaid })).toHaveCount(0);
    await expect(page.getByText(SEEDED.prepaid)).toHaveCount(0);
  });

  test("a recurring membership cancelled by its client runs to the end of the billing period", async ({ page }, testInfo) => {
    const member = client(perProject(testInfo, 14, 15));
    await signInAs(page, member.email, /\/client$/);
    await page.goto("/client/membership");
    const card = membershipCard(page, SEEDED.recurring, "RECURRING");
    await expect(badge(card, "Active")).toBeVisible();
    await card.getByRole("link", { name: "Cancel membership" }).click();

    await expect(page).toHaveURL(/\/client\/membership\/\d+\/cancel$/);
    const cancelPath = new URL(page.url()).pathname;
    await expect(page.getByRole("heading", { name: `Cancel ${SEEDED.recurring}?`, level: 1 })).toBeVisible();
    const explanation = page.getByText(/^It stays active until the end of this billing period, .+, and then stops\. You will not be charged again\.$/);
    await expect(explanation).toBeVisible();
    // The seeded membership started on this week's Monday, so its billing period ends the day before
    // the same date next month.
    const periodEnd = Temporal.PlainDate.from(mondayOf(todayIn(ZONE))).add({ months: 1 }).subtract({ days: 1 }).toString();
    const endsOn = formatDate(periodEnd, "UTC");
    await expect(explanation).toContainText(`billing period, ${endsOn}, and then stops`);

    // Keeping it changes nothing.
    await page.getByRole("link", { name: "Keep my membership" }).click();
    await expect(page).toHaveURL(/\/client\/membership$/);
    await expect(badge(card, "Active")).toBeVisible();

    await card.getByRole("link", { name: "Cancel membership" }).click();
    await page.getByRole("button", { name: "Yes, cancel it" }).click();
    await expect(page).toHaveURL(/\/client\/membership$/);
    await expect(flash(page)).toHaveText(`Your ${SEEDED.recurring} is cancelled. You can keep booking until ${endsOn}; you will not be charged again.`);
    await expect(badge(card, "Ending")).toBeVisible();
    await expect(card).toContainText(`Ends: ${endsOn}`);
    await expect(card.getByText(/^Cancelled: you can keep booking until /)).toBeVisible();
    await expect(card.getByText("Next billing date:")).toHaveCount(0);
    await expect(card.getByRole("link", { name: "Cancel membership" })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "History", level: 2 })).toHaveCount(0);
    const history = await openHistory(card);
    await expect(history.first()).toHaveText(new RegExp(`: Cancellation scheduled by ${member.name} — Ends after \\w{3} \\d{1,2} \\w{3} \\d{4}$`));

    // Cancelling again is refused.
    await page.goto(cancelPath);
    await expect(page.getByText("This membership is already ending or has ended.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Yes, cancel it" })).toHaveCount(0);
    const again = await page.request.post(cancelPath, { form: {}, maxRedirects: 0 });
    expect(again.status()).toBe(400);
    expect(await shownHtml(again)).toMatch(/role="alert"[^>]*>This membership is already ending\.</);

    // Still usable until then.
    await page.goto("/client");
    await expect(page.getByRole("region", { name: "Your usage" })).toContainText(`${SEEDED.recurring}: 0 of 6 sessions used this week`);
  });

  test("a pack cancelled by its client ends at once and moves to the history", async ({ page }, testInfo) => {
    const member = client(perProject(testInfo, 25, 27));
    await signInAs(page, member.email, /\/client$/);
    await expect(page.getByRole("region", { name: "Your usage" })).toContainText(`${SEEDED.pack}: 10 of 10 sessions left`);
    await page.goto("/client/membership");
    await membershipCard(page, SEEDED.pack, "PACK").getByRole("link", { name: "Cancel membership" }).click();

    await expect(page.getByRole("heading", { name: `Cancel ${SEEDED.pack}?`, level: 1 })).toBeVisible();
    await expect(page.getByText("It ends today. Any sessions or days left on it are given up.")).toBeVisible();
    await page.getByRole("button", { name: "Yes, cancel it" }).click();

    await expect(page).toHaveURL(/\/client\/membership$/);
    await expect(flash(page)).toHaveText(`Your ${SEEDED.pack} is cancelled.`);
    await expect(page.getByText("You have no current membership.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "History", level: 2 })).toBeVisible();
    const card = membershipCard(page, SEEDED.pack, "PACK");
    await expect(badge(card, "Cancelled")).toBeVisible();
    await expect(card.getByText("Ended:")).toBeVisible();
    await expect(card.getByRole("link", { name: "Cancel membership" })).toHaveCount(0);
    const history = await openHistory(card);
    await expect(history.first()).toHaveText(new RegExp(`: Cancelled by ${member.name} — Cancelled by the member$`));

    await page.goto("/client");
    await expect(page.getByRole("region", { name: "Your usage" })).toHaveCount(0);
  });
});

test("a client cannot reach another client's cancel page nor the admin pages", async ({ page }, testInfo) => {
  const owner = client(perProject(testInfo, 48, 49));
  const other = client(perProject(testInfo, 28, 29));

  await signInAs(page, owner.email, /\/client$/);
  const theirs = await ownMembershipId(page, SEEDED.prepaid, "PREPAID");
  await signOut(page);

  await signInAs(page, other.email, /\/client$/);
  const path = `/client/membership/${theirs}/cancel`;
  const response = await page.goto(path);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found", level: 1 })).toBeVisible();
  await expect(page.getByText("We could not find that membership.")).toBeVisible();
  await expect(page.getByText(SEEDED.prepaid)).toHaveCount(0);
  const post = await page.request.post(path, { form: {}, maxRedirects: 0 });
  expect(post.status()).toBe(404);

  for (const adminPath of ["/admin/plans", "/admin/plans/new", "/admin/members"]) {
    const denied = await page.goto(adminPath);
    expect(denied?.status(), adminPath).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed", level: 1 })).toBeVisible();
  }
  const sneaky = await page.request.post("/admin/plans/new", {
    form: { intent: "create", name: `Sneaky ${testInfo.project.name}`, type: "PACK", price: "1", totalSessions: "100" },
    maxRedirects: 0,
  });
  expect(sneaky.status()).toBe(403);

  // The other client's own membership is untouched, and so is theirs.
  await page.goto("/client/membership");
  await expect(badge(membershipCard(page, SEEDED.pack, "PACK"), "Active")).toBeVisible();
  await signOut(page);
  await signInAs(page, owner.email, /\/client$/);
  await page.goto("/client/membership");
  const card = membershipCard(page, SEEDED.prepaid, "PREPAID");
  await expect(badge(card, "Active")).toBeVisible();
  await expect(card.getByRole("link", { name: "Cancel membership" })).toBeVisible();
});
