// A GET changes nothing (ASVS V3/V8: state changes only by POST, behind the form checks). Every loader of
// every route Remix finds is called as each of the six roles, and every row of every table is compared
// before and after each call. What a read may write, and why:
// - auth_session.last_seen_at (left out of every comparison, tests/support/db-snapshot.ts): a signed-in
//   request notes when the sign-in was last used, at most every 5 minutes, so idle sign-ins expire.
// - calendar_feed.last_used_at (left out like last_seen_at): reading a feed notes it, at most daily, so a
//   feed no calendar app reads lapses after 90 days (ADR 24).
// Not requested here: /client/membership/checkout/success?session_id=… with a paid checkout records that
// payment's membership (as the webhook would, once): Stripe sends the browser back by GET. checkout.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_TABLE } from "../support/access-table";
import { createAccessWorld, ROLES, type AccessWorld } from "../support/access-world";
import { captureState, changesSince, describeChange, type DbState } from "../support/db-snapshot";
import { appRoutes, fillPattern } from "../support/route-manifest";
import { getLoader } from "../support/routes";

const { routes } = await appRoutes();

let w: AccessWorld;
let state: DbState;

beforeAll(async () => {
  w = await createAccessWorld();
  state = await captureState();
});

describe("no GET changes the database", () => {
  it("requests every route that has a loader", () => {
    expect(routes.filter((r) => r.loader).length).toBeGreaterThan(60);
  });

  for (const route of routes.filter((r) => r.loader)) {
    it(`GET ${route.pattern} (${route.id}) as every role`, async () => {
      const params = Object.fromEntries(Object.entries(ACCESS_TABLE[route.id]?.params?.(w) ?? {}).map(([k, v]) => [k, String(v)]));
      const path = fillPattern(route, params);
      const problems: string[] = [];
      for (const role of ROLES) {
        const response = await getLoader(route.loader!, { path, params, cookie: w.cookies[role] });
        await response.arrayBuffer();
        const { changes, now } = await changesSince(state);
        state = now;
        for (const change of changes) problems.push(`${role} (${response.status}): ${describeChange(change)}`);
      }
      expect(problems, `GET ${path}`).toEqual([]);
    });
  }
});
