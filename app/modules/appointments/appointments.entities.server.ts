import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";
import { UserMembership } from "../memberships/memberships.entities.server";
import { ClassType } from "../sessions/sessions.entities.server";

export const APPOINTMENT_SLOT_STATUSES = ["OPEN", "CANCELLED"] as const;
export type AppointmentSlotStatus = (typeof APPOINTMENT_SLOT_STATUSES)[number];

/** A 1-on-1 time a coach offers (e.g. a Sports Massage): bookable by one client at a time. */
export const AppointmentSlot = defineEntity({
  name: "AppointmentSlot",
  tableName: "appointment_slot",
  indexes: [{ properties: ["startTime"] }],
  uniques: [{ name: "appointment_slot_coach_start_unique", properties: ["coach", "startTime"], where: `"status" = 'OPEN'` }],
  checks: [{ name: "appointment_slot_times_check", expression: `"end_time" > "start_time"` }],
  properties: {
    id: p.integer().primary(),
    coach: () => p.manyToOne(User).index(),
    /** What kind of appointment: a membership must allow this class type to book it. */
    classType: () => p.manyToOne(ClassType).index(),
    startTime: p.datetime(),
    endTime: p.datetime(),
    location: p.string().length(200).nullable(),
    notes: p.text().nullable(),
    status: p.enum(APPOINTMENT_SLOT_STATUSES).default("OPEN"),
    cancelledAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IAppointmentSlot = InferEntity<typeof AppointmentSlot>;

export const APPOINTMENT_BOOKING_STATUSES = ["BOOKED", "CANCELLED", "LATE_CANCELLED", "ATTENDED", "NO_SHOW"] as const;
export type AppointmentBookingStatus = (typeof APPOINTMENT_BOOKING_STATUSES)[number];

/**
 * A client's booking of a slot. BOOKED, ATTENDED and NO_SHOW hold the slot (one per slot, by the partial
 * unique index); a cancel frees it (a late one is still charged to the membership).
 */
export const AppointmentBooking = defineEntity({
  name: "AppointmentBooking",
  tableName: "appointment_booking",
  uniques: [{ name: "appointment_booking_one_per_slot", properties: ["slot"], where: `"status" in ('BOOKED', 'ATTENDED', 'NO_SHOW')` }],
  properties: {
    id: p.integer().primary(),
    slot: () => p.manyToOne(AppointmentSlot).deleteRule("cascade").index(),
    client: () => p.manyToOne(User).index(),
    membership: () => p.manyToOne(UserMembership).nullable().deleteRule("set null"),
    status: p.enum(APPOINTMENT_BOOKING_STATUSES).default("BOOKED"),
    bookedAt: p.datetime().onCreate(() => new Date()),
    cancelledAt: p.datetime().nullable(),
    cancelledBy: () => p.manyToOne(User).nullable().deleteRule("set null"),
  },
});
export type IAppointmentBooking = InferEntity<typeof AppointmentBooking>;
