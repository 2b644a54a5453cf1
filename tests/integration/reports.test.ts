// The studio reports against a real database: a known set of sessions, registrations, memberships and
// payments in dates no other test uses (2030–2031), and every number of every report checked, on the
// service, the page and the CSV downloads.
import type { EntityManager } from "@mikro-orm/postgresql";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import type { RegistrationStatus } from "~/modules/booking/booking.entities.server";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { recordPayment, type PaymentRecord } from "~/modules/billing/payments.service.server";
import { withRequestContext } from "~/modules/db.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import { defaultRange, type GroupRow, type MembershipMonthRow, type ReportRange } from "~/modules/reports/reports.rules";
import { attendanceBy, membershipsByMonth, revenueByMonth, studioReport } from "~/modules/reports/reports.service.server";
import { Session } from "~/modules/sessions/sessions.entities.server";
import { todayIn, toInstant, type LocalDate, type LocalTime } from "~/utils/time";
import { loader as csvLoader } from "~/routes/admin.reports.$report";
import { loader as pageLoader } from "~/routes/admin.reports._index";
import { forkEm } from "../support/db";
import { createClassType, createMembership, createPlan, createRegistration, createSession, createUser } from "../support/factories";
import { loaderData, signedInCookie } from "../support/routes";

const ZONE = "Europe/London";
/** Four studio weeks, Monday 7 January to Sunday 3 February 2030. */
const RANGE: ReportRange = { from: "2030-01-07", to: "2030-02-03" };
const at = (date: LocalDate, time: LocalTime) => toInstant(date, time, ZONE);

let em: EntityManager;
let adminCookie = "";
let coachA: { id: number; name: string };
let coachB: { id: number; name: string };
let hiit: { id: number; name: string };
let core: { id: number; name: string };
const clients: { id: number }[] = [];

/** A session with one registration per status listed (each by another client). */
async function sessionWith(
  fields: { date: LocalDate; time: LocalTime; coach: { id: number }; classType: { id: number } | null; capacity: number; title?: string },
  statuses: RegistrationStatus[],
  cancelled = false,
) {
  const session = await createSession(em, {
    coach: fields.coach,
    classType: fields.classType,
    start: at(fields.date, fields.time),
    capacity: fields.capacity,
    title: fields.title,
  });
  let waitlist = 0;
  for (const [i, status] of statuses.entries()) {
    await createRegistration(em, { session, user: clients[i], status, waitlistPosition: status === "WAITLISTED" ? ++waitlist : undefined });
  }
  if (cancelled) {
    session.status = "CANCELLED";
    await em.flush();
  }
  return session;
}

const repeat = (status: RegistrationStatus, n: number): RegistrationStatus[] => Array.from({ length: n }, () => status);

beforeAll(async () => {
  em = await forkEm();
  coachA = await createUser(em, { role: "COACH", name: "Alice Coach" });
  coachB = await createUser(em, { role: "COACH", name: "Bob Coach" });
  hiit = await createClassType(em, { name: "HIIT 2030" });
  core = await createClassType(em, { name: "Core 2030" });
  for (let i = 0; i < 10; i++) clients.push(await createUser(em));
  adminCookie = await signedInCookie(await createUser(em, { role: "ADMIN" }));

  // Week of 7 Jan.
  await sessionWith({ date: "2030-01-07", time: "06:30", coach: coachA, classType: hiit, capacity: 10 }, [
    ...repeat("ATTENDED", 3),
    "NO_SHOW",
    "LATE_CANCELLED",
    "CANCELLED",
    "WAITLISTED",
  ]);
  await sessionWith({ date: "2030-01-09", time: "18:05", coach: coachB, classType: core, capacity: 8 }, [...repeat("REGISTERED", 2), "ATTENDED"]);
  // Week of 14 Jan, with a session the studio cancelled (left out, whatever its registrations say).
  await sessionWith({ date: "2030-01-14", time: "06:30", coach: coachB, classType: hiit, capacity: 12 }, [
    ...repeat("ATTENDED", 5),
    ...repeat("NO_SHOW", 2),
    ...repeat("LATE_CANCELLED", 2),
  ]);
  await sessionWith({ date: "2030-01-15", time: "09:30", coach: coachA, classType: hiit, capacity: 10 }, [...repeat("ATTENDED", 4), "CANCELLED"], true);
  // Week of 21 Jan: nothing. Week of 28 Jan: a session without a class type, and one late on the last day.
  await sessionWith({ date: "2030-01-28", time: "09:30", coach: coachA, classType: null, capacity: 6, title: "Open gym" }, ["ATTENDED"]);
  await sessionWith({ date: "2030-02-03", time: "23:30", coach: coachA, classType: core, capacity: 5 }, repeat("REGISTERED", 5));
  // Just outside the range on either side (local midnight, not UTC).
  await sessionWith({ date: "2030-01-06", time: "23:50", coach: coachA, classType: hiit, capacity: 10 }, repeat("ATTENDED", 2));
  await sessionWith({ date: "2030-02-04", time: "00:10", coach: coachA, classType: hiit, capacity: 10 }, repeat("ATTENDED", 2));
});

const counts = (row: GroupRow) => [row.label, row.sessions, row.capacity, row.booked, row.attended, row.noShows, row.unmarked, row.lateCancels];

describe("attendance and utilisation", () => {
  // [label, sessions, capacity, booked, attended, no-shows, not marked, late cancels]
  it("counts by studio week, with an empty week, leaving out cancelled sessions and what lies outside", async () => {
    const rows = await attendanceBy(em, RANGE, "week", ZONE);
    expect(rows.map((row) => row.key)).toEqual(["2030-01-07", "2030-01-14", "2030-01-21", "2030-01-28"]);
    expect(rows.map(counts)).toEqual([
      ["w/c 7 Jan 2030", 2, 18, 7, 4, 1, 2, 1],
      ["w/c 14 Jan 2030", 1, 12, 7, 5, 2, 0, 2],
      ["w/c 21 Jan 2030", 0, 0, 0, 0, 0, 0, 0],
      ["w/c 28 Jan 2030", 2, 11, 6, 1, 0, 5, 0],
    ]);
  });

  it("counts by class type, coach and time slot, with the same totals", async () => {
    expect((await attendanceBy(em, RANGE, "class-type", ZONE)).map(counts)).toEqual([
      ["Core 2030", 2, 13, 8, 1, 0, 7, 0],
      ["HIIT 2030", 2, 22, 11, 8, 3, 0, 3],
      ["No class type", 1, 6, 1, 1, 0, 0, 0],
    ]);
    expect((await attendanceBy(em, RANGE, "coach", ZONE)).map(counts)).toEqual([
      ["Alice Coach", 3, 21, 10, 4, 1, 5, 1],
      ["Bob Coach", 2, 20, 10, 6, 2, 2, 2],
    ]);
    expect((await attendanceBy(em, RANGE, "slot", ZONE)).map(counts)).toEqual([
      ["06:30", 2, 22, 11, 8, 3, 0, 3],
      ["09:30", 1, 6, 1, 1, 0, 0, 0],
      ["18:05", 1, 8, 3, 1, 0, 2, 0],
      ["23:30", 1, 5, 5, 0, 0, 5, 0],
    ]);
    const report = await studioReport(em, { range: RANGE, by: "coach" });
    expect(report.totals).toEqual({ sessions: 5, capacity: 41, booked: 20, attended: 10, noShows: 3, lateCancels: 3, unmarked: 7 });
  });

  it("has totals that match the database, counted another way", async () => {
    const start = at(RANGE.from, "00:00");
    const end = at("2030-02-04", "00:00");
    const sessions = await em.find(Session, { startTime: { $gte: start, $lt: end }, status: { $ne: "CANCELLED" } });
    const inRange = { session: { $in: sessions.map((s) => s.id) } };
    const count = (status: RegistrationStatus[]) => em.count(SessionRegistration, { ...inRange, status: { $in: status } });
    const report = await studioReport(em, { range: RANGE, by: "week" });
    expect(report.totals).toEqual({
      sessions: sessions.length,
      capacity: sessions.reduce((sum, s) => sum + s.maxOccupancy, 0),
      booked: await count(["REGISTERED", "ATTENDED", "NO_SHOW"]),
      attended: await count(["ATTENDED"]),
      noShows: await count(["NO_SHOW"]),
      lateCancels: await count(["LATE_CANCELLED"]),
      unmarked: await count(["REGISTERED"]),
    });
  });

  it("keeps a class's time slot across the clock change", async () => {
    const coach = await createUser(em, { role: "COACH" });
    await sessionWith({ date: "2030-03-25", time: "06:30", coach, classType: hiit, capacity: 4 }, ["ATTENDED"]); // GMT
    await sessionWith({ date: "2030-04-01", time: "06:30", coach, classType: hiit, capacity: 4 }, ["ATTENDED", "NO_SHOW"]); // BST
    const rows = await attendanceBy(em, { from: "2030-03-25", to: "2030-04-07" }, "slot", ZONE);
    expect(rows.map(counts)).toEqual([["06:30", 2, 8, 3, 2, 1, 0, 0]]);
  });
});

describe("memberships in effect by month", () => {
  it("counts each membership in the months it is in effect, at month end, started and ended", async () => {
    const range = { from: "2031-01-01", to: "2031-03-31" };
    const before = await membershipsByMonth(em, range, ZONE);
    const plan = await createPlan(em, { type: "RECURRING" });
    const client = await createUser(em);
    const make = (startDate: LocalDate, endDate: LocalDate | null, status: "ACTIVE" | "CANCELLED" = "ACTIVE") =>
      createMembership(em, { user: client, plan, startDate, endDate, status });
    await make("2031-01-10", null); // Jan–Mar, started Jan
    await make("2030-12-01", "2031-02-14"); // Jan, Feb; ended Feb
    const cancelled = await make("2031-02-01", null, "CANCELLED"); // Feb only: cancelled on 20 Feb without an end date
    cancelled.cancelledAt = new Date("2031-02-20T12:00:00Z");
    await em.flush();
    await make("2031-03-31", null); // Mar, started on its last day
    await make("2031-04-01", null); // after
    await make("2029-01-01", "2030-12-31"); // before
    await make("2030-06-01", "2031-01-31", "CANCELLED"); // Jan, ended on its last day (still in effect that day)
    const after = await membershipsByMonth(em, range, ZONE);
    const delta = after.map((row, i): MembershipMonthRow => ({
      month: row.month,
      inEffect: row.inEffect - before[i].inEffect,
      atMonthEnd: row.atMonthEnd - before[i].atMonthEnd,
      started: row.started - before[i].started,
      ended: row.ended - before[i].ended,
    }));
    expect(delta).toEqual([
      { month: "2031-01", inEffect: 3, atMonthEnd: 3, started: 1, ended: 1 },
      { month: "2031-02", inEffect: 3, atMonthEnd: 1, started: 1, ended: 2 },
      { month: "2031-03", inEffect: 2, atMonthEnd: 2, started: 1, ended: 0 },
    ]);
  });

  it("matches the database: every membership in effect in a month, counted one by one", async () => {
    const range = { from: "2031-02-01", to: "2031-02-28" };
    const [row] = await membershipsByMonth(em, range, ZONE);
    const all = await em.find(UserMembership, {});
    const lastDay = (m: (typeof all)[number]) => m.endDate ?? (m.status === "CANCELLED" ? (m.cancelledAt ?? m.updatedAt).toISOString().slice(0, 10) : null);
    const inEffect = all.filter((m) => m.startDate <= "2031-02-28" && (lastDay(m) === null || lastDay(m)! >= "2031-02-01"));
    expect(row.inEffect).toBe(inEffect.length);
    expect(row.atMonthEnd).toBe(inEffect.filter((m) => lastDay(m) === null || lastDay(m)! >= "2031-02-28").length);
  });
});

describe("revenue by month", () => {
  it("adds what was paid and takes off what was refunded, per month in the studio's zone and per currency", async () => {
    const user = await createUser(em);
    let n = 0;
    const pay = (fields: Partial<PaymentRecord> & Pick<PaymentRecord, "kind" | "amountPence" | "status" | "occurredAt">) =>
      recordPayment(em, { userId: user.id, membershipId: null, currency: "gbp", receiptUrl: null, stripeObjectId: `report-test-${++n}`, ...fields });
    await pay({ kind: "PURCHASE", amountPence: 5000, status: "paid", occurredAt: new Date("2031-01-01T00:30:00Z") });
    await pay({ kind: "INVOICE", amountPence: 11000, status: "paid", occurredAt: new Date("2031-01-31T23:59:00Z") });
    await pay({ kind: "INVOICE", amountPence: 11000, status: "failed", occurredAt: new Date("2031-02-10T10:00:00Z") });
    await pay({ kind: "INVOICE", amountPence: 11000, status: "open", occurredAt: new Date("2031-02-10T11:00:00Z") });
    await pay({ kind: "REFUND", amountPence: 2500, status: "succeeded", occurredAt: new Date("2031-02-11T10:00:00Z") });
    await pay({ kind: "REFUND", amountPence: 1000, status: "pending", occurredAt: new Date("2031-02-12T10:00:00Z") });
    await pay({ kind: "PURCHASE", amountPence: 3000, status: "paid", currency: "eur", occurredAt: new Date("2031-02-20T10:00:00Z") });
    // 23:30 UTC on 31 March 2031 is 00:30 on 1 April in London (summer time began on 30 March).
    await pay({ kind: "INVOICE", amountPence: 11000, status: "paid", occurredAt: new Date("2031-03-31T23:30:00Z") });
    await pay({ kind: "PURCHASE", amountPence: 7000, status: "paid", occurredAt: new Date("2030-12-31T23:59:00Z") });

    const rows = await revenueByMonth(em, { from: "2031-01-15", to: "2031-04-10" }, ZONE, "GBP");
    const zero = { payments: 0, paidPence: 0, refunds: 0, refundedPence: 0 };
    expect(rows).toEqual([
      { month: "2031-01", currency: "GBP", payments: 2, paidPence: 16000, refunds: 0, refundedPence: 0 },
      { month: "2031-01", currency: "EUR", ...zero },
      { month: "2031-02", currency: "GBP", payments: 0, paidPence: 0, refunds: 1, refundedPence: 2500 },
      { month: "2031-02", currency: "EUR", payments: 1, paidPence: 3000, refunds: 0, refundedPence: 0 },
      { month: "2031-03", currency: "GBP", ...zero },
      { month: "2031-03", currency: "EUR", ...zero },
      { month: "2031-04", currency: "GBP", payments: 1, paidPence: 11000, refunds: 0, refundedPence: 0 },
      { month: "2031-04", currency: "EUR", ...zero },
    ]);
  });
});

async function get(loader: typeof csvLoader, path: string, cookie: string, params: Record<string, string> = {}): Promise<Response> {
  return withRequestContext(async () => {
    try {
      return (await loader({
        request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }),
        params,
        context: { cspNonce: "test", clientIp: "127.0.0.1" },
      })) as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

type PageData = {
  range: ReportRange;
  by: string;
  problems: string[];
  view: Record<string, { table: { rows: { cells: string[] }[]; totals: string[] | null }; charts: { summary: string; bars: unknown[] }[] }>;
};

describe("the reports page and its downloads", () => {
  it("shows each report as a table and a chart, with the totals", async () => {
    const data = await loaderData<PageData>(pageLoader, { path: `/admin/reports?from=${RANGE.from}&to=${RANGE.to}&by=class-type`, cookie: adminCookie });
    expect(data.problems).toEqual([]);
    expect(data.view.attendance.table.rows.map((row) => row.cells)).toEqual([
      ["Core 2030", "2", "8", "1", "0", "7", "0"],
      ["HIIT 2030", "2", "11", "8", "3", "0", "3"],
      ["No class type", "1", "1", "1", "0", "0", "0"],
    ]);
    expect(data.view.attendance.table.totals).toEqual(["Total", "5", "20", "10", "3", "7", "3"]);
    expect(data.view.utilisation.table.rows.map((row) => row.cells)).toEqual([
      ["Core 2030", "2", "13", "8", "61.5%"],
      ["HIIT 2030", "2", "22", "11", "50.0%"],
      ["No class type", "1", "6", "1", "16.7%"],
    ]);
    expect(data.view.utilisation.table.totals).toEqual(["Total", "5", "41", "20", "48.8%"]);
    expect(data.view.attendance.charts[0].bars).toHaveLength(3 * 4);
    expect(data.view.attendance.charts[0].summary).toContain("5 sessions in 3 class types: 20 booked, 10 attended, 3 no-shows");
    expect(data.view.utilisation.charts[0].summary).toContain("20 of 41 places filled over 5 sessions: 48.8%");
    expect(data.view.memberships.table.rows.map((row) => row.cells[0])).toEqual(["Jan 2030", "Feb 2030"]);
    expect(data.view.revenue.charts.length).toBeGreaterThanOrEqual(1);
  });

  it("answers the defaults with a message for bad dates or grouping, never an error", async () => {
    const defaults = defaultRange(todayIn(ZONE));
    for (const query of ["from=nonsense", "from=2030-02-01&to=2030-01-01", "to=2030-99-99", "from=2000-01-01&to=2030-01-01", "from=2030-01-01&to=%00"]) {
      const data = await loaderData<PageData>(pageLoader, { path: `/admin/reports?${query}&by=coach`, cookie: adminCookie });
      expect(data.problems, query).toEqual([expect.stringMatching(/Showing the last 8 weeks instead/)]);
      expect(data.range, query).toEqual(defaults);
      expect(data.by, query).toBe("coach");
    }
    const data = await loaderData<PageData>(pageLoader, { path: `/admin/reports?from=${RANGE.from}&to=${RANGE.to}&by=astrology`, cookie: adminCookie });
    expect(data).toMatchObject({ range: RANGE, by: "week", problems: [expect.stringMatching(/Showing weeks instead/)] });
  });

  it("downloads each report as CSV, with the page's numbers", async () => {
    const query = `from=${RANGE.from}&to=${RANGE.to}&by=week`;
    const attendance = await get(csvLoader, `/admin/reports/attendance.csv?${query}`, adminCookie, { report: "attendance.csv" });
    expect(attendance.status).toBe(200);
    expect(attendance.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(attendance.headers.get("Content-Disposition")).toBe('attachment; filename="centurion-attendance-by-week-2030-01-07-to-2030-02-03.csv"');
    expect(parse(await attendance.text(), { bom: true })).toEqual([
      ["Week starting (Monday)", "Sessions", "Booked", "Attended", "No-shows", "Not marked", "Late cancels"],
      ["2030-01-07", "2", "7", "4", "1", "2", "1"],
      ["2030-01-14", "1", "7", "5", "2", "0", "2"],
      ["2030-01-21", "0", "0", "0", "0", "0", "0"],
      ["2030-01-28", "2", "6", "1", "0", "5", "0"],
    ]);

    const utilisation = await get(csvLoader, `/admin/reports/utilisation.csv?${query.replace("week", "coach")}`, adminCookie, { report: "utilisation.csv" });
    expect(parse(await utilisation.text(), { bom: true })).toEqual([
      ["Coach", "Sessions", "Places offered", "Places filled", "Utilisation (%)"],
      ["Alice Coach", "3", "21", "10", "47.6"],
      ["Bob Coach", "2", "20", "10", "50"],
    ]);

    const revenue = await get(csvLoader, "/admin/reports/revenue.csv?from=2031-01-15&to=2031-02-10", adminCookie, { report: "revenue.csv" });
    expect(revenue.headers.get("Content-Disposition")).toContain('filename="centurion-revenue-2031-01-01-to-2031-02-28.csv"');
    expect(parse(await revenue.text(), { bom: true })).toEqual([
      ["Month", "Currency", "Payments", "Paid", "Refunds", "Refunded", "Net"],
      ["2031-01", "GBP", "2", "160", "0", "0", "160"],
      ["2031-01", "EUR", "0", "0", "0", "0", "0"],
      ["2031-02", "GBP", "0", "0", "1", "25", "-25"],
      ["2031-02", "EUR", "1", "30", "0", "0", "30"],
    ]);

    const memberships = await get(csvLoader, "/admin/reports/memberships.csv?from=2031-01-01&to=2031-03-31", adminCookie, { report: "memberships.csv" });
    const table = parse(await memberships.text(), { bom: true, columns: true }) as Record<string, string>[];
    const months = await membershipsByMonth(em, { from: "2031-01-01", to: "2031-03-31" }, ZONE);
    expect(table).toEqual(
      months.map((row) => ({
        Month: row.month,
        "In effect during the month": String(row.inEffect),
        "In effect at month end": String(row.atMonthEnd),
        Started: String(row.started),
        Ended: String(row.ended),
      })),
    );
  });

  it("answers 404 for an unknown report and 400 for bad dates in a download", async () => {
    expect((await get(csvLoader, "/admin/reports/payroll.csv", adminCookie, { report: "payroll.csv" })).status).toBe(404);
    expect((await get(csvLoader, "/admin/reports/attendance", adminCookie, { report: "attendance" })).status).toBe(404);
    const bad = await get(csvLoader, "/admin/reports/attendance.csv?from=2030-02-01&to=2030-01-01", adminCookie, { report: "attendance.csv" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/on or before/);
  });

  it("is for admins only: clients and coaches get 403, and no one signed in is sent to sign in", async () => {
    for (const role of ["CLIENT", "COACH"] as const) {
      const cookie = await signedInCookie(await createUser(em, { role }));
      expect((await get(pageLoader as typeof csvLoader, "/admin/reports", cookie)).status, role).toBe(403);
      expect((await get(csvLoader, "/admin/reports/attendance.csv", cookie, { report: "attendance.csv" })).status, role).toBe(403);
    }
    const anonymous = await get(csvLoader, "/admin/reports/attendance.csv", "", { report: "attendance.csv" });
    expect(anonymous.status).toBe(303);
    expect(anonymous.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
  });
});
