import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type RequestHandler } from "express";
import helmet from "helmet";
import { randomBytes } from "node:crypto";
import { existsSync, readdirSync } from "node:fs";
import zlib from "node:zlib";
import type { Logger } from "pino";
import { pinoHttp } from "pino-http";
import type { FeatureFlags } from "../app/modules/settings/settings.rules";
import { carriesSignInCookie } from "../app/utils/cookies.server";
import { BROTLI_QUALITY } from "../app/utils/page-compression.server";
import { isCrossSiteRequest } from "../app/utils/cross-site";
import type { TrustProxy } from "../app/utils/trust-proxy.server";
import { limitBodySize } from "./body-limit";
import { answerOutages, outageAwareBuild } from "./database-outage";
import { isSwitchedOff, switchedOffBuild } from "./feature-guard";
import { redactUrl } from "./log-redaction";

/** What the server needs from the Remix build's entry module (see app/entry.server.tsx). */
export type AppEntry = {
  withRequestContext: <T>(fn: () => T | Promise<T>) => Promise<T>;
  isDatabaseUp: () => Promise<boolean>;
  closeOrm: () => Promise<void>;
  /** Reads the signed-in user and the settings in one query when the request carries a sign-in cookie. */
  primeRequest: (cookieHeader: string | null) => Promise<void>;
  /** The feature switches as stored now (read inside the request's ORM context). */
  featureFlagsNow: () => Promise<FeatureFlags>;
  /** Starts this process's job queue: enqueueing always, the workers and schedules when `workers` (app/modules/jobs/runner.server.ts). */
  startJobs: (options: { workers: boolean; log: Logger }) => Promise<void>;
  stopJobs: () => Promise<void>;
};

export function entryOf(build: ServerBuild): AppEntry {
  return build.entry.module as unknown as AppEntry;
}

/**
 * Express 4 ignores the promise an async handler returns, so a rejection would be unhandled (and end the
 * process): hand it to the error middleware instead.
 */
export function asyncHandler(handler: (...args: Parameters<RequestHandler>) => Promise<void>): RequestHandler {
  return (req, res, next) => {
    handler(req, res, next).catch(next);
  };
}

/** The origin of the Stripe-compatible server the app is pointed at (STRIPE_API_URL), if any. */
function stripeApiOrigin(): string | null {
  try {
    return process.env.STRIPE_API_URL ? new URL(process.env.STRIPE_API_URL).origin : null;
  } catch {
    return null;
  }
}

export function createApp(options: {
  getBuild: () => Promise<ServerBuild>;
  mode: "development" | "production";
  /** Served over HTTPS (production): adds HSTS and upgrade-insecure-requests. */
  https: boolean;
  logger: Logger;
  /** Parsed by readEnv (app/utils/trust-proxy.server.ts): false, a hop count or the proxies' addresses. */
  trustProxy?: TrustProxy;
}) {
  const { getBuild, mode, https, logger } = options;
  const app = express();
  app.disable("x-powered-by");
  if (options.trustProxy !== undefined && options.trustProxy !== false) app.set("trust proxy", options.trustProxy);

  app.use(
    pinoHttp({
      logger,
      autoLogging: { ignore: (req) => req.url === "/healthz" || req.url?.startsWith("/build/") === true },
      // One short line per request; headers (cookies included) and the secrets some paths carry stay out of the logs.
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({ id: req.id, method: req.method, url: redactUrl(req.url) }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? "error" : res.statusCode >= 400 ? "warn" : "info"),
    }),
  );
  // Pages come compressed already (app/utils/page-compression.server.ts); this compresses the rest (data
  // requests, static files) with the same Brotli quality (ADR 33).
  app.use(compression({ brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY } } }));
  // The build's files never change under their names, and they are not pages: they skip the pages' security
  // headers (about 1 KB on each answer, more than many of the chunks themselves) but keep nosniff and CORP.
  app.use(
    "/build",
    express.static("public/build", {
      immutable: true,
      maxAge: "1y",
      setHeaders: (res) => {
        res.setHeader("X-Content-Type-Options", "nosniff");
        res.setHeader("Cross-Origin-Resource-Policy", "same-origin");
      },
    }),
  );

  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });
  app.use(
    helmet({
      contentSecurityPolicy: {
        useDefaults: true,
        directives: {
          "default-src": ["'self'"],
          "script-src": ["'self'", (_req, res) => `'nonce-${(res as express.Response).locals.cspNonce}'`],
          "style-src": ["'self'"],
          // Class-type colours are style attributes; attributes cannot run script, unlike <style> or inline JS.
          "style-src-attr": ["'unsafe-inline'"],
          "img-src": ["'self'", "data:"],
          "connect-src": ["'self'"],
          // Buying a plan posts a form that Stripe Checkout's page answers (or the local Stripe server's).
          "form-action": ["'self'", "https://checkout.stripe.com", () => stripeApiOrigin() ?? "'self'"],
          "frame-ancestors": ["'none'"],
          "upgrade-insecure-requests": https ? [] : null,
        },
      },
      strictTransportSecurity: https ? { maxAge: 63072000, includeSubDomains: true } : false,
      referrerPolicy: { policy: "strict-origin-when-cross-origin" },
      xFrameOptions: { action: "deny" },
      crossOriginEmbedderPolicy: false,
    }),
  );
  // Helmet sets no Permissions-Policy: the powerful features no page of ours uses are switched off.
  app.use((_req, res, next) => {
    res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
    next();
  });

  // Bodies over 1 MiB get 413 before anyone buffers them (server/body-limit.ts).
  app.use(limitBodySize());

  // Forms from other sites may not change anything here (the Stripe webhook is signed instead).
  app.use((req, res, next) => {
    const crossSite = isCrossSiteRequest({
      method: req.method,
      path: req.path,
      host: req.get("host"),
      origin: req.get("origin"),
      secFetchSite: req.get("sec-fetch-site"),
    });
    if (crossSite) {
      res.status(403).type("text/plain").send("Cross-site form posts are not allowed.");
      return;
    }
    next();
  });

  app.get(
    "/healthz",
    asyncHandler(async (_req, res) => {
      const up = await entryOf(await getBuild()).isDatabaseUp();
      res.status(up ? 200 : 503).json({ status: up ? "ok" : "database unavailable" });
    }),
  );

  app.use(publicFiles("public"));

  // Everything below is a page, a data request, a redirect or a download made for this request.
  app.use(noStoreWhenPersonal);

  // One EntityManager per request, bound to the async context for every loader and action.
  const withOrmContext: RequestHandler = (_req, _res, next) => {
    getBuild()
      .then((build) => entryOf(build).withRequestContext(() => next()))
      .catch(next);
  };
  app.use(withOrmContext);

  const handlers = new WeakMap<ServerBuild, ReturnType<typeof createRequestHandler>>();
  const handlerFor = (build: ServerBuild) => {
    let handler = handlers.get(build);
    if (!handler) {
      handler = createRequestHandler({
        build: outageAwareBuild(build),
        mode,
        getLoadContext: (request, response) => ({ cspNonce: response.locals.cspNonce as string, clientIp: request.ip ?? "unknown" }),
      });
      handlers.set(build, handler);
    }
    return handler;
  };
  app.all(
    "*",
    asyncHandler(async (req, res, next) => {
      const build = await getBuild();
      await entryOf(build).primeRequest(req.headers.cookie ?? null);
      // A switched-off feature's pages and actions answer 404 for everyone (server/feature-guard.ts).
      const off = await isSwitchedOff(req.originalUrl, () => entryOf(build).featureFlagsNow());
      await handlerFor(off ? switchedOffBuild(build) : build)(req, res, next);
    }),
  );

  app.use(answerOutages);
  app.use(((error, req, res, _next) => {
    // A body cut off past the limit was answered 413 already; its reader's failure is expected.
    if (res.locals.bodyTooLarge) return;
    req.log?.error({ err: error }, "unhandled error");
    if (res.headersSent) return;
    res.status(500).type("text/plain").send("Sorry, something went wrong on our side. Please try again.");
  }) as express.ErrorRequestHandler);

  return app;
}

/**
 * The files at the top of `dir` (favicon.svg, robots.txt), as they were when the server started. Only a
 * request for one of them reaches express.static: asking the disk for every page's path cost each page a
 * trip to the thread pool, and under load the timetable about 7 % of its rate (ADR 34).
 */
function publicFiles(dir: string): RequestHandler {
  const serve = express.static(dir, { maxAge: "1h" });
  const names = new Set(existsSync(dir) ? readdirSync(dir, { withFileTypes: true }).flatMap((entry) => (entry.isFile() ? [`/${entry.name}`] : [])) : []);
  return (req, res, next) => (names.has(req.path) ? serve(req, res, next) : next());
}

const PERMISSIONS_POLICY = "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), payment=(), usb=()";

/**
 * `Cache-Control: no-store` on every answer to a signed-in user (pages, data requests, redirects,
 * downloads) and on every answer that sets a cookie, whatever the route said: neither the browser's cache
 * nor a proxy may keep them. Set as the headers go out, so it replaces a route's own Cache-Control.
 */
const noStoreWhenPersonal: RequestHandler = (req, res, next) => {
  const signedIn = carriesSignInCookie(req.headers.cookie);
  const writeHead = res.writeHead;
  res.writeHead = function (this: express.Response, ...args: unknown[]) {
    if (signedIn || this.hasHeader("Set-Cookie")) this.setHeader("Cache-Control", "no-store");
    return (writeHead as (...a: unknown[]) => express.Response).apply(this, args);
  } as typeof res.writeHead;
  next();
};
