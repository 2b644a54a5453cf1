import { PassThrough } from "node:stream";
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { getEm } from "./modules/db.server";
import { currentFeatureFlags } from "./modules/settings/settings.service.server";
import { NonceContext } from "./utils/nonce";
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

const ABORT_DELAY = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  const waitForAll = isbot(request.headers.get("user-agent") ?? "");
  // A 503 is the database out of reach (server/database-outage.ts): say when to come back.
  if (responseStatusCode === 503) responseHeaders.set("Retry-After", String(RETRY_AFTER_SECONDS));
  return new Promise((resolve, reject) => {
    let shellRendered = false;
    const { pipe, abort } = renderToPipeableStream(
      <NonceContext.Provider value={nonce}>
        <RemixServer context={remixContext} url={request.url} abortDelay={ABORT_DELAY} nonce={nonce} />
      </NonceContext.Provider>,
      {
        nonce,
        [waitForAll ? "onAllReady" : "onShellReady"]() {
          shellRendered = true;
          const body = new PassThrough();
          responseHeaders.set("Content-Type", "text/html; charset=utf-8");
          resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
          pipe(body);
        },
        onShellError(error: unknown) {
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          if (shellRendered) console.error(error);
        },
      },
    );
    setTimeout(abort, ABORT_DELAY);
  });
}
