// Attacks and bad input against the real Express app (server/app.ts) around the app's real routes, over HTTP
// (issue 15): bodies over the limit, what caches may keep, and answers that used to be 500s.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import { Session } from "~/modules/sessions/sessions.entities.server";
import { MAX_ID } from "~/utils/form-fields";
import { addDays, todayIn, toInstant } from "~/utils/time";
import { MAX_BODY_BYTES } from "~/utils/body-limit";
import { forkEm } from "../support/db";
import { createMember, createRegistration, createSession, createUser, TEST_PASSWORD } from "../support/factories";
import { signedInCookie } from "../support/routes";
import { serveAppBuild } from "../support/serve-app";

type Role = "CLIENT" | "COACH" | "ADMIN";

let base = "";
let close: () => Promise<unknown> = async () => {};
const cookies = {} as Record<Role, string>;
let client: IUser;
let admin: IUser;
let sessionId: number;
let membershipId: number;
const COACH_NOTE = "Coach only: knee injury, keep an eye on her squats";

beforeAll(async () => {
  const served = await serveAppBuild();
  base = served.base;
  close = served.close;

  const em = await forkEm();
  const coach = await createUser(em, { role: "COACH" });
  admin = await createUser(em, { role: "ADMIN" });
  const member = await createMember(em, { type: "RECURRING", sessionsPerWeek: 5 }, { startDate: addDays(todayIn("Europe/London"), -7) });
  client = member.user;
  membershipId = member.membership.id;
  const session = await createSession(em, { coach, start: toInstant(addDays(todayIn("Europe/London"), 2), "18:00", "Europe/London"), capacity: 1 });
  await em.nativeUpdate(Session, session.id, { notes: COACH_NOTE });
  await createRegistration(em, { session, user: client, membership: member.membership });
  sessionId = session.id;
  cookies.CLIENT = await signedInCookie(client);
  cookies.COACH = await signedInCookie(coach);
  cookies.ADMIN = await signedInCookie(admin);
});

afterAll(async () => {
  await close();
});

function get(path: string, role: Role | null = null) {
  return fetch(`${base}${path}`, { headers: role ? { Cookie: cookies[role] } : {}, redirect: "manual" });
}

function post(path: string, role: Role | null, fields: Record<string, string> | [string, string][]) {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { ...(role ? { Cookie: cookies[role] } : {}), "Content-Type": "application/x-www-form-urlencoded", Origin: base },
    body: new URLSearchParams(fields).toString(),
    redirect: "manual",
  });
}

const signIn = (extra: Record<string, string> = {}) => post("/login", null, { email: client.email, password: TEST_PASSWORD, ...extra });

/**
 * POSTs a form body of `totalBytes` (declaring its length, or chunked without one) until the server answers,
 * and resolves with the answer's status and how much of the body had been sent by then.
 */
function postBig(path: string, options: { totalBytes: number; chunked: boolean; prefix?: string }): Promise<{ status: number; sent: number }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { "Content-Type": "application/x-www-form-urlencoded" };
    if (!options.chunked) headers["Content-Length"] = String(options.totalBytes);
    let sent = 0;
    let answered = false;
    const request = http.request(new URL(path, base), { method: "POST", headers }, (response) => {
      answered = true;
      response.resume();
      response.on("end", () => resolve({ status: response.statusCode!, sent }));
      response.on("error", () => resolve({ status: response.statusCode!, sent }));
    });
    // The server closes the connection once it has answered: writing on afterwards fails, as it should.
    request.on("error", (error) => (answered ? undefined : reject(error)));
    const prefix = Buffer.from(options.prefix ?? "padding=");
    const chunk = Buffer.alloc(64 * 1024, "a");
    const pump = () => {
      while (!answered && !request.destroyed && sent < options.totalBytes) {
        const piece =
          sent === 0
            ? Buffer.concat([prefix, chunk]).subarray(0, Math.min(options.totalBytes, chunk.length))
            : chunk.subarray(0, Math.min(chunk.length, options.totalBytes - sent));
        sent += piece.length;
        if (!request.write(piece)) {
          request.once("drain", pump);
          return;
        }
      }
      if (!answered && !request.destroyed) request.end();
    };
    pump();
  });
}

describe("request bodies", () => {
  it("an anonymous POST declaring gigabytes gets 413 before its body is sent, and the server stays up", async () => {
    const answer = await postBig("/login", { totalBytes: 4 * 1024 ** 3, chunked: false });
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeLessThan(4 * 1024 ** 3);
    expect((await get("/healthz")).status).toBe(200);
    expect((await signIn()).status).toBe(303);
  });

  it("a chunked POST is cut off with 413 once it passes the limit, long before its end, and the server stays up", async () => {
    const total = 256 * 1024 * 1024;
    const answer = await postBig("/login", { totalBytes: total, chunked: true, prefix: `email=${encodeURIComponent(client.email)}&padding=` });
    expect(answer.status).toBe(413);
    expect(answer.sent).toBeGreaterThan(MAX_BODY_BYTES);
    expect(answer.sent).toBeLessThan(total);
    expect((await get("/healthz")).status).toBe(200);
    expect((await signIn()).status).toBe(303);
  });

  it("a chunked form within the limit still reaches its action", async () => {
    const fields = new URLSearchParams({ email: client.email, password: TEST_PASSWORD }).toString();
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        new URL("/login", base),
        { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" } },
        (response) => {
          response.resume();
          resolve(response.statusCode!);
        },
      );
      request.on("error", reject);
      request.write(fields.slice(0, 10));
      request.end(fields.slice(10));
    });
    expect(status).toBe(303);
  });

  it("a form just under the limit is read as usual: 400 for its fields, not 413", async () => {
    const padding = "a".repeat(MAX_BODY_BYTES - 200);
    const response = await post("/login", null, { email: "not-an-email", password: "x", padding });
    expect(response.status).toBe(400);
    const over = await post("/login", null, { email: "not-an-email", password: "x", padding: `${padding}${"a".repeat(400)}` });
    expect(over.status).toBe(413);
  });
});

describe("Cache-Control: no-store", () => {
  it("on every answer to a signed-in user: pages, data requests, redirects and downloads", async () => {
    for (const [path, status] of [
      ["/client", 200],
      ["/client?_data=routes%2Fclient._index", 200],
      [`/client/sessions/${sessionId}`, 200],
      [`/client/sessions/${sessionId}/ics`, 200],
      ["/login", 303],
      ["/admin", 403],
      ["/client/sessions/999999999", 404],
    ] as const) {
      const response = await get(path, "CLIENT");
      expect(response.status, path).toBe(status);
      expect(response.headers.get("cache-control"), path).toBe("no-store");
    }
    const booked = await post(`/client/sessions/${sessionId}`, "CLIENT", { intent: "cancel" });
    expect(booked.status).toBe(303);
    expect(booked.headers.get("cache-control")).toBe("no-store");
  });

  it("on an answer that sets a cookie, such as signing in", async () => {
    const response = await signIn();
    expect(response.status).toBe(303);
    expect(response.headers.get("set-cookie")).toMatch(/centurion_auth=/);
    expect(response.headers.get("cache-control")).toBe("no-store");
  });

  it("not on public static files", async () => {
    for (const [path, type] of [
      ["/robots.txt", "text/plain"],
      ["/favicon.svg", "image/svg+xml"],
    ]) {
      const response = await get(path, "CLIENT");
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toContain(type);
      expect(response.headers.get("cache-control")).toBe("public, max-age=3600");
    }
  });
});

describe("answers that were 500s", () => {
  const PROTOTYPE_NAMES = ["toString", "constructor", "__proto__", "hasOwnProperty", "valueOf"];

  it("an intent named after an Object.prototype member gets 400 with a message, on every form that dispatches on intent", async () => {
    const forms: [Role, string][] = [
      ["ADMIN", `/admin/members/${client.id}`],
      ["ADMIN", `/admin/people/${client.id}`],
      ["ADMIN", "/admin/people"],
      ["ADMIN", "/admin/plans"],
      ["CLIENT", `/client/sessions/${sessionId}`],
      ["CLIENT", "/client/sessions/calendar"],
      ["CLIENT", "/client/membership"],
      ["CLIENT", "/account/notifications"],
      ["COACH", `/coach/sessions/${sessionId}`],
    ];
    for (const [role, path] of forms) {
      for (const intent of PROTOTYPE_NAMES) {
        const response = await post(path, role, { intent, membershipId: String(membershipId) });
        expect(response.status, `${path} intent=${intent}`).toBe(400);
        const body = await response.text();
        expect(body, `${path} intent=${intent}`).toMatch(/Unknown action|Choose book|Reload the page/);
      }
    }
  });

  it("a plan posted with a type named after an Object.prototype member gets 400", async () => {
    for (const type of PROTOTYPE_NAMES) {
      const response = await post("/admin/plans/new", "ADMIN", { name: "Odd", type, price: "10", sessionsPerWeek: "2", totalSessions: "5" });
      expect(response.status, `type=${type}`).toBe(400);
      expect(await response.text()).toContain("Choose recurring, pack or prepaid.");
    }
  });

  it("ids past PostgreSQL's integer, negative or not numbers: 404 in an address, ignored in a query string, 400 in a form", async () => {
    for (const id of [String(MAX_ID + 1), "99999999999999999999", "-1", "0", "1.5", "abc", "1e400"]) {
      expect((await get(`/client/sessions/${encodeURIComponent(id)}`, "CLIENT")).status, `/client/sessions/${id}`).toBe(404);
      expect((await get(`/admin/members/${encodeURIComponent(id)}`, "ADMIN")).status, `/admin/members/${id}`).toBe(404);
      expect((await get(`/client/sessions?classType=${encodeURIComponent(id)}`, "CLIENT")).status, `classType=${id}`).toBe(200);
      expect((await get(`/coach/sessions/calendar?coach=${encodeURIComponent(id)}`, "COACH")).status, `coach=${id}`).toBe(200);
      expect((await get(`/coach/sessions?classType=${encodeURIComponent(id)}&coach=${encodeURIComponent(id)}`, "COACH")).status).toBe(200);
      const change = await post(`/admin/members/${client.id}`, "ADMIN", { intent: "pause", membershipId: id });
      expect(change.status, `membershipId=${id}`).toBe(400);
      const plan = await post("/admin/plans/new", "ADMIN", [
        ["name", "Big ids"],
        ["type", "RECURRING"],
        ["price", "10"],
        ["sessionsPerWeek", "2"],
        ["classTypeIds", id],
      ]);
      expect(plan.status, `classTypeIds=${id}`).toBe(400);
    }
    expect((await (await forkEm()).findOneOrFail(UserMembership, membershipId)).status).toBe("ACTIVE");
  });

  it("a redirectTo with characters outside ASCII leads to the same page, percent-encoded", async () => {
    for (const [to, location] of [
      ["/client/sessions/ü", "/client/sessions/%C3%BC"],
      ["/client/sessions/%E2%82%AC", "/client/sessions/%E2%82%AC"],
      ["/client/sessions/€?day=ü#x", "/client/sessions/%E2%82%AC?day=%C3%BC#x"],
      ["/client/\u2028sessions", "/client/%E2%80%A8sessions"],
      ["/client/😀", "/client/%F0%9F%98%80"],
      ["/..//evil.example", "/client"],
    ]) {
      const signedIn = await signIn({ redirectTo: to });
      expect(signedIn.status, to).toBe(303);
      expect(signedIn.headers.get("location"), to).toBe(location);
      const already = await get(`/login?redirectTo=${encodeURIComponent(to)}`, "CLIENT");
      expect(already.status, to).toBe(303);
      expect(already.headers.get("location"), to).toBe(location);
    }
    const booked = await post(`/client/sessions/${sessionId}`, "CLIENT", { intent: "book", redirectTo: "/client/sessions?date=€" });
    expect(booked.status).toBe(303);
    expect(booked.headers.get("location")).toBe("/client/sessions?date=%E2%82%AC");
  });

  it("a session's coach-only notes are in none of the client's pages or page data, and in the coach's", async () => {
    for (const path of [
      `/client/sessions/${sessionId}`,
      `/client/sessions/${sessionId}?_data=${encodeURIComponent("routes/client.sessions.$id")}`,
      "/client/sessions",
      `/client/sessions?_data=${encodeURIComponent("routes/client.sessions._index")}`,
      `/client/sessions/${sessionId}/ics`,
      "/client/sessions/calendar",
      "/client",
    ]) {
      const response = await get(path, "CLIENT");
      expect(response.status, path).toBe(200);
      const body = await response.text();
      expect(body, path).not.toContain("knee injury");
      expect(body, path).not.toContain('"notes"');
    }
    expect(await (await get(`/coach/sessions/${sessionId}`, "COACH")).text()).toContain("knee injury");
  });
});
