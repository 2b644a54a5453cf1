// Every route of the app as Remix finds it: the root and each file under app/routes by Remix's own flat
// routes convention (tests/support/remix-build.ts), so a new route file is in the list without anyone
// adding it. Each with its full URL pattern and its loader and action.
import type { ActionFunctionArgs, LoaderFunctionArgs, ServerBuild } from "@remix-run/node";
import { loadAppBuild } from "./remix-build";

type Handler<A> = (args: A) => Promise<unknown>;

export type AppRoute = {
  id: string;
  /** "/coach/cohorts/:id/members/:userId", "/" for the root and index of the root. */
  pattern: string;
  params: string[];
  loader?: Handler<LoaderFunctionArgs>;
  action?: Handler<ActionFunctionArgs>;
  /** Whether it renders a page (a route module with a default export), rather than a resource. */
  hasPage: boolean;
};

let built: Promise<{ build: ServerBuild; routes: AppRoute[] }> | undefined;

/** The app's build (made in-process from the source) and its routes, loaded once per test file. */
export function appRoutes(): Promise<{ build: ServerBuild; routes: AppRoute[] }> {
  built ??= loadAppBuild().then((build) => {
    const patternOf = (id: string): string => {
      const route = build.routes[id];
      const parent = route.parentId ? patternOf(route.parentId) : "";
      return route.path ? `${parent.replace(/\/$/, "")}/${route.path}` : parent;
    };
    const routes = Object.values(build.routes).map((route): AppRoute => {
      const pattern = patternOf(route.id) || "/";
      const module = route.module as unknown as Record<string, unknown>;
      return {
        id: route.id,
        pattern,
        params: [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]),
        loader: module.loader as AppRoute["loader"],
        action: module.action as AppRoute["action"],
        hasPage: typeof module.default === "function",
      };
    });
    return { build, routes: routes.sort((a, b) => a.id.localeCompare(b.id)) };
  });
  return built;
}

/** The pattern with its parameters filled in ("*" of a splat too). */
export function fillPattern(route: AppRoute, params: Record<string, string>): string {
  return route.pattern
    .replace(/:(\w+)/g, (_, name: string) => {
      if (!(name in params)) throw new Error(`${route.id}: no value for :${name}`);
      return encodeURIComponent(params[name]);
    })
    .replace(/\*$/, () => {
      if (!("*" in params)) throw new Error(`${route.id}: no value for the splat`);
      return params["*"];
    });
}
