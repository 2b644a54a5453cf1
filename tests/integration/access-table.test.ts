// Access control, proven route by route (ASVS V8). Every route Remix finds under app/routes must have a row
// in tests/support/access-table.ts, and its loader and action must answer each of the six roles as the row
// says: a route without a row, or a row without a route, fails. Each loader and action is called by itself,
// as a `?_data=` fetch or a form post would reach it, so a child route cannot lean on its layout's guard.
// A refused post changes nothing. Then object by object: no client reads or changes another client's
// booking, membership, payments, health data or answers, and no coach reads a cohort they do not coach.
import { beforeAll, describe, expect, it } from "vitest";
import { ACCESS_TABLE, PROBE, type Outcome } from "../support/access-table";
import { createAccessWorld, ROLES, type AccessRole, type AccessWorld } from "../support/access-world";
import { captureState, changesSince, describeChange, type Change, type DbState } from "../support/db-snapshot";
import { appRoutes, fillPattern, type AppRoute } from "../support/route-manifest";
import { getLoader, postForm } from "../support/routes";

const { routes } = await appRoutes();

let w: AccessWorld;
let state: DbState;

beforeAll(async () => {
  w = await createAccessWorld();
  state = await captureState();
});

/** "login" for the guards' redirect to the sign-in page (which comes back here afterwards), else the status. */
function outcomeOf(response: Response): Outcome {
  const location = response.headers.get("Location") ?? "";
  if ([302, 303].includes(response.status) && location.startsWith("/login?redirectTo=")) return "login";
  return response.status as Outcome;
}

function paramsOf(route: AppRoute): Record<string, string> {
  const params = ACCESS_TABLE[route.id]?.params?.(w) ?? {};
  return Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
}

/** What changed since the last look (and look again from here). */
async function changes(): Promise<Change[]> {
  const { changes: found, now } = await changesSince(state);
  state = now;
  return found;
}

const table = (outcomes: readonly Outcome[]) => ROLES.map((role, i) => `${role}: ${outcomes[i]}`).join(", ");

describe("the access table", () => {
  it("has a row for every route of the app, and no row for a route that is gone", () => {
    const ids = routes.map((r) => r.id);
    expect(ids.length).toBeGreaterThan(60);
    expect(
      ids.filter((id) => !ACCESS_TABLE[id]),
      "routes without a row in tests/support/access-table.ts",
    ).toEqual([]);
    expect(
      Object.keys(ACCESS_TABLE).filter((id) => !ids.includes(id)),
      "rows for routes that do not exist",
    ).toEqual([]);
  });

  it("names a loader exactly where the route has one, and an action where it has one", () => {
    const mismatched = routes.flatMap((route) => {
      const rule = ACCESS_TABLE[route.id];
      if (!rule) return [];
      return [
        ...(!!route.loader !== !!rule.loader ? [`${route.id}: loader ${route.loader ? "without" : "with"} a row`] : []),
        ...(!!route.action !== !!rule.action ? [`${route.id}: action ${route.action ? "without" : "with"} a row`] : []),
      ];
    });
    expect(mismatched).toEqual([]);
  });

  for (const route of routes) {
    describe(route.id, () => {
      if (route.loader) {
        it(`GET ${route.pattern}: each role gets what the table says, and no one reads what is not theirs`, async () => {
          const rule = ACCESS_TABLE[route.id];
          expect(rule?.loader, `no row for ${route.id} in tests/support/access-table.ts`).toBeDefined();
          const path = fillPattern(route, paramsOf(route));
          const observed: Outcome[] = [];
          const leaks: string[] = [];
          for (const role of ROLES) {
            const response = await getLoader(route.loader!, { path, params: paramsOf(route), cookie: w.cookies[role] });
            observed.push(outcomeOf(response));
            leaks.push(...leaksIn(await response.text(), readerFor(route, role)).map((what) => `${role} reads ${what}`));
          }
          expect(table(observed), `GET ${path}`).toBe(table(rule!.loader!));
          expect(leaks, `GET ${path}`).toEqual([]);
          // A GET changes nothing (tests/integration/get-no-state-change.test.ts holds every role to it).
          await changes();
        });
      }
      if (route.action) {
        it(`POST ${route.pattern}: each role gets what the table says, and a refused post changes nothing`, async () => {
          const rule = ACCESS_TABLE[route.id];
          expect(rule?.action, `no row for ${route.id} in tests/support/access-table.ts`).toBeDefined();
          const path = fillPattern(route, paramsOf(route));
          const observed: Outcome[] = [];
          const changed: string[] = [];
          await changes();
          for (const role of ROLES) {
            // Signing out ends the sign-in it is sent with: it gets a sign-in of its own.
            const cookie = route.id === "routes/logout" ? await w.freshCookie(role) : w.cookies[role];
            await changes();
            const response = await postForm(route.action!, { path, params: paramsOf(route), cookie, fields: PROBE });
            const outcome = outcomeOf(response);
            observed.push(outcome);
            const found = await changes();
            if (isRefusal(outcome)) changed.push(...found.map((c) => `${role} (${outcome}): ${describeChange(c)}`));
          }
          expect(table(observed), `POST ${path}`).toBe(table(rule!.action!));
          expect(changed, `POST ${path}: refused, yet changed`).toEqual([]);
        });
      }
    });
  }
});

const isRefusal = (outcome: Outcome) => outcome === "login" || (typeof outcome === "number" && outcome >= 400);

/** Who a role reads as: on a route keyed by a secret link of A's (reset, unsubscribe, calendar feed), as A. */
function readerFor(route: AppRoute, role: AccessRole): AccessRole {
  return route.params.includes("token") ? "client" : role;
}

/** The names of A's secrets in `body` that `role` may not read. */
function leaksIn(body: string, role: AccessRole): string[] {
  return Object.entries(w.secrets)
    .filter(([, secret]) => !secret.readers.includes(role) && body.includes(secret.text))
    .map(([name]) => name);
}

describe("object by object", () => {
  const B = () => w.cookies.otherClient;
  const coachB = () => w.cookies.otherCoach;
  const route = (id: string) => {
    const found = routes.find((r) => r.id === id);
    if (!found) throw new Error(`no route ${id}`);
    return found;
  };
  const post = (id: string, params: Record<string, string | number>, cookie: string, fields: Record<string, string>) => {
    const r = route(id);
    const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
    return postForm(r.action!, { path: fillPattern(r, p), params: p, cookie, fields });
  };
  const get = (id: string, params: Record<string, string | number>, cookie: string) => {
    const r = route(id);
    const p = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, String(v)]));
    return getLoader(r.loader!, { path: fillPattern(r, p), params: p, cookie });
  };

  /** Changes to rows that are A's (or about A): none may come from someone else's request. */
  const touchingA = (found: Change[]) =>
    found
      .filter((c) => [c.before, c.after].some((row) => row && [row.user_id, row.client_id, row.user, row.client].includes(w.users.client.id)))
      .map(describeChange);

  /** Posts each attempt and answers the statuses; every change to A's rows is collected in `changedA`. */
  async function attempt(cases: { label: string; run: () => Promise<Response>; expect: number[] }[]) {
    const problems: string[] = [];
    await changes();
    for (const c of cases) {
      const response = await c.run();
      const found = await changes();
      if (!c.expect.includes(response.status)) problems.push(`${c.label}: ${response.status}, expected ${c.expect.join(" or ")}`);
      for (const change of touchingA(found)) problems.push(`${c.label} changed A's data: ${change}`);
      if (response.status >= 400 && found.length) problems.push(`${c.label}: refused (${response.status}) yet changed ${found.map(describeChange).join("; ")}`);
    }
    expect(problems).toEqual([]);
  }

  it("client B cannot cancel, change or delete client A's booking, membership, health check-ins, appointment or answers", async () => {
    const s = w.session.id;
    await attempt([
      { label: "cancel A's booking (B has none)", run: () => post("routes/client.sessions.$id", { id: s }, B(), { intent: "cancel" }), expect: [400] },
      { label: "leave A's waitlist", run: () => post("routes/client.sessions.$id", { id: s }, B(), { intent: "leave-waitlist" }), expect: [400] },
      { label: "cancel A's membership", run: () => post("routes/client.membership.$id.cancel", { id: w.membership.id }, B(), {}), expect: [404] },
      {
        label: "update A's check-in",
        run: () => post("routes/client.health.$id", { id: w.entry.id }, B(), { intent: "update", date: w.entry.date, weightKg: "99", note: "changed by B" }),
        expect: [404],
      },
      { label: "delete A's check-in", run: () => post("routes/client.health.$id", { id: w.entry.id }, B(), { intent: "delete" }), expect: [404] },
      { label: "cancel A's appointment", run: () => post("routes/client.appointments.$id", { id: w.booking.id }, B(), { intent: "cancel" }), expect: [404] },
      {
        label: "book A's booked slot",
        run: () => post("routes/client.appointments._index", {}, B(), { intent: "book", slotId: String(w.slot.id) }),
        expect: [400],
      },
      {
        label: "leave A's cohort",
        run: () => post("routes/client.cohorts", {}, B(), { intent: "leave", cohortId: String(w.cohort.id) }),
        expect: [400],
      },
      {
        label: "mark A's notifications read",
        run: () => post("routes/account.notifications", {}, B(), { intent: "mark-read", upTo: String(w.notification.id + 1000) }),
        expect: [303],
      },
      {
        label: "answer week 1 (B's own cohort), naming A's response",
        run: () =>
          post("routes/client.cohort.questionnaire.$week", { week: 1 }, B(), {
            intent: "save",
            responseId: String(w.response.id),
            userId: String(w.users.client.id),
            "answer.q-wins": "written by B",
          }),
        expect: [303, 400, 404],
      },
    ]);
  });

  it("client B reads none of client A's records by their ids", async () => {
    const answers = await Promise.all([
      get("routes/client.membership.$id.cancel", { id: w.membership.id }, B()),
      get("routes/client.health.$id", { id: w.entry.id }, B()),
      get("routes/client.appointments.$id", { id: w.booking.id }, B()),
    ]);
    expect(answers.map((r) => r.status)).toEqual([404, 404, 404]);
    // Pages that are B's own (timetable, session, membership, payments, health, notifications) show none of A's.
    for (const [id, params] of [
      ["routes/client.sessions.$id", { id: w.session.id }],
      ["routes/client.membership._index", {}],
      ["routes/client.health._index", {}],
      ["routes/account.notifications", {}],
      ["routes/client.cohort.questionnaire.$week", { week: 1 }],
      ["routes/client.cohort.weeks.$week", { week: 1 }],
    ] as const) {
      const body = await (await get(id, params, B())).text();
      expect(leaksIn(body, "otherClient"), id).toEqual([]);
    }
  });

  it("coach B neither reads nor changes coach A's cohort, its members' health data or answers, or coach A's slot", async () => {
    const K1 = w.cohort.id;
    const K2 = w.otherCohort.id;
    const A = w.users.client.id;
    const R1 = w.response.id;
    // Through coach A's cohort: 403. Through coach B's own cohort with A's ids: 404.
    const reads = [
      ["routes/coach.cohorts.$id._index", { id: K1 }, 403],
      ["routes/coach.cohorts.$id.members.$userId._index", { id: K2, userId: A }, 404],
      ["routes/coach.cohorts.$id.members.$userId.weeks.$week", { id: K2, userId: A, week: 1 }, 404],
      ["routes/coach.cohorts.$id.responses.$responseId", { id: K2, responseId: R1 }, 404],
      ["routes/coach.clients.$userId.health", { userId: A }, 403],
      ["routes/coach.clients.$userId._index", { userId: A }, 404],
      ["routes/coach.appointments.$id", { id: w.slot.id }, 403],
    ] as const;
    const statuses = await Promise.all(reads.map(([id, params]) => get(id, params, coachB()).then((r) => r.status)));
    expect(statuses).toEqual(reads.map(([, , status]) => status));

    await attempt([
      {
        label: "publish feedback for A in coach A's cohort",
        run: () =>
          post("routes/coach.cohorts.$id.members.$userId.weeks.$week", { id: K1, userId: A, week: 1 }, coachB(), { intent: "publish-feedback", body: "x" }),
        expect: [403],
      },
      {
        label: "note about A through coach B's own cohort",
        run: () => post("routes/coach.cohorts.$id.members.$userId.weeks.$week", { id: K2, userId: A, week: 1 }, coachB(), { intent: "add-note", body: "x" }),
        expect: [404],
      },
      {
        label: "correct A's answer through coach B's own cohort",
        run: () =>
          post("routes/coach.cohorts.$id.responses.$responseId", { id: K2, responseId: R1 }, coachB(), {
            intent: "correct",
            questionId: "q-wins",
            "answer.q-wins": "corrected by B",
          }),
        expect: [404],
      },
      {
        label: "correct A's answer in coach A's cohort",
        run: () =>
          post("routes/coach.cohorts.$id.responses.$responseId", { id: K1, responseId: R1 }, coachB(), {
            intent: "correct",
            questionId: "q-wins",
            "answer.q-wins": "corrected by B",
          }),
        expect: [403],
      },
      {
        label: "record a check-in for A",
        run: () => post("routes/coach.clients.$userId.health", { userId: A }, coachB(), { intent: "record", date: w.entry.date, weightKg: "90" }),
        expect: [403],
      },
      {
        label: "remove A from coach A's cohort",
        run: () => post("routes/coach.cohorts.$id._index", { id: K1 }, coachB(), { intent: "remove-member", userId: String(A) }),
        expect: [403],
      },
      {
        label: "nudge A through coach B's own cohort",
        run: () => post("routes/coach.cohorts.$id.members.$userId._index", { id: K2, userId: A }, coachB(), { intent: "nudge" }),
        expect: [404],
      },
      {
        label: "cancel A's appointment on coach A's slot",
        run: () => post("routes/coach.appointments.$id", { id: w.slot.id }, coachB(), { intent: "cancel-booking", reason: "x" }),
        expect: [403],
      },
    ]);
  });

  it("coach B's own lists do not show coach A's cohort or its members' private records", async () => {
    for (const id of ["routes/coach._index", "routes/coach.cohorts._index", "routes/coach.clients._index", "routes/coach.cohorts.new"]) {
      const body = await (await get(id, {}, coachB())).text();
      expect(leaksIn(body, "otherCoach"), id).toEqual([]);
    }
    // Cohort names are not secret (clients choose one to join, sessions name theirs), but coach B's list of
    // cohorts is of the cohorts coach B coaches.
    const list = await (await get("routes/coach.cohorts._index", {}, coachB())).text();
    expect(list).toContain(w.otherCohort.name);
    expect(list).not.toContain(w.cohort.name);
    const own = await (await get("routes/coach.cohorts.$id._index", { id: w.otherCohort.id }, coachB())).text();
    expect(leaksIn(own, "otherCoach")).toEqual([]);
  });
});
