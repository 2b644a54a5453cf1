import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  assignCoaches,
  effectiveStatus,
  attendanceWindow,
  expandRecurrence,
  isAttendanceEditable,
  isValidHexColor,
  registrationWindow,
  validateSessionTimes,
} from "~/modules/sessions/sessions.rules";
import type { RecurrencePattern } from "~/modules/sessions/sessions.rules";
import { addDays, localTimeOf, minutesBetween, toInstant, weekdayOf } from "~/utils/time";

const LONDON = "Europe/London";
const utc = (iso: string) => new Date(iso);
const MWF_06_30: RecurrencePattern = { weekdays: [1, 3, 5], times: ["06:30"], from: "2026-01-05", to: "2026-06-30" };

describe("expandRecurrence", () => {
  it("counts Mon/Wed/Fri from 5 January to 30 June 2026", () => {
    // By hand: Jan 12, Feb 12, Mar 13, Apr 13, May 13, Jun 13 (30 June is a Tuesday).
    const sessions = expandRecurrence(MWF_06_30, LONDON, 45);
    expect(sessions).toHaveLength(76);
    expect(sessions[0].date).toBe("2026-01-05");
    expect(sessions.at(-1)?.date).toBe("2026-06-29");
    const perMonth: Record<string, number> = {};
    for (const s of sessions) perMonth[s.date.slice(0, 7)] = (perMonth[s.date.slice(0, 7)] ?? 0) + 1;
    expect(perMonth).toEqual({ "2026-01": 12, "2026-02": 12, "2026-03": 13, "2026-04": 13, "2026-05": 13, "2026-06": 13 });
  });

  it("keeps 06:30 on the London wall clock either side of the spring clock change", () => {
    const sessions = expandRecurrence(MWF_06_30, LONDON, 45);
    for (const s of sessions) {
      expect(s.time).toBe("06:30");
      expect(localTimeOf(s.start, LONDON)).toBe("06:30");
      expect([1, 3, 5]).toContain(weekdayOf(s.date));
      expect(minutesBetween(s.start, s.end)).toBe(45);
    }
    const byDate = new Map(sessions.map((s) => [s.date, s]));
    expect(byDate.get("2026-03-27")?.start).toEqual(utc("2026-03-27T06:30:00Z"));
    expect(byDate.get("2026-03-30")?.start).toEqual(utc("2026-03-30T05:30:00Z"));
    expect(byDate.get("2026-01-05")?.start).toEqual(utc("2026-01-05T06:30:00Z"));
    expect(byDate.get("2026-06-29")?.start).toEqual(utc("2026-06-29T05:30:00Z"));
  });

  it("keeps 06:30 on the wall clock across the autumn clock change", () => {
    const sessions = expandRecurrence({ weekdays: [1, 5], times: ["06:30"], from: "2026-10-19", to: "2026-10-30" }, LONDON, 60);
    expect(sessions.map((s) => s.date)).toEqual(["2026-10-19", "2026-10-23", "2026-10-26", "2026-10-30"]);
    expect(sessions.map((s) => s.start.toISOString())).toEqual([
      "2026-10-19T05:30:00.000Z",
      "2026-10-23T05:30:00.000Z",
      "2026-10-26T06:30:00.000Z",
      "2026-10-30T06:30:00.000Z",
    ]);
  });

  it("sorts several times a day by start", () => {
    const sessions = expandRecurrence({ weekdays: [2, 4], times: ["18:00", "06:30", "12:15"], from: "2026-01-05", to: "2026-01-11" }, LONDON, 30);
    expect(sessions.map((s) => `${s.date} ${s.time}`)).toEqual([
      "2026-01-06 06:30",
      "2026-01-06 12:15",
      "2026-01-06 18:00",
      "2026-01-08 06:30",
      "2026-01-08 12:15",
      "2026-01-08 18:00",
    ]);
  });

  it("ignores duplicate weekdays and times", () => {
    const deduped = expandRecurrence(MWF_06_30, LONDON, 45);
    const duplicated = expandRecurrence({ ...MWF_06_30, weekdays: [5, 1, 3, 1, 5], times: ["06:30", "06:30"] }, LONDON, 45);
    expect(duplicated).toEqual(deduped);
  });

  it("includes both ends of the range", () => {
    const sessions = expandRecurrence({ weekdays: [1], times: ["09:00"], from: "2026-01-05", to: "2026-01-12" }, LONDON, 60);
    expect(sessions.map((s) => s.date)).toEqual(["2026-01-05", "2026-01-12"]);
    expect(expandRecurrence({ weekdays: [1], times: ["09:00"], from: "2026-01-05", to: "2026-01-05" }, LONDON, 60)).toHaveLength(1);
  });

  it("returns nothing when no weekday or time is chosen", () => {
    expect(expandRecurrence({ ...MWF_06_30, weekdays: [] }, LONDON, 45)).toEqual([]);
    expect(expandRecurrence({ ...MWF_06_30, times: [] }, LONDON, 45)).toEqual([]);
  });

  it("measures the duration in elapsed time, and moves a time in the spring gap later", () => {
    const [late] = expandRecurrence({ weekdays: [7], times: ["00:30"], from: "2026-03-29", to: "2026-03-29" }, LONDON, 120);
    expect(late.start).toEqual(utc("2026-03-29T00:30:00Z"));
    expect(late.end).toEqual(utc("2026-03-29T02:30:00Z")); // 03:30 BST
    const [gap] = expandRecurrence({ weekdays: [7], times: ["01:30"], from: "2026-03-29", to: "2026-03-29" }, LONDON, 60);
    expect(gap).toMatchObject({ date: "2026-03-29", time: "02:30", start: utc("2026-03-29T01:30:00Z") });
  });

  it("allows a range of up to 366 days", () => {
    const leapYear = expandRecurrence({ weekdays: [1], times: ["09:00"], from: "2024-01-01", to: "2024-12-31" }, LONDON, 60);
    expect(leapYear).toHaveLength(53); // 1 January and 30 December 2024 are both Mondays
    expect(expandRecurrence({ weekdays: [4], times: ["09:00"], from: "2026-01-01", to: "2027-01-01" }, LONDON, 60)).toHaveLength(53);
  });

  it("throws a RangeError for a backwards, too long or malformed pattern", () => {
    const base = { weekdays: [1], times: ["09:00"] };
    expect(() => expandRecurrence({ ...base, from: "2026-01-06", to: "2026-01-05" }, LONDON, 60)).toThrow(RangeError);
    expect(() => expandRecurrence({ ...base, from: "2026-01-01", to: "2027-01-02" }, LONDON, 60)).toThrow(RangeError);
    expect(() => expandRecurrence({ ...base, from: "2026-01-01", to: "2126-01-01" }, LONDON, 60)).toThrow(/366/);
    expect(() => expandRecurrence({ ...base, from: "2026-02-30", to: "2026-03-05" }, LONDON, 60)).toThrow(RangeError);
    expect(() => expandRecurrence({ ...base, weekdays: [0], from: "2026-01-05", to: "2026-01-11" }, LONDON, 60)).toThrow(RangeError);
    expect(() => expandRecurrence({ ...base, weekdays: [8], from: "2026-01-05", to: "2026-01-11" }, LONDON, 60)).toThrow(RangeError);
    expect(() => expandRecurrence({ ...base, times: ["6:30"], from: "2026-01-05", to: "2026-01-11" }, LONDON, 60)).toThrow(RangeError);
    expect(() => expandRecurrence({ ...base, from: "2026-01-05", to: "2026-01-11" }, LONDON, 0)).toThrow(RangeError);
  });

  it("always lands on a chosen weekday at the chosen London time (property)", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        fc.integer({ min: 0, max: 365 * 3 }),
        fc.integer({ min: 0, max: 60 }),
        fc.integer({ min: 4, max: 22 }), // hours that always exist in London
        fc.constantFrom(0, 15, 30, 45),
        (weekdays, offset, length, hour, minute) => {
          const from = addDays("2025-01-01", offset);
          const time = `${String(hour).padStart(2, "0")}:${String(minute).padStart(2, "0")}`;
          const sessions = expandRecurrence({ weekdays, times: [time], from, to: addDays(from, length) }, LONDON, 50);
          for (const s of sessions) {
            expect(weekdays).toContain(weekdayOf(s.date));
            expect(localTimeOf(s.start, LONDON)).toBe(time);
            expect(s.start).toEqual(toInstant(s.date, time, LONDON));
          }
          for (let i = 1; i < sessions.length; i++) expect(sessions[i].start > sessions[i - 1].start).toBe(true);
        },
      ),
    );
  });
});

describe("effectiveStatus", () => {
  const now = utc("2026-03-30T12:00:00Z");

  it("keeps a scheduled session scheduled until it ends", () => {
    expect(effectiveStatus({ status: "SCHEDULED", endTime: utc("2026-03-30T12:00:01Z") }, now)).toBe("SCHEDULED");
  });

  it("treats a scheduled session as completed at or after its end", () => {
    expect(effectiveStatus({ status: "SCHEDULED", endTime: now }, now)).toBe("COMPLETED");
    expect(effectiveStatus({ status: "SCHEDULED", endTime: utc("2026-03-29T12:00:00Z") }, now)).toBe("COMPLETED");
  });

  it("keeps cancelled sessions cancelled and otherwise returns what is stored", () => {
    expect(effectiveStatus({ status: "CANCELLED", endTime: utc("2026-03-29T12:00:00Z") }, now)).toBe("CANCELLED");
    expect(effectiveStatus({ status: "CANCELLED", endTime: utc("2026-03-31T12:00:00Z") }, now)).toBe("CANCELLED");
    expect(effectiveStatus({ status: "COMPLETED", endTime: utc("2026-03-29T12:00:00Z") }, now)).toBe("COMPLETED");
    expect(effectiveStatus({ status: "COMPLETED", endTime: utc("2026-03-31T12:00:00Z") }, now)).toBe("COMPLETED");
  });
});

describe("registrationWindow", () => {
  it("opens in local calendar days across the spring clock change", () => {
    // 06:30 BST on 30 March is 05:30Z; 14 days earlier is 06:30 GMT on 16 March, i.e. 06:30Z (not 05:30Z).
    const window = registrationWindow(
      { startTime: toInstant("2026-03-30", "06:30", LONDON), bookingOpensDaysBefore: 14, bookingClosesMinutesBefore: 60 },
      LONDON,
    );
    expect(window.opensAt).toEqual(utc("2026-03-16T06:30:00Z"));
    expect(window.closesAt).toEqual(utc("2026-03-30T04:30:00Z"));
  });

  it("opens in local calendar days across the autumn clock change", () => {
    const window = registrationWindow(
      { startTime: toInstant("2026-10-26", "06:30", LONDON), bookingOpensDaysBefore: 7, bookingClosesMinutesBefore: 30 },
      LONDON,
    );
    expect(window.opensAt).toEqual(utc("2026-10-19T05:30:00Z")); // 06:30 BST
    expect(window.closesAt).toEqual(utc("2026-10-26T06:00:00Z"));
  });

  it("opens and closes at the start when both offsets are zero", () => {
    const startTime = utc("2026-01-05T06:30:00Z");
    expect(registrationWindow({ startTime, bookingOpensDaysBefore: 0, bookingClosesMinutesBefore: 0 }, LONDON)).toEqual({
      opensAt: startTime,
      closesAt: startTime,
    });
  });
});

describe("isAttendanceEditable", () => {
  const session = { startTime: toInstant("2026-03-30", "18:00", LONDON), endTime: toInstant("2026-03-30", "19:00", LONDON) };

  it("with 0 days: opens at the start and stays open until local midnight after the end", () => {
    expect(isAttendanceEditable(session, LONDON, utc("2026-03-30T16:59:59Z"), 0)).toBe(false);
    expect(isAttendanceEditable(session, LONDON, session.startTime, 0)).toBe(true);
    expect(isAttendanceEditable(session, LONDON, session.endTime, 0)).toBe(true);
    expect(isAttendanceEditable(session, LONDON, utc("2026-03-30T22:59:59Z"), 0)).toBe(true); // 23:59:59 BST
    expect(isAttendanceEditable(session, LONDON, utc("2026-03-30T23:00:00Z"), 0)).toBe(false); // midnight BST
    expect(isAttendanceEditable(session, LONDON, utc("2026-03-31T10:00:00Z"), 0)).toBe(false);
  });

  it("uses GMT midnight in the winter", () => {
    const winter = { startTime: utc("2026-01-05T18:00:00Z"), endTime: utc("2026-01-05T19:00:00Z") };
    expect(isAttendanceEditable(winter, LONDON, utc("2026-01-05T23:59:59Z"), 0)).toBe(true);
    expect(isAttendanceEditable(winter, LONDON, utc("2026-01-06T00:00:00Z"), 0)).toBe(false);
  });

  it("follows the day the session ends on when it runs past midnight", () => {
    const late = { startTime: toInstant("2026-01-05", "23:30", LONDON), endTime: toInstant("2026-01-06", "00:30", LONDON) };
    expect(isAttendanceEditable(late, LONDON, utc("2026-01-06T23:59:00Z"), 0)).toBe(true);
    expect(isAttendanceEditable(late, LONDON, utc("2026-01-07T00:00:00Z"), 0)).toBe(false);
  });

  it("stays open for the studio's number of days after the class day, to local midnight", () => {
    // Monday 30 March 2026 (BST) + 7 days: open until Monday 6 April 24:00 BST = 23:00 UTC.
    expect(isAttendanceEditable(session, LONDON, utc("2026-03-31T10:00:00Z"), 7)).toBe(true);
    expect(isAttendanceEditable(session, LONDON, utc("2026-04-06T22:59:59Z"), 7)).toBe(true);
    expect(isAttendanceEditable(session, LONDON, utc("2026-04-06T23:00:00Z"), 7)).toBe(false);
    expect(isAttendanceEditable(session, LONDON, utc("2026-03-30T16:59:59Z"), 7)).toBe(false);
    expect(attendanceWindow(session, LONDON, 7)).toEqual({ opensAt: session.startTime, lastDay: "2026-04-06", closesAt: utc("2026-04-06T23:00:00Z") });
  });

  it("counts the days in the studio's calendar across the change to summer time", () => {
    // Wednesday 25 March 2026 (GMT) + 7 days = Wednesday 1 April (BST): closes at 23:00 UTC, not midnight UTC.
    const winter = { startTime: utc("2026-03-25T18:00:00Z"), endTime: utc("2026-03-25T19:00:00Z") };
    expect(attendanceWindow(winter, LONDON, 7)).toMatchObject({ lastDay: "2026-04-01", closesAt: utc("2026-04-01T23:00:00Z") });
    expect(attendanceWindow(winter, LONDON, 0)).toMatchObject({ lastDay: "2026-03-25", closesAt: utc("2026-03-26T00:00:00Z") });
  });
});

describe("validateSessionTimes", () => {
  const now = utc("2026-01-05T12:00:00Z");
  const start = utc("2026-01-06T06:30:00Z");
  const end = utc("2026-01-06T07:15:00Z");

  it("accepts a valid session", () => {
    expect(validateSessionTimes({ start, end, capacity: 12 }, now)).toEqual({});
    expect(validateSessionTimes({ start: now, end, capacity: 1 }, now)).toEqual({});
    expect(validateSessionTimes({ start, end, capacity: 200 }, now)).toEqual({});
  });

  it("needs a start in the future", () => {
    expect(validateSessionTimes({ start: utc("2026-01-05T11:59:00Z"), end, capacity: 12 }, now)).toEqual({ startTime: "Choose a start time in the future." });
  });

  it("needs the end after the start", () => {
    expect(validateSessionTimes({ start, end: start, capacity: 12 }, now)).toEqual({ endTime: "The end must be after the start." });
    expect(validateSessionTimes({ start, end: utc("2026-01-06T06:00:00Z"), capacity: 12 }, now)).toEqual({ endTime: "The end must be after the start." });
  });

  it("needs a capacity from 1 to 200", () => {
    expect(validateSessionTimes({ start, end, capacity: 0 }, now)).toEqual({ maxOccupancy: "Capacity must be at least 1." });
    expect(validateSessionTimes({ start, end, capacity: -3 }, now)).toEqual({ maxOccupancy: "Capacity must be at least 1." });
    expect(validateSessionTimes({ start, end, capacity: Number.NaN }, now)).toEqual({ maxOccupancy: "Capacity must be at least 1." });
    expect(validateSessionTimes({ start, end, capacity: 201 }, now)).toEqual({ maxOccupancy: "Capacity must be at most 200." });
  });

  it("reports every problem at once, and rejects invalid dates", () => {
    expect(validateSessionTimes({ start: utc("2026-01-01T10:00:00Z"), end: utc("2026-01-01T09:00:00Z"), capacity: 500 }, now)).toEqual({
      startTime: "Choose a start time in the future.",
      endTime: "The end must be after the start.",
      maxOccupancy: "Capacity must be at most 200.",
    });
    expect(validateSessionTimes({ start: new Date(Number.NaN), end: new Date(Number.NaN), capacity: 5 }, now)).toEqual({
      startTime: "Choose a start time in the future.",
      endTime: "The end must be after the start.",
    });
  });
});

describe("assignCoaches", () => {
  const count = (ids: string[]) => ids.reduce<Record<string, number>>((acc, id) => ({ ...acc, [id]: (acc[id] ?? 0) + 1 }), {});
  const weights = [
    { coachId: "a", weight: 760 },
    { coachId: "b", weight: 310 },
    { coachId: "c", weight: 103 },
    { coachId: "d", weight: 6 },
  ];

  it("gives each coach slots in proportion to their weight", () => {
    const slots = assignCoaches(1196, weights);
    expect(slots).toHaveLength(1196);
    const counts = count(slots);
    for (const { coachId, weight } of weights) {
      const share = (1196 * weight) / 1179;
      expect(Math.abs(counts[coachId] - share), coachId).toBeLessThan(1);
    }
    expect(counts).toEqual({ a: 771, b: 314, c: 105, d: 6 });
  });

  it("is exact over one full cycle of the total weight", () => {
    expect(count(assignCoaches(1179, weights))).toEqual({ a: 760, b: 310, c: 103, d: 6 });
  });

  it("is deterministic", () => {
    expect(assignCoaches(500, weights)).toEqual(assignCoaches(500, weights));
  });

  it("spreads turns smoothly like nginx", () => {
    const abc = [
      { coachId: "a", weight: 5 },
      { coachId: "b", weight: 1 },
      { coachId: "c", weight: 1 },
    ];
    expect(assignCoaches(7, abc).join("")).toBe("aabacaa");
    expect(
      assignCoaches(6, [
        { coachId: 1, weight: 1 },
        { coachId: 2, weight: 1 },
        { coachId: 3, weight: 1 },
      ]),
    ).toEqual([1, 2, 3, 1, 2, 3]);
  });

  it("never picks a coach with zero weight", () => {
    const slots = assignCoaches(100, [
      { coachId: "zero", weight: 0 },
      { coachId: "x", weight: 2 },
      { coachId: "y", weight: 1 },
    ]);
    expect(slots).not.toContain("zero");
    expect(count(slots)).toEqual({ x: 67, y: 33 });
  });

  it("handles empty requests and rejects impossible ones", () => {
    expect(assignCoaches(0, weights)).toEqual([]);
    expect(assignCoaches(0, [])).toEqual([]);
    expect(() => assignCoaches(3, [])).toThrow(RangeError);
    expect(() => assignCoaches(3, [{ coachId: "a", weight: 0 }])).toThrow(RangeError);
    expect(() => assignCoaches(3, [{ coachId: "a", weight: -1 }])).toThrow(RangeError);
    expect(() => assignCoaches(-1, weights)).toThrow(RangeError);
    expect(() => assignCoaches(1.5, weights)).toThrow(RangeError);
  });
});

describe("isValidHexColor", () => {
  it("accepts #RGB and #RRGGBB in any case", () => {
    for (const s of ["#fff", "#FFF", "#1a2B3c", "#000000", "#C0FFEE"]) expect(isValidHexColor(s), s).toBe(true);
  });

  it("rejects anything else", () => {
    for (const s of ["", "fff", "#", "#ff", "#ffff", "#12345", "#1234567", "#ggg", " #fff", "#fff ", "#ffffff00", "red"]) {
      expect(isValidHexColor(s), s).toBe(false);
    }
  });
});
