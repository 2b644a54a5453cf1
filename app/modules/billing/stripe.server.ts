// The one place the app makes its Stripe client. With STRIPE_API_URL set, the official SDK talks to that
// Stripe-compatible server (the project's local one, for development, tests and offline staging);
// otherwise to Stripe with STRIPE_SECRET_KEY. Neither set: billing is not configured.
import Stripe from "stripe";
import { env } from "~/utils/env.server";

export type StripeSettings = { secretKey?: string; apiUrl?: string };

/** Any key will do for a local server; it checks none. */
const LOCAL_KEY = "sk_test_local";

export function createStripe(settings: StripeSettings): Stripe | null {
  if (settings.apiUrl) {
    const url = new URL(settings.apiUrl);
    const protocol = url.protocol === "https:" ? "https" : "http";
    return new Stripe(settings.secretKey ?? LOCAL_KEY, {
      host: url.hostname,
      port: Number(url.port || (protocol === "https" ? 443 : 80)),
      protocol,
      maxNetworkRetries: 1,
      timeout: 10_000,
    });
  }
  if (settings.secretKey) return new Stripe(settings.secretKey, { maxNetworkRetries: 2, timeout: 20_000 });
  return null;
}

let cached: { key: string; stripe: Stripe | null } | undefined;

/** The app's Stripe client, or null when billing is not configured. */
export function getStripe(): Stripe | null {
  const { STRIPE_SECRET_KEY: secretKey, STRIPE_API_URL: apiUrl } = env();
  // The dev server and tests set STRIPE_API_URL once their local server has a port: read it as it is now.
  const settings = { secretKey, apiUrl: process.env.STRIPE_API_URL ?? apiUrl };
  const key = `${settings.secretKey ?? ""}|${settings.apiUrl ?? ""}`;
  if (cached?.key !== key) cached = { key, stripe: createStripe(settings) };
  return cached.stripe;
}

/** A short message for a failed Stripe call, fit for a page: the SDK's own for API errors. */
export function stripeErrorMessage(error: unknown): string {
  if (error instanceof Stripe.errors.StripeConnectionError) return "Stripe could not be reached.";
  if (error instanceof Stripe.errors.StripeError) return error.message;
  return error instanceof Error ? error.message : String(error);
}
