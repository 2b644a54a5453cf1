// Stripe's webhook endpoint (a resource route, POST only): the raw body's signature is checked with the
// SDK, then the event goes to the billing module. 400 for a missing, bad or stale signature (nothing
// changes); 200 for an event handled, already handled, or of a type we do not handle; 500 when handling
// failed (nothing was saved, and Stripe retries).
import type { ActionFunctionArgs } from "@remix-run/node";
import { getStripe } from "~/modules/billing/stripe.server";
import { handleStripeEvent } from "~/modules/billing/webhooks.service.server";
import { getEm } from "~/modules/db.server";
import { isBodyTooLarge, MAX_BODY_BYTES } from "~/utils/body-limit";
import { env } from "~/utils/env.server";

/** Stripe's events are a few kilobytes; anything near this is not one (the server's limit for every body). */
export const MAX_WEBHOOK_BYTES = MAX_BODY_BYTES;

const text = (body: string, status: number, headers: Record<string, string> = {}) =>
  new Response(body, { status, headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store", ...headers } });

export function loader() {
  return text("Method not allowed: Stripe posts its events here.", 405, { Allow: "POST" });
}

/** The body as text, or null once it passes `limit` bytes (read no further). */
async function readCapped(request: Request, limit: number): Promise<string | null> {
  if (Number(request.headers.get("Content-Length") ?? 0) > limit) return null;
  if (!request.body) return "";
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let read;
    try {
      read = await reader.read();
    } catch (error) {
      // Cut off by the server's own limit (server/body-limit.ts), which has answered 413.
      if (isBodyTooLarge(error)) return null;
      throw error;
    }
    const { done, value } = read;
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function action({ request }: ActionFunctionArgs) {
  if (request.method !== "POST") return text("Method not allowed.", 405, { Allow: "POST" });
  // Read at request time: the dev command and the tests set them once their local Stripe server runs.
  const secret = process.env.STRIPE_WEBHOOK_SECRET ?? env().STRIPE_WEBHOOK_SECRET;
  const stripe = getStripe();
  if (!secret || !stripe) return text("Stripe webhooks are not configured.", 503);
  const body = await readCapped(request, MAX_WEBHOOK_BYTES);
  if (body === null) return text("Payload too large.", 413);
  const signature = request.headers.get("Stripe-Signature");
  if (!signature) return text("Missing Stripe-Signature header.", 400);
  let event;
  try {
    event = stripe.webhooks.constructEvent(body, signature, secret);
  } catch {
    return text("Invalid or expired signature.", 400);
  }
  try {
    const { outcome } = await handleStripeEvent(getEm(), stripe, event);
    return text(outcome, 200);
  } catch (error) {
    console.error(`Stripe event ${event.id} (${event.type}) failed:`, error);
    return text("Could not handle the event now; it will be retried.", 500);
  }
}
