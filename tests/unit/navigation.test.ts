import { describe, expect, it } from "vitest";
import { navigationFor } from "~/components/navigation";

const allOn = { appointments: true, sessions: true, cohorts: true };
const defaults = { appointments: false, sessions: true, cohorts: true };
const labels = (items: { label: string }[]) => items.map((i) => i.label);
const paths = (items: { to: string }[]) => items.map((i) => i.to);

describe("navigationFor", () => {
  it("gives clients only client pages and their notifications", () => {
    const nav = navigationFor("CLIENT", defaults);
    expect(paths(nav).every((to) => to.startsWith("/client") || to === "/account/notifications")).toBe(true);
    expect(labels(nav)).toEqual(["Home", "Sessions", "My calendar", "My cohort", "Health", "Membership", "Notifications"]);
  });

  it("gives coaches coach pages and no admin pages", () => {
    const nav = navigationFor("COACH", defaults);
    expect(paths(nav).every((to) => to.startsWith("/coach"))).toBe(true);
  });

  it("gives admins the coach pages and the admin pages", () => {
    const nav = paths(navigationFor("ADMIN", defaults));
    expect(nav).toContain("/coach/sessions");
    expect(nav).toContain("/admin/settings");
  });

  it("links People (staff, invitations, roles) for admins only", () => {
    expect(navigationFor("ADMIN", defaults)).toContainEqual({ label: "People", to: "/admin/people" });
    for (const role of ["CLIENT", "COACH"] as const) expect(paths(navigationFor(role, allOn))).not.toContain("/admin/people");
  });

  it("gives admins, and only admins, the reports", () => {
    expect(navigationFor("ADMIN", defaults)).toContainEqual({ label: "Reports", to: "/admin/reports" });
    expect(paths(navigationFor("COACH", allOn))).not.toContain("/admin/reports");
    expect(paths(navigationFor("CLIENT", allOn))).not.toContain("/admin/reports");
  });

  it("links the email outbox for admins only", () => {
    expect(navigationFor("ADMIN", defaults)).toContainEqual({ label: "Outbox", to: "/admin/outbox" });
    expect(paths(navigationFor("COACH", defaults))).not.toContain("/admin/outbox");
    expect(paths(navigationFor("CLIENT", defaults))).not.toContain("/admin/outbox");
  });

  it("takes each role's Dashboard link to its own dashboard", () => {
    const dashboard = (role: "COACH" | "ADMIN") => navigationFor(role, defaults).filter((i) => i.label === "Dashboard");
    expect(dashboard("ADMIN")).toEqual([{ label: "Dashboard", to: "/admin" }]);
    expect(dashboard("COACH")).toEqual([{ label: "Dashboard", to: "/coach" }]);
  });

  it("links appointments only while they are switched on", () => {
    for (const role of ["CLIENT", "COACH", "ADMIN"] as const) {
      expect(
        paths(navigationFor(role, defaults)).filter((to) => /appointments/.test(to)),
        role,
      ).toEqual([]);
    }
    expect(paths(navigationFor("CLIENT", allOn)).filter((to) => /appointments/.test(to))).toEqual(["/client/appointments"]);
    expect(paths(navigationFor("COACH", allOn)).filter((to) => /appointments/.test(to))).toEqual(["/coach/appointments"]);
    expect(paths(navigationFor("ADMIN", allOn)).filter((to) => /appointments/.test(to))).toEqual(["/coach/appointments"]);
    expect(labels(navigationFor("CLIENT", allOn))).toEqual([
      "Home",
      "Sessions",
      "My calendar",
      "Appointments",
      "My cohort",
      "Health",
      "Membership",
      "Notifications",
    ]);
    expect(labels(navigationFor("CLIENT", { appointments: true, sessions: false, cohorts: false }))).toEqual([
      "Home",
      "Appointments",
      "Health",
      "Membership",
      "Notifications",
    ]);
  });

  it("links the cohort programme for every role while it is switched on", () => {
    expect(paths(navigationFor("CLIENT", defaults))).toContain("/client/cohort");
    expect(paths(navigationFor("COACH", defaults))).toContain("/coach/cohorts");
    expect(paths(navigationFor("ADMIN", defaults))).toContain("/coach/cohorts");
    expect(paths(navigationFor("CLIENT", { ...defaults, cohorts: false }))).not.toContain("/client/cohort");
    expect(paths(navigationFor("COACH", { ...defaults, cohorts: false }))).not.toContain("/coach/cohorts");
  });

  it("hides the sessions area when switched off", () => {
    expect(labels(navigationFor("COACH", { appointments: false, sessions: false, cohorts: false }))).toEqual(["Dashboard", "Clients"]);
    expect(labels(navigationFor("CLIENT", { appointments: false, sessions: false, cohorts: false }))).toEqual([
      "Home",
      "Health",
      "Membership",
      "Notifications",
    ]);
  });
});
