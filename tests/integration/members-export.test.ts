// The members export, read back with a CSV parser: every member, one row per membership, each with its
// balance, pauses and the bookings charged to it; names with commas and quotes survive the round trip.
import type { EntityManager } from "@mikro-orm/postgresql";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { User } from "~/modules/auth/auth.entities.server";
import type { RegistrationStatus } from "~/modules/booking/booking.entities.server";
import { withRequestContext } from "~/modules/db.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import { loader } from "~/routes/admin.members[.csv]";
import { addDays, todayIn, toInstant } from "~/utils/time";
import { forkEm } from "../support/db";
import { createMembership, createPlan, createRegistration, createSession, createUser } from "../support/factories";
import { signedInCookie } from "../support/routes";

const ZONE = "Europe/London";
const today = todayIn(ZONE);

type Row = Record<string, string>;

let em: EntityManager;
let adminCookie = "";

async function download(cookie: string): Promise<Response> {
  return withRequestContext(async () => {
    try {
      return (await loader({
        request: new Request("http://localhost/admin/members.csv", { headers: { Cookie: cookie } }),
        params: {},
        context: { cspNonce: "test", clientIp: "127.0.0.1" },
      })) as Response;
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

async function exported(): Promise<Row[]> {
  const response = await download(adminCookie);
  expect(response.status).toBe(200);
  return parse(await response.text(), { bom: true, columns: true }) as Row[];
}

/** Registrations of `user` charged to `membership`, one session each, at the given days from today. */
async function book(user: { id: number }, membership: { id: number } | null, entries: [RegistrationStatus, number, ("CANCELLED" | "SCHEDULED")?][]) {
  const coach = await createUser(em, { role: "COACH" });
  for (const [status, days, sessionStatus] of entries) {
    const session = await createSession(em, { coach, start: toInstant(addDays(today, days), "18:00", ZONE) });
    if (sessionStatus === "CANCELLED") session.status = "CANCELLED";
    await createRegistration(em, { session, user, membership, status });
  }
}

async function pauseEvent(membership: { id: number }, action: "PAUSED" | "RESUMED", at: string) {
  await em.execute("insert into membership_event (membership_id, action, at) values (?, ?, ?)", [membership.id, action, new Date(at)]);
}

beforeAll(async () => {
  em = await forkEm();
  adminCookie = await signedInCookie(await createUser(em, { role: "ADMIN" }));
});

describe("the members export", () => {
  it("has every client and every membership, each row with its balance, limits, pauses and bookings", async () => {
    const pack = await createPlan(em, { type: "PACK", name: 'Ten Pack, "Flex"', totalSessions: 10, pricePence: 9500 });
    const monthly = await createPlan(em, { type: "RECURRING", name: "Unlimited-ish", sessionsPerWeek: 3, pricePence: 11000 });
    const prepaid = await createPlan(em, { type: "PREPAID", name: "Four Weeks", durationDays: 28 });

    const anna = await createUser(em, { name: 'O\'Brien, Anna "Annie"', email: "anna.export@factory.test" });
    const annaPack = await createMembership(em, { user: anna, plan: pack, startDate: addDays(today, -30), sessionsRemaining: 7 });
    await book(anna, annaPack, [
      ["ATTENDED", -20],
      ["ATTENDED", -13],
      ["NO_SHOW", -6],
      ["LATE_CANCELLED", -5],
      ["CANCELLED", -4],
      ["REGISTERED", -1], // past, not marked: not upcoming
      ["REGISTERED", 2],
      ["REGISTERED", 3],
      ["REGISTERED", 4, "CANCELLED"], // the studio cancelled it: not upcoming
      ["WAITLISTED", 5],
    ]);
    const annaMonthly = await createMembership(em, { user: anna, plan: monthly, startDate: "2025-11-01", status: "PAUSED" });
    annaMonthly.pausedOn = "2026-02-01";
    await em.flush();
    await pauseEvent(annaMonthly, "PAUSED", "2025-12-01T10:00:00Z");
    await pauseEvent(annaMonthly, "RESUMED", "2025-12-15T10:00:00Z");
    await pauseEvent(annaMonthly, "PAUSED", "2026-02-01T10:00:00Z");
    await book(anna, annaMonthly, [["ATTENDED", -40]]);

    const ben = await createUser(em, { name: "Ben Nomembership", email: "ben.export@factory.test" });
    const cara = await createUser(em, { name: "=Cara+Formula", email: "cara.export@factory.test" });
    const caraPrepaid = await createMembership(em, { user: cara, plan: prepaid, startDate: "2025-01-01" }); // ended long ago
    const dan = await createUser(em, { name: "Dan Deactivated", email: "dan.export@factory.test" });
    const danPack = await createMembership(em, {
      user: dan,
      plan: pack,
      startDate: "2025-06-01",
      status: "CANCELLED",
      endDate: "2025-07-01",
      sessionsRemaining: 0,
    });
    const danUser = await em.findOneOrFail(User, dan.id);
    danUser.deactivatedAt = new Date("2026-01-10T12:00:00Z");
    await em.flush();
    const coach = await createUser(em, { role: "COACH", name: "Coach Without Membership" });

    const rows = await exported();
    const byMembership = new Map(rows.filter((row) => row["Membership ID"]).map((row) => [Number(row["Membership ID"]), row]));

    // Every client, and every membership once; clients without one get one row of their own.
    const clients = await em.find(User, { role: "CLIENT" });
    const memberships = await em.find(UserMembership, {}, { populate: ["user"] });
    expect(new Set(rows.map((row) => row.Email))).toEqual(new Set([...clients.map((c) => c.email), ...memberships.map((m) => m.user.email)]));
    expect(byMembership.size).toBe(memberships.length);
    expect(rows.filter((row) => row["Membership ID"]).length).toBe(memberships.length);
    const withNone = clients.filter((c) => !memberships.some((m) => m.user.id === c.id));
    expect(
      rows
        .filter((row) => !row["Membership ID"])
        .map((row) => row.Email)
        .sort(),
    ).toEqual(withNone.map((c) => c.email).sort());
    for (const membership of memberships) {
      expect(byMembership.get(membership.id)?.["Sessions remaining"], `membership ${membership.id}`).toBe(
        membership.sessionsRemaining === null ? "" : String(membership.sessionsRemaining),
      );
    }
    expect(rows.some((row) => row.Email === coach.email || row.Name === coach.name)).toBe(false);

    expect(byMembership.get(annaPack.id)).toMatchObject({
      "Member ID": String(anna.id),
      Name: 'O\'Brien, Anna "Annie"',
      Email: "anna.export@factory.test",
      Role: "CLIENT",
      Joined: today,
      "Deactivated on": "",
      Plan: 'Ten Pack, "Flex"',
      "Plan type": "PACK",
      Status: "ACTIVE",
      "Start date": addDays(today, -30),
      "End date": "",
      "Paused since": "",
      Pauses: "0",
      "Pause periods": "",
      "Sessions remaining": "7",
      "Total sessions": "10",
      "Weekly limit": "",
      "Plan price": "95",
      Currency: "GBP",
      "Late cancels": "1",
      Attended: "2",
      "No-shows": "1",
      "Booked upcoming": "2",
    });
    expect(byMembership.get(annaMonthly.id)).toMatchObject({
      Name: 'O\'Brien, Anna "Annie"',
      Plan: "Unlimited-ish",
      "Plan type": "RECURRING",
      Status: "PAUSED",
      "Start date": "2025-11-01",
      "Paused since": "2026-02-01",
      Pauses: "2",
      "Pause periods": "2025-12-01 to 2025-12-15; 2026-02-01 onwards",
      "Sessions remaining": "",
      "Weekly limit": "3",
      "Plan price": "110",
      Attended: "1",
      "Late cancels": "0",
      "No-shows": "0",
      "Booked upcoming": "0",
    });
    // The older membership first, by start date.
    expect(rows.findIndex((row) => row["Membership ID"] === String(annaMonthly.id))).toBeLessThan(
      rows.findIndex((row) => row["Membership ID"] === String(annaPack.id)),
    );

    const benRows = rows.filter((row) => row.Email === ben.email);
    expect(benRows).toHaveLength(1);
    expect(benRows[0]).toMatchObject({ Name: "Ben Nomembership", "Membership ID": "", Plan: "", Status: "", Pauses: "", "Late cancels": "", Attended: "" });

    expect(byMembership.get(caraPrepaid.id)).toMatchObject({
      Name: "'=Cara+Formula", // a spreadsheet must not run a name as a formula
      "Plan type": "PREPAID",
      Status: "EXPIRED",
      "Start date": "2025-01-01",
      "End date": "2025-01-28",
      "Prepaid days": "28",
    });
    expect(byMembership.get(danPack.id)).toMatchObject({
      Status: "CANCELLED",
      "Deactivated on": "2026-01-10",
      "Sessions remaining": "0",
      "End date": "2025-07-01",
    });
  });

  it("quotes what needs quoting, and reads back exactly", async () => {
    const name = 'Smith, "Jo"\nSecond line';
    const user = await createUser(em, { name, email: "quoting.export@factory.test" });
    const response = await download(adminCookie);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]); // UTF-8's byte order mark, for spreadsheets
    const text = new TextDecoder().decode(bytes);
    expect(text).toContain('"Smith, ""Jo""\nSecond line"');
    const rows = parse(text, { bom: true, columns: true }) as Row[];
    expect(rows.find((row) => row["Member ID"] === String(user.id))?.Name).toBe(name);
  });

  it("downloads as a dated CSV attachment, for admins only", async () => {
    const response = await download(adminCookie);
    expect(response.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("Content-Disposition")).toBe(`attachment; filename="centurion-members-${today}.csv"`);
    for (const role of ["CLIENT", "COACH"] as const) {
      expect((await download(await signedInCookie(await createUser(em, { role })))).status, role).toBe(403);
    }
    expect((await download("")).status).toBe(303);
  });
});
