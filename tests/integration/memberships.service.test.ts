import { describe, expect, it } from "vitest";
import type { RegistrationStatus } from "~/modules/booking/booking.entities.server";
import { MembershipEvent, MembershipPlan, UserMembership, type MembershipAction } from "~/modules/memberships/memberships.entities.server";
import { currentBillingPeriod } from "~/modules/memberships/memberships.rules";
import { PlanFormSchema, type PlanInput } from "~/modules/memberships/memberships.schema";
import {
  adminCancelMembership,
  assignMembership,
  clientCancelMembership,
  pauseMembership,
  resumeMembership,
} from "~/modules/memberships/lifecycle.service.server";
import { createPlan, getPlan, listPlans, setPlanActive, updatePlan } from "~/modules/memberships/plans.service.server";
import { getSessionUsage, listMemberships } from "~/modules/memberships/membership-views.server";
import { MEMBERS_PAGE_SIZE, membershipTotals, searchMembers } from "~/modules/memberships/members.service.server";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { parseForm } from "~/utils/forms";
import { toInstant, formatDate } from "~/utils/time";
import { forkEm } from "../support/db";
import * as factories from "../support/factories";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London (GMT). */
const NOW = new Date("2026-03-10T12:00:00Z");
const TODAY = "2026-03-10";
/** A London noon on `date` (GMT or BST), for a `now` on that studio day. */
const noonOn = (date: string) => toInstant(date, "12:00", ZONE);

// ---------- helpers ----------

const makeUser = async (role: "CLIENT" | "COACH" | "ADMIN" = "CLIENT", name?: string, email?: string) =>
  factories.createUser(await forkEm(), { role, ...(name ? { name } : {}), ...(email ? { email } : {}) });

const makeClassType = async (name?: string) => factories.createClassType(await forkEm(), name ? { name } : {});

function form(fields: Record<string, string | string[]>): FormData {
  const data = new FormData();
  for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) data.append(key, v);
  return data;
}

/** The plan form as posted without JavaScript: every type's fieldset, blank unless filled. */
const BLANK_PLAN = {
  name: "",
  description: "",
  type: "",
  price: "",
  sessionsPerWeek: "",
  commitmentMonths: "",
  totalSessions: "",
  durationDays: "",
  lateCancelCutoffHours: "",
};

function parsePlan(fields: Record<string, string | string[]>) {
  return parseForm(PlanFormSchema, form({ ...BLANK_PLAN, ...fields }));
}

function planInput(fields: Record<string, string | string[]>): PlanInput {
  const parsed = parsePlan(fields);
  if (!parsed.ok) throw new Error(`Test input does not parse: ${JSON.stringify(parsed.fieldErrors)}`);
  return parsed.data;
}

let plans = 0;
async function makePlan(fields: Record<string, string | string[]>) {
  plans++;
  const all: Record<string, string | string[]> = { name: `Plan ${plans}`, price: "50", purchasableByClient: "on", ...fields };
  // "off" stands for an unticked checkbox, which the browser does not post at all.
  for (const [key, value] of Object.entries(all)) if (value === "off") delete all[key];
  const result = await createPlan(await forkEm(), planInput(all));
  if (!result.ok) throw new Error(`Could not create plan: ${JSON.stringify(result)}`);
  return result.plan;
}

const recurringPlan = (sessionsPerWeek: string | null = "3") => makePlan({ type: "RECURRING", price: "75", ...(sessionsPerWeek ? { sessionsPerWeek } : {}) });
const packPlan = (totalSessions = "10") => makePlan({ type: "PACK", price: "100", totalSessions });
const prepaidPlan = (durationDays = "28") => makePlan({ type: "PREPAID", price: "250", durationDays });

async function assign(userId: number, planId: number, startDate: string, actorId: number) {
  const result = await assignMembership(await forkEm(), { userId, planId, startDate, actorId });
  if (!result || !result.ok) throw new Error(`Could not assign: ${JSON.stringify(result)}`);
  return result.membership;
}

async function loadMembership(id: number) {
  return (await forkEm()).findOneOrFail(UserMembership, id, { populate: ["plan"] });
}

async function eventsOf(membershipId: number) {
  const em = await forkEm();
  const events = await em.find(MembershipEvent, { membership: membershipId }, { populate: ["actor"], orderBy: { id: "asc" } });
  return events.map((e) => ({ action: e.action as MembershipAction, actorId: e.actor?.id ?? null, note: e.note ?? null }));
}

async function viewOf(userId: number, membershipId: number, now: Date) {
  const views = await listMemberships(await forkEm(), userId, now);
  const view = views.find((v) => v.id === membershipId);
  if (!view) throw new Error(`Membership ${membershipId} not listed`);
  return view;
}

const makeSession = async (coachId: number, start: Date) => factories.createSession(await forkEm(), { coach: { id: coachId }, start, title: "Class" });

/** A registration of `userId` on the session, charged to `membershipId` (null: to none). */
async function register(sessionId: number, userId: number, status: RegistrationStatus, membershipId: number | null = null) {
  await factories.createRegistration(await forkEm(), {
    session: { id: sessionId },
    user: { id: userId },
    status,
    membership: membershipId ? { id: membershipId } : null,
  });
}

async function sqlInsertPlan(columns: Record<string, unknown>) {
  const em = await forkEm();
  const all = { name: "Raw plan", created_at: new Date(), updated_at: new Date(), ...columns };
  const keys = Object.keys(all);
  return em
    .getConnection()
    .execute(`insert into membership_plan (${keys.map((k) => `"${k}"`).join(", ")}) values (${keys.map(() => "?").join(", ")})`, Object.values(all));
}

// ---------- the plan form ----------

describe("PlanFormSchema through parseForm", () => {
  it("parses a recurring plan with its own fields, price in pence and checkboxes", () => {
    const parsed = parsePlan({
      name: "  Committed  ",
      description: "Five a week",
      type: "RECURRING",
      price: "£75.50",
      sessionsPerWeek: "5",
      commitmentMonths: "6",
      lateCancelCutoffHours: "4",
      allowRepeatPurchase: "on",
      purchasableByClient: "on",
      penaltySystemEnabled: "on",
    });
    expect(parsed).toEqual({
      ok: true,
      data: {
        name: "Committed",
        description: "Five a week",
        type: "RECURRING",
        price: 7550,
        sessionsPerWeek: 5,
        commitmentMonths: 6,
        totalSessions: null,
        durationDays: null,
        lateCancelCutoffHours: 4,
        allowRepeatPurchase: true,
        purchasableByClient: true,
        penaltySystemEnabled: true,
        classTypeIds: [],
      },
    });
  });

  it("parses a pack and a prepaid pass", () => {
    const pack = parsePlan({ name: "Ten pack", type: "PACK", price: "1,250", totalSessions: "10", classTypeIds: ["3", "4"] });
    expect(pack.ok && pack.data).toMatchObject({
      type: "PACK",
      price: 125000,
      totalSessions: 10,
      durationDays: null,
      sessionsPerWeek: null,
      classTypeIds: [3, 4],
    });
    const prepaid = parsePlan({ name: "8 week", type: "PREPAID", price: "250", durationDays: "56", classTypeIds: "7" });
    expect(prepaid.ok && prepaid.data).toMatchObject({ type: "PREPAID", price: 25000, durationDays: 56, totalSessions: null, classTypeIds: [7] });
    // Unticked checkboxes are false, blank optional fields null.
    expect(prepaid.ok && prepaid.data).toMatchObject({
      allowRepeatPurchase: false,
      purchasableByClient: false,
      penaltySystemEnabled: false,
      description: null,
      lateCancelCutoffHours: null,
    });
  });

  it.each([["-5"], ["abc"], [""], ["9.999"], ["100000.01"]])("rejects the price %j", (price) => {
    const parsed = parsePlan({ name: "Bad", type: "RECURRING", price, sessionsPerWeek: "2" });
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.fieldErrors.price).toEqual(["Enter a price of 0 or more, like 9.99."]);
  });

  it("accepts a free plan", () => {
    const parsed = parsePlan({ name: "Free", type: "PACK", price: "0", totalSessions: "1" });
    expect(parsed.ok && parsed.data.price).toBe(0);
  });

  it("needs a pack's sessions and a prepaid pass's days", () => {
    const pack = parsePlan({ name: "Pack", type: "PACK", price: "10" });
    expect(!pack.ok && pack.fieldErrors).toEqual({ totalSessions: ["A pack needs its number of sessions."] });
    const prepaid = parsePlan({ name: "Pass", type: "PREPAID", price: "10" });
    expect(!prepaid.ok && prepaid.fieldErrors).toEqual({ durationDays: ["A prepaid pass needs its number of days."] });
  });

  it("needs a name and a known type", () => {
    const parsed = parsePlan({ name: " ", type: "LIFETIME", price: "10" });
    expect(!parsed.ok && Object.keys(parsed.fieldErrors).sort()).toEqual(["name", "type"]);
  });

  it("ignores (and stores null for) the other types' fields", async () => {
    const recurring = planInput({
      name: "Recurring with leftovers",
      type: "RECURRING",
      price: "30",
      sessionsPerWeek: "2",
      totalSessions: "5",
      durationDays: "9",
    });
    expect(recurring).toMatchObject({ sessionsPerWeek: 2, totalSessions: null, durationDays: null });
    // The weekly limit belongs to every type (issue 10), so a pack keeps it.
    const pack = planInput({
      name: "Pack with leftovers",
      type: "PACK",
      price: "30",
      totalSessions: "5",
      sessionsPerWeek: "3",
      commitmentMonths: "6",
      durationDays: "9",
    });
    expect(pack).toMatchObject({ totalSessions: 5, sessionsPerWeek: 3, commitmentMonths: null, durationDays: null });

    const result = await createPlan(await forkEm(), recurring);
    expect(result.ok).toBe(true);
    const stored = await (await forkEm()).findOneOrFail(MembershipPlan, { name: "Recurring with leftovers" });
    expect(stored).toMatchObject({ type: "RECURRING", sessionsPerWeek: 2, totalSessions: null, durationDays: null });
  });

  it("does not check the other types' fieldsets either (only the chosen type's fields are checked)", () => {
    // The schema's doc: "only the chosen type's fields are checked and kept, the others are ignored".
    const parsed = parsePlan({ name: "Recurring", type: "RECURRING", price: "30", sessionsPerWeek: "2", totalSessions: "0", durationDays: "abc" });
    expect(parsed.ok ? [] : parsed.fieldErrors).toEqual([]);
    expect(parsed.ok && parsed.data).toMatchObject({ totalSessions: null, durationDays: null });
  });

  it("accepts a recurring plan with blank sessions a week (coaching only)", () => {
    const parsed = parsePlan({ name: "Nutrition", type: "RECURRING", price: "30" });
    expect(parsed.ok && parsed.data).toMatchObject({ type: "RECURRING", sessionsPerWeek: null, commitmentMonths: null });
  });

  it("checks the chosen type's counts", () => {
    const parsed = parsePlan({ name: "Too many", type: "RECURRING", price: "30", sessionsPerWeek: "15" });
    expect(!parsed.ok && Object.keys(parsed.fieldErrors)).toEqual(["sessionsPerWeek"]);
  });

  it("keeps an optional weekly limit on every plan type, and checks it", () => {
    expect(planInput({ name: "Kickstarter", type: "PREPAID", price: "149", durationDays: "42", sessionsPerWeek: "5" })).toMatchObject({
      type: "PREPAID",
      sessionsPerWeek: 5,
    });
    expect(planInput({ name: "Pack", type: "PACK", price: "100", totalSessions: "10", sessionsPerWeek: "2" })).toMatchObject({
      type: "PACK",
      sessionsPerWeek: 2,
    });
    expect(planInput({ name: "Unlimited", type: "PREPAID", price: "250", durationDays: "56" })).toMatchObject({ sessionsPerWeek: null });
    const parsed = parsePlan({ name: "Too many", type: "PACK", price: "30", totalSessions: "5", sessionsPerWeek: "0" });
    expect(!parsed.ok && Object.keys(parsed.fieldErrors)).toEqual(["sessionsPerWeek"]);
  });
});

// ---------- plans ----------

describe("createPlan / updatePlan / setPlanActive", () => {
  it("stores the price in pence, the studio currency and the class type allowances", async () => {
    const spin = await makeClassType();
    const hiit = await makeClassType();
    const result = await createPlan(
      await forkEm(),
      planInput({
        name: "Spin ten",
        type: "PACK",
        price: "99.99",
        totalSessions: "10",
        lateCancelCutoffHours: "12",
        classTypeIds: [String(spin.id), String(hiit.id), String(spin.id)],
      }),
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const em = await forkEm();
    const stored = await em.findOneOrFail(MembershipPlan, result.plan.id);
    expect(stored).toMatchObject({
      name: "Spin ten",
      type: "PACK",
      pricePence: 9999,
      currency: "GBP",
      totalSessions: 10,
      lateCancelCutoffHours: 12,
      isActive: true,
    });
    const plan = await getPlan(em, result.plan.id);
    expect(plan!.classTypeIds.sort((a, b) => a - b)).toEqual([spin.id, hiit.id].sort((a, b) => a - b));
  });

  it("uses the studio's current currency", async () => {
    await updateSettings(await forkEm(), { currency: "EUR" });
    try {
      const plan = await prepaidPlan("30");
      expect((await (await forkEm()).findOneOrFail(MembershipPlan, plan.id)).currency).toBe("EUR");
    } finally {
      await updateSettings(await forkEm(), { currency: "GBP" });
    }
  });

  it("refuses an unknown class type", async () => {
    const known = await makeClassType();
    const before = await (await forkEm()).count(MembershipPlan);
    const result = await createPlan(
      await forkEm(),
      planInput({ name: "Ghost", type: "PACK", price: "10", totalSessions: "5", classTypeIds: [String(known.id), "987654"] }),
    );
    expect(result).toEqual({ ok: false, fieldErrors: { classTypeIds: ["Choose class types from the list."] } });
    expect(await (await forkEm()).count(MembershipPlan)).toBe(before);
  });

  it("replaces the allowances and fields on update", async () => {
    const a = await makeClassType();
    const b = await makeClassType();
    const c = await makeClassType();
    const plan = await makePlan({ type: "RECURRING", sessionsPerWeek: "2", classTypeIds: [String(a.id), String(b.id)] });
    const result = await updatePlan(
      await forkEm(),
      plan.id,
      planInput({ name: "Renamed", type: "RECURRING", price: "80", sessionsPerWeek: "4", classTypeIds: [String(c.id)] }),
    );
    expect(result && result.ok).toBe(true);
    const em = await forkEm();
    const stored = await getPlan(em, plan.id);
    expect(stored!.classTypeIds).toEqual([c.id]);
    expect(stored!.plan).toMatchObject({ name: "Renamed", pricePence: 8000, sessionsPerWeek: 4 });

    // An empty list removes every allowance (the plan then allows every class type).
    await updatePlan(await forkEm(), plan.id, planInput({ name: "Renamed", type: "RECURRING", price: "80", sessionsPerWeek: "4" }));
    expect((await getPlan(await forkEm(), plan.id))!.classTypeIds).toEqual([]);
  });

  it("refuses an unknown class type or plan on update", async () => {
    const plan = await recurringPlan();
    const bad = await updatePlan(await forkEm(), plan.id, planInput({ name: "X", type: "RECURRING", price: "1", classTypeIds: ["987654"] }));
    expect(bad).toEqual({ ok: false, fieldErrors: { classTypeIds: ["Choose class types from the list."] } });
    expect(await updatePlan(await forkEm(), 987654, planInput({ name: "X", type: "RECURRING", price: "1" }))).toBeNull();
  });

  it("changes the type of a plan nobody holds, but not of one members hold", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const free = await recurringPlan();
    const changed = await updatePlan(await forkEm(), free.id, planInput({ name: "Now a pack", type: "PACK", price: "10", totalSessions: "5" }));
    expect(changed && changed.ok).toBe(true);
    expect(await (await forkEm()).findOneOrFail(MembershipPlan, free.id)).toMatchObject({ type: "PACK", totalSessions: 5, sessionsPerWeek: null });

    const held = await recurringPlan();
    await assign(client.id, held.id, TODAY, admin.id);
    const refused = await updatePlan(await forkEm(), held.id, planInput({ name: "Now a pass", type: "PREPAID", price: "10", durationDays: "30" }));
    expect(refused).toMatchObject({ ok: false, fieldErrors: { type: [expect.stringContaining("cannot change")] } });
    expect(await (await forkEm()).findOneOrFail(MembershipPlan, held.id)).toMatchObject({ type: "RECURRING", sessionsPerWeek: 3, durationDays: null });

    // The same type with other values is still fine.
    const same = await updatePlan(await forkEm(), held.id, planInput({ name: "Held", type: "RECURRING", price: "90", sessionsPerWeek: "2" }));
    expect(same && same.ok).toBe(true);
  });

  it("deactivates and reactivates a plan", async () => {
    const plan = await packPlan();
    expect(await setPlanActive(await forkEm(), plan.id, false)).toMatchObject({ id: plan.id, isActive: false });
    expect((await (await forkEm()).findOneOrFail(MembershipPlan, plan.id)).isActive).toBe(false);
    await setPlanActive(await forkEm(), plan.id, true);
    expect((await (await forkEm()).findOneOrFail(MembershipPlan, plan.id)).isActive).toBe(true);
    expect(await setPlanActive(await forkEm(), 987654, true)).toBeNull();
  });
});

describe("database check constraints", () => {
  it("reject a negative price", async () => {
    await expect(sqlInsertPlan({ type: "RECURRING", price_pence: -1 })).rejects.toThrow(/membership_plan_price_check/);
  });

  it("reject a pack with zero sessions and a prepaid pass with zero days", async () => {
    await expect(sqlInsertPlan({ type: "PACK", price_pence: 100, total_sessions: 0 })).rejects.toThrow(/membership_plan_pack_check/);
    await expect(sqlInsertPlan({ type: "PREPAID", price_pence: 100, duration_days: 0 })).rejects.toThrow(/membership_plan_prepaid_check/);
  });

  it("reject a pack without total_sessions", async () => {
    await expect(sqlInsertPlan({ name: "Null pack", type: "PACK", price_pence: 100, total_sessions: null })).rejects.toThrow(/membership_plan_pack_check/);
  });

  it("reject a prepaid pass without duration_days", async () => {
    await expect(sqlInsertPlan({ name: "Null pass", type: "PREPAID", price_pence: 100, duration_days: null })).rejects.toThrow(/membership_plan_prepaid_check/);
  });

  it("reject negative sessions remaining and an end before the start", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const pack = await packPlan("2");
    const membership = await assign(client.id, pack.id, TODAY, admin.id);
    const conn = (await forkEm()).getConnection();
    await expect(conn.execute(`update user_membership set sessions_remaining = -1 where id = ?`, [membership.id])).rejects.toThrow(
      /user_membership_sessions_remaining_check/,
    );
    await expect(conn.execute(`update user_membership set end_date = '2026-03-09' where id = ?`, [membership.id])).rejects.toThrow(
      /user_membership_dates_check/,
    );
  });
});

describe("listPlans", () => {
  it("hides inactive plans by default and admin-only plans when asked for purchasable ones", async () => {
    const open = await makePlan({ name: "Open plan", type: "PACK", totalSessions: "5", purchasableByClient: "on" });
    const adminOnly = await makePlan({ name: "Admin-only plan", type: "PREPAID", durationDays: "56", purchasableByClient: "off" });
    const retired = await makePlan({ name: "Retired plan", type: "RECURRING", purchasableByClient: "on" });
    await setPlanActive(await forkEm(), retired.id, false);
    const ct = await makeClassType();
    await updatePlan(
      await forkEm(),
      open.id,
      planInput({ name: "Open plan", type: "PACK", price: "50", totalSessions: "5", purchasableByClient: "on", classTypeIds: [String(ct.id)] }),
    );

    const ids = (list: Awaited<ReturnType<typeof listPlans>>) => list.map((p) => p.plan.id);
    const em = await forkEm();
    const active = await listPlans(em);
    expect(ids(active)).toEqual(expect.arrayContaining([open.id, adminOnly.id]));
    expect(ids(active)).not.toContain(retired.id);

    const all = await listPlans(em, { includeInactive: true });
    expect(ids(all)).toEqual(expect.arrayContaining([open.id, adminOnly.id, retired.id]));

    const purchasable = await listPlans(em, { purchasableOnly: true });
    expect(ids(purchasable)).toContain(open.id);
    expect(ids(purchasable)).not.toContain(adminOnly.id);
    expect(ids(purchasable)).not.toContain(retired.id);
    expect(purchasable.find((p) => p.plan.id === open.id)!.classTypes).toEqual([{ id: ct.id, name: ct.name }]);
  });
});

// ---------- assignMembership ----------

describe("assignMembership", () => {
  it("ends a prepaid pass on start + duration − 1", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const plan = await prepaidPlan("56");
    const membership = await assign(client.id, plan.id, "2026-01-05", admin.id);
    expect(await loadMembership(membership.id)).toMatchObject({
      startDate: "2026-01-05",
      endDate: "2026-03-01",
      status: "ACTIVE",
      sessionsRemaining: null,
      cancelAtPeriodEnd: false,
    });
  });

  it("gives a pack its sessions and a recurring plan no end date", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const pack = await assign(client.id, (await packPlan("12")).id, TODAY, admin.id);
    expect(await loadMembership(pack.id)).toMatchObject({ sessionsRemaining: 12, endDate: null, status: "ACTIVE" });
    const recurring = await assign(client.id, (await recurringPlan()).id, TODAY, admin.id);
    expect(await loadMembership(recurring.id)).toMatchObject({ sessionsRemaining: null, endDate: null, status: "ACTIVE" });
  });

  it("records an ASSIGNED event with the admin as actor", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const membership = await assign(client.id, (await packPlan()).id, TODAY, admin.id);
    expect(await eventsOf(membership.id)).toEqual([{ action: "ASSIGNED", actorId: admin.id, note: expect.stringContaining(formatDate(TODAY, "UTC")) }]);
  });

  it("refuses an inactive or unknown plan", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const plan = await packPlan();
    await setPlanActive(await forkEm(), plan.id, false);
    const inactive = await assignMembership(await forkEm(), { userId: client.id, planId: plan.id, startDate: TODAY, actorId: admin.id });
    expect(inactive).toMatchObject({ ok: false, fieldErrors: { planId: [expect.any(String)] } });
    const unknown = await assignMembership(await forkEm(), { userId: client.id, planId: 987654, startDate: TODAY, actorId: admin.id });
    expect(unknown).toMatchObject({ ok: false, fieldErrors: { planId: [expect.any(String)] } });
    expect(await (await forkEm()).count(UserMembership, { user: client.id })).toBe(0);
  });

  it("returns null for an unknown user", async () => {
    const admin = await makeUser("ADMIN");
    const plan = await packPlan();
    expect(await assignMembership(await forkEm(), { userId: 987654, planId: plan.id, startDate: TODAY, actorId: admin.id })).toBeNull();
  });
});

// ---------- pause and resume ----------

describe("membershipTotals", () => {
  it("counts what is in effect today: an assigned pack adds one, pausing moves it to paused, an expired pass drops out", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const before = await membershipTotals(await forkEm(), NOW);
    const pack = await assign(client.id, (await packPlan("5")).id, "2026-03-01", admin.id);
    await assign(client.id, (await prepaidPlan("7")).id, "2026-03-01", admin.id); // ended 7 March
    const after = await membershipTotals(await forkEm(), NOW);
    expect(after).toEqual({ ...before, active: { ...before.active, PACK: before.active.PACK + 1 } });

    await pauseMembership(await forkEm(), { membershipId: pack.id, userId: client.id, actorId: admin.id }, NOW);
    expect(await membershipTotals(await forkEm(), NOW)).toEqual({ ...before, paused: before.paused + 1 });
  });
});

describe("pauseMembership / resumeMembership", () => {
  it("pauses (no usage while paused) and resumes a prepaid pass, moving its end by the days paused", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const membership = await assign(client.id, (await prepaidPlan("28")).id, "2026-03-01", admin.id);
    expect((await loadMembership(membership.id)).endDate).toBe("2026-03-28");
    const ref = { membershipId: membership.id, userId: client.id, actorId: admin.id };

    expect(await pauseMembership(await forkEm(), ref, NOW)).toEqual({ ok: true, released: 0 });
    expect(await loadMembership(membership.id)).toMatchObject({ status: "PAUSED", pausedOn: TODAY, endDate: "2026-03-28" });
    expect(await getSessionUsage(await forkEm(), client.id, NOW)).toEqual([]);
    expect((await viewOf(client.id, membership.id, NOW)).status).toBe("PAUSED");

    expect(await resumeMembership(await forkEm(), ref, noonOn("2026-03-15"))).toEqual({ ok: true });
    expect(await loadMembership(membership.id)).toMatchObject({ status: "ACTIVE", pausedOn: null, endDate: "2026-04-02" });

    expect(await eventsOf(membership.id)).toEqual([
      { action: "ASSIGNED", actorId: admin.id, note: expect.any(String) },
      { action: "PAUSED", actorId: admin.id, note: null },
      { action: "RESUMED", actorId: admin.id, note: expect.stringContaining(formatDate("2026-04-02", "UTC")) },
    ]);
  });

  it("keeps a recurring membership's end date null on resume", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const membership = await assign(client.id, (await recurringPlan()).id, "2026-01-15", admin.id);
    const ref = { membershipId: membership.id, userId: client.id, actorId: client.id };
    await pauseMembership(await forkEm(), ref, NOW);
    expect((await loadMembership(membership.id)).status).toBe("PAUSED");
    await resumeMembership(await forkEm(), ref, noonOn("2026-03-20"));
    expect(await loadMembership(membership.id)).toMatchObject({ status: "ACTIVE", endDate: null, pausedOn: null });
    const events = await eventsOf(membership.id);
    expect(events.slice(1).map((e) => [e.action, e.actorId])).toEqual([
      ["PAUSED", client.id],
      ["RESUMED", client.id],
    ]);
  });

  it("refuses to pause a paused membership or resume an active one", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const membership = await assign(client.id, (await packPlan()).id, TODAY, admin.id);
    const ref = { membershipId: membership.id, userId: client.id, actorId: admin.id };
    expect(await resumeMembership(await forkEm(), ref, NOW)).toMatchObject({ ok: false, formError: expect.any(String) });
    await pauseMembership(await forkEm(), ref, NOW);
    expect(await pauseMembership(await forkEm(), ref, noonOn("2026-03-11"))).toMatchObject({ ok: false, formError: expect.stringContaining("paused") });
    expect(await loadMembership(membership.id)).toMatchObject({ status: "PAUSED", pausedOn: TODAY });
    expect((await eventsOf(membership.id)).map((e) => e.action)).toEqual(["ASSIGNED", "PAUSED"]);
  });

  it("refuses to pause an expired or cancelled membership", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const expired = await assign(client.id, (await prepaidPlan("5")).id, "2026-03-01", admin.id);
    expect(await pauseMembership(await forkEm(), { membershipId: expired.id, userId: client.id, actorId: admin.id }, NOW)).toMatchObject({ ok: false });
    expect((await loadMembership(expired.id)).status).toBe("ACTIVE");
  });

  it("cannot touch another member's membership", async () => {
    const admin = await makeUser("ADMIN");
    const owner = await makeUser();
    const other = await makeUser();
    const membership = await assign(owner.id, (await recurringPlan()).id, TODAY, admin.id);
    const wrong = { membershipId: membership.id, userId: other.id, actorId: other.id };
    expect(await pauseMembership(await forkEm(), wrong, NOW)).toBeNull();
    expect((await loadMembership(membership.id)).status).toBe("ACTIVE");
    await pauseMembership(await forkEm(), { ...wrong, userId: owner.id }, NOW);
    expect(await resumeMembership(await forkEm(), wrong, NOW)).toBeNull();
    expect(await adminCancelMembership(await forkEm(), wrong, NOW)).toBeNull();
    expect((await loadMembership(membership.id)).status).toBe("PAUSED");
  });
});

// ---------- cancellation ----------

describe("adminCancelMembership", () => {
  it("cancels today whatever the type and records the admin", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const recurring = await assign(client.id, (await recurringPlan()).id, "2026-01-15", admin.id);
    const prepaid = await assign(client.id, (await prepaidPlan("60")).id, "2026-03-01", admin.id);
    for (const m of [recurring, prepaid]) {
      expect(await adminCancelMembership(await forkEm(), { membershipId: m.id, userId: client.id, actorId: admin.id }, NOW)).toEqual({ ok: true, released: 0 });
      const stored = await loadMembership(m.id);
      expect(stored).toMatchObject({ status: "CANCELLED", endDate: TODAY, pausedOn: null });
      expect(stored.cancelledAt!.toISOString()).toBe(NOW.toISOString());
      expect((await eventsOf(m.id)).at(-1)).toEqual({ action: "CANCELLED", actorId: admin.id, note: "Cancelled by an admin" });
      expect((await viewOf(client.id, m.id, NOW)).status).toBe("CANCELLED");
    }
    expect(await getSessionUsage(await forkEm(), client.id, NOW)).toEqual([]);
    expect(await adminCancelMembership(await forkEm(), { membershipId: recurring.id, userId: client.id, actorId: admin.id }, NOW)).toMatchObject({ ok: false });
  });

  it("cancels a paused membership", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const m = await assign(client.id, (await packPlan()).id, "2026-03-01", admin.id);
    const ref = { membershipId: m.id, userId: client.id, actorId: admin.id };
    await pauseMembership(await forkEm(), ref, noonOn("2026-03-05"));
    expect(await adminCancelMembership(await forkEm(), ref, NOW)).toEqual({ ok: true, released: 0 });
    expect(await loadMembership(m.id)).toMatchObject({ status: "CANCELLED", pausedOn: null, endDate: TODAY });
  });
});

describe("clientCancelMembership", () => {
  it("runs a recurring membership to the end of its billing period, then shows it cancelled", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const m = await assign(client.id, (await recurringPlan("3")).id, "2026-01-15", admin.id);
    const periodEnd = currentBillingPeriod("2026-01-15", TODAY).end;
    expect(periodEnd).toBe("2026-03-14");

    const result = await clientCancelMembership(await forkEm(), { membershipId: m.id, userId: client.id }, NOW);
    expect(result).toEqual({ ok: true, kind: "at-period-end", endDate: periodEnd, released: 0 });
    const stored = await loadMembership(m.id);
    expect(stored).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: true, endDate: periodEnd });
    expect(stored.cancelledAt!.toISOString()).toBe(NOW.toISOString());
    expect((await eventsOf(m.id)).at(-1)).toEqual({ action: "CANCEL_SCHEDULED", actorId: client.id, note: `Ends after ${formatDate(periodEnd, "UTC")}` });

    // Usable up to and including the last day.
    const lastDay = noonOn(periodEnd);
    expect(await viewOf(client.id, m.id, lastDay)).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: true, nextBillingDate: null });
    expect((await getSessionUsage(await forkEm(), client.id, lastDay)).map((u) => u.membershipId)).toEqual([m.id]);

    const after = noonOn("2026-03-15");
    expect((await viewOf(client.id, m.id, after)).status).toBe("CANCELLED");
    expect(await getSessionUsage(await forkEm(), client.id, after)).toEqual([]);

    // Cancelling again is refused.
    expect(await clientCancelMembership(await forkEm(), { membershipId: m.id, userId: client.id }, NOW)).toMatchObject({ ok: false });
    expect(await clientCancelMembership(await forkEm(), { membershipId: m.id, userId: client.id }, after)).toMatchObject({ ok: false });
  });

  it("ends a pack or a prepaid pass at once", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const pack = await assign(client.id, (await packPlan()).id, "2026-03-01", admin.id);
    const prepaid = await assign(client.id, (await prepaidPlan("30")).id, "2026-03-01", admin.id);
    for (const m of [pack, prepaid]) {
      const result = await clientCancelMembership(await forkEm(), { membershipId: m.id, userId: client.id }, NOW);
      expect(result).toEqual({ ok: true, kind: "immediate", endDate: TODAY, released: 0 });
      expect(await loadMembership(m.id)).toMatchObject({ status: "CANCELLED", endDate: TODAY, cancelAtPeriodEnd: false });
      expect((await eventsOf(m.id)).at(-1)).toEqual({ action: "CANCELLED", actorId: client.id, note: "Cancelled by the member" });
      expect(await clientCancelMembership(await forkEm(), { membershipId: m.id, userId: client.id }, NOW)).toMatchObject({ ok: false });
    }
    expect(await getSessionUsage(await forkEm(), client.id, NOW)).toEqual([]);
  });

  it("returns null for someone else's membership", async () => {
    const admin = await makeUser("ADMIN");
    const owner = await makeUser();
    const other = await makeUser();
    const m = await assign(owner.id, (await recurringPlan()).id, "2026-01-15", admin.id);
    expect(await clientCancelMembership(await forkEm(), { membershipId: m.id, userId: other.id }, NOW)).toBeNull();
    expect(await loadMembership(m.id)).toMatchObject({ status: "ACTIVE", cancelAtPeriodEnd: false, endDate: null });
  });

  it("refuses to cancel an expired pass", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const m = await assign(client.id, (await prepaidPlan("5")).id, "2026-03-01", admin.id);
    expect(await clientCancelMembership(await forkEm(), { membershipId: m.id, userId: client.id }, NOW)).toMatchObject({ ok: false });
  });
});

// ---------- derived expiry ----------

describe("expiry without a job", () => {
  it("shows a prepaid pass that ended yesterday as EXPIRED and leaves it out of usage", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const m = await assign(client.id, (await prepaidPlan("9")).id, "2026-03-01", admin.id);
    expect((await loadMembership(m.id)).endDate).toBe("2026-03-09");

    // On its last day it is still active, with one day left.
    const lastDay = noonOn("2026-03-09");
    expect((await viewOf(client.id, m.id, lastDay)).status).toBe("ACTIVE");
    expect(await getSessionUsage(await forkEm(), client.id, lastDay)).toMatchObject([{ membershipId: m.id, type: "prepaid", daysRemaining: 1 }]);

    const view = await viewOf(client.id, m.id, NOW);
    expect(view).toMatchObject({ status: "EXPIRED", usage: null });
    expect(await getSessionUsage(await forkEm(), client.id, NOW)).toEqual([]);
    // Stored status is unchanged: expiry is derived.
    expect((await loadMembership(m.id)).status).toBe("ACTIVE");
  });

  it("uses the studio's date, not UTC's, for today", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const m = await assign(client.id, (await prepaidPlan("10")).id, "2026-06-01", admin.id);
    expect((await loadMembership(m.id)).endDate).toBe("2026-06-10");
    // 23:30 UTC on 10 June is already 11 June in London (BST).
    expect((await viewOf(client.id, m.id, new Date("2026-06-10T23:30:00Z"))).status).toBe("EXPIRED");
    expect((await viewOf(client.id, m.id, new Date("2026-06-10T22:30:00Z"))).status).toBe("ACTIVE");
  });
});

// ---------- getSessionUsage ----------

describe("getSessionUsage", () => {
  it("counts this studio week's booked, attended, no-show and late-cancelled classes charged to the membership against a recurring limit", async () => {
    const admin = await makeUser("ADMIN");
    const coach = await makeUser("COACH");
    const client = await makeUser();
    const other = await makeUser();
    const m = await assign(client.id, (await recurringPlan("5")).id, "2026-01-15", admin.id);

    // NOW is Tuesday 10 March; the week is Mon 9 – Sun 15 March (GMT).
    const at = (date: string, time: string) => toInstant(date, time, ZONE);
    const counted: [string, string, RegistrationStatus][] = [
      ["2026-03-09", "07:00", "ATTENDED"],
      ["2026-03-10", "06:00", "NO_SHOW"],
      ["2026-03-12", "18:00", "REGISTERED"],
      ["2026-03-13", "18:00", "LATE_CANCELLED"],
    ];
    const ignored: [string, string, RegistrationStatus][] = [
      ["2026-03-11", "18:00", "CANCELLED"],
      ["2026-03-14", "09:00", "WAITLISTED"],
      ["2026-03-08", "18:00", "ATTENDED"], // last week
      ["2026-03-16", "07:00", "REGISTERED"], // next week
    ];
    for (const [date, time, status] of [...counted, ...ignored]) {
      const session = await makeSession(coach.id, at(date, time));
      await register(session.id, client.id, status, m.id);
    }
    // Another member's booking does not count.
    const shared = await makeSession(coach.id, at("2026-03-11", "07:00"));
    await register(shared.id, other.id, "REGISTERED");

    expect(await getSessionUsage(await forkEm(), client.id, NOW)).toEqual([
      { membershipId: m.id, planName: expect.any(String), type: "recurring", used: 4, limit: 5, remaining: 1 },
    ]);
    expect((await viewOf(client.id, m.id, NOW)).usage).toMatchObject({ type: "recurring", used: 4 });
  });

  it("uses London's week boundaries in summer time: Sunday 23:30 counts, Monday 00:30 does not", async () => {
    const admin = await makeUser("ADMIN");
    const coach = await makeUser("COACH");
    const client = await makeUser();
    const m = await assign(client.id, (await recurringPlan("3")).id, "2026-05-01", admin.id);
    // Wednesday 10 June 2026 (BST): the week runs Mon 8 June 00:00 BST (7 June 23:00Z) to Mon 15 June 00:00 BST.
    const now = noonOn("2026-06-10");
    const at = (date: string, time: string) => toInstant(date, time, ZONE);
    for (const [date, time] of [
      ["2026-06-08", "00:30"], // Monday 00:30 BST = Sunday 23:30Z: in the week
      ["2026-06-14", "23:30"], // Sunday 23:30 BST: in the week
      ["2026-06-15", "00:30"], // next Monday 00:30 BST = Sunday 23:30Z: next week
      ["2026-06-07", "23:30"], // previous Sunday 23:30 BST = 22:30Z: last week
    ]) {
      const session = await makeSession(coach.id, at(date, time));
      await register(session.id, client.id, "REGISTERED", m.id);
    }
    expect(await getSessionUsage(await forkEm(), client.id, now)).toEqual([
      { membershipId: m.id, planName: expect.any(String), type: "recurring", used: 2, limit: 3, remaining: 1 },
    ]);
  });

  it("counts a Sunday 23:30 class in its week and not the next Monday's (winter)", async () => {
    const admin = await makeUser("ADMIN");
    const coach = await makeUser("COACH");
    const client = await makeUser();
    const m = await assign(client.id, (await recurringPlan("2")).id, "2026-01-15", admin.id);
    const sunday = await makeSession(coach.id, toInstant("2026-03-15", "23:30", ZONE));
    await register(sunday.id, client.id, "REGISTERED", m.id);
    const monday = await makeSession(coach.id, toInstant("2026-03-16", "00:30", ZONE));
    await register(monday.id, client.id, "REGISTERED", m.id);
    expect(await getSessionUsage(await forkEm(), client.id, NOW)).toMatchObject([{ type: "recurring", used: 1, limit: 2, remaining: 1 }]);
    // Seen from the next week, only Monday's counts.
    expect(await getSessionUsage(await forkEm(), client.id, noonOn("2026-03-16"))).toMatchObject([{ type: "recurring", used: 1 }]);
  });

  it("never shows negative remaining", async () => {
    const admin = await makeUser("ADMIN");
    const coach = await makeUser("COACH");
    const client = await makeUser();
    const m = await assign(client.id, (await recurringPlan("1")).id, "2026-01-15", admin.id);
    for (const time of ["07:00", "18:00"]) {
      const s = await makeSession(coach.id, toInstant(TODAY, time, ZONE));
      await register(s.id, client.id, "ATTENDED", m.id);
    }
    expect(await getSessionUsage(await forkEm(), client.id, NOW)).toMatchObject([{ type: "recurring", used: 2, limit: 1, remaining: 0 }]);
  });

  it("shows a pack's and a prepaid pass's shapes, and coaching only", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser();
    const packPlanRow = await packPlan("10");
    const prepaidPlanRow = await prepaidPlan("28");
    const coachingPlan = await recurringPlan(null);
    const pack = await assign(client.id, packPlanRow.id, "2026-03-01", admin.id);
    const prepaid = await assign(client.id, prepaidPlanRow.id, "2026-03-02", admin.id);
    const coaching = await assign(client.id, coachingPlan.id, "2026-03-03", admin.id);
    expect(await getSessionUsage(await forkEm(), client.id, NOW)).toEqual([
      { membershipId: pack.id, planName: packPlanRow.name, type: "pack", sessionsRemaining: 10, totalSessions: 10 },
      // 2 – 29 March; from the 10th that is 20 days counting both ends.
      { membershipId: prepaid.id, planName: prepaidPlanRow.name, type: "prepaid", daysRemaining: 20, startDate: "2026-03-02", endDate: "2026-03-29" },
      { membershipId: coaching.id, planName: coachingPlan.name, type: "coaching" },
    ]);
  });

  it("returns nothing for a user without memberships", async () => {
    const client = await makeUser();
    expect(await getSessionUsage(await forkEm(), client.id, NOW)).toEqual([]);
  });
});

// ---------- listMemberships ----------

describe("listMemberships", () => {
  it("shows the recurring next billing date and the history with actor names", async () => {
    const admin = await makeUser("ADMIN", "Alice Admin");
    const client = await makeUser();
    const m = await assign(client.id, (await recurringPlan()).id, "2026-01-15", admin.id);
    const view = await viewOf(client.id, m.id, NOW);
    expect(view).toMatchObject({
      status: "ACTIVE",
      planType: "RECURRING",
      pricePence: 7500,
      currency: "GBP",
      startDate: "2026-01-15",
      endDate: null,
      nextBillingDate: currentBillingPeriod("2026-01-15", TODAY).nextBillingDate,
    });
    expect(view.nextBillingDate).toBe("2026-03-15");
    expect(view.events).toMatchObject([{ action: "ASSIGNED", actorName: "Alice Admin" }]);
  });
});

// ---------- searchMembers ----------

describe("searchMembers", () => {
  /** Clients whose names share `token`, one per effective status, plus an admin and a coach that must never be listed. */
  async function population(token: string) {
    const admin = await makeUser("ADMIN", `${token} Admin`);
    await makeUser("COACH", `${token} Coach`);
    const recurring = await recurringPlan();
    const prepaid = await prepaidPlan("9");
    const pack = await packPlan();

    const active = await makeUser("CLIENT", `${token} Active`, `${token.toLowerCase()}.active@members.test`);
    await assign(active.id, recurring.id, "2026-01-15", admin.id);

    const paused = await makeUser("CLIENT", `${token} Paused`);
    const pausedM = await assign(paused.id, pack.id, "2026-03-01", admin.id);
    await pauseMembership(await forkEm(), { membershipId: pausedM.id, userId: paused.id, actorId: admin.id }, NOW);

    const expired = await makeUser("CLIENT", `${token} Expired`);
    await assign(expired.id, prepaid.id, "2026-03-01", admin.id); // ended 9 March, stored ACTIVE

    const cancelled = await makeUser("CLIENT", `${token} Cancelled`);
    const cancelledM = await assign(cancelled.id, pack.id, "2026-03-01", admin.id);
    await adminCancelMembership(await forkEm(), { membershipId: cancelledM.id, userId: cancelled.id, actorId: admin.id }, NOW);

    // Cancelled at period end, and the period (ending 14 Feb) is over: effectively CANCELLED.
    const lapsed = await makeUser("CLIENT", `${token} Lapsed`);
    const lapsedM = await assign(lapsed.id, recurring.id, "2026-01-15", admin.id);
    await clientCancelMembership(await forkEm(), { membershipId: lapsedM.id, userId: lapsed.id }, noonOn("2026-02-10"));

    const none = await makeUser("CLIENT", `${token} Nobody`);

    // The admin holds a membership too but is not a member to list.
    await assign(admin.id, recurring.id, "2026-01-15", admin.id);

    return { admin, active, paused, pausedM, expired, cancelled, lapsed, none, recurring, prepaid, pack };
  }

  const names = (result: Awaited<ReturnType<typeof searchMembers>>) => result.members.map((m) => m.name);

  it("finds clients by name or email substring, case-insensitively, and lists only clients", async () => {
    const p = await population("Quokka");
    const em = await forkEm();
    const byName = await searchMembers(em, { q: "qUoKkA" }, NOW);
    expect(names(byName)).toEqual(["Quokka Active", "Quokka Cancelled", "Quokka Expired", "Quokka Lapsed", "Quokka Nobody", "Quokka Paused"]);
    expect(byName.total).toBe(6);
    expect(byName).toMatchObject({ page: 1, pageCount: 1 });

    const byEmail = await searchMembers(em, { q: "QUOKKA.ACT" }, NOW);
    expect(byEmail.members).toEqual([
      {
        id: p.active.id,
        name: "Quokka Active",
        email: "quokka.active@members.test",
        memberships: [{ id: expect.any(Number), planName: p.recurring.name, status: "ACTIVE" }],
      },
    ]);
    expect(names(await searchMembers(em, { q: "kka paus" }, NOW))).toEqual(["Quokka Paused"]);
    expect((await searchMembers(em, { q: "Quokka Admin" }, NOW)).total).toBe(0);
  });

  it("filters by effective status", async () => {
    await population("Wombat");
    const em = await forkEm();
    const find = async (status: "ACTIVE" | "PAUSED" | "EXPIRED" | "CANCELLED" | "NONE") => names(await searchMembers(em, { q: "Wombat", status }, NOW));
    expect(await find("ACTIVE")).toEqual(["Wombat Active"]);
    expect(await find("PAUSED")).toEqual(["Wombat Paused"]);
    expect(await find("EXPIRED")).toEqual(["Wombat Expired"]);
    expect(await find("CANCELLED")).toEqual(["Wombat Cancelled", "Wombat Lapsed"]);
    expect(await find("NONE")).toEqual(["Wombat Cancelled", "Wombat Expired", "Wombat Lapsed", "Wombat Nobody"]);
  });

  it("shows only current (active or paused) memberships on each row", async () => {
    const p = await population("Numbat");
    const result = await searchMembers(await forkEm(), { q: "Numbat" }, NOW);
    const row = (name: string) => result.members.find((m) => m.name === `Numbat ${name}`)!;
    expect(row("Active").memberships).toEqual([{ id: expect.any(Number), planName: p.recurring.name, status: "ACTIVE" }]);
    expect(row("Paused").memberships).toEqual([{ id: p.pausedM.id, planName: p.pack.name, status: "PAUSED" }]);
    expect(row("Expired").memberships).toEqual([]);
    expect(row("Cancelled").memberships).toEqual([]);
    expect(row("Lapsed").memberships).toEqual([]);
    expect(row("Nobody").memberships).toEqual([]);
  });

  it("filters by plan, alone and with a status", async () => {
    const p = await population("Dingo");
    const em = await forkEm();
    expect(names(await searchMembers(em, { q: "Dingo", plan: p.pack.id }, NOW))).toEqual(["Dingo Cancelled", "Dingo Paused"]);
    expect(names(await searchMembers(em, { q: "Dingo", plan: p.recurring.id }, NOW))).toEqual(["Dingo Active", "Dingo Lapsed"]);
    expect(names(await searchMembers(em, { q: "Dingo", plan: p.pack.id, status: "PAUSED" }, NOW))).toEqual(["Dingo Paused"]);
    expect(names(await searchMembers(em, { q: "Dingo", plan: p.recurring.id, status: "CANCELLED" }, NOW))).toEqual(["Dingo Lapsed"]);
    expect(names(await searchMembers(em, { q: "Dingo", plan: p.prepaid.id, status: "ACTIVE" }, NOW))).toEqual([]);
    // Without a text search, a plan no one else holds finds exactly its holders.
    expect(names(await searchMembers(em, { plan: p.prepaid.id }, NOW))).toEqual(["Dingo Expired"]);
  });

  it("keeps a paused prepaid pass PAUSED past its stored end date, like the membership page does", async () => {
    const admin = await makeUser("ADMIN");
    const client = await makeUser("CLIENT", "Bilby Paused Pass");
    const m = await assign(client.id, (await prepaidPlan("10")).id, "2026-03-01", admin.id); // ends 10 March
    await pauseMembership(await forkEm(), { membershipId: m.id, userId: client.id, actorId: admin.id }, noonOn("2026-03-05"));
    const later = noonOn("2026-03-20");
    expect((await viewOf(client.id, m.id, later)).status).toBe("PAUSED");

    const em = await forkEm();
    const find = async (status: "PAUSED" | "EXPIRED" | "NONE") => names(await searchMembers(em, { q: "Bilby", status }, later));
    expect(await find("PAUSED")).toEqual(["Bilby Paused Pass"]);
    expect(await find("EXPIRED")).toEqual([]);
    expect(await find("NONE")).toEqual([]);
    expect((await searchMembers(em, { q: "Bilby" }, later)).members[0].memberships).toEqual([{ id: m.id, planName: expect.any(String), status: "PAUSED" }]);
  });

  it("pages by MEMBERS_PAGE_SIZE in name order", async () => {
    const count = MEMBERS_PAGE_SIZE + 2;
    for (let i = 1; i <= count; i++) await makeUser("CLIENT", `Pagerx ${String(i).padStart(2, "0")}`);
    await makeUser("ADMIN", "Pagerx Admin");
    const em = await forkEm();
    const first = await searchMembers(em, { q: "pagerx" }, NOW);
    expect(first).toMatchObject({ page: 1, total: count, pageCount: 2 });
    expect(first.members).toHaveLength(MEMBERS_PAGE_SIZE);
    expect(first.members[0].name).toBe("Pagerx 01");
    const second = await searchMembers(em, { q: "pagerx", page: 2 }, NOW);
    expect(second).toMatchObject({ page: 2, total: count, pageCount: 2 });
    expect(names(second)).toEqual([`Pagerx ${count - 1}`, `Pagerx ${count}`]);
    const beyond = await searchMembers(em, { q: "pagerx", page: 3 }, NOW);
    expect(beyond.members).toEqual([]);
  });
});
