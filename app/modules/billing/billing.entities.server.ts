import { defineEntity, p, type InferEntity } from "@mikro-orm/core";

/**
 * A Stripe event the webhook has handled, keyed by Stripe's event id. Written in the same transaction as
 * the event's effects, so a second delivery of the same event (even at the same moment) finds the row —
 * or waits on it and hits the primary key — and changes nothing.
 */
export const StripeEvent = defineEntity({
  name: "StripeEvent",
  tableName: "stripe_event",
  properties: {
    id: p.string().primary(),
    type: p.string().length(100),
    /** Stripe's `created` time of the event. */
    stripeCreatedAt: p.datetime(),
    receivedAt: p.datetime(),
    processedAt: p.datetime().onCreate(() => new Date()),
  },
});
export type IStripeEvent = InferEntity<typeof StripeEvent>;
