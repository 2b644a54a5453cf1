import { describe, expect, it } from "vitest";
import {
  addDays,
  dayRange,
  formatDate,
  formatDateTime,
  formatWhen,
  formatDayHeading,
  formatTime,
  isLocalDate,
  isLocalTime,
  localDateOf,
  localTimeOf,
  minutesBetween,
  mondayOf,
  sameTimeDaysBefore,
  todayIn,
  toInstant,
  weekdayOf,
  weekRange,
} from "~/utils/time";

const LONDON = "Europe/London";
const utc = (iso: string) => new Date(iso);
const hours = (r: { start: Date; end: Date }) => minutesBetween(r.start, r.end) / 60;

describe("isLocalDate / isLocalTime", () => {
  it("accepts real calendar dates in YYYY-MM-DD", () => {
    for (const s of ["2026-01-05", "2024-02-29", "2026-12-31", "2026-03-29"]) expect(isLocalDate(s), s).toBe(true);
  });

  it("accepts the years 1900 to 2199 only", () => {
    for (const s of ["1900-01-01", "2199-12-31"]) expect(isLocalDate(s), s).toBe(true);
    for (const s of ["1899-12-31", "2200-01-01", "9999-12-31", "0001-01-01", "0000-00-00"]) expect(isLocalDate(s), s).toBe(false);
  });

  it("rejects other shapes and impossible dates", () => {
    for (const s of ["", "2026-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-5", "20260105", " 2026-01-05", "2026-01-05T00:00", "+002026-01-05"]) {
      expect(isLocalDate(s), s).toBe(false);
    }
  });

  it("accepts 24-hour HH:MM times only", () => {
    for (const s of ["00:00", "06:30", "12:00", "23:59"]) expect(isLocalTime(s), s).toBe(true);
    for (const s of ["", "24:00", "6:30", "06:60", "06:30:00", "0630", "06:3", " 06:30", "6.30"]) expect(isLocalTime(s), s).toBe(false);
  });
});

describe("toInstant", () => {
  it("is UTC+0 in the London winter and UTC+1 in summer", () => {
    expect(toInstant("2026-01-05", "06:30", LONDON)).toEqual(utc("2026-01-05T06:30:00Z"));
    expect(toInstant("2026-03-27", "06:30", LONDON)).toEqual(utc("2026-03-27T06:30:00Z"));
    expect(toInstant("2026-03-30", "06:30", LONDON)).toEqual(utc("2026-03-30T05:30:00Z"));
    expect(toInstant("2026-07-01", "06:30", LONDON)).toEqual(utc("2026-07-01T05:30:00Z"));
    expect(toInstant("2026-10-26", "06:30", LONDON)).toEqual(utc("2026-10-26T06:30:00Z"));
  });

  it("moves a time skipped by the spring-forward gap later", () => {
    // 01:30 does not exist on 29 March 2026; it becomes 02:30 BST = 01:30Z.
    const instant = toInstant("2026-03-29", "01:30", LONDON);
    expect(instant).toEqual(utc("2026-03-29T01:30:00Z"));
    expect(localTimeOf(instant, LONDON)).toBe("02:30");
  });

  it("takes the earlier of a time repeated by the fall-back", () => {
    // 01:30 happens twice on 25 October 2026: 00:30Z (BST) and 01:30Z (GMT).
    expect(toInstant("2026-10-25", "01:30", LONDON)).toEqual(utc("2026-10-25T00:30:00Z"));
  });

  it("works in other zones", () => {
    expect(toInstant("2026-01-05", "09:00", "America/New_York")).toEqual(utc("2026-01-05T14:00:00Z"));
    expect(toInstant("2026-01-05", "09:00", "Australia/Sydney")).toEqual(utc("2026-01-04T22:00:00Z"));
    expect(toInstant("2026-01-05", "09:00", "UTC")).toEqual(utc("2026-01-05T09:00:00Z"));
  });

  it("throws a RangeError for bad input", () => {
    expect(() => toInstant("2026-02-30", "06:30", LONDON)).toThrow(RangeError);
    expect(() => toInstant("2026-01-05", "24:00", LONDON)).toThrow(RangeError);
    expect(() => toInstant("2026-01-05", "06:30", "Mars/Olympus")).toThrow(RangeError);
  });
});

describe("localDateOf / localTimeOf / todayIn", () => {
  it("reads the wall clock in the zone", () => {
    expect(localDateOf(utc("2026-01-05T23:30:00Z"), LONDON)).toBe("2026-01-05");
    expect(localTimeOf(utc("2026-01-05T23:30:00Z"), LONDON)).toBe("23:30");
    expect(localDateOf(utc("2026-07-05T23:30:00Z"), LONDON)).toBe("2026-07-06");
    expect(localTimeOf(utc("2026-07-05T23:30:00Z"), LONDON)).toBe("00:30");
    expect(localDateOf(utc("2026-01-06T03:00:00Z"), "America/New_York")).toBe("2026-01-05");
    expect(localTimeOf(utc("2026-01-06T03:00:00Z"), "America/New_York")).toBe("22:00");
  });

  it("drops seconds rather than rounding", () => {
    expect(localTimeOf(utc("2026-01-05T06:30:59.999Z"), LONDON)).toBe("06:30");
  });

  it("round-trips with toInstant", () => {
    const instant = toInstant("2026-06-15", "18:45", LONDON);
    expect(localDateOf(instant, LONDON)).toBe("2026-06-15");
    expect(localTimeOf(instant, LONDON)).toBe("18:45");
  });

  it("gives today's local date", () => {
    expect(todayIn(LONDON, utc("2026-06-30T23:30:00Z"))).toBe("2026-07-01");
    expect(todayIn(LONDON, utc("2026-12-31T23:30:00Z"))).toBe("2026-12-31");
    expect(todayIn("Pacific/Auckland", utc("2026-12-31T12:00:00Z"))).toBe("2027-01-01");
    expect(isLocalDate(todayIn(LONDON))).toBe(true);
  });
});

describe("calendar arithmetic", () => {
  it("adds days across months, years, leap days and clock changes", () => {
    expect(addDays("2026-01-05", 0)).toBe("2026-01-05");
    expect(addDays("2026-12-31", 1)).toBe("2027-01-01");
    expect(addDays("2024-02-28", 1)).toBe("2024-02-29");
    expect(addDays("2026-03-01", -1)).toBe("2026-02-28");
    expect(addDays("2026-03-28", 1)).toBe("2026-03-29");
    expect(addDays("2026-03-29", 1)).toBe("2026-03-30");
    expect(addDays("2026-01-05", 365)).toBe("2027-01-05");
  });

  it("gives ISO weekdays", () => {
    expect(weekdayOf("2026-01-05")).toBe(1);
    expect(weekdayOf("2026-01-07")).toBe(3);
    expect(weekdayOf("2026-01-11")).toBe(7);
    expect(weekdayOf("2026-03-29")).toBe(7);
    expect(weekdayOf("2026-10-25")).toBe(7);
  });

  it("finds the Monday of the week", () => {
    expect(mondayOf("2026-01-05")).toBe("2026-01-05");
    expect(mondayOf("2026-01-08")).toBe("2026-01-05");
    expect(mondayOf("2026-01-11")).toBe("2026-01-05");
    expect(mondayOf("2026-01-12")).toBe("2026-01-12");
    expect(mondayOf("2026-01-01")).toBe("2025-12-29");
  });
});

describe("weekRange", () => {
  it("runs Monday 00:00 to the next Monday 00:00 with seven days", () => {
    const week = weekRange("2026-01-07", LONDON);
    expect(week.start).toEqual(utc("2026-01-05T00:00:00Z"));
    expect(week.end).toEqual(utc("2026-01-12T00:00:00Z"));
    expect(week.days).toEqual(["2026-01-05", "2026-01-06", "2026-01-07", "2026-01-08", "2026-01-09", "2026-01-10", "2026-01-11"]);
    expect(hours(week)).toBe(168);
  });

  it("is 167 hours in the week the clocks go forward", () => {
    const week = weekRange("2026-03-25", LONDON);
    expect(week.start).toEqual(utc("2026-03-23T00:00:00Z"));
    expect(week.end).toEqual(utc("2026-03-29T23:00:00Z")); // Monday 30 March 00:00 BST
    expect(week.days).toHaveLength(7);
    expect(week.days.at(-1)).toBe("2026-03-29");
    expect(hours(week)).toBe(167);
  });

  it("is 169 hours in the week the clocks go back", () => {
    const week = weekRange("2026-10-21", LONDON);
    expect(week.start).toEqual(utc("2026-10-18T23:00:00Z")); // Monday 19 October 00:00 BST
    expect(week.end).toEqual(utc("2026-10-26T00:00:00Z"));
    expect(week.days).toHaveLength(7);
    expect(week.days[0]).toBe("2026-10-19");
    expect(week.days.at(-1)).toBe("2026-10-25");
    expect(hours(week)).toBe(169);
  });

  it("puts a Sunday in the week that started the previous Monday", () => {
    expect(weekRange("2026-03-29", LONDON)).toEqual(weekRange("2026-03-23", LONDON));
    expect(weekRange("2026-01-11", LONDON).days[0]).toBe("2026-01-05");
  });

  it("spans a year boundary", () => {
    const week = weekRange("2026-01-01", LONDON);
    expect(week.days[0]).toBe("2025-12-29");
    expect(week.days.at(-1)).toBe("2026-01-04");
  });
});

describe("dayRange", () => {
  it("runs from local midnight to the next local midnight", () => {
    expect(dayRange("2026-01-05", LONDON)).toEqual({ start: utc("2026-01-05T00:00:00Z"), end: utc("2026-01-06T00:00:00Z") });
    expect(dayRange("2026-07-01", LONDON)).toEqual({ start: utc("2026-06-30T23:00:00Z"), end: utc("2026-07-01T23:00:00Z") });
  });

  it("is 23 hours when the clocks go forward and 25 when they go back", () => {
    expect(hours(dayRange("2026-03-29", LONDON))).toBe(23);
    expect(hours(dayRange("2026-10-25", LONDON))).toBe(25);
    expect(hours(dayRange("2026-03-30", LONDON))).toBe(24);
  });
});

describe("formatting", () => {
  it("formats times on the 24-hour local clock", () => {
    expect(formatTime(utc("2026-01-05T06:30:00Z"), LONDON)).toBe("06:30");
    expect(formatTime(utc("2026-07-01T05:30:00Z"), LONDON)).toBe("06:30");
    expect(formatTime(utc("2026-07-01T23:00:00Z"), LONDON)).toBe("00:00");
    expect(formatTime(utc("2026-01-05T18:05:00Z"), LONDON)).toBe("18:05");
  });

  it("formats an instant as its local day and time", () => {
    expect(formatDateTime(utc("2026-03-10T12:00:00Z"), LONDON)).toBe("Tue 10 Mar 2026 at 12:00");
    // 23:30 UTC in summer is already the next day in London.
    expect(formatDateTime(utc("2026-07-01T23:30:00Z"), LONDON)).toBe("Thu 2 Jul 2026 at 00:30");
    expect(formatWhen(utc("2026-07-01T23:30:00Z"), LONDON)).toBe("Thu 2 Jul 2026 at 00:30 (Europe/London time)");
  });

  it("formats dates from a local date or an instant", () => {
    expect(formatDate("2026-01-05", LONDON)).toBe("Mon 5 Jan 2026");
    expect(formatDate("2026-09-14", LONDON)).toBe("Mon 14 Sep 2026");
    expect(formatDate("2026-12-25", LONDON)).toBe("Fri 25 Dec 2026");
    expect(formatDate(utc("2026-01-05T06:30:00Z"), LONDON)).toBe("Mon 5 Jan 2026");
    // 23:30Z on Sunday 5 July is already Monday 6 July in London.
    expect(formatDate(utc("2026-07-05T23:30:00Z"), LONDON)).toBe("Mon 6 Jul 2026");
    expect(formatDate(utc("2026-07-05T23:30:00Z"), "UTC")).toBe("Sun 5 Jul 2026");
  });

  it("formats day headings", () => {
    expect(formatDayHeading("2026-01-05")).toBe("Monday 5 January");
    expect(formatDayHeading("2026-03-29")).toBe("Sunday 29 March");
    expect(formatDayHeading("2026-12-25")).toBe("Friday 25 December");
  });
});

describe("sameTimeDaysBefore", () => {
  it("keeps the wall-clock time across a clock change, so the day before it is 23 or 25 hours", () => {
    // Sunday 29 March 2026 the clocks go forward: 18:00 BST on Monday 30th is 18:00 GMT on Saturday 28th.
    const mondayEvening = toInstant("2026-03-30", "18:00", LONDON);
    expect(sameTimeDaysBefore(mondayEvening, 2, LONDON)).toEqual(toInstant("2026-03-28", "18:00", LONDON));
    expect(mondayEvening.getTime() - sameTimeDaysBefore(mondayEvening, 2, LONDON).getTime()).toBe(47 * 3_600_000);
    expect(sameTimeDaysBefore(mondayEvening, 0, LONDON)).toEqual(mondayEvening);
  });

  it("answers a new Date each time, so changing one answer cannot change the next", () => {
    const instant = toInstant("2026-06-10", "06:30", LONDON);
    const first = sameTimeDaysBefore(instant, 7, LONDON);
    first.setTime(0);
    expect(sameTimeDaysBefore(instant, 7, LONDON)).toEqual(toInstant("2026-06-03", "06:30", LONDON));
  });
});

describe("minutesBetween", () => {
  it("measures elapsed time, including across a clock change", () => {
    expect(minutesBetween(utc("2026-01-05T06:30:00Z"), utc("2026-01-05T07:15:00Z"))).toBe(45);
    expect(minutesBetween(utc("2026-01-05T07:15:00Z"), utc("2026-01-05T06:30:00Z"))).toBe(-45);
    expect(minutesBetween(utc("2026-01-05T06:30:00Z"), utc("2026-01-05T06:30:30Z"))).toBe(0.5);
    // 00:00 to 03:00 on the wall clock on 29 March is only two hours.
    expect(minutesBetween(toInstant("2026-03-29", "00:00", LONDON), toInstant("2026-03-29", "03:00", LONDON))).toBe(120);
  });
});
