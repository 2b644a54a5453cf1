// Each change that tells the client something records exactly one notification, in the change's own
// transaction: a change refused or rolled back tells nobody.
import type Stripe from "stripe";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { startCheckout, syncCheckoutSession } from "~/modules/billing/checkout.service.server";
import { syncPlan } from "~/modules/billing/plan-sync.service.server";
import { createStripe } from "~/modules/billing/stripe.server";
import { handleStripeEvent } from "~/modules/billing/webhooks.service.server";
import { cancelRegistration, registerForSession } from "~/modules/booking/booking.service.server";
import {
  adminCancelMembership,
  assignMembership,
  clientCancelMembership,
  pauseMembership,
  resumeMembership,
} from "~/modules/memberships/lifecycle.service.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import { Notification, type NotificationKind } from "~/modules/notifications/notifications.entities.server";
import { refuse } from "~/utils/result";
import { toInstant } from "~/utils/time";
import { startLocalStripe, type LocalStripe } from "../../tools/stripe-local/server";
import { forkEm } from "../support/db";
import * as factories from "../support/factories";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London. */
const NOW = new Date("2026-03-10T12:00:00Z");
/** Thursday 12 March 2026, 18:00 in London. */
const THURSDAY = toInstant("2026-03-12", "18:00", ZONE);
const HOUR = 3_600_000;

let coach: IUser;
let admin: IUser;
let minutes = 0;

beforeAll(async () => {
  coach = await factories.createUser(await forkEm(), { role: "COACH", name: factories.uniqueName("Coach Gav") });
  admin = await factories.createUser(await forkEm(), { role: "ADMIN" });
});

const session = async (fields: { capacity?: number; location?: string | null } = {}) =>
  factories.createSession(await forkEm(), {
    coach,
    title: "HIIT",
    start: new Date(THURSDAY.getTime() + minutes++ * 60_000),
    capacity: fields.capacity ?? 10,
    location: fields.location ?? "Studio 2",
  });

const notesOf = async (user: { id: number }, kind?: NotificationKind) =>
  (await forkEm()).find(Notification, { user: user.id, ...(kind ? { kind } : {}) }, { orderBy: { id: "asc" } });

const kindsOf = async (user: { id: number }) => (await notesOf(user)).map((n) => n.kind);

async function book(s: { id: number }, user: { id: number }, now = NOW) {
  const result = await registerForSession(await forkEm(), { sessionId: s.id, userId: user.id }, now);
  if (!result?.ok) throw new Error(`Could not book: ${JSON.stringify(result)}`);
  return result;
}

describe("booking", () => {
  it("a booking puts exactly one BOOKING_CONFIRMED in the client's notifications, about that class", async () => {
    const { user } = await factories.createMember(await forkEm(), { type: "RECURRING", sessionsPerWeek: 3, lateCancelCutoffHours: 6 });
    const other = await factories.createMember(await forkEm(), { type: "RECURRING", sessionsPerWeek: 3 });
    const hiit = await session();
    await book(hiit, user);
    await book(hiit, other.user);

    const notes = await notesOf(user);
    expect(notes.map((n) => n.kind)).toEqual(["BOOKING_CONFIRMED"]);
    expect(notes[0].subject).toMatch(/^Booked: HIIT on Thu 12 Mar 2026 at 18:/);
    expect(notes[0].body).toContain("Where: Studio 2");
    expect(notes[0].body).toContain(`Coach: ${coach.name}`);
    // The plan's own cut-off, 6 hours before the start.
    expect(notes[0].body).toContain("(6 hours before the start)");
    expect(notes[0].body).toContain("(Europe/London time)");
    expect(notes[0].payload).toMatchObject({ sessionId: hiit.id });
    expect(await kindsOf(other.user)).toEqual(["BOOKING_CONFIRMED"]);

    // A refused second booking tells nothing.
    expect((await registerForSession(await forkEm(), { sessionId: hiit.id, userId: user.id }, NOW))?.ok).toBe(false);
    expect(await kindsOf(user)).toEqual(["BOOKING_CONFIRMED"]);
  });

  it("joining the waitlist tells the client their position", async () => {
    const full = await session({ capacity: 1 });
    const first = await factories.createMember(await forkEm(), { type: "PACK", totalSessions: 5 });
    const second = await factories.createMember(await forkEm(), { type: "PACK", totalSessions: 5 });
    const third = await factories.createMember(await forkEm(), { type: "PACK", totalSessions: 5 });
    await book(full, first.user);
    expect(await book(full, second.user)).toMatchObject({ status: "WAITLISTED", position: 1 });
    expect(await book(full, third.user)).toMatchObject({ status: "WAITLISTED", position: 2 });

    const [joined] = await notesOf(third.user);
    expect(await kindsOf(third.user)).toEqual(["WAITLIST_JOINED"]);
    expect(joined.subject).toMatch(/\(position 2\)$/);
    expect(joined.body).toContain("you're on the waitlist at position 2");
    expect(joined.payload).toMatchObject({ sessionId: full.id, position: 2 });
    expect(await kindsOf(second.user)).toEqual(["WAITLIST_JOINED"]);
  });

  it("a late cancel says what it cost; a free cancel sends nothing", async () => {
    const late = await factories.createMember(await forkEm(), { type: "PACK", totalSessions: 5, lateCancelCutoffHours: 2 });
    const early = await factories.createMember(await forkEm(), { type: "PACK", totalSessions: 5, lateCancelCutoffHours: 2 });
    const hiit = await session();
    await book(hiit, late.user);
    await book(hiit, early.user);

    const inside = new Date(hiit.startTime.getTime() - HOUR);
    expect(await cancelRegistration(await forkEm(), { sessionId: hiit.id, userId: late.user.id }, inside)).toEqual({ ok: true, late: true });
    expect(await cancelRegistration(await forkEm(), { sessionId: hiit.id, userId: early.user.id }, NOW)).toEqual({ ok: true, late: false });

    const notes = await notesOf(late.user, "LATE_CANCEL");
    expect(notes).toHaveLength(1);
    expect(notes[0].subject).toMatch(/^Late cancel: HIIT on Thu 12 Mar 2026/);
    expect(notes[0].body).toContain(
      `less than 2 hours before it starts, so it is a late cancel: the session is not refunded to your ${late.plan.name}. You have 4 sessions left.`,
    );
    expect(await kindsOf(early.user)).toEqual(["BOOKING_CONFIRMED"]);
  });
});

describe("membership changes", () => {
  const change = (membershipId: number, userId: number) => ({ membershipId, userId, actorId: admin.id });

  it("assign, pause, resume and cancel each tell the member once", async () => {
    const user = await factories.createUser(await forkEm());
    const plan = await factories.createPlan(await forkEm(), { type: "PREPAID", durationDays: 28, sessionsPerWeek: null });
    const assigned = await assignMembership(await forkEm(), { userId: user.id, planId: plan.id, startDate: "2026-03-01", actorId: admin.id });
    if (!assigned?.ok) throw new Error(JSON.stringify(assigned));
    const id = assigned.membership.id;

    expect(await pauseMembership(await forkEm(), change(id, user.id), NOW)).toMatchObject({ ok: true });
    expect(await resumeMembership(await forkEm(), change(id, user.id), new Date(NOW.getTime() + 48 * HOUR))).toMatchObject({ ok: true });
    expect(await adminCancelMembership(await forkEm(), change(id, user.id), new Date(NOW.getTime() + 72 * HOUR))).toMatchObject({ ok: true });
    // Refused: already cancelled, so nothing more is said.
    expect((await pauseMembership(await forkEm(), change(id, user.id), NOW))?.ok).toBe(false);

    const notes = await notesOf(user);
    expect(notes.map((n) => n.kind)).toEqual(["MEMBERSHIP_ASSIGNED", "MEMBERSHIP_PAUSED", "MEMBERSHIP_RESUMED", "MEMBERSHIP_CANCELLED"]);
    expect(notes.every((n) => n.payload.membershipId === id)).toBe(true);
    expect(notes[0].body).toContain("Starts: Sun 1 Mar 2026\nEnds: Sat 28 Mar 2026");
    expect(notes[1].body).toContain("paused from Tue 10 Mar 2026");
    // Two days paused move the end two days on.
    expect(notes[2].body).toContain("active again from Thu 12 Mar 2026. With the paused days added, it now ends on Mon 30 Mar 2026.");
    expect(notes[3].body).toContain("cancelled and ended on Fri 13 Mar 2026");
  });

  it("a client's cancel at the end of the billing period says until when it runs", async () => {
    const { user, membership } = await factories.createMember(await forkEm(), { type: "RECURRING", sessionsPerWeek: 2 }, { startDate: "2026-02-15" });
    expect(await clientCancelMembership(await forkEm(), { membershipId: membership.id, userId: user.id }, NOW)).toMatchObject({ ok: true });
    const notes = await notesOf(user);
    expect(notes.map((n) => n.kind)).toEqual(["MEMBERSHIP_CANCELLED"]);
    expect(notes[0].subject).toBe(
      `Membership cancelled: ${(await (await forkEm()).findOneOrFail(UserMembership, membership.id, { populate: ["plan"] })).plan.name} ends after Sat 14 Mar 2026`,
    );
    expect(notes[0].payload).toEqual({ membershipId: membership.id, atPeriodEnd: true });
  });

  it("a change rolled back (Stripe refused it) tells nobody", async () => {
    const { user, membership } = await factories.createMember(await forkEm(), { type: "RECURRING", sessionsPerWeek: 2 });
    const result = await pauseMembership(await forkEm(), change(membership.id, user.id), NOW, async () => refuse("Stripe said no."));
    expect(result).toMatchObject({ ok: false, formError: "Stripe said no." });
    expect(await notesOf(user)).toEqual([]);
    expect((await (await forkEm()).findOneOrFail(UserMembership, membership.id)).status).toBe("ACTIVE");
  });
});

describe("payments", () => {
  let local: LocalStripe;
  let stripe: Stripe;

  beforeAll(async () => {
    local = await startLocalStripe({ port: 0 });
    stripe = createStripe({ apiUrl: local.url })!;
  });
  afterAll(async () => {
    await local.stop();
  });

  it("a plan bought online is announced once; a failed renewal payment puts one PAYMENT_FAILED with the amount and what happens next", async () => {
    const user = await factories.createUser(await forkEm());
    const created = await factories.createPlan(await forkEm(), { type: "RECURRING", sessionsPerWeek: 3, pricePence: 7500 });
    const plan = (await syncPlan(await forkEm(), stripe, created.id))!;
    if (!plan.ok) throw new Error(JSON.stringify(plan));
    const started = await startCheckout(await forkEm(), stripe, { userId: user.id, planId: plan.plan.id, siteUrl: "http://localhost" });
    if (!started?.ok) throw new Error(JSON.stringify(started));
    const checkoutId = /\/checkout\/([^/?#]+)/.exec(started.url)![1];
    local.controls.completeCheckout(checkoutId);
    const bought = await syncCheckoutSession(await forkEm(), stripe, checkoutId);
    if (!bought?.ok) throw new Error(JSON.stringify(bought));
    // The success page and the webhook both fulfil it: one membership, one message.
    await syncCheckoutSession(await forkEm(), stripe, checkoutId);
    const assigned = await notesOf(user);
    expect(assigned.map((n) => n.kind)).toEqual(["MEMBERSHIP_ASSIGNED"]);
    expect(assigned[0].body).toContain("Thank you for your purchase");

    const subscriptionId = bought.membership.stripeSubscriptionId!;
    local.controls.failPayment(subscriptionId);
    const failed = local.controls.listEvents({ type: "invoice.payment_failed" }).at(-1) as unknown as Stripe.Event;
    expect(await handleStripeEvent(await forkEm(), stripe, failed)).toMatchObject({ outcome: "handled" });
    // Delivered again: handled once.
    expect(await handleStripeEvent(await forkEm(), stripe, failed)).toMatchObject({ outcome: "duplicate" });

    const notes = await notesOf(user, "PAYMENT_FAILED");
    expect(notes).toHaveLength(1);
    expect(notes[0].subject).toBe(`Payment failed: ${plan.plan.name}`);
    expect(notes[0].body).toContain(`We couldn't take your payment of £75.00 for your ${plan.plan.name} membership (attempt 1 of 3).`);
    expect(notes[0].body).toContain("after 2 more failed attempts, or by ");
    expect(notes[0].body).toContain("(Europe/London time), the membership is paused until it is paid.");
    expect(notes[0].body).toContain("/client/membership");
    expect(notes[0].payload).toMatchObject({ membershipId: bought.membership.id, failures: 1, amountPence: 7500 });
    expect((await (await forkEm()).findOneOrFail(UserMembership, bought.membership.id)).status).toBe("ACTIVE");
  });
});
