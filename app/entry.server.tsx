import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { renderToString } from "react-dom/server";
import { getEm } from "./modules/db.server";
import { currentFeatureFlags } from "./modules/settings/settings.service.server";
import { NonceContext } from "./utils/nonce";
import { compressPage } from "./utils/page-compression.server";
import { RETRY_AFTER_SECONDS } from "./utils/database-outage";

// The Express server reaches the ORM through the build, so that the app and the server share one copy
// of the entity definitions (see docs/decisions/0002-server-and-orm.md).
export { closeOrm, isDatabaseUp, withRequestContext } from "./modules/db.server";
// …and the job queue, whose workers run the app's code on that ORM (docs/jobs-and-email.md).
export { startJobs, stopJobs } from "./modules/jobs/runner.server";

/** Reads the signed-in user and the settings together, before the feature guard and Remix ask (server/app.ts). */
export { primeRequest } from "./modules/auth/auth-session.server";
/** The feature switches as stored now, for the server's feature guard (server/feature-guard.ts). */
export const featureFlagsNow = () => currentFeatureFlags(getEm());

/**
 * The whole page rendered to one string and sent as one chunk. No route streams (no `defer`, no Suspense),
 * so streaming would gain nothing: piped as React writes it, each 2 KB piece of a page was compressed and
 * flushed to the socket on its own (Remix flushes after every chunk), some 25 writes for a week's timetable
 * (docs/decisions/0030). A component that throws makes Remix render the error boundary instead. The string
 * is compressed here, in one call, as the client accepts (utils/page-compression.server.ts).
 */
export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // A 503 is the database out of reach (server/database-outage.ts): say when to come back.
  if (responseStatusCode === 503) responseHeaders.set("Retry-After", String(RETRY_AFTER_SECONDS));
  const html = renderToString(
    <NonceContext.Provider value={nonce}>
      <RemixServer context={remixContext} url={request.url} nonce={nonce} />
    </NonceContext.Provider>,
  );
  responseHeaders.set("Content-Type", "text/html; charset=utf-8");
  const page = compressPage(`<!DOCTYPE html>${html}`, request.headers.get("Accept-Encoding"));
  responseHeaders.append("Vary", "Accept-Encoding");
  if (page.encoding) responseHeaders.set("Content-Encoding", page.encoding);
  return new Response(page.body, { headers: responseHeaders, status: responseStatusCode });
}
