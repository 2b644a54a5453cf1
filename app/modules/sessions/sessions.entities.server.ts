import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";
import { Cohort } from "../cohorts/cohorts.entities.server";

export const SESSION_STATUSES = ["SCHEDULED", "CANCELLED", "COMPLETED"] as const;

/** A kind of class (HIIT, CORE…), with the defaults new sessions of it start from. */
export const ClassType = defineEntity({
  name: "ClassType",
  tableName: "class_type",
  uniques: [
    {
      name: "class_type_active_name_unique",
      expression: `create unique index "class_type_active_name_unique" on "class_type" (lower("name")) where "is_active"`,
    },
  ],
  checks: [
    { name: "class_type_color_check", expression: `"color" ~ '^#[0-9a-f]{6}$'` },
    { name: "class_type_default_capacity_check", expression: `"default_capacity" >= 1` },
    { name: "class_type_default_duration_check", expression: `(default_duration_mins >= 5) AND (default_duration_mins <= 600)` },
  ],
  properties: {
    id: p.integer().primary(),
    name: p.string().length(60),
    description: p.text().nullable(),
    color: p.string().length(7).default("#1d4ed8"),
    defaultCapacity: p.integer().default(12),
    defaultDurationMins: p.integer().default(60),
    /** Registrations open this many days before the start; null = the studio default. */
    bookingOpensDaysBefore: p.integer().nullable(),
    /** Registrations close this many minutes before the start; null = the studio default. */
    bookingClosesMinutesBefore: p.integer().nullable(),
    isActive: p.boolean().default(true).index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IClassType = InferEntity<typeof ClassType>;

/** Where classes happen (the seed's "Hitsona Bangor"). */
export const Venue = defineEntity({
  name: "Venue",
  tableName: "venue",
  properties: {
    id: p.integer().primary(),
    name: p.string().length(100).unique(),
    address: p.text(),
  },
});
export type IVenue = InferEntity<typeof Venue>;

/** One scheduled class (the PRD's Session). */
export const Session = defineEntity({
  name: "Session",
  tableName: "session",
  indexes: [{ properties: ["startTime"] }, { properties: ["status"] }],
  // The recurring generator relies on this to skip what it made before.
  uniques: [{ name: "session_class_type_coach_start_unique", properties: ["classType", "coach", "startTime"], where: `"class_type_id" is not null` }],
  checks: [
    { name: "session_max_occupancy_check", expression: `"max_occupancy" >= 1` },
    { name: "session_times_check", expression: `"end_time" > "start_time"` },
  ],
  properties: {
    id: p.integer().primary(),
    classType: () => p.manyToOne(ClassType).nullable().index(),
    cohort: () => p.manyToOne(Cohort).nullable().index().deleteRule("set null"),
    coach: () => p.manyToOne(User).index(),
    title: p.string().length(100),
    startTime: p.datetime(),
    endTime: p.datetime(),
    maxOccupancy: p.integer(),
    location: p.string().length(200).nullable(),
    notes: p.text().nullable(),
    status: p.enum(SESSION_STATUSES).default("SCHEDULED"),
    bookingOpensDaysBefore: p.integer(),
    bookingClosesMinutesBefore: p.integer(),
    cancellationReason: p.text().nullable(),
    cancelledAt: p.datetime().nullable(),
    googleEventId: p.string().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type ISession = InferEntity<typeof Session>;
