// The appointment pages' HTTP answers, driven in-process: a coach offers slots (303, or 400 with the field
// messages), a client books and cancels (303), another client's appointment is 404, another coach's slot
// 403 (an admin may), bad ids and intents 400/404, and both calendars show appointments only while the
// area is switched on.
import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { AppointmentBooking, AppointmentSlot } from "~/modules/appointments/appointments.entities.server";
import { createSlot } from "~/modules/appointments/appointments.service.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import type { IClassType } from "~/modules/sessions/sessions.entities.server";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { withRequestContext } from "~/modules/db.server";
import { action as clientDetailAction, loader as clientDetailLoader } from "~/routes/client.appointments.$id";
import { action as clientListAction, loader as clientListLoader } from "~/routes/client.appointments._index";
import { loader as clientCalendarLoader } from "~/routes/client.sessions.calendar";
import { action as slotAction, loader as slotLoader } from "~/routes/coach.appointments.$id";
import { loader as coachListLoader } from "~/routes/coach.appointments._index";
import { action as newAction } from "~/routes/coach.appointments.new";
import { loader as coachCalendarLoader } from "~/routes/coach.sessions.calendar";
import { addDays, todayIn } from "~/utils/time";
import { forkEm } from "../support/db";
import { createClassType, createMember, createUser } from "../support/factories";
import { loaderData, postForm, signedInCookie } from "../support/routes";

const ZONE = "Europe/London";
const day = (n: number) => addDays(todayIn(ZONE), n);

let coach: IUser;
let otherCoach: IUser;
let admin: IUser;
let massage: IClassType;
const cookies: Record<string, string> = {};

beforeAll(async () => {
  const em = await forkEm();
  coach = await createUser(em, { role: "COACH" });
  otherCoach = await createUser(em, { role: "COACH" });
  admin = await createUser(em, { role: "ADMIN" });
  massage = await createClassType(em, { defaultCapacity: 1, defaultDurationMins: 45 });
  for (const [key, user] of Object.entries({ coach, otherCoach, admin })) cookies[key] = await signedInCookie(user);
  // This file's own database: the area is on, as it must be once switched-off areas answer 404.
  await updateSettings(await forkEm(), { "features.appointments.enabled": true });
});

/** A GET through a loader, answering its Response whatever the status. */
async function get(loader: (args: LoaderFunctionArgs) => Promise<unknown>, path: string, cookie: string, params: Record<string, string> = {}) {
  return withRequestContext(async () => {
    try {
      const result = await loader({
        request: new Request(`http://localhost${path}`, { headers: { Cookie: cookie } }),
        params,
        context: { cspNonce: "test", clientIp: "127.0.0.1" },
      });
      return result instanceof Response ? result : Response.json(result);
    } catch (thrown) {
      if (thrown instanceof Response) return thrown;
      throw thrown;
    }
  });
}

const post = (
  action: (args: ActionFunctionArgs) => Promise<unknown>,
  path: string,
  cookie: string,
  fields: Record<string, string>,
  params: Record<string, string> = {},
) => postForm(action, { path, params, cookie, fields });

let hour = 8;
/** An open slot of `owner` three days ahead, each at its own hour. */
async function makeSlot(owner: IUser = coach, date = day(3)) {
  const result = await createSlot(await forkEm(), {
    actor: { id: owner.id, role: owner.role },
    classTypeId: massage.id,
    date,
    startTime: `${String(hour++).padStart(2, "0")}:00`,
    durationMins: 45,
  });
  if (!result.ok) throw new Error(JSON.stringify(result));
  return result.slot;
}

async function massageClient() {
  const member = await createMember(await forkEm(), { type: "PACK", totalSessions: 3, classTypes: [massage] }, { startDate: day(-1) });
  return { ...member, cookie: await signedInCookie(member.user) };
}

const remaining = async (membershipId: number) => (await (await forkEm()).findOneOrFail(UserMembership, membershipId)).sessionsRemaining;

describe("the coach offers slots", () => {
  it("one slot: 303 to its page; a bad form 400 with the field messages and what was typed", async () => {
    const fields = { intent: "single", classTypeId: String(massage.id), date: day(5), startTime: "07:15", durationMins: "45", location: "Room 2", notes: "" };
    const created = await post(newAction, "/coach/appointments/new", cookies.coach, fields);
    expect(created.status).toBe(303);
    const slot = await (await forkEm()).findOneOrFail(AppointmentSlot, { coach: coach.id, location: "Room 2" });
    expect(created.headers.get("Location")).toBe(`/coach/appointments/${slot.id}`);

    const clash = await post(newAction, "/coach/appointments/new", cookies.coach, { ...fields, startTime: "07:30" });
    expect(clash.status).toBe(400);
    expect(await clash.json()).toMatchObject({
      intent: "single",
      fieldErrors: { startTime: [expect.stringMatching(/^This overlaps an open slot/)] },
      values: { startTime: "07:30" },
    });

    const bad = await post(newAction, "/coach/appointments/new", cookies.coach, { ...fields, classTypeId: "abc", durationMins: "2", date: "2026-02-30" });
    expect(bad.status).toBe(400);
    expect(Object.keys((await bad.json()).fieldErrors).sort()).toEqual(["classTypeId", "date", "durationMins"]);
    expect((await post(newAction, "/coach/appointments/new", cookies.coach, { intent: "nope" })).status).toBe(400);
  });

  it("several slots: 303 to the list, the flash saying how many", async () => {
    const fields = {
      intent: "series",
      classTypeId: String(massage.id),
      date: day(6),
      from: "13:00",
      to: "15:00",
      lengthMins: "50",
      gapMins: "10",
      location: "",
      notes: "",
    };
    const response = await post(newAction, "/coach/appointments/new", cookies.otherCoach, fields);
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toBe("/coach/appointments");
    expect(await (await forkEm()).count(AppointmentSlot, { coach: otherCoach.id, location: null })).toBe(2);
    const again = await post(newAction, "/coach/appointments/new", cookies.otherCoach, fields);
    expect(again.status).toBe(303);
    expect(await (await forkEm()).count(AppointmentSlot, { coach: otherCoach.id, location: null })).toBe(2);
    const list = await loaderData<{ upcoming: { state: string }[] }>(coachListLoader, { path: "/coach/appointments", cookie: cookies.otherCoach });
    expect(list.upcoming.map((s) => s.state)).toEqual(["OPEN", "OPEN"]);
  });

  it("a client may not offer slots (403)", async () => {
    const { cookie } = await massageClient();
    expect((await post(newAction, "/coach/appointments/new", cookie, { intent: "single" })).status).toBe(403);
  });
});

describe("the client books and cancels", () => {
  it("books (303 to the appointment), sees it on the list and the calendar, and cancels early (refunded)", async () => {
    const slot = await makeSlot();
    const { user, membership, cookie } = await massageClient();
    const list = await loaderData<{ days: { slots: { slotId: number; refusal: string | null }[] }[] }>(clientListLoader, {
      path: "/client/appointments",
      cookie,
    });
    expect(list.days.flatMap((d) => d.slots).find((s) => s.slotId === slot.id)).toMatchObject({ refusal: null });

    const booked = await post(clientListAction, "/client/appointments", cookie, { intent: "book", slotId: String(slot.id) });
    expect(booked.status).toBe(303);
    const booking = await (await forkEm()).findOneOrFail(AppointmentBooking, { slot: slot.id, client: user.id });
    expect(booked.headers.get("Location")).toBe(`/client/appointments/${booking.id}`);
    expect(await remaining(membership.id)).toBe(2);

    const detail = await loaderData<{ appointment: { status: string; canCancel: boolean; lateCancel: boolean } }>(clientDetailLoader, {
      path: `/client/appointments/${booking.id}`,
      params: { id: String(booking.id) },
      cookie,
    });
    expect(detail.appointment).toMatchObject({ status: "BOOKED", canCancel: true, lateCancel: false });
    const calendar = await loaderData<{ appointments: { bookingId: number }[] }>(clientCalendarLoader, {
      path: `/client/sessions/calendar?date=${day(3)}`,
      cookie,
    });
    expect(calendar.appointments.map((a) => a.bookingId)).toEqual([booking.id]);
    const coachCalendar = await loaderData<{ days: { appointments: { slotId: number; clientName: string | null }[] }[] }>(coachCalendarLoader, {
      path: `/coach/sessions/calendar?view=day&date=${day(3)}&coach=${coach.id}`,
      cookie: cookies.coach,
    });
    expect(coachCalendar.days[0].appointments).toContainEqual(expect.objectContaining({ slotId: slot.id, clientName: user.name }));

    const cancelled = await post(clientDetailAction, `/client/appointments/${booking.id}`, cookie, { intent: "cancel" }, { id: String(booking.id) });
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("Location")).toBe("/client/appointments");
    expect(await remaining(membership.id)).toBe(3);
  });

  it("without a suitable membership: 400 with the message, nothing booked", async () => {
    const slot = await makeSlot();
    const nobody = await createUser(await forkEm());
    const response = await post(clientListAction, "/client/appointments", await signedInCookie(nobody), { intent: "book", slotId: String(slot.id) });
    expect(response.status).toBe(400);
    expect((await response.json()).formError).toBe(`You need a membership that includes ${massage.name} to book this appointment. See the plans.`);
    expect(await (await forkEm()).count(AppointmentBooking, { slot: slot.id })).toBe(0);
  });

  it("bad input answers 400 or 404, never 500", async () => {
    const { cookie } = await massageClient();
    expect((await post(clientListAction, "/client/appointments", cookie, { intent: "book", slotId: "abc" })).status).toBe(400);
    expect((await post(clientListAction, "/client/appointments", cookie, { intent: "book", slotId: "99999999999" })).status).toBe(400);
    expect((await post(clientListAction, "/client/appointments", cookie, { intent: "book", slotId: "2000000000" })).status).toBe(400);
    expect((await post(clientListAction, "/client/appointments", cookie, { intent: "other" })).status).toBe(400);
    expect((await get(clientDetailLoader, "/client/appointments/abc", cookie, { id: "abc" })).status).toBe(404);
    expect((await get(clientDetailLoader, "/client/appointments/99999999999", cookie, { id: "99999999999" })).status).toBe(404);
    expect((await post(clientDetailAction, "/client/appointments/1", cookie, { intent: "nope" }, { id: "1" })).status).toBe(400);
    expect((await get(slotLoader, "/coach/appointments/abc", cookies.coach, { id: "abc" })).status).toBe(404);
    expect((await get(slotLoader, "/coach/appointments/2000000000", cookies.coach, { id: "2000000000" })).status).toBe(404);
    // The list's filters ignore what is not an id.
    expect((await get(clientListLoader, "/client/appointments?coach=abc&type=-1", cookie)).status).toBe(200);
  });

  it("a client cannot see or cancel another client's appointment (404)", async () => {
    const slot = await makeSlot();
    const owner = await massageClient();
    const stranger = await massageClient();
    await post(clientListAction, "/client/appointments", owner.cookie, { intent: "book", slotId: String(slot.id) });
    const booking = await (await forkEm()).findOneOrFail(AppointmentBooking, { slot: slot.id });
    const params = { id: String(booking.id) };
    expect((await get(clientDetailLoader, `/client/appointments/${booking.id}`, stranger.cookie, params)).status).toBe(404);
    expect((await post(clientDetailAction, `/client/appointments/${booking.id}`, stranger.cookie, { intent: "cancel" }, params)).status).toBe(404);
    expect(await (await forkEm()).findOneOrFail(AppointmentBooking, booking.id)).toMatchObject({ status: "BOOKED" });
  });
});

describe("the coach manages a slot", () => {
  it("another coach gets 403 on its page and its actions; an admin may cancel it (303), the client's pack refunded", async () => {
    const slot = await makeSlot();
    const { membership, cookie } = await massageClient();
    await post(clientListAction, "/client/appointments", cookie, { intent: "book", slotId: String(slot.id) });
    expect(await remaining(membership.id)).toBe(2);
    const path = `/coach/appointments/${slot.id}`;
    const params = { id: String(slot.id) };
    expect((await get(slotLoader, path, cookies.coach, params)).status).toBe(200);
    expect((await get(slotLoader, path, cookies.otherCoach, params)).status).toBe(403);
    expect((await get(slotLoader, path, cookie, params)).status).toBe(403);
    for (const intent of ["cancel-slot", "cancel-booking", "attendance"]) {
      expect((await post(slotAction, path, cookies.otherCoach, { intent, attendance: "ATTENDED" }, params)).status, intent).toBe(403);
    }
    expect((await post(slotAction, path, cookies.coach, { intent: "attendance", attendance: "ATTENDED" }, params)).status).toBe(400);
    expect((await post(slotAction, path, cookies.coach, { intent: "attendance", attendance: "MAYBE" }, params)).status).toBe(400);
    expect((await post(slotAction, path, cookies.coach, { intent: "nope" }, params)).status).toBe(400);

    const cancelled = await post(slotAction, path, cookies.admin, { intent: "cancel-slot", reason: "Room flooded" }, params);
    expect(cancelled.status).toBe(303);
    expect(cancelled.headers.get("Location")).toBe(path);
    expect(await remaining(membership.id)).toBe(3);
    const view = await loaderData<{ slot: { status: string; state: string; canCancel: boolean; history: { byStudio: boolean }[] } }>(slotLoader, {
      path,
      params,
      cookie: cookies.coach,
    });
    expect(view.slot).toMatchObject({ status: "CANCELLED", state: "CANCELLED", canCancel: false, history: [{ byStudio: true }] });
  });
});

describe("the calendars show appointments only while the area is switched on", () => {
  it("client and coach calendars leave them out when it is off", async () => {
    const slot = await makeSlot(coach, day(4));
    const { cookie } = await massageClient();
    await post(clientListAction, "/client/appointments", cookie, { intent: "book", slotId: String(slot.id) });
    const clientPath = `/client/sessions/calendar?date=${day(4)}`;
    const coachPath = `/coach/sessions/calendar?view=day&date=${day(4)}&coach=${coach.id}`;
    expect((await loaderData<{ appointments: unknown[] }>(clientCalendarLoader, { path: clientPath, cookie })).appointments).toHaveLength(1);
    await updateSettings(await forkEm(), { "features.appointments.enabled": false });
    try {
      expect((await loaderData<{ appointments: unknown[] }>(clientCalendarLoader, { path: clientPath, cookie })).appointments).toEqual([]);
      const coachDay = await loaderData<{ days: { appointments: unknown[] }[] }>(coachCalendarLoader, { path: coachPath, cookie: cookies.coach });
      expect(coachDay.days[0].appointments).toEqual([]);
    } finally {
      await updateSettings(await forkEm(), { "features.appointments.enabled": true });
    }
    const coachDay = await loaderData<{ days: { appointments: { slotId: number }[] }[] }>(coachCalendarLoader, { path: coachPath, cookie: cookies.coach });
    expect(coachDay.days[0].appointments.map((a) => a.slotId)).toContain(slot.id);
  });
});
