import fc from "fast-check";
import { Temporal } from "temporal-polyfill";
import { describe, expect, it } from "vitest";
import { addDays, addMonths, daysBetween, isLocalDate, localDateOf, localTimeOf, mondayOf, weekdayOf } from "~/utils/dates";

// ~/utils/dates does without Temporal so pages can use it in the browser; these check it against Temporal.

const ZONES = ["Europe/London", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "Pacific/Chatham", "America/St_Johns", "UTC"];

// Days since 1970-01-01, from 1900 to 2199.
const date = fc.integer({ min: -25_567, max: 84_000 }).map((n) => Temporal.PlainDate.from("1970-01-01").add({ days: n }).toString());
const instant = fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(2199, 11, 31) }).map((ms) => new Date(ms));

describe("calendar arithmetic without Temporal", () => {
  it("adds days, counts days and finds weekdays as Temporal does", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -5_000, max: 5_000 }), (d, n) => {
        const plain = Temporal.PlainDate.from(d);
        expect(addDays(d, n)).toBe(plain.add({ days: n }).toString());
        expect(daysBetween(d, addDays(d, n))).toBe(n);
        expect(weekdayOf(d)).toBe(plain.dayOfWeek);
        expect(weekdayOf(mondayOf(d))).toBe(1);
      }),
    );
  });

  it("adds months clamped to the month's last day, as Temporal's constrain does", () => {
    fc.assert(
      fc.property(date, fc.integer({ min: -600, max: 600 }), (d, months) => {
        expect(addMonths(d, months)).toBe(Temporal.PlainDate.from(d).add({ months }, { overflow: "constrain" }).toString());
      }),
    );
    expect(addMonths("2026-01-31", 1)).toBe("2026-02-28");
    expect(addMonths("2024-01-31", 1)).toBe("2024-02-29");
    expect(addMonths("2026-03-31", -1)).toBe("2026-02-28");
  });

  it("refuses what is not a date", () => {
    for (const bad of ["2026-02-29", "2026-13-01", "20260105", ""]) {
      expect(() => addDays(bad, 1), bad).toThrow(RangeError);
      expect(isLocalDate(bad), bad).toBe(false);
    }
  });
});

describe("wall clocks without Temporal", () => {
  it("reads an instant's local date and time in a zone as Temporal does", () => {
    fc.assert(
      fc.property(instant, fc.constantFrom(...ZONES), (at, zone) => {
        const zoned = Temporal.Instant.fromEpochMilliseconds(at.getTime()).toZonedDateTimeISO(zone);
        expect(localDateOf(at, zone)).toBe(zoned.toPlainDate().toString());
        expect(localTimeOf(at, zone)).toBe(zoned.toPlainTime().toString({ smallestUnit: "minute" }));
      }),
    );
  });

  it("gives midnight as 00:00 on the new day", () => {
    expect(localTimeOf(new Date("2026-01-06T00:00:00Z"), "UTC")).toBe("00:00");
    expect(localDateOf(new Date("2026-01-06T00:00:00Z"), "UTC")).toBe("2026-01-06");
    expect(localTimeOf(new Date("2026-06-30T23:00:00Z"), "Europe/London")).toBe("00:00");
  });

  it("throws a RangeError for an unknown zone", () => {
    expect(() => localDateOf(new Date(), "Mars/Olympus")).toThrow(RangeError);
  });
});
