import { describe, expect, it } from "vitest";
import { AppointmentSlot } from "~/modules/appointments/appointments.entities.server";
import { MembershipClassTypeAllowance } from "~/modules/memberships/memberships.entities.server";
import { ClassType } from "~/modules/sessions/sessions.entities.server";
import { addDays, localDateOf, mondayOf, todayIn } from "~/utils/time";
import { seed } from "../../db/seed";
import { forkEm, testDatabaseUrl } from "../support/db";

describe("appointments seed", () => {
  it("offers Jacki's open sports massage slots next week, and links the massage plans to massages only, once", async () => {
    await seed(testDatabaseUrl());
    await seed(testDatabaseUrl());
    const em = await forkEm();
    expect(await em.count(ClassType, { name: "Sports Massage", isActive: true })).toBe(1);
    const allowances = await em.find(
      MembershipClassTypeAllowance,
      { plan: { name: { $in: ["Sports Massage", "3 Pack Sports Massages"] } } },
      { populate: ["plan", "classType"], orderBy: { plan: { name: "asc" } } },
    );
    expect(allowances.map((a) => [a.plan.name, a.classType.name])).toEqual([
      ["3 Pack Sports Massages", "Sports Massage"],
      ["Sports Massage", "Sports Massage"],
    ]);

    const slots = await em.find(AppointmentSlot, {}, { populate: ["coach", "classType"], orderBy: { startTime: "asc" } });
    expect(slots).toHaveLength(8);
    expect(new Set(slots.map((s) => s.coach.email))).toEqual(new Set(["jacki@centurion.test"]));
    expect(slots.every((s) => s.status === "OPEN" && s.classType.name === "Sports Massage")).toBe(true);
    const nextMonday = addDays(mondayOf(todayIn("Europe/London")), 7);
    expect([...new Set(slots.map((s) => localDateOf(s.startTime, "Europe/London")))]).toEqual([addDays(nextMonday, 1), addDays(nextMonday, 3)]);
  });
});
