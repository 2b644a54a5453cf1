import type { EntityManager } from "@mikro-orm/postgresql";
import { User } from "../../app/modules/auth/auth.entities.server";
import { AppointmentSlot } from "../../app/modules/appointments/appointments.entities.server";
import { MembershipClassTypeAllowance, MembershipPlan } from "../../app/modules/memberships/memberships.entities.server";
import { getSettings } from "../../app/modules/settings/settings.service.server";
import { ClassType } from "../../app/modules/sessions/sessions.entities.server";
import { addDays, mondayOf, todayIn, toInstant } from "../../app/utils/time";
import { SPORTS_MASSAGE } from "./memberships";
import { DEMO_VENUE } from "./timetable";

/** The demo massage therapist (PRD section 14 gives Jacki no classes). */
export const MASSAGE_COACH_EMAIL = "jacki@centurion.test";
/** Next week's open massage slots: Tuesday and Thursday, 45 minutes each. */
const SLOT_DAYS = [1, 3]; // days after Monday
const SLOT_TIMES = ["10:00", "11:00", "14:00", "15:00"];

/**
 * Sports massage appointments for the demo: the class type (if missing), its link to the Sports Massage
 * plans (only for a plan with no allowances yet, so those plans book massages only) and a few open slots
 * next week for one coach (only when that coach offers none yet).
 */
export async function seedAppointments(em: EntityManager, now = new Date()): Promise<void> {
  let massage = await em.findOne(ClassType, { name: SPORTS_MASSAGE.name, isActive: true });
  massage ??= em.create(ClassType, { ...SPORTS_MASSAGE, isActive: true });
  await em.flush();

  const plans = await em.find(MembershipPlan, { name: { $in: ["Sports Massage", "3 Pack Sports Massages"] } });
  for (const plan of plans) {
    if (!(await em.count(MembershipClassTypeAllowance, { plan: plan.id }))) em.create(MembershipClassTypeAllowance, { plan, classType: massage });
  }
  await em.flush();

  const coach =
    (await em.findOne(User, { email: MASSAGE_COACH_EMAIL, role: "COACH" })) ?? (await em.findOne(User, { role: "COACH" }, { orderBy: { id: "asc" } }));
  if (!coach || (await em.count(AppointmentSlot, { coach: coach.id }))) return;
  const zone = (await getSettings(em)).studioTimeZone;
  const nextMonday = addDays(mondayOf(todayIn(zone, now)), 7);
  for (const offset of SLOT_DAYS) {
    for (const time of SLOT_TIMES) {
      const startTime = toInstant(addDays(nextMonday, offset), time, zone);
      em.create(AppointmentSlot, {
        coach,
        classType: massage,
        startTime,
        endTime: new Date(startTime.getTime() + SPORTS_MASSAGE.defaultDurationMins * 60_000),
        location: DEMO_VENUE.name,
        notes: null,
        status: "OPEN",
        cancelledAt: null,
      });
    }
  }
  await em.flush();
}
