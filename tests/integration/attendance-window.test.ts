// Coaches mark and correct attendance for a studio-set number of days after the class day (issue 10).
import { afterEach, describe, expect, it } from "vitest";
import { SessionRegistration } from "~/modules/booking/booking.entities.server";
import { getSessionDetail } from "~/modules/sessions/session-views.server";
import { markAttendance } from "~/modules/sessions/scheduling.service.server";
import { DEFAULT_SETTINGS } from "~/modules/settings/settings.rules";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { toInstant } from "~/utils/time";
import { forkEm } from "../support/db";
import { createRegistration, createSession, createUser } from "../support/factories";

const ZONE = "Europe/London";

afterEach(async () => {
  await updateSettings(await forkEm(), { attendanceEditDays: DEFAULT_SETTINGS.attendanceEditDays });
});

/** A session on Wednesday 6 May 2026, 18:00–19:00 BST, with one booked client. */
async function bookedSession(minute: number) {
  const em = await forkEm();
  const coach = await createUser(em, { role: "COACH" });
  const client = await createUser(em);
  const session = await createSession(em, { coach, start: toInstant("2026-05-06", `18:${String(minute).padStart(2, "0")}`, ZONE), durationMins: 60 });
  const registration = await createRegistration(em, { session, user: client });
  return { session, registration };
}

async function statusOf(registration: { id: number }) {
  return (await (await forkEm()).findOneOrFail(SessionRegistration, registration.id)).status;
}

describe("the attendance window", () => {
  it("by default lets the coach mark and correct attendance until the end of the 7th day after the class", async () => {
    const { session, registration } = await bookedSession(1);
    const nextDay = new Date("2026-05-07T09:00:00Z");
    const lastMinute = new Date("2026-05-13T22:59:59Z"); // Wednesday 13 May, 23:59:59 BST
    const closed = new Date("2026-05-13T23:00:00Z");
    expect(await markAttendance(await forkEm(), { sessionId: session.id, registrationId: registration.id, attendance: "NO_SHOW" }, nextDay)).toEqual({
      ok: true,
    });
    // Corrected a week later.
    expect(await markAttendance(await forkEm(), { sessionId: session.id, registrationId: registration.id, attendance: "ATTENDED" }, lastMinute)).toEqual({
      ok: true,
    });
    expect(await statusOf(registration)).toBe("ATTENDED");
    expect(await markAttendance(await forkEm(), { sessionId: session.id, registrationId: registration.id, attendance: "NO_SHOW" }, closed)).toEqual({
      ok: false,
      fieldErrors: {},
      formError: "Attendance can be marked from the start of the session until the end of Wed 13 May 2026.",
    });
    expect(await statusOf(registration)).toBe("ATTENDED");

    expect(await getSessionDetail(await forkEm(), session.id, lastMinute)).toMatchObject({
      attendanceEditable: true,
      attendanceEditableUntil: "Wed 13 May 2026",
    });
    expect(await getSessionDetail(await forkEm(), session.id, closed)).toMatchObject({ attendanceEditable: false, attendanceEditableUntil: "Wed 13 May 2026" });
  });

  it("follows the studio setting: 0 is the class day only", async () => {
    const { session, registration } = await bookedSession(2);
    await updateSettings(await forkEm(), { attendanceEditDays: 0 });
    const midnight = new Date("2026-05-06T23:00:00Z");
    expect(await markAttendance(await forkEm(), { sessionId: session.id, registrationId: registration.id, attendance: "ATTENDED" }, midnight)).toEqual({
      ok: false,
      fieldErrors: {},
      formError: "Attendance can be marked from the start of the session until the end of Wed 6 May 2026.",
    });
    expect(await getSessionDetail(await forkEm(), session.id, midnight)).toMatchObject({
      attendanceEditable: false,
      attendanceEditableUntil: "Wed 6 May 2026",
    });
    await updateSettings(await forkEm(), { attendanceEditDays: 2 });
    expect(await markAttendance(await forkEm(), { sessionId: session.id, registrationId: registration.id, attendance: "ATTENDED" }, midnight)).toEqual({
      ok: true,
    });
  });
});
