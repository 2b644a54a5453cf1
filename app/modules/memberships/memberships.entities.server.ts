import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";
import { ClassType } from "../sessions/sessions.entities.server";

export const PLAN_TYPES = ["RECURRING", "PACK", "PREPAID"] as const;
export type PlanType = (typeof PLAN_TYPES)[number];
/** Whether Stripe holds a plan's product and price as the plan says (PENDING: not tried yet). */
export const PLAN_SYNC_STATES = ["PENDING", "SYNCED", "FAILED"] as const;
export type PlanSyncState = (typeof PLAN_SYNC_STATES)[number];
export const MEMBERSHIP_STATUSES = ["ACTIVE", "PAUSED", "EXPIRED", "CANCELLED"] as const;
export type MembershipStatus = (typeof MEMBERSHIP_STATUSES)[number];

/**
 * A membership tier (PRD section 5). One price in pence: per month for RECURRING, once for PACK and
 * PREPAID. The type's own fields are filled and the others left null (checked in the database too).
 */
export const MembershipPlan = defineEntity({
  name: "MembershipPlan",
  tableName: "membership_plan",
  checks: [
    { name: "membership_plan_price_check", expression: `price_pence >= 0` },
    { name: "membership_plan_pack_check", expression: `(type <> 'PACK'::text) OR ((total_sessions IS NOT NULL) AND (total_sessions >= 1))` },
    { name: "membership_plan_prepaid_check", expression: `(type <> 'PREPAID'::text) OR ((duration_days IS NOT NULL) AND (duration_days >= 1))` },
  ],
  properties: {
    id: p.integer().primary(),
    name: p.string().length(100),
    description: p.text().nullable(),
    type: p.enum(PLAN_TYPES).index(),
    /** RECURRING: bookings allowed per studio week; null = coaching only, books nothing. */
    sessionsPerWeek: p.integer().nullable(),
    commitmentMonths: p.integer().nullable(),
    /** PACK: sessions in the bundle. */
    totalSessions: p.integer().nullable(),
    /** PREPAID: days of access from the start date. */
    durationDays: p.integer().nullable(),
    pricePence: p.integer(),
    currency: p.string().length(3).default("GBP"),
    /** Hours before a class within which a cancel is late; null = the studio default. */
    lateCancelCutoffHours: p.integer().nullable(),
    allowRepeatPurchase: p.boolean().default(true),
    purchasableByClient: p.boolean().default(true),
    penaltySystemEnabled: p.boolean().default(false),
    isActive: p.boolean().default(true),
    stripeProductId: p.string().nullable(),
    stripePriceId: p.string().nullable(),
    stripeSyncState: p.enum(PLAN_SYNC_STATES).default("PENDING"),
    /** Why the last sync failed, for the admin (null once it succeeds). */
    stripeSyncError: p.text().nullable(),
    stripeSyncedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IMembershipPlan = InferEntity<typeof MembershipPlan>;

/** Limits a plan to some class types; a plan with none allows every class type. */
export const MembershipClassTypeAllowance = defineEntity({
  name: "MembershipClassTypeAllowance",
  tableName: "membership_class_type_allowance",
  uniques: [{ properties: ["plan", "classType"] }],
  properties: {
    id: p.integer().primary(),
    plan: () => p.manyToOne(MembershipPlan).deleteRule("cascade").index(),
    classType: () => p.manyToOne(ClassType).deleteRule("cascade"),
  },
});
export type IMembershipClassTypeAllowance = InferEntity<typeof MembershipClassTypeAllowance>;

/** A user's enrolment in a plan. Dates are the studio's local calendar dates; endDate is the last day. */
export const UserMembership = defineEntity({
  name: "UserMembership",
  tableName: "user_membership",
  checks: [
    { name: "user_membership_sessions_remaining_check", expression: `sessions_remaining >= 0` },
    { name: "user_membership_dates_check", expression: `end_date >= start_date` },
  ],
  indexes: [{ properties: ["user", "status"] }],
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).index(),
    plan: () => p.manyToOne(MembershipPlan).index(),
    startDate: p.string().columnType("date"),
    endDate: p.string().columnType("date").nullable(),
    status: p.enum(MEMBERSHIP_STATUSES).default("ACTIVE"),
    sessionsRemaining: p.integer().nullable(),
    /** The day a pause began (while PAUSED). */
    pausedOn: p.string().columnType("date").nullable(),
    /** RECURRING cancelled by the client: stays usable until endDate, then ends. */
    cancelAtPeriodEnd: p.boolean().default(false),
    cancelledAt: p.datetime().nullable(),
    stripeSubscriptionId: p.string().nullable().index(),
    stripeCheckoutSessionId: p.string().nullable().unique(),
    /** Failed renewal attempts since the last paid invoice (Stripe's `invoice.payment_failed`). */
    paymentFailures: p.integer().default(0),
    /** When the first of those failures arrived (null while payments are fine). */
    paymentFailingSince: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IUserMembership = InferEntity<typeof UserMembership>;

export const MEMBERSHIP_ACTIONS = ["ASSIGNED", "PURCHASED", "PAUSED", "RESUMED", "CANCELLED", "CANCEL_SCHEDULED", "EXPIRED"] as const;
export type MembershipAction = (typeof MEMBERSHIP_ACTIONS)[number];

/** Every change to a membership, with who made it and when. */
export const MembershipEvent = defineEntity({
  name: "MembershipEvent",
  tableName: "membership_event",
  properties: {
    id: p.integer().primary(),
    membership: () => p.manyToOne(UserMembership).deleteRule("cascade").index(),
    action: p.enum(MEMBERSHIP_ACTIONS),
    actor: () => p.manyToOne(User).nullable(),
    note: p.text().nullable(),
    at: p.datetime().onCreate(() => new Date()),
  },
});
export type IMembershipEvent = InferEntity<typeof MembershipEvent>;
