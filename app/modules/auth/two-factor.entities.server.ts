import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "./auth.entities.server";

/**
 * A person's authenticator (TOTP). Made when they start setting it up; it counts from `confirmedAt`, once
 * they typed a first code. The secret is sealed with a key derived from SESSION_SECRET (secret-box.server.ts).
 */
export const TwoFactor = defineEntity({
  name: "TwoFactor",
  tableName: "two_factor",
  properties: {
    user: () => p.oneToOne(User).owner().primary().deleteRule("cascade"),
    secret: p.text(),
    confirmedAt: p.datetime().nullable(),
    /** The time step of the last code accepted: a code is never accepted twice. */
    lastUsedStep: p.bigint("number").nullable(),
    /** Wrong codes (and recovery codes) since `failedSince`, for throttling guesses per account. */
    failedCodes: p.integer().default(0),
    failedSince: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type ITwoFactor = InferEntity<typeof TwoFactor>;

/** One single-use recovery code: only a salted SHA-256 of it is stored. */
export const RecoveryCode = defineEntity({
  name: "RecoveryCode",
  tableName: "recovery_code",
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).deleteRule("cascade").index(),
    /** `<salt>.<sha256(salt, code)>`, base64url. */
    codeHash: p.string().length(100),
    usedAt: p.datetime().nullable(),
    createdAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IRecoveryCode = InferEntity<typeof RecoveryCode>;
