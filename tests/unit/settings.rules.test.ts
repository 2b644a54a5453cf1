import { describe, expect, it } from "vitest";
import { featureFlags, isValidTimeZone, resolveSettings } from "~/modules/settings/settings.rules";
import { SettingsFormSchema } from "~/modules/settings/settings.schema";

describe("settings", () => {
  it("gives a studio with nothing stored the PRD's defaults", () => {
    expect(resolveSettings([])).toMatchObject({
      "features.appointments.enabled": false,
      "features.sessions.enabled": true,
      "features.cohorts.enabled": true,
      defaultLateCancelCutoffHours: 2,
      bookingOpensDaysBefore: 14,
      bookingClosesMinutesBefore: 0,
      studioTimeZone: "Europe/London",
      currency: "GBP",
      attendanceEditDays: 7,
      paymentGraceDays: 7,
      maxPaymentFailures: 3,
      questionnaireOpensDaysBeforeWeekEnd: 1,
      questionnaireClosesDaysAfterWeekEnd: 7,
      // A new studio requires a second factor of its coaches and admins (ADR 0026).
      staffTwoFactorRequired: true,
    });
  });

  it("lays stored values over the defaults and ignores unknown or broken rows", () => {
    const settings = resolveSettings([
      { key: "features.appointments.enabled", value: true },
      { key: "defaultLateCancelCutoffHours", value: "soon" },
      { key: "somethingElse", value: 1 },
    ]);
    expect(settings["features.appointments.enabled"]).toBe(true);
    expect(settings.defaultLateCancelCutoffHours).toBe(2);
    expect(settings).not.toHaveProperty("somethingElse");
  });

  it("turns settings into feature flags", () => {
    expect(featureFlags(resolveSettings([]))).toEqual({ appointments: false, sessions: true, cohorts: true });
  });

  it("knows real time zones", () => {
    expect(isValidTimeZone("Europe/London")).toBe(true);
    expect(isValidTimeZone("Mars/Olympus")).toBe(false);
  });

  it("reads unchecked boxes as off and checks the numbers", () => {
    const ok = SettingsFormSchema.safeParse({
      studioName: "Hitsona",
      studioTimeZone: "Europe/London",
      currency: "GBP",
      defaultLateCancelCutoffHours: "3",
      bookingOpensDaysBefore: "14",
      bookingClosesMinutesBefore: "0",
      attendanceEditDays: "7",
      paymentGraceDays: "7",
      maxPaymentFailures: "3",
      questionnaireOpensDaysBeforeWeekEnd: "1",
      questionnaireClosesDaysAfterWeekEnd: "7",
      sessionsEnabled: "on",
    });
    expect(ok.success && ok.data).toMatchObject({
      defaultLateCancelCutoffHours: 3,
      bookingOpensDaysBefore: 14,
      sessionsEnabled: true,
      cohortsEnabled: false,
      appointmentsEnabled: false,
    });
    const bad = SettingsFormSchema.safeParse({
      studioName: "",
      studioTimeZone: "Nowhere",
      currency: "XXX",
      defaultLateCancelCutoffHours: "-1",
      bookingOpensDaysBefore: "7",
      bookingClosesMinutesBefore: "0",
      attendanceEditDays: "0",
      paymentGraceDays: "7",
      maxPaymentFailures: "3",
      questionnaireOpensDaysBeforeWeekEnd: "1",
      questionnaireClosesDaysAfterWeekEnd: "7",
    });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path[0]).sort()).toEqual(["currency", "defaultLateCancelCutoffHours", "studioName", "studioTimeZone"]);
  });

  it("checks the days attendance stays editable: 0 (the class day only) up to 60", () => {
    const base = {
      studioName: "Hitsona",
      studioTimeZone: "Europe/London",
      currency: "GBP",
      defaultLateCancelCutoffHours: "3",
      bookingOpensDaysBefore: "14",
      bookingClosesMinutesBefore: "0",
      paymentGraceDays: "7",
      maxPaymentFailures: "3",
      questionnaireOpensDaysBeforeWeekEnd: "1",
      questionnaireClosesDaysAfterWeekEnd: "7",
    };
    const days = (value: string | undefined) => SettingsFormSchema.safeParse({ ...base, attendanceEditDays: value });
    expect(days("0").data?.attendanceEditDays).toBe(0);
    expect(days("60").data?.attendanceEditDays).toBe(60);
    for (const wrong of ["-1", "61", "2.5", "soon", undefined]) {
      expect(
        days(wrong).error?.issues.map((i) => [i.path[0], i.message]),
        String(wrong),
      ).toEqual([["attendanceEditDays", expect.stringMatching(/days/)]]);
    }
    expect(resolveSettings([{ key: "attendanceEditDays", value: 3 }]).attendanceEditDays).toBe(3);
    expect(resolveSettings([{ key: "attendanceEditDays", value: -3 }]).attendanceEditDays).toBe(7);
  });

  it("checks the failed-payment settings: a grace of 0 to 60 days, 1 to 10 failures", () => {
    const base = {
      studioName: "Hitsona",
      studioTimeZone: "Europe/London",
      currency: "GBP",
      defaultLateCancelCutoffHours: "3",
      bookingOpensDaysBefore: "14",
      bookingClosesMinutesBefore: "0",
      attendanceEditDays: "7",
      questionnaireOpensDaysBeforeWeekEnd: "1",
      questionnaireClosesDaysAfterWeekEnd: "7",
    };
    const parse = (grace: string, failures: string) => SettingsFormSchema.safeParse({ ...base, paymentGraceDays: grace, maxPaymentFailures: failures });
    expect(parse("0", "1").data).toMatchObject({ paymentGraceDays: 0, maxPaymentFailures: 1 });
    expect(
      parse("61", "0")
        .error?.issues.map((i) => i.path[0])
        .sort(),
    ).toEqual(["maxPaymentFailures", "paymentGraceDays"]);
    expect(resolveSettings([{ key: "maxPaymentFailures", value: 0 }]).maxPaymentFailures).toBe(3);
  });

  it("checks the questionnaire window: opens 1 (the week's last day) to 7 days before the week ends, closes 0 to 28 days after", () => {
    const base = {
      studioName: "Hitsona",
      studioTimeZone: "Europe/London",
      currency: "GBP",
      defaultLateCancelCutoffHours: "2",
      bookingOpensDaysBefore: "14",
      bookingClosesMinutesBefore: "0",
      attendanceEditDays: "7",
      paymentGraceDays: "7",
      maxPaymentFailures: "3",
    };
    const parse = (opens: string, closes: string) =>
      SettingsFormSchema.safeParse({ ...base, questionnaireOpensDaysBeforeWeekEnd: opens, questionnaireClosesDaysAfterWeekEnd: closes });
    expect(parse("1", "0").data).toMatchObject({ questionnaireOpensDaysBeforeWeekEnd: 1, questionnaireClosesDaysAfterWeekEnd: 0 });
    expect(parse("7", "28").data).toMatchObject({ questionnaireOpensDaysBeforeWeekEnd: 7, questionnaireClosesDaysAfterWeekEnd: 28 });
    expect(
      parse("0", "29")
        .error?.issues.map((i) => i.path[0])
        .sort(),
    ).toEqual(["questionnaireClosesDaysAfterWeekEnd", "questionnaireOpensDaysBeforeWeekEnd"]);
    expect(resolveSettings([{ key: "questionnaireOpensDaysBeforeWeekEnd", value: 9 }]).questionnaireOpensDaysBeforeWeekEnd).toBe(1);
  });
});
