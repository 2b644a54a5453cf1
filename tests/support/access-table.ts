// Who may do what, route by route: the answer each role gets from each route's loader (a GET) and action
// (a POST naming an intent no form has), for the six roles of tests/support/access-world.ts. Every route of
// the app must have a row (tests/integration/access-table.test.ts fails on a route without one), so a new
// page is never open to everyone by accident. An allowed role's post is refused as a bad form (400): it got
// past the guards. Whether someone else's record can be changed with a real form is checked record by record
// in the same test file.
//
// Ids in the addresses are client A's records and coach A's cohort and slot, so "another client" and
// "another coach" ask for someone else's. "login": the guards' 303 to /login?redirectTo=…; a number: that
// status (303: any other redirect).
import { ROLES, type AccessRole, type AccessWorld } from "./access-world";

export type Outcome = "login" | 200 | 303 | 400 | 403 | 404 | 405 | 410 | 503;
/** Outcomes by role: guest, client A, client B, coach A, coach B, admin. */
export type Outcomes = readonly [guest: Outcome, client: Outcome, otherClient: Outcome, coach: Outcome, otherCoach: Outcome, admin: Outcome];

export type AccessRule = {
  /** The route's URL parameters (default: none). */
  params?: (w: AccessWorld) => Record<string, string | number>;
  loader?: Outcomes;
  action?: Outcomes;
};

/** What the access table posts to every action. */
export const PROBE = { intent: "access-table-probe" };

const L = "login";
// The usual rows.
const PUBLIC = [200, 200, 200, 200, 200, 200] as const;
const SIGNED_IN = [L, 200, 200, 200, 200, 200] as const;
const STAFF = [L, 403, 403, 200, 200, 200] as const;
const ADMIN = [L, 403, 403, 403, 403, 200] as const;
/** An action any signed-in role may post, refusing the probe as a bad form. */
const SIGNED_IN_POST = [L, 400, 400, 400, 400, 400] as const;
const STAFF_POST = [L, 403, 403, 400, 400, 400] as const;
const ADMIN_POST = [L, 403, 403, 403, 403, 400] as const;
/** Coach A's cohort: coach B is refused (403), as are clients. */
const COHORT = [L, 403, 403, 200, 403, 200] as const;
const COHORT_POST = [L, 403, 403, 400, 403, 400] as const;
/** Client A's own record: anyone else finds nothing (404). */
const OWN = [L, 200, 404, 404, 404, 404] as const;

const id = (n: { id: number }) => String(n.id);

export const ACCESS_TABLE: Record<string, AccessRule> = {
  root: { loader: PUBLIC },
  "routes/$": { params: () => ({ "*": "no-such-page" }), loader: [404, 404, 404, 404, 404, 404], action: [404, 404, 404, 404, 404, 404] },
  // Everyone to their home page, or to the sign-in page.
  "routes/_index": { loader: [303, 303, 303, 303, 303, 303] },
  "routes/login": { loader: [200, 303, 303, 303, 303, 303], action: [400, 400, 400, 400, 400, 400] },
  // The code step needs the signed cookie a right password leaves: without it, back to the sign-in page.
  "routes/login_.two-factor": { loader: [303, 303, 303, 303, 303, 303], action: [303, 303, 303, 303, 303, 303] },
  "routes/signup": { loader: [200, 303, 303, 303, 303, 303], action: [400, 400, 400, 400, 400, 400] },
  "routes/logout": { loader: [303, 303, 303, 303, 303, 303], action: [303, 303, 303, 303, 303, 303] },
  "routes/forgot-password": { action: [400, 400, 400, 400, 400, 400] },
  "routes/reset-password.$token": { params: (w) => ({ token: w.resetToken }), loader: PUBLIC, action: [400, 400, 400, 400, 400, 400] },
  "routes/unsubscribe.$token": { params: (w) => ({ token: w.unsubscribeToken }), loader: PUBLIC, action: [303, 303, 303, 303, 303, 303] },
  "routes/calendar.feed.$token": { params: (w) => ({ token: w.feedToken }), loader: PUBLIC },
  "routes/webhooks.stripe": { loader: [405, 405, 405, 405, 405, 405], action: [503, 503, 503, 503, 503, 503] },

  "routes/account.notifications": { loader: SIGNED_IN, action: SIGNED_IN_POST },
  "routes/account.password": { loader: SIGNED_IN, action: SIGNED_IN_POST },
  "routes/account.two-factor": { loader: SIGNED_IN, action: SIGNED_IN_POST },

  "routes/client": { loader: SIGNED_IN },
  "routes/client._index": { loader: SIGNED_IN },
  "routes/client.sessions._index": { loader: SIGNED_IN },
  "routes/client.sessions.calendar": { loader: SIGNED_IN, action: SIGNED_IN_POST },
  "routes/client.sessions.$id": { params: (w) => ({ id: id(w.session) }), loader: SIGNED_IN, action: SIGNED_IN_POST },
  "routes/client.sessions.$id_.ics": { params: (w) => ({ id: id(w.session) }), loader: SIGNED_IN },
  "routes/client.membership._index": { loader: SIGNED_IN, action: SIGNED_IN_POST },
  "routes/client.membership.plans": { loader: SIGNED_IN, action: SIGNED_IN_POST },
  "routes/client.membership.$id.cancel": { params: (w) => ({ id: id(w.spareMembership) }), loader: OWN, action: [L, 303, 404, 404, 404, 404] },
  "routes/client.membership.checkout.success": { loader: [L, 404, 404, 404, 404, 404] },
  "routes/client.membership.checkout.cancel": { loader: SIGNED_IN },
  "routes/client.health._index": { loader: [L, 200, 200, 403, 403, 403], action: [L, 400, 400, 403, 403, 403] },
  "routes/client.health.$id": { params: (w) => ({ id: id(w.entry) }), loader: [L, 200, 404, 403, 403, 403], action: [L, 400, 400, 403, 403, 403] },
  "routes/client.cohort._index": { loader: SIGNED_IN },
  // Week 1 of the client's own cohort: B is in coach B's.
  "routes/client.cohort.weeks.$week": { params: () => ({ week: "1" }), loader: [L, 200, 200, 404, 404, 404] },
  "routes/client.cohort.questionnaire.$week": { params: () => ({ week: "1" }), loader: [L, 200, 200, 404, 404, 404], action: SIGNED_IN_POST },
  "routes/client.cohorts": { loader: SIGNED_IN, action: SIGNED_IN_POST },
  "routes/client.appointments._index": { loader: SIGNED_IN, action: SIGNED_IN_POST },
  "routes/client.appointments.$id": { params: (w) => ({ id: id(w.booking) }), loader: OWN, action: SIGNED_IN_POST },

  "routes/coach": { loader: STAFF },
  "routes/coach._index": { loader: STAFF },
  "routes/coach.sessions._index": { loader: STAFF },
  "routes/coach.sessions.calendar": { loader: STAFF },
  "routes/coach.sessions.new": { loader: STAFF, action: STAFF_POST },
  "routes/coach.sessions.recurring": { loader: STAFF, action: STAFF_POST },
  "routes/coach.sessions.$id._index": { params: (w) => ({ id: id(w.session) }), loader: STAFF, action: STAFF_POST },
  "routes/coach.sessions.$id.edit": { params: (w) => ({ id: id(w.session) }), loader: STAFF, action: STAFF_POST },
  "routes/coach.class-types._index": { loader: STAFF, action: STAFF_POST },
  "routes/coach.class-types.$id": { params: (w) => ({ id: id(w.classType) }), loader: STAFF, action: STAFF_POST },
  "routes/coach.clients._index": { loader: STAFF },
  "routes/coach.clients.$userId._index": { params: (w) => ({ userId: id(w.users.client) }), loader: [L, 403, 403, 200, 404, 200] },
  "routes/coach.clients.$userId.health": { params: (w) => ({ userId: id(w.users.client) }), loader: COHORT, action: COHORT_POST },
  "routes/coach.appointments._index": { loader: STAFF },
  "routes/coach.appointments.new": { loader: STAFF, action: STAFF_POST },
  "routes/coach.appointments.$id": { params: (w) => ({ id: id(w.slot) }), loader: COHORT, action: STAFF_POST },
  "routes/coach.cohorts._index": { loader: STAFF },
  "routes/coach.cohorts.new": { loader: STAFF, action: STAFF_POST },
  "routes/coach.cohorts.$id._index": { params: (w) => ({ id: id(w.cohort) }), loader: COHORT, action: COHORT_POST },
  "routes/coach.cohorts.$id.edit": { params: (w) => ({ id: id(w.cohort) }), loader: COHORT, action: COHORT_POST },
  "routes/coach.cohorts.$id.check-ins": { params: (w) => ({ id: id(w.cohort) }), loader: COHORT, action: COHORT_POST },
  "routes/coach.cohorts.$id.review": { params: (w) => ({ id: id(w.cohort) }), loader: COHORT, action: COHORT_POST },
  "routes/coach.cohorts.$id.questionnaires._index": { params: (w) => ({ id: id(w.cohort) }), loader: COHORT, action: COHORT_POST },
  "routes/coach.cohorts.$id.questionnaires.$week": { params: (w) => ({ id: id(w.cohort), week: "1" }), loader: COHORT, action: COHORT_POST },
  "routes/coach.cohorts.$id.responses.$responseId": {
    params: (w) => ({ id: id(w.cohort), responseId: id(w.response) }),
    loader: COHORT,
    action: COHORT_POST,
  },
  "routes/coach.cohorts.$id.members.$userId._index": { params: (w) => ({ id: id(w.cohort), userId: id(w.users.client) }), loader: COHORT, action: COHORT_POST },
  "routes/coach.cohorts.$id.members.$userId.weeks.$week": {
    params: (w) => ({ id: id(w.cohort), userId: id(w.users.client), week: "1" }),
    loader: COHORT,
    action: COHORT_POST,
  },

  "routes/admin": { loader: ADMIN },
  "routes/admin._index": { loader: ADMIN },
  "routes/admin.members._index": { loader: ADMIN },
  "routes/admin.members[.csv]": { loader: ADMIN },
  "routes/admin.members.$userId": { params: (w) => ({ userId: id(w.users.client) }), loader: ADMIN, action: ADMIN_POST },
  "routes/admin.people._index": { loader: ADMIN, action: ADMIN_POST },
  "routes/admin.people.$userId": { params: (w) => ({ userId: id(w.users.client) }), loader: ADMIN, action: ADMIN_POST },
  "routes/admin.plans._index": { loader: ADMIN, action: ADMIN_POST },
  "routes/admin.plans.new": { loader: ADMIN, action: ADMIN_POST },
  "routes/admin.plans.$id": { params: (w) => ({ id: id(w.plan) }), loader: ADMIN, action: ADMIN_POST },
  "routes/admin.outbox._index": { loader: ADMIN },
  "routes/admin.outbox.$id": { params: (w) => ({ id: id(w.email) }), loader: ADMIN },
  "routes/admin.reports._index": { loader: ADMIN },
  "routes/admin.reports.$report": { params: () => ({ report: "attendance.csv" }), loader: ADMIN },
  "routes/admin.settings": { loader: ADMIN, action: ADMIN_POST },
};

/** The roles the row does not refuse (by the sign-in page, 403, 404 or 405): those who may use the route. */
export function allowedRoles(outcomes: Outcomes): AccessRole[] {
  return ROLES.filter((_, i) => !["login", 403, 404, 405].includes(outcomes[i] as never));
}
