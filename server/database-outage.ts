// While PostgreSQL is out of reach, every page and form post answers 503 with a human message and a
// Retry-After, and nothing else changes: the pool reconnects by itself once the database is back.
// docs/decisions/0028-database-outages-and-backups.md
import { json, type ServerBuild } from "@remix-run/node";
import type { ErrorRequestHandler } from "express";
import { isDatabaseUnavailable, RETRY_AFTER_SECONDS, UNAVAILABLE_TEXT } from "../app/utils/database-outage";

type DataFunction = (args: unknown) => unknown;

const guarded = new WeakMap<ServerBuild, ServerBuild>();

function answerUnavailable(): never {
  throw json({ message: UNAVAILABLE_TEXT.body }, { status: 503, headers: { "Retry-After": String(RETRY_AFTER_SECONDS) } });
}

function guard(fn: DataFunction | undefined): DataFunction | undefined {
  if (!fn) return undefined;
  return async (args) => {
    try {
      return await fn(args);
    } catch (error) {
      if (isDatabaseUnavailable(error)) answerUnavailable();
      throw error;
    }
  };
}

/**
 * The same app in which a loader or an action that fails because the database cannot be reached throws a
 * 503 response instead, as if it had thrown it itself: Remix then renders the root's error page with the
 * status (a document), or answers the 503 to a `?_data=` fetch, and the page hydrates with the same error.
 */
export function outageAwareBuild(build: ServerBuild): ServerBuild {
  let aware = guarded.get(build);
  if (!aware) {
    const routes = Object.fromEntries(
      Object.entries(build.routes).map(([id, route]) => [
        id,
        { ...route, module: { ...route.module, loader: guard(route.module.loader as DataFunction), action: guard(route.module.action as DataFunction) } },
      ]),
    );
    aware = { ...build, routes } as ServerBuild;
    guarded.set(build, aware);
  }
  return aware;
}

/** A self-contained page (no database, no build needed) for an outage met outside Remix, by the server itself. */
export function unavailablePage(): string {
  return `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${UNAVAILABLE_TEXT.title} · Centurion</title></head>
<body>
<main>
<p>Error 503</p>
<h1>${UNAVAILABLE_TEXT.title}</h1>
<p>${UNAVAILABLE_TEXT.body}</p>
<p><a href="/">Try again</a></p>
</main>
</body>
</html>
`;
}

/** Express's last word on an error the database's absence caused: the 503 page; anything else goes on. */
export const answerOutages: ErrorRequestHandler = (error, req, res, next) => {
  if (!isDatabaseUnavailable(error)) return next(error);
  if (res.headersSent) return next(error);
  req.log?.warn({ err: error }, "database unavailable");
  res.status(503).set("Retry-After", String(RETRY_AFTER_SECONDS)).set("Cache-Control", "no-store");
  // A `?_data=` fetch (JavaScript on) gets what Remix answers for a thrown response, so the page shows the error page.
  if (req.query._data !== undefined) res.set("X-Remix-Catch", "yes").json({ message: UNAVAILABLE_TEXT.body });
  else res.type("html").send(unavailablePage());
};
