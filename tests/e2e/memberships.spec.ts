import type { Locator, Page, TestInfo } from "@playwright/test";
import { Temporal } from "temporal-polyfill";
import { formatDate } from "../../app/utils/time";
import { uniqueName } from "../support/factories";
import { bookingDay, expect, test, thisMonday, type Make } from "./fixtures";
import { flash, jsOn, myState, shownHtml, submitStatus, usage } from "./helpers";

// Every test makes its own admin, clients and plans, so none depends on another or on the seed.

type PlanType = "RECURRING" | "PACK" | "PREPAID";

const COUNT_LABEL: Record<PlanType, string> = { RECURRING: "Sessions a week", PACK: "Sessions in the pack", PREPAID: "Days of access" };
const TYPE_COLUMN: Record<PlanType, string> = { RECURRING: "Recurring", PACK: "Pack", PREPAID: "Prepaid" };
const CARD_TYPE: Record<PlanType, string> = { RECURRING: "Monthly", PACK: "Pack", PREPAID: "Prepaid pass" };
const FIELDSET: Record<PlanType, string> = { RECURRING: "Recurring plans only", PACK: "Packs only", PREPAID: "Prepaid passes only" };

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

/** Three plans as an admin would make them: 3 a week at £60 a month, a pack of 5 at £45.50, 30 days at £99. */
async function threePlans(make: Make) {
  const recurring = await make.plan({ type: "RECURRING", name: uniqueName("Trio"), pricePence: 6000, sessionsPerWeek: 3 });
  const pack = await make.plan({ type: "PACK", name: uniqueName("Five"), pricePence: 4550, totalSessions: 5 });
  const prepaid = await make.plan({ type: "PREPAID", name: uniqueName("Month Pass"), pricePence: 9900, durationDays: 30 });
  return {
    recurring: { plan: recurring, type: "RECURRING" as const, summary: "3 sessions a week · £60.00 a month" },
    pack: { plan: pack, type: "PACK" as const, summary: "5 sessions · £45.50" },
    prepaid: { plan: prepaid, type: "PREPAID" as const, summary: "30 days of unlimited classes · £99.00" },
  };
}

/** The admin's page of a member, found through the member search. */
async function openMember(page: Page, member: { email: string; name: string }) {
  await page.goto("/admin/members");
  await page.getByLabel("Name or email").fill(member.email);
  await page.getByRole("button", { name: "Search" }).click();
  await expect(page.getByText("1 member · page 1 of 1")).toBeVisible();
  await page.getByRole("link", { name: member.name, exact: true }).click();
  await expect(page.getByRole("heading", { name: member.name, level: 1 })).toBeVisible();
}

test.describe("admin plans", () => {
  test("the new plan form shows the chosen type's fields with JavaScript, and every type's, labelled, without", async ({ make, signedIn }, testInfo) => {
    const page = await signedIn(await make.admin());
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
  });

  for (const kind of ["a recurring plan", "a pack limited to one class type", "a prepaid pass"] as const) {
    test(`an admin creates ${kind}`, async ({ make, signedIn }, testInfo) => {
      const classType = await make.classType();
      const plan = {
        "a recurring plan": {
          name: uniqueName("Trio"),
          type: "RECURRING",
          price: "60",
          count: "3",
          summary: "3 sessions a week · £60.00 a month",
          classes: "All",
        },
        "a pack limited to one class type": {
          name: uniqueName("Five"),
          type: "PACK",
          price: "45.50",
          count: "5",
          classTypes: [classType.name],
          summary: "5 sessions · £45.50",
          classes: classType.name,
        },
        "a prepaid pass": {
          name: uniqueName("Month Pass"),
          type: "PREPAID",
          price: "99",
          count: "30",
          summary: "30 days of unlimited classes · £99.00",
          classes: "All",
        },
      }[kind] as { name: string; type: PlanType; price: string; count: string; classTypes?: string[]; summary: string; classes: string };
      const page = await signedIn(await make.admin());
      await openNewPlanForm(page, testInfo);
      await fillPlanForm(page, plan);
      await page.getByRole("button", { name: "Create plan" }).click();
      await expect(page).toHaveURL(/\/admin\/plans$/);
      await expect(flash(page)).toHaveText(`Plan “${plan.name}” created.`);
      await expect(page.getByRole("heading", { name: "Membership plans", level: 1 })).toBeVisible();
      await expect(planRow(page, plan.name).getByRole("cell")).toHaveText([plan.name, TYPE_COLUMN[plan.type], plan.summary, plan.classes, "Clients", "Synced"]);
    });
  }
});

test.describe("invalid plans answer 400 with messages by the fields and the values kept", () => {
  test("a negative price", async ({ make, signedIn }, testInfo) => {
    const name = uniqueName("Negative");
    const page = await signedIn(await make.admin());
    await openNewPlanForm(page, testInfo);
    await fillPlanForm(page, { name, type: "RECURRING", price: "-5", count: "2" });
    expect(await submitStatus(page, page.getByRole("button", { name: "Create plan" }))).toBe(400);
    await expect(page.getByRole("alert")).toHaveText("Please correct the fields marked below.");
    await expect(page.getByLabel("Price (£)")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Price (£)")).toHaveAccessibleDescription(/Enter a price of 0 or more, like 9\.99\.$/);
    await expect(page.getByLabel("Price (£)")).toHaveValue("-5");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
    await expect(page.getByLabel("Type", { exact: true })).toHaveValue("RECURRING");
    await expect(page.getByLabel("Sessions a week")).toHaveValue("2");
    await page.goto("/admin/plans");
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  });

  test("a pack without its number of sessions", async ({ make, signedIn }, testInfo) => {
    const classType = await make.classType();
    const name = uniqueName("Empty pack");
    const page = await signedIn(await make.admin());
    await openNewPlanForm(page, testInfo);
    await fillPlanForm(page, { name, type: "PACK", price: "20", classTypes: [classType.name] });
    expect(await submitStatus(page, page.getByRole("button", { name: "Create plan" }))).toBe(400);
    await expect(page.getByLabel("Sessions in the pack")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Sessions in the pack")).toHaveAccessibleDescription("A pack needs its number of sessions.");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
    await expect(page.getByLabel("Type", { exact: true })).toHaveValue("PACK");
    await expect(page.getByLabel("Price (£)")).toHaveValue("20");
    await expect(page.getByLabel("Price (£)")).not.toHaveAttribute("aria-invalid", "true");
    await expect(page.getByRole("checkbox", { name: classType.name, exact: true })).toBeChecked();
    await page.goto("/admin/plans");
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  });

  test("a prepaid pass without its number of days", async ({ make, signedIn }, testInfo) => {
    const name = uniqueName("Endless pass");
    const page = await signedIn(await make.admin());
    await openNewPlanForm(page, testInfo);
    await fillPlanForm(page, { name, type: "PREPAID", price: "10" });
    expect(await submitStatus(page, page.getByRole("button", { name: "Create plan" }))).toBe(400);
    await expect(page.getByLabel("Days of access")).toHaveAttribute("aria-invalid", "true");
    await expect(page.getByLabel("Days of access")).toHaveAccessibleDescription("A prepaid pass needs its number of days.");
    await expect(page.getByLabel("Name", { exact: true })).toHaveValue(name);
    await expect(page.getByLabel("Type", { exact: true })).toHaveValue("PREPAID");
    await page.goto("/admin/plans");
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  });

  test("class types that are not on the list, posted by hand", async ({ make, signedIn }) => {
    const name = uniqueName("Ghost");
    const page = await signedIn(await make.admin());
    for (const classTypeIds of ["999999", "not-a-number"]) {
      const response = await page.request.post("/admin/plans/new", {
        form: { intent: "create", name, type: "PACK", price: "10", totalSessions: "5", classTypeIds },
        maxRedirects: 0,
      });
      expect(response.status(), classTypeIds).toBe(400);
      expect(await shownHtml(response), classTypeIds).toContain('class="field-error">Choose class types from the list.</p>');
    }
    await page.goto("/admin/plans");
    await expect(page.getByRole("link", { name, exact: true })).toHaveCount(0);
  });
});

test.describe("admin assignments", () => {
  test("an admin finds a member and assigns each kind of plan", async ({ make, signedIn }) => {
    const plans = await threePlans(make);
    const { person: member, plan: held } = await make.member({ type: "RECURRING", sessionsPerWeek: 6 });
    const page = await signedIn(await make.admin());
    await openMember(page, member);
    await expect(page.getByText(member.email, { exact: true })).toBeVisible();
    await expect(badge(membershipCard(page, held.name, "RECURRING"), "Active")).toBeVisible();

    for (const { plan, type, summary } of Object.values(plans)) {
      await page.getByLabel("Plan", { exact: true }).selectOption({ label: `${plan.name} — ${summary}` });
      await page.getByRole("button", { name: "Assign plan" }).click();
      await expect(flash(page)).toHaveText("Membership assigned.");
      await expect(badge(membershipCard(page, plan.name, type), "Active")).toBeVisible();
    }
    await expect(membershipCard(page, plans.recurring.plan.name, "RECURRING")).toContainText(`${plans.recurring.plan.name}: 0 of 3 sessions used this week`);
    await expect(membershipCard(page, plans.pack.plan.name, "PACK")).toContainText(`${plans.pack.plan.name}: 5 of 5 sessions left`);
    await expect(membershipCard(page, plans.prepaid.plan.name, "PREPAID")).toContainText(`${plans.prepaid.plan.name}: 30 days left`);
  });

  test("a one-per-member plan is refused to a member who had it before, with the reason by the plan", async ({ make, signedIn }) => {
    const intro = await make.plan({ type: "PACK", name: uniqueName("Intro"), pricePence: 3000, totalSessions: 1, allowRepeatPurchase: false });
    const { person: member } = await make.member({ type: "RECURRING", sessionsPerWeek: 3 });
    await make.membership({ user: member, plan: intro, status: "CANCELLED" });
    const page = await signedIn(await make.admin());
    await openMember(page, member);
    await page.getByLabel("Plan", { exact: true }).selectOption({ label: `${intro.name} — 1 session · £30.00` });
    await page.getByRole("button", { name: "Assign plan" }).click();
    await expect(page.getByText(`${intro.name} is one per member, and this member already has or had it.`)).toBeVisible();
    await expect(membershipCard(page, intro.name, "PACK")).toHaveCount(1);
  });

  test("an admin pauses a member's pack: their booked class is released and the waitlisted client gets the place", async ({ make, signedIn }) => {
    const { person: member, plan, membership } = await make.member({ type: "PACK", totalSessions: 5 }, { sessionsRemaining: 4 });
    const s = await make.session({ date: bookingDay(6), time: "20:15", capacity: 1, title: uniqueName("Release") });
    await make.registration({ session: s, user: member, membership });
    const waiting = await make.member({ type: "PACK", totalSessions: 5 });
    await make.registration({ session: s, user: waiting.person, membership: waiting.membership, status: "WAITLISTED", waitlistPosition: 1 });

    const page = await signedIn(await make.admin());
    await openMember(page, member);
    await membershipCard(page, plan.name, "PACK").getByRole("button", { name: "Pause" }).click();
    await expect(flash(page)).toHaveText("Membership paused; 1 booked class was released.");
    await expect(page.getByRole("region", { name: "Next classes" }).getByText("Nothing booked.")).toBeVisible();

    const them = await signedIn(waiting.person);
    await them.goto(`/client/sessions/${s.id}`);
    await expect(them.getByRole("heading", { name: s.title, level: 1 })).toBeVisible();
    await expect(myState(them.getByRole("main"), "Booked")).toBeVisible();
  });

  test("a client cancels their pack: its booked class is released and the waitlisted client gets the place", async ({ make, signedIn }) => {
    const { person: member, plan, membership } = await make.member({ type: "PACK", totalSessions: 5 }, { sessionsRemaining: 4 });
    const s = await make.session({ date: bookingDay(7), time: "20:45", capacity: 1, title: uniqueName("Cancel release") });
    await make.registration({ session: s, user: member, membership });
    const waiting = await make.member({ type: "PACK", totalSessions: 5 });
    await make.registration({ session: s, user: waiting.person, membership: waiting.membership, status: "WAITLISTED", waitlistPosition: 1 });

    const page = await signedIn(member);
    await page.goto(`/client/membership/${membership.id}/cancel`);
    await page.getByRole("button", { name: "Yes, cancel it" }).click();
    await expect(flash(page)).toContainText(`Your ${plan.name} is cancelled.`);
    await expect(flash(page)).toContainText("1 booked class was released.");

    const them = await signedIn(waiting.person);
    await them.goto(`/client/sessions/${s.id}`);
    await expect(myState(them.getByRole("main"), "Booked")).toBeVisible();
  });

  test("an admin pauses, resumes and cancels a membership, and its history says so", async ({ make, signedIn }) => {
    const { prepaid, recurring } = await threePlans(make);
    const { person: member, plan: pack } = await make.member({ type: "PACK" });
    await make.membership({ user: member, plan: recurring.plan });
    const admin = await make.admin();
    const page = await signedIn(admin);
    await openMember(page, member);
    await page.getByLabel("Plan", { exact: true }).selectOption({ label: `${prepaid.plan.name} — ${prepaid.summary}` });
    await page.getByRole("button", { name: "Assign plan" }).click();
    await expect(flash(page)).toHaveText("Membership assigned.");

    const pass = membershipCard(page, prepaid.plan.name, "PREPAID");
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
    await expect(badge(membershipCard(page, recurring.plan.name, "RECURRING"), "Active")).toBeVisible();
    await expect(badge(membershipCard(page, pack.name, "PACK"), "Active")).toBeVisible();

    const history = await openHistory(pass);
    await expect(history).toHaveText([
      new RegExp(`: Cancelled by ${admin.name} — Cancelled by an admin$`),
      new RegExp(`: Resumed by ${admin.name} — Paused 0 day\\(s\\); now ends \\w{3} \\d{1,2} \\w{3} \\d{4}$`),
      new RegExp(`: Paused by ${admin.name}$`),
      new RegExp(`: Assigned by ${admin.name} — Assigned by an admin from \\w{3} \\d{1,2} \\w{3} \\d{4}$`),
    ]);
  });

  test("a client sees the plans still in use, and a cancelled one in the history", async ({ make, signedIn }) => {
    const { recurring, pack, prepaid } = await threePlans(make);
    const member = await make.client();
    await make.membership({ user: member, plan: recurring.plan });
    await make.membership({ user: member, plan: pack.plan });
    await make.membership({ user: member, plan: prepaid.plan, status: "CANCELLED" });
    const page = await signedIn(member);
    await page.goto("/client");
    await expect(usage(page)).toContainText(`${recurring.plan.name}: 0 of 3 sessions used this week`);
    await expect(usage(page)).toContainText(`${pack.plan.name}: 5 of 5 sessions left`);
    await expect(usage(page)).not.toContainText(prepaid.plan.name);
    await page.goto("/client/membership");
    await expect(badge(membershipCard(page, prepaid.plan.name, "PREPAID"), "Cancelled")).toBeVisible();
  });
});

test.describe("a client's own membership", () => {
  const cases = [
    {
      type: "RECURRING" as const,
      plan: { type: "RECURRING" as const, sessionsPerWeek: 6, pricePence: 7500 },
      headline: /^0 of 6 sessions used this week$/,
      detail: "6 left this week",
    },
    { type: "PACK" as const, plan: { type: "PACK" as const, totalSessions: 10 }, headline: /^10 of 10 sessions left$/, detail: "Use them at any time" },
    {
      type: "PREPAID" as const,
      plan: { type: "PREPAID" as const, durationDays: 56 },
      headline: /^(\d+) days? left$/,
      detail: /^Until \w{3} \d{1,2} \w{3} \d{4}$/,
    },
  ];
  for (const { type, plan: planFields, headline, detail } of cases) {
    test(`a client sees the usage of a ${type.toLowerCase()} plan on the home page and the membership page`, async ({ make, signedIn }) => {
      const { person, plan } = await make.member(planFields);
      const page = await signedIn(person);
      await page.goto("/client");
      const line = usage(page).getByText(`${plan.name}: `);
      await expect(line).toHaveCount(1);
      const said = (await line.textContent())!.slice(`${plan.name}: `.length);
      expect(said).toMatch(headline);
      if (type === "PREPAID") {
        const days = Number(headline.exec(said)![1]);
        expect(days).toBeGreaterThanOrEqual(1);
        expect(days).toBeLessThanOrEqual(56);
      }
      await expect(usage(page).getByText(detail)).toBeVisible();
      await expect(usage(page).getByRole("meter", { name: `${plan.name}: ${said}` })).toBeAttached();

      await page.goto("/client/membership");
      await expect(page.getByRole("heading", { name: "My membership", level: 1 })).toBeVisible();
      const card = membershipCard(page, plan.name, type);
      await expect(badge(card, "Active")).toBeVisible();
      await expect(card.getByText(`${plan.name}: ${said}`, { exact: true })).toBeVisible();
      await expect(card.getByRole("link", { name: "Cancel membership" })).toBeVisible();
      if (type === "RECURRING") {
        await expect(card).toContainText("Price: £75.00 a month");
        await expect(card.getByText("Next billing date:")).toBeVisible();
      }
      if (type === "PACK") await expect(card).toContainText("Sessions left: 10");
      if (type === "PREPAID") await expect(card.getByText("Ends:")).toBeVisible();
    });
  }

  test("the plans page groups the plans clients can buy and leaves out admin-only ones", async ({ make, signedIn }) => {
    const classType = await make.classType();
    const monthly = await make.plan({ type: "RECURRING", name: uniqueName("Nutrition"), allowRepeatPurchase: false });
    const massages = await make.plan({ type: "PACK", name: uniqueName("Massages"), totalSessions: 3, pricePence: 11000, classTypes: [classType] });
    const kickstarter = await make.plan({ type: "PREPAID", name: uniqueName("Kickstarter") });
    // Sold by the admin only, even to a client who holds it.
    const { person, plan: adminOnly } = await make.member({ type: "PREPAID", name: uniqueName("Challenge"), purchasableByClient: false, durationDays: 56 });
    const page = await signedIn(person);
    await page.goto("/client/membership");
    await page.getByRole("link", { name: "See all plans" }).click();
    await expect(page).toHaveURL(/\/client\/membership\/plans$/);
    await expect(page.getByRole("heading", { name: "Plans", level: 1 })).toBeVisible();
    await expect(page.getByRole("main").getByRole("heading", { level: 2 })).toHaveText(["Monthly memberships", "Class packs", "Prepaid passes"]);

    for (const [group, plan] of [
      ["Monthly memberships", monthly],
      ["Class packs", massages],
      ["Prepaid passes", kickstarter],
    ] as const) {
      await expect(
        page.getByRole("region", { name: group }).getByRole("heading", { name: plan.name, exact: true, level: 3 }),
        `${plan.name} in ${group}`,
      ).toBeVisible();
    }
    const packs = page.getByRole("region", { name: "Class packs" });
    const massage = packs.getByRole("listitem").filter({ has: page.getByRole("heading", { name: massages.name, exact: true }) });
    await expect(massage).toContainText("£110.00");
    await expect(massage).toContainText("3 sessions · £110.00");
    await expect(massage).toContainText(`Classes: ${classType.name}`);
    const monthlies = page.getByRole("region", { name: "Monthly memberships" });
    await expect(monthlies.getByRole("listitem").filter({ has: page.getByRole("heading", { name: monthly.name, exact: true }) })).toContainText(
      "One per member.",
    );

    await expect(page.getByRole("heading", { name: adminOnly.name })).toHaveCount(0);
    await expect(page.getByText(adminOnly.name)).toHaveCount(0);
  });

  /** A recurring plan of 6 a week, held since this week's Monday; its billing period ends a month on, less a day. */
  async function recurringMember(make: Make) {
    const held = await make.member({ type: "RECURRING", sessionsPerWeek: 6 }, { startDate: thisMonday });
    const periodEnd = Temporal.PlainDate.from(thisMonday).add({ months: 1 }).subtract({ days: 1 }).toString();
    return { ...held, endsOn: formatDate(periodEnd, "UTC") };
  }

  test("the cancel page of a recurring membership explains it runs to the end of the billing period; keeping it changes nothing", async ({
    make,
    signedIn,
  }) => {
    const { person, plan, membership, endsOn } = await recurringMember(make);
    const page = await signedIn(person);
    await page.goto("/client/membership");
    const card = membershipCard(page, plan.name, "RECURRING");
    await card.getByRole("link", { name: "Cancel membership" }).click();
    await expect(page).toHaveURL(new RegExp(`/client/membership/${membership.id}/cancel$`));
    await expect(page.getByRole("heading", { name: `Cancel ${plan.name}?`, level: 1 })).toBeVisible();
    const explanation = page.getByText(/^It stays active until the end of this billing period, .+, and then stops\. You will not be charged again\.$/);
    await expect(explanation).toBeVisible();
    await expect(explanation).toContainText(`billing period, ${endsOn}, and then stops`);

    await page.getByRole("link", { name: "Keep my membership" }).click();
    await expect(page).toHaveURL(/\/client\/membership$/);
    await expect(badge(card, "Active")).toBeVisible();
    await expect(card.getByText("Next billing date:")).toBeVisible();
  });

  test("a recurring membership cancelled by its client runs to the end of the billing period", async ({ make, signedIn }) => {
    const { person, plan, membership, endsOn } = await recurringMember(make);
    const page = await signedIn(person);
    await page.goto(`/client/membership/${membership.id}/cancel`);
    await page.getByRole("button", { name: "Yes, cancel it" }).click();
    await expect(page).toHaveURL(/\/client\/membership$/);
    await expect(flash(page)).toHaveText(`Your ${plan.name} is cancelled. You can keep booking until ${endsOn}; you will not be charged again.`);
    const card = membershipCard(page, plan.name, "RECURRING");
    await expect(badge(card, "Ending")).toBeVisible();
    await expect(card).toContainText(`Ends: ${endsOn}`);
    await expect(card.getByText(/^Cancelled: you can keep booking until /)).toBeVisible();
    await expect(card.getByText("Next billing date:")).toHaveCount(0);
    await expect(card.getByRole("link", { name: "Cancel membership" })).toHaveCount(0);
    await expect(page.getByRole("heading", { name: "History", level: 2 })).toHaveCount(0);
    const history = await openHistory(card);
    await expect(history.first()).toHaveText(new RegExp(`: Cancellation scheduled by ${person.name} — Ends after \\w{3} \\d{1,2} \\w{3} \\d{4}$`));

    // Still usable until then.
    await page.goto("/client");
    await expect(usage(page)).toContainText(`${plan.name}: 0 of 6 sessions used this week`);
  });

  test("a recurring membership already ending cannot be cancelled again", async ({ make, signedIn }) => {
    const { person, membership } = await recurringMember(make);
    const page = await signedIn(person);
    const cancelPath = `/client/membership/${membership.id}/cancel`;
    const first = await page.request.post(cancelPath, { form: {}, maxRedirects: 0 });
    expect(first.status()).toBe(303);

    await page.goto(cancelPath);
    await expect(page.getByText("This membership is already ending or has ended.")).toBeVisible();
    await expect(page.getByRole("button", { name: "Yes, cancel it" })).toHaveCount(0);
    const again = await page.request.post(cancelPath, { form: {}, maxRedirects: 0 });
    expect(again.status()).toBe(400);
    expect(await shownHtml(again)).toMatch(/role="alert"[^>]*>This membership is already ending\.</);
  });

  test("a pack cancelled by its client ends at once and moves to the history", async ({ make, signedIn }) => {
    const { person, plan } = await make.member({ type: "PACK", totalSessions: 10 });
    const page = await signedIn(person);
    await page.goto("/client");
    await expect(usage(page)).toContainText(`${plan.name}: 10 of 10 sessions left`);
    await page.goto("/client/membership");
    await membershipCard(page, plan.name, "PACK").getByRole("link", { name: "Cancel membership" }).click();

    await expect(page.getByRole("heading", { name: `Cancel ${plan.name}?`, level: 1 })).toBeVisible();
    await expect(page.getByText("It ends today. Any sessions or days left on it are given up.")).toBeVisible();
    await page.getByRole("button", { name: "Yes, cancel it" }).click();

    await expect(page).toHaveURL(/\/client\/membership$/);
    await expect(flash(page)).toHaveText(`Your ${plan.name} is cancelled.`);
    await expect(page.getByText("You have no current membership.")).toBeVisible();
    await expect(page.getByRole("heading", { name: "History", level: 2 })).toBeVisible();
    const card = membershipCard(page, plan.name, "PACK");
    await expect(badge(card, "Cancelled")).toBeVisible();
    await expect(card.getByText("Ended:")).toBeVisible();
    await expect(card.getByRole("link", { name: "Cancel membership" })).toHaveCount(0);
    const history = await openHistory(card);
    await expect(history.first()).toHaveText(new RegExp(`: Cancelled by ${person.name} — Cancelled by the member$`));

    await page.goto("/client");
    await expect(usage(page)).toHaveCount(0);
  });
});

test("a client cannot reach another client's cancel page, and both memberships are untouched", async ({ make, signedIn }) => {
  const owner = await make.member({ type: "PREPAID", durationDays: 56 });
  const other = await make.member({ type: "PACK" });
  const page = await signedIn(other.person);
  const path = `/client/membership/${owner.membership.id}/cancel`;
  const response = await page.goto(path);
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found", level: 1 })).toBeVisible();
  await expect(page.getByText("We could not find that membership.")).toBeVisible();
  await expect(page.getByText(owner.plan.name)).toHaveCount(0);
  const post = await page.request.post(path, { form: {}, maxRedirects: 0 });
  expect(post.status()).toBe(404);

  // The other client's own membership is untouched, and so is the owner's.
  await page.goto("/client/membership");
  await expect(badge(membershipCard(page, other.plan.name, "PACK"), "Active")).toBeVisible();
  const ownerPage = await signedIn(owner.person);
  await ownerPage.goto("/client/membership");
  const card = membershipCard(ownerPage, owner.plan.name, "PREPAID");
  await expect(badge(card, "Active")).toBeVisible();
  await expect(card.getByRole("link", { name: "Cancel membership" })).toBeVisible();
});

test("a client gets 403 on the admin plan and member pages, and cannot post a plan", async ({ make, signedIn }) => {
  const page = await signedIn(await make.client());
  for (const adminPath of ["/admin/plans", "/admin/plans/new", "/admin/members"]) {
    const denied = await page.goto(adminPath);
    expect(denied?.status(), adminPath).toBe(403);
    await expect(page.getByRole("heading", { name: "Not allowed", level: 1 })).toBeVisible();
  }
  const name = uniqueName("Sneaky");
  const sneaky = await page.request.post("/admin/plans/new", {
    form: { intent: "create", name, type: "PACK", price: "1", totalSessions: "100" },
    maxRedirects: 0,
  });
  expect(sneaky.status()).toBe(403);
});
