// A GET changes nothing (ASVS V3/V8: state changes only by POST, behind the form checks). Every loader of
// every route Remix finds is called as each of the six roles, and every row of every table is compared
// before and after each call. What a read may write, and why:
// - auth_session.last_seen_at (left out of every comparison, tests/support/db-snapshot.ts): a signed-in
//   request notes when the sign-in was last used, at most every 5 minutes, so idle sign-ins expire.
// - the reader's own user.calendar_token, from none to one, on /client/sessions/calendar: the page shows the
//   private feed link, and the secret in it is made the first time it is shown (once; never replaced by a GET).
// Not requested here: /client/membership/checkout/success?session_id=… with a paid checkout records that
// payment's membership (as the webhook would, once): Stripe sends the browser back by GET. checkout.test.ts.
import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_TABLE } from "../support/access-table";
import { createAccessWorld, ROLES, type AccessRole, type AccessWorld } from "../support/access-world";
import { captureState, changedColumns, changesSince, describeChange, type Change, type DbState } from "../support/db-snapshot";
import { appRoutes, fillPattern, type AppRoute } from "../support/route-manifest";
import { getLoader } from "../support/routes";

const { routes } = await appRoutes();

let w: AccessWorld;
let state: DbState;

beforeAll(async () => {
  w = await createAccessWorld();
  state = await captureState();
});

/** The writes a read may make (see the top of this file). */
function allowed(change: Change, route: AppRoute, role: AccessRole): boolean {
  if (route.id === "routes/client.sessions.calendar" && role !== "guest" && change.table === "public.user") {
    const { before, after } = change;
    return (
      !!before &&
      !!after &&
      before.id === w.users[role].id &&
      before.calendar_token === null &&
      typeof after.calendar_token === "string" &&
      changedColumns(change).every((c) => c === "calendar_token" || c === "updated_at")
    );
  }
  return false;
}

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
        for (const change of changes.filter((c) => !allowed(c, route, role))) problems.push(`${role} (${response.status}): ${describeChange(change)}`);
      }
      expect(problems, `GET ${path}`).toEqual([]);
    });
  }
});
