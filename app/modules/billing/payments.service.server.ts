// The payments history: what a client paid (and got back) through Stripe, copied as it happens, so the
// pages read it from our database even when Stripe is away.
import type { EntityManager } from "@mikro-orm/postgresql";
import type Stripe from "stripe";
import { formatDate } from "~/utils/time";
import { formatMoney } from "../memberships/memberships.rules";
import { Payment, type PaymentKind } from "./payments.entities.server";

export type PaymentRecord = {
  userId: number;
  membershipId: number | null;
  kind: PaymentKind;
  stripeObjectId: string;
  amountPence: number;
  currency: string;
  status: string;
  receiptUrl: string | null;
  occurredAt: Date;
};

/** Records a payment once; recording it again (a redelivered event, a later state) updates its status and receipt. */
export async function recordPayment(em: EntityManager, payment: PaymentRecord): Promise<void> {
  await em.execute(
    `insert into payment (user_id, membership_id, kind, stripe_object_id, amount_pence, currency, status, receipt_url, occurred_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?)
     on conflict (stripe_object_id) do update set status = excluded.status, receipt_url = coalesce(excluded.receipt_url, payment.receipt_url),
       membership_id = coalesce(payment.membership_id, excluded.membership_id)`,
    [
      payment.userId,
      payment.membershipId,
      payment.kind,
      payment.stripeObjectId,
      payment.amountPence,
      payment.currency.toUpperCase(),
      payment.status,
      payment.receiptUrl,
      payment.occurredAt,
    ],
    "run",
  );
}

/**
 * The purchase a completed checkout session paid: its payment (payment mode, with the charge's receipt)
 * or its subscription's first invoice.
 */
export async function recordPurchase(em: EntityManager, stripe: Stripe, session: Stripe.Checkout.Session, owner: { userId: number; membershipId: number }) {
  const base = { ...owner, kind: "PURCHASE" as const, currency: session.currency ?? "gbp", occurredAt: new Date(session.created * 1000) };
  if (session.mode === "subscription" && session.invoice) {
    const invoiceId = typeof session.invoice === "string" ? session.invoice : session.invoice.id;
    const invoice = await stripe.invoices.retrieve(invoiceId);
    await recordPayment(em, {
      ...base,
      stripeObjectId: invoice.id,
      amountPence: invoice.amount_paid,
      status: invoice.status ?? "paid",
      receiptUrl: invoice.hosted_invoice_url ?? null,
    });
    return;
  }
  if (session.payment_intent) {
    const intentId = typeof session.payment_intent === "string" ? session.payment_intent : session.payment_intent.id;
    const intent = await stripe.paymentIntents.retrieve(intentId, { expand: ["latest_charge"] });
    const charge = typeof intent.latest_charge === "object" ? intent.latest_charge : null;
    await recordPayment(em, {
      ...base,
      stripeObjectId: intent.id,
      amountPence: intent.amount_received || (session.amount_total ?? 0),
      status: intent.status === "succeeded" ? "paid" : intent.status,
      receiptUrl: charge?.receipt_url ?? null,
    });
  }
}

export type PaymentView = { id: number; what: string; amount: string; date: string; status: string; receiptUrl: string | null; refund: boolean };

const WHAT: Record<PaymentKind, string> = { PURCHASE: "Purchase", INVOICE: "Monthly payment", REFUND: "Refund" };

/** A client's payments, newest first, as the pages show them. */
export async function paymentsOf(em: EntityManager, userId: number, zone: string): Promise<PaymentView[]> {
  const payments = await em.find(Payment, { user: userId }, { populate: ["membership.plan"], orderBy: { occurredAt: "desc", id: "desc" } });
  return payments.map((p) => ({
    id: p.id,
    what: p.membership ? `${WHAT[p.kind]}: ${p.membership.plan.name}` : WHAT[p.kind],
    amount: `${p.kind === "REFUND" ? "−" : ""}${formatMoney(p.amountPence, p.currency)}`,
    date: formatDate(p.occurredAt, zone),
    status: p.status,
    receiptUrl: p.receiptUrl ?? null,
    refund: p.kind === "REFUND",
  }));
}
