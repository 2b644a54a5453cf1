import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { WEIGHT_UNITS } from "../health/health.rules";
import { ROLES } from "./people.rules";

export { ROLES };
export type Role = (typeof ROLES)[number];

export const User = defineEntity({
  name: "User",
  tableName: "user",
  properties: {
    id: p.integer().primary(),
    email: p.string().unique(),
    name: p.string(),
    role: p.enum(ROLES).default("CLIENT").index(),
    passwordHash: p.string().lazy(),
    /** Secret in the private iCalendar feed URL; replacing it revokes the old URL. */
    calendarToken: p.string().length(64).nullable().unique(),
    /** The user's one Stripe Customer, made before their first checkout (its metadata holds the user id). */
    stripeCustomerId: p.string().nullable().unique(),
    /** How the client reads their weight on health pages (stored in kg either way). */
    weightUnit: p.enum(WEIGHT_UNITS).default("KG"),
    /** Set when an admin deactivates the account: it cannot sign in; its history stays. */
    deactivatedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
    updatedAt: p
      .datetime()
      .onCreate(() => new Date())
      .onUpdate(() => new Date()),
  },
});
export type IUser = InferEntity<typeof User>;

/** A signed-in browser. The cookie holds a random token; only its SHA-256 is stored here. */
export const AuthSession = defineEntity({
  name: "AuthSession",
  tableName: "auth_session",
  properties: {
    id: p.string().primary(),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    createdAt: p.datetime().onCreate(() => new Date()),
    lastSeenAt: p.datetime(),
    expiresAt: p.datetime().index(),
    /** When the password was last typed in this sign-in: at sign-in, and at each "confirm your password". */
    passwordConfirmedAt: p.datetime(),
    /** Wrong passwords typed to confirm a change; REAUTH_MAX_FAILURES of them end the sign-in. */
    passwordFailures: p.integer().default(0),
    userAgent: p.string().nullable(),
    ipAddress: p.string().nullable(),
  },
});
export type IAuthSession = InferEntity<typeof AuthSession>;

/** One sign-in attempt, kept for throttling by account and by address. */
export const LoginAttempt = defineEntity({
  name: "LoginAttempt",
  tableName: "login_attempt",
  indexes: [{ properties: ["email", "attemptedAt"] }, { properties: ["ipAddress", "attemptedAt"] }],
  properties: {
    id: p.bigint("number").primary(),
    email: p.string(),
    ipAddress: p.string(),
    succeeded: p.boolean(),
    attemptedAt: p.datetime(),
  },
});
export type ILoginAttempt = InferEntity<typeof LoginAttempt>;

export const PASSWORD_TOKEN_PURPOSES = ["RESET", "INVITE"] as const;
export type PasswordTokenPurpose = (typeof PASSWORD_TOKEN_PURPOSES)[number];

/**
 * A single-use link that sets a password: a forgotten-password reset, or an invitation of a new coach or
 * admin. The link holds a random token; only its SHA-256 is stored.
 */
export const PasswordToken = defineEntity({
  name: "PasswordToken",
  tableName: "password_token",
  indexes: [{ properties: ["createdAt"] }],
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    purpose: p.enum(PASSWORD_TOKEN_PURPOSES),
    tokenHash: p.string().length(64).unique(),
    expiresAt: p.datetime(),
    usedAt: p.datetime().nullable(),
    /** The address the request came from (throttling). */
    requestedIp: p.string().length(64).nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IPasswordToken = InferEntity<typeof PasswordToken>;
