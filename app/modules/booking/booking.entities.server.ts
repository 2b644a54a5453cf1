import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";
import { UserMembership } from "../memberships/memberships.entities.server";
import { Session } from "../sessions/sessions.entities.server";

export const REGISTRATION_STATUSES = ["REGISTERED", "WAITLISTED", "CANCELLED", "LATE_CANCELLED", "ATTENDED", "NO_SHOW"] as const;
export type RegistrationStatus = (typeof REGISTRATION_STATUSES)[number];

/** A client's place (or place in the queue) in a session. */
export const SessionRegistration = defineEntity({
  name: "SessionRegistration",
  tableName: "session_registration",
  uniques: [
    { properties: ["session", "user"] },
    // One client per waitlist place. Deferred, so closing up the queue can shift positions in one statement.
    { name: "session_registration_waitlist_position_unique", properties: ["session", "waitlistPosition"], deferMode: "deferred" },
  ],
  checks: [{ name: "session_registration_waitlist_check", expression: `(status = 'WAITLISTED'::text) = (waitlist_position IS NOT NULL)` }],
  properties: {
    id: p.integer().primary(),
    session: () => p.manyToOne(Session).deleteRule("cascade").index(),
    user: () => p.manyToOne(User).index(),
    status: p.enum(REGISTRATION_STATUSES).default("REGISTERED"),
    waitlistPosition: p.integer().nullable(),
    registeredAt: p.datetime().onCreate(() => new Date()),
    cancelledAt: p.datetime().nullable(),
    promotedFromWaitlistAt: p.datetime().nullable(),
    attendanceMarkedAt: p.datetime().nullable(),
    /** The membership charged (or to be charged on promotion), so a refund goes back to it. */
    membership: () => p.manyToOne(UserMembership).nullable().index().deleteRule("set null"),
  },
});
export type ISessionRegistration = InferEntity<typeof SessionRegistration>;
