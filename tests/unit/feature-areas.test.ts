import { describe, expect, it } from "vitest";
import { FEATURE_AREAS, featureOfPath, normalisePath } from "~/modules/settings/feature-areas";

describe("featureOfPath", () => {
  it("puts the timetable, class types and the calendar feed in the sessions area", () => {
    for (const path of [
      "/client/sessions",
      "/client/sessions/calendar",
      "/client/sessions/12/ics",
      "/coach/sessions",
      "/coach/sessions/new",
      "/coach/sessions/12/edit",
      "/coach/class-types",
      "/coach/class-types/3",
      "/calendar/feed/abc123",
    ]) {
      expect(featureOfPath(path), path).toBe("sessions");
    }
  });

  it("puts the cohort programme pages of clients and coaches in the cohorts area", () => {
    for (const path of [
      "/client/cohort",
      "/client/cohort/weeks/2",
      "/client/cohort/questionnaire/1",
      "/client/cohorts",
      "/coach/cohorts",
      "/coach/cohorts/4/review",
    ]) {
      expect(featureOfPath(path), path).toBe("cohorts");
    }
  });

  it("puts the appointment pages in the appointments area", () => {
    for (const path of ["/client/appointments", "/client/appointments/5", "/coach/appointments", "/coach/appointments/slots/new"]) {
      expect(featureOfPath(path), path).toBe("appointments");
    }
  });

  it("leaves health, clients, dashboards, membership and admin pages outside every area", () => {
    for (const path of [
      "/",
      "/client",
      "/client/health",
      "/client/health/3",
      "/coach",
      "/coach/clients",
      "/coach/clients/4",
      "/client/membership",
      "/admin/settings",
      "/admin/reports",
      "/login",
      "/calendar",
    ]) {
      expect(featureOfPath(path), path).toBeNull();
    }
  });

  it("matches whole segments only", () => {
    expect(featureOfPath("/client/sessionsx")).toBeNull();
    expect(featureOfPath("/coach/cohortsfoo/1")).toBeNull();
    expect(featureOfPath("/client/cohorts")).toBe("cohorts");
    expect(featureOfPath("/coach/class-types-old")).toBeNull();
  });

  it("matches the path however it is spelled, as the router does", () => {
    expect(featureOfPath("/Coach/Cohorts")).toBe("cohorts");
    expect(featureOfPath("/coach/cohorts/")).toBe("cohorts");
    expect(featureOfPath("//coach//cohorts")).toBe("cohorts");
    expect(featureOfPath("/coach/%63ohorts")).toBe("cohorts");
    expect(featureOfPath("/client/%E0%A4%A")).toBeNull();
  });

  it("lists each prefix once, each in lower case with a leading slash", () => {
    const prefixes = Object.values(FEATURE_AREAS).flat();
    expect(new Set(prefixes).size).toBe(prefixes.length);
    for (const prefix of prefixes) expect(normalisePath(prefix)).toBe(prefix);
  });
});
