import { defineEntity, p, type InferEntity } from "@mikro-orm/core";
import { User } from "../auth/auth.entities.server";
import { UserMembership } from "../memberships/memberships.entities.server";

export const PAYMENT_KINDS = ["PURCHASE", "INVOICE", "REFUND"] as const;
export type PaymentKind = (typeof PAYMENT_KINDS)[number];

/**
 * One money movement of a client through Stripe, for the payments history: a purchase (a checkout's
 * payment, or a subscription's first invoice), a renewal invoice, or a refund. Keyed by the Stripe object
 * it copies (payment intent, invoice or refund), so recording it again changes nothing.
 */
export const Payment = defineEntity({
  name: "Payment",
  tableName: "payment",
  indexes: [{ properties: ["user", "occurredAt"] }],
  properties: {
    id: p.integer().primary(),
    user: () => p.manyToOne(User).index().deleteRule("cascade"),
    membership: () => p.manyToOne(UserMembership).nullable().deleteRule("set null"),
    kind: p.enum(PAYMENT_KINDS),
    stripeObjectId: p.string().unique(),
    /** In minor units (pence), always positive; a refund gives money back. */
    amountPence: p.integer(),
    currency: p.string().length(3),
    /** Stripe's word for it: paid, open, failed, refunded, succeeded… */
    status: p.string().length(30),
    receiptUrl: p.text().nullable(),
    occurredAt: p.datetime(),
  },
});
export type IPayment = InferEntity<typeof Payment>;
