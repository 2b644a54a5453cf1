import { z } from "zod";
import { parseTrustProxy } from "./trust-proxy.server";

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  DATABASE_URL: z.string().url().optional(),
  SESSION_SECRET: z.string().optional(),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("0.0.0.0"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  /** How many proxies stand in front of the app (1 behind one load balancer), or their addresses; never `true` (trust-proxy.server.ts). */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const parsed = parseTrustProxy(raw);
      if (parsed.ok) return parsed.value;
      ctx.addIssue({ code: "custom", message: parsed.message });
      return z.NEVER;
    }),
  /** Stripe's secret key (sk_test_… in development); without it billing uses STRIPE_API_URL's local server. */
  STRIPE_SECRET_KEY: z.string().optional(),
  /** A Stripe-compatible server to talk to instead of Stripe (the project's local one), e.g. http://127.0.0.1:12111. */
  STRIPE_API_URL: z.string().url().optional(),
  /** Signs the webhooks Stripe (or the local server) sends to /webhooks/stripe. */
  STRIPE_WEBHOOK_SECRET: z.string().optional(),
  /** The app's public address, for links in emails (e.g. https://book.example.com); defaults to http://localhost:PORT. */
  APP_URL: z.string().url().optional(),
  /** SMTP server for email, as one URL (smtp://user:pass@host:587, smtps://… for TLS) or the SMTP_* parts below. Without it every email stays in the outbox (/admin/outbox). */
  SMTP_URL: z.string().url().optional(),
  SMTP_HOST: z.string().optional(),
  SMTP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  SMTP_USER: z.string().optional(),
  SMTP_PASS: z.string().optional(),
  /** true: TLS from the start (port 465); otherwise STARTTLS when the server offers it. */
  SMTP_SECURE: z.enum(["true", "false"]).optional(),
  /** The sender of every email, e.g. "Centurion <hello@example.com>"; required in production when SMTP is configured. */
  MAIL_FROM: z.string().optional(),
  /** false: this instance serves web requests only; the job workers and schedules run elsewhere (`npm run worker`). */
  WORKERS: z.enum(["true", "false"]).default("true"),
});

export type Env = z.infer<typeof EnvSchema> & { SESSION_SECRET: string };

const DEV_SESSION_SECRET = "centurion-dev-secret-not-for-production-use";

/** Reads and checks the environment once; production refuses to run without a database and a secret. */
export function readEnv(source: Record<string, string | undefined> = process.env): Env {
  const parsed = EnvSchema.safeParse(source);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data;
  if (env.NODE_ENV === "production") {
    if (!env.DATABASE_URL) throw new Error("DATABASE_URL is required in production (postgres://user:pass@host:5432/db).");
    if (!env.SESSION_SECRET || env.SESSION_SECRET.length < 32) throw new Error("SESSION_SECRET is required in production and must be at least 32 characters.");
    if ((env.SMTP_URL || env.SMTP_HOST) && !env.MAIL_FROM)
      throw new Error('MAIL_FROM is required in production when SMTP is configured (e.g. "Studio <hello@example.com>").');
  }
  return { ...env, SESSION_SECRET: env.SESSION_SECRET ?? DEV_SESSION_SECRET };
}

/** Where links in emails point: APP_URL without a trailing slash, else this machine on PORT. */
export function appUrl(source: Env = env()): string {
  return (source.APP_URL ?? `http://localhost:${source.PORT}`).replace(/\/+$/, "");
}

let cached: Env | undefined;
export function env(): Env {
  cached ??= readEnv();
  return cached;
}
