// Feature switches that mean it (PRD section 13): while a feature is switched off, every page and action
// of its area answers 404 to everyone, on every instance from the next request on. See
// docs/decisions/0020-feature-switches-answer-404.md.
import { json, type ServerBuild } from "@remix-run/node";
import { featureOfPath } from "../app/modules/settings/feature-areas";
import type { FeatureFlags } from "../app/modules/settings/settings.rules";

/**
 * Whether the request's URL lies in a switched-off area. The switches are read (one small query) only for
 * a URL inside some area, and never cached, so a change holds from the next request on every instance.
 */
export async function isSwitchedOff(originalUrl: string, readFlags: () => Promise<FeatureFlags>): Promise<boolean> {
  const feature = featureOfPath(pathOf(originalUrl));
  if (!feature) return false;
  return !(await readFlags())[feature];
}

/** The path Remix matches routes against: it builds the request URL the same way (@remix-run/express). */
function pathOf(originalUrl: string): string {
  try {
    return new URL(`http://localhost${originalUrl}`).pathname;
  } catch {
    return originalUrl;
  }
}

const switchedOff = new WeakMap<ServerBuild, ServerBuild>();

function answerNotFound(): never {
  throw json({ message: "This part of the studio is not available." }, { status: 404 });
}

/**
 * The same app in which every route but the root answers 404 from its loader and its action. A request
 * for a switched-off area is handed to it, so Remix matches the same routes as the browser does (the page
 * hydrates) and answers as if the page had thrown a 404 itself: the root's error page inside the normal
 * layout for a document, a 404 for a form post or a `?_data=` fetch, and no loader or action of the area
 * (nor of the layouts above it, which would answer 403 or a sign-in redirect instead) ever runs.
 */
export function switchedOffBuild(build: ServerBuild): ServerBuild {
  let off = switchedOff.get(build);
  if (!off) {
    const routes = Object.fromEntries(
      Object.entries(build.routes).map(([id, route]) =>
        id === "root" ? [id, route] : [id, { ...route, module: { ...route.module, loader: answerNotFound, action: answerNotFound } }],
      ),
    );
    off = { ...build, routes };
    switchedOff.set(build, off);
  }
  return off;
}
