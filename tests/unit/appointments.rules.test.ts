import { describe, expect, it } from "vitest";
import {
  chooseAppointmentMembership,
  clientCancelOutcome,
  freeCancelUntil,
  mayManageSlot,
  overlaps,
  seriesSlots,
  slotRefusal,
  slotState,
  MAX_SERIES_SLOTS,
} from "~/modules/appointments/appointments.rules";
import type { BookingCandidate } from "~/modules/booking/booking.rules";

const MASSAGE = { classTypeId: 7, classTypeName: "Sports Massage", date: "2026-03-12" };

function candidate(fields: Partial<BookingCandidate> = {}): BookingCandidate {
  return {
    id: 1,
    planName: "3 Pack Sports Massages",
    planType: "PACK",
    status: "ACTIVE",
    startDate: "2026-03-01",
    endDate: null,
    sessionsPerWeek: null,
    sessionsRemaining: 3,
    allowedClassTypeIds: [7],
    usedThisWeek: 0,
    ...fields,
  };
}

describe("chooseAppointmentMembership (who may book)", () => {
  it("books with a pack that allows the class type", () => {
    expect(chooseAppointmentMembership([candidate()], MASSAGE)).toEqual({ ok: true, membershipId: 1, planType: "PACK" });
  });

  it("books with a plan without allowances (every class type)", () => {
    expect(chooseAppointmentMembership([candidate({ allowedClassTypeIds: [] })], MASSAGE)).toMatchObject({ ok: true, membershipId: 1 });
  });

  it("refuses without a membership, or with one limited to other class types, naming the type", () => {
    const message = "You need a membership that includes Sports Massage to book this appointment. See the plans.";
    expect(chooseAppointmentMembership([], MASSAGE)).toEqual({ ok: false, reason: "no-membership", message });
    expect(chooseAppointmentMembership([candidate({ allowedClassTypeIds: [3] })], MASSAGE)).toEqual({ ok: false, reason: "class-type-not-included", message });
  });

  it("refuses a coaching-only plan with the same message", () => {
    const coaching = candidate({ planType: "RECURRING", sessionsRemaining: null, allowedClassTypeIds: [], sessionsPerWeek: null });
    expect(chooseAppointmentMembership([coaching], MASSAGE)).toMatchObject({ ok: false, reason: "coaching-only" });
  });

  it("refuses an empty pack, a paused or ended membership, and one not yet started, with the booking rules' messages", () => {
    expect(chooseAppointmentMembership([candidate({ sessionsRemaining: 0 })], MASSAGE)).toMatchObject({ ok: false, reason: "no-sessions-left" });
    expect(chooseAppointmentMembership([candidate({ status: "PAUSED" })], MASSAGE)).toMatchObject({ ok: false, reason: "paused" });
    expect(chooseAppointmentMembership([candidate({ status: "EXPIRED" })], MASSAGE)).toMatchObject({ ok: false, reason: "expired" });
    expect(chooseAppointmentMembership([candidate({ endDate: "2026-03-11" })], MASSAGE)).toMatchObject({ ok: false, reason: "expired" });
    expect(chooseAppointmentMembership([candidate({ startDate: "2026-03-13" })], MASSAGE)).toMatchObject({ ok: false, reason: "not-started" });
  });

  it("ignores weekly limits: an appointment neither counts toward nor is refused by them", () => {
    const full = candidate({ planType: "RECURRING", sessionsRemaining: null, sessionsPerWeek: 3, usedThisWeek: 3, allowedClassTypeIds: [] });
    expect(chooseAppointmentMembership([full], MASSAGE)).toMatchObject({ ok: true, planType: "RECURRING" });
  });

  it("prefers recurring, then prepaid, then the pack", () => {
    const pack = candidate({ id: 1 });
    const prepaid = candidate({ id: 2, planType: "PREPAID", sessionsRemaining: null, endDate: "2026-04-01" });
    expect(chooseAppointmentMembership([pack, prepaid], MASSAGE)).toMatchObject({ ok: true, membershipId: 2 });
  });
});

describe("clientCancelOutcome (late or not)", () => {
  const start = new Date("2026-03-12T10:00:00Z");
  it("is free and refunded before the cut-off", () => {
    expect(clientCancelOutcome(start, 24, new Date("2026-03-11T09:59:59Z"))).toEqual({ status: "CANCELLED", refund: true });
  });
  it("is late and not refunded from the cut-off on", () => {
    expect(clientCancelOutcome(start, 24, new Date("2026-03-11T10:00:00Z"))).toEqual({ status: "LATE_CANCELLED", refund: false });
    expect(clientCancelOutcome(start, 2, new Date("2026-03-12T09:00:00Z"))).toEqual({ status: "LATE_CANCELLED", refund: false });
  });
  it("with a cut-off of 0 is free until the start", () => {
    expect(clientCancelOutcome(start, 0, new Date("2026-03-12T09:59:00Z"))).toEqual({ status: "CANCELLED", refund: true });
  });
  it("says until when a cancel is free", () => {
    expect(freeCancelUntil(start, 2)).toEqual(new Date("2026-03-12T08:00:00Z"));
  });
});

describe("slotRefusal", () => {
  const start = new Date("2026-03-12T10:00:00Z");
  it("refuses a cancelled slot and one that has started", () => {
    expect(slotRefusal({ status: "CANCELLED", startTime: start }, new Date("2026-03-11T10:00:00Z"))).toBe("This appointment slot has been cancelled.");
    expect(slotRefusal({ status: "OPEN", startTime: start }, start)).toBe("This appointment has already started.");
  });
  it("accepts an open slot before its start", () => {
    expect(slotRefusal({ status: "OPEN", startTime: start }, new Date("2026-03-12T09:59:00Z"))).toBeNull();
  });
});

describe("mayManageSlot", () => {
  it("lets the slot's coach and any admin manage it, not another coach or a client", () => {
    expect(mayManageSlot({ id: 5, role: "COACH" }, { coachId: 5 })).toBe(true);
    expect(mayManageSlot({ id: 9, role: "ADMIN" }, { coachId: 5 })).toBe(true);
    expect(mayManageSlot({ id: 6, role: "COACH" }, { coachId: 5 })).toBe(false);
    expect(mayManageSlot({ id: 5, role: "CLIENT" }, { coachId: 5 })).toBe(false);
  });
});

describe("overlaps", () => {
  const at = (h: number, m = 0) => new Date(Date.UTC(2026, 2, 12, h, m));
  it("overlapping ranges overlap; touching ones do not", () => {
    expect(overlaps({ start: at(10), end: at(11) }, { start: at(10, 30), end: at(11, 30) })).toBe(true);
    expect(overlaps({ start: at(10), end: at(11) }, { start: at(11), end: at(12) })).toBe(false);
    expect(overlaps({ start: at(10), end: at(12) }, { start: at(10, 15), end: at(10, 45) })).toBe(true);
  });
});

describe("seriesSlots", () => {
  const times = (slots: { start: Date; end: Date }[]) => slots.map((s) => `${s.start.toISOString().slice(11, 16)}-${s.end.toISOString().slice(11, 16)}`);

  it("fills from–to with slots of the length and the gap between, in the studio zone", () => {
    // 12 March 2026 is GMT in London.
    const slots = seriesSlots({ date: "2026-03-12", from: "09:00", to: "12:00", lengthMins: 45, gapMins: 15 }, "Europe/London");
    expect(times(slots)).toEqual(["09:00-09:45", "10:00-10:45", "11:00-11:45"]);
  });

  it("keeps only slots that end by the end time, and none when none fits", () => {
    expect(times(seriesSlots({ date: "2026-03-12", from: "09:00", to: "10:30", lengthMins: 45, gapMins: 0 }, "Europe/London"))).toEqual([
      "09:00-09:45",
      "09:45-10:30",
    ]);
    expect(seriesSlots({ date: "2026-03-12", from: "09:00", to: "09:30", lengthMins: 45, gapMins: 0 }, "Europe/London")).toEqual([]);
  });

  it("uses the summer clock after the change (BST: one hour ahead of UTC)", () => {
    expect(times(seriesSlots({ date: "2026-06-10", from: "09:00", to: "10:00", lengthMins: 30, gapMins: 0 }, "Europe/London"))).toEqual([
      "08:00-08:30",
      "08:30-09:00",
    ]);
  });

  it("stops just past the most a form may create, so the caller can refuse it", () => {
    const slots = seriesSlots({ date: "2026-03-12", from: "00:00", to: "23:59", lengthMins: 5, gapMins: 0 }, "Europe/London");
    expect(slots).toHaveLength(MAX_SERIES_SLOTS + 1);
  });
});

describe("slotState", () => {
  it("is cancelled, open, or the holding booking's state", () => {
    expect(slotState({ status: "CANCELLED" }, { status: "BOOKED" })).toBe("CANCELLED");
    expect(slotState({ status: "OPEN" }, null)).toBe("OPEN");
    expect(slotState({ status: "OPEN" }, { status: "LATE_CANCELLED" })).toBe("OPEN");
    expect(slotState({ status: "OPEN" }, { status: "BOOKED" })).toBe("BOOKED");
    expect(slotState({ status: "OPEN" }, { status: "NO_SHOW" })).toBe("NO_SHOW");
  });
});
