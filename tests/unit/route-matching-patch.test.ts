// The server's route matching is patched (patches/@remix-run+router+1.23.3.patch, docs/decisions/0031 and
// 0032): the CommonJS build that Node loads flattens and ranks a route tree once, compiles each path pattern
// once and keeps the matches of each pathname.
// These tests hold the patched matcher to the unpatched one (the package's ES module build, which the patch
// leaves alone), path by path, asked twice so that the second answer comes from the caches.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as RouterModule from "@remix-run/router";
import type { AgnosticRouteMatch, AgnosticRouteObject } from "@remix-run/router";
import * as originalBuild from "@remix-run/router/dist/router.js";
import { describe, expect, it } from "vitest";

type Router = typeof RouterModule;
const original = originalBuild as unknown as Router;
const require = createRequire(import.meta.url);
const patched = require("@remix-run/router") as Router;

// The shapes the app's routes take: layouts without a path, index routes, static and dynamic siblings,
// nested dynamic segments, an optional segment and a splat.
const routes: AgnosticRouteObject[] = [
  {
    id: "root",
    path: "",
    children: [
      { id: "index", index: true },
      { id: "login", path: "login" },
      {
        id: "client",
        path: "client",
        children: [
          { id: "client-home", index: true },
          { id: "client-sessions", path: "sessions", children: [{ id: "client-sessions-index", index: true }] },
          { id: "client-session", path: "sessions/:id" },
          { id: "client-session-ics", path: "sessions/:id/ics" },
          { id: "client-membership", path: "membership" },
        ],
      },
      {
        id: "coach",
        path: "coach",
        children: [
          { id: "coach-sessions-new", path: "sessions/new" },
          { id: "coach-session", path: "sessions/:sessionId" },
          { id: "coach-cohort-week", path: "cohorts/:cohortId/weeks/:week?" },
        ],
      },
      { id: "pathless-layout", children: [{ id: "terms", path: "terms" }] },
      { id: "not-found", path: "*" },
    ],
  },
];

const paths = [
  "/",
  "/login",
  "/LOGIN/",
  "/client",
  "/client/sessions",
  "/client/sessions/",
  "/client/sessions/42",
  "/client/sessions/42/ics",
  "/client/sessions/caf%C3%A9",
  "/client/membership",
  "/coach/sessions/new",
  "/coach/sessions/7",
  "/coach/cohorts/3/weeks",
  "/coach/cohorts/3/weeks/2",
  "/terms",
  "/nowhere/at/all",
];

const shape = (matches: AgnosticRouteMatch[] | null) =>
  matches?.map((match) => ({ id: match.route.id, params: match.params, pathname: match.pathname, base: match.pathnameBase })) ?? null;

describe("the server's patched route matching", () => {
  it("is the build Node loads", () => {
    const source = readFileSync(require.resolve("@remix-run/router"), "utf8");
    expect(source).toContain("rankedBranchesOf(routes)");
    expect(source).toContain("compilePathUncached(path, caseSensitive, end)");
    expect(source).toContain("matchesMemoOf(routes)");
  });

  it.each(paths)("matches %s as the unpatched router does, again and again", (path) => {
    const expected = shape(original.matchRoutes(routes, path));
    expect(expected).not.toBeNull();
    for (let time = 0; time < 3; time++) expect(shape(patched.matchRoutes(routes, path))).toEqual(expected);
  });

  it("matches a pattern as the unpatched router does, each time", () => {
    for (const [pattern, path] of [
      ["/client/sessions/:id", "/client/sessions/9"],
      [{ path: "/coach", end: false }, "/coach/sessions/new"],
      [{ path: "/Login", caseSensitive: true }, "/login"],
      [{ path: "/Login", caseSensitive: false }, "/login"],
      ["/files/*", "/files/a/b.txt"],
    ] as const) {
      const expected = original.matchPath(pattern, path);
      for (let time = 0; time < 3; time++) expect(patched.matchPath(pattern, path)).toEqual(expected);
    }
  });

  it("gives each caller matches of its own: changing them changes nobody else's", () => {
    const expected = shape(original.matchRoutes(routes, "/coach/cohorts/3/weeks/2"));
    const first = patched.matchRoutes(routes, "/coach/cohorts/3/weeks/2")!;
    // As unpatched: the matches of one answer share one params object.
    expect(first[0].params).toBe(first.at(-1)!.params);
    const unpatched = original.matchRoutes(routes, "/coach/cohorts/3/weeks/2")!;
    expect(unpatched[0].params).toBe(unpatched.at(-1)!.params);
    (first[0].params as Record<string, string>).cohortId = "changed";
    first[1].pathname = "/changed";
    first.pop();
    expect(shape(patched.matchRoutes(routes, "/coach/cohorts/3/weeks/2"))).toEqual(expected);
    expect(shape(patched.matchRoutes(routes, "/app/coach/cohorts/3/weeks/2", "/app"))).toEqual(
      shape(original.matchRoutes(routes, "/app/coach/cohorts/3/weeks/2", "/app")),
    );
  });

  it("sees a different tree as a different tree", () => {
    const other: AgnosticRouteObject[] = [{ id: "only", path: "only/:thing" }];
    expect(shape(patched.matchRoutes(routes, "/client/sessions/42"))?.at(-1)?.id).toBe("client-session");
    expect(shape(patched.matchRoutes(other, "/client/sessions/42"))).toBeNull();
    expect(shape(patched.matchRoutes(other, "/only/x"))).toEqual(shape(original.matchRoutes(other, "/only/x")));
  });
});
