import { describe, expect, it } from "vitest";
import { mustGiveUp, releaseFrom, releasedPhrase } from "~/modules/booking/booking.rules";

const ZONE = "Europe/London";
/** Tuesday 10 March 2026, 12:00 in London (GMT). */
const NOW = new Date("2026-03-10T12:00:00Z");
const LATER = new Date("2026-03-12T18:00:00Z");

describe("releaseFrom: from when a changed membership can no longer cover its bookings", () => {
  it("a paused or cancelled membership covers nothing from now", () => {
    expect(releaseFrom({ status: "PAUSED", endDate: null, cancelAtPeriodEnd: false }, NOW, ZONE)).toEqual(NOW);
    expect(releaseFrom({ status: "CANCELLED", endDate: "2026-03-10", cancelAtPeriodEnd: false }, NOW, ZONE)).toEqual(NOW);
  });

  it("one cancelled at the period end covers its last day, in studio time, and nothing after", () => {
    // Summer time: the day after 31 March starts at 23:00 UTC on the 31st.
    expect(releaseFrom({ status: "ACTIVE", endDate: "2026-03-31", cancelAtPeriodEnd: true }, NOW, ZONE)).toEqual(new Date("2026-03-31T23:00:00Z"));
    expect(releaseFrom({ status: "ACTIVE", endDate: "2026-03-14", cancelAtPeriodEnd: true }, NOW, ZONE)).toEqual(new Date("2026-03-15T00:00:00Z"));
  });

  it("an active membership that is not ending releases nothing", () => {
    expect(releaseFrom({ status: "ACTIVE", endDate: null, cancelAtPeriodEnd: false }, NOW, ZONE)).toBeNull();
    expect(releaseFrom({ status: "ACTIVE", endDate: "2026-04-01", cancelAtPeriodEnd: false }, NOW, ZONE)).toBeNull();
  });
});

describe("mustGiveUp: which bookings a membership gives up", () => {
  const booking = (fields: Partial<Parameters<typeof mustGiveUp>[0]> = {}) => ({
    status: "REGISTERED" as const,
    sessionStatus: "SCHEDULED",
    startTime: LATER,
    ...fields,
  });

  it("places held and places in the queue on sessions that have not started", () => {
    expect(mustGiveUp(booking(), { from: NOW, now: NOW })).toBe(true);
    expect(mustGiveUp(booking({ status: "WAITLISTED" }), { from: NOW, now: NOW })).toBe(true);
  });

  it("never a session that has started or a cancelled session", () => {
    expect(mustGiveUp(booking({ startTime: NOW }), { from: NOW, now: NOW })).toBe(false);
    expect(mustGiveUp(booking({ startTime: new Date("2026-03-09T18:00:00Z") }), { from: NOW, now: NOW })).toBe(false);
    expect(mustGiveUp(booking({ sessionStatus: "CANCELLED" }), { from: NOW, now: NOW })).toBe(false);
  });

  it("never an attended, cancelled or late-cancelled booking", () => {
    for (const status of ["ATTENDED", "NO_SHOW", "CANCELLED", "LATE_CANCELLED"] as const) {
      expect(mustGiveUp(booking({ status }), { from: NOW, now: NOW }), status).toBe(false);
    }
  });

  it("only sessions from `from` on", () => {
    const from = new Date("2026-03-15T00:00:00Z");
    expect(mustGiveUp(booking({ startTime: new Date("2026-03-14T23:59:00Z") }), { from, now: NOW })).toBe(false);
    expect(mustGiveUp(booking({ startTime: from }), { from, now: NOW })).toBe(true);
  });
});

describe("releasedPhrase", () => {
  it("counts the classes released", () => {
    expect(releasedPhrase(1)).toBe("1 booked class was released");
    expect(releasedPhrase(2)).toBe("2 booked classes were released");
  });
});
