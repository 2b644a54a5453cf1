import type { EntityManager } from "@mikro-orm/postgresql";
import { Seeder } from "@mikro-orm/seeder";
import { User, type Role } from "../../app/modules/auth/auth.entities.server";
import { hashPassword } from "../../app/modules/auth/password.server";
import { ensureDefaultSettings } from "../../app/modules/settings/settings.service.server";
import { seedAppointments } from "./appointments";
import { DEMO_ADMIN, DEMO_COACHES, DEMO_PASSWORD, demoClients } from "./demo-people";
import { seedCohorts } from "./cohorts";
import { seedHistory } from "./history";
import { seedMemberships } from "./memberships";
import { seedTimetable } from "./timetable";

/** Demo data; safe to run again: it only adds what is missing and never changes what is there. */
export class DatabaseSeeder extends Seeder {
  async run(em: EntityManager): Promise<void> {
    // The demo accounts share a published password and no authenticator: the demo studio does not require
    // a second factor of its coaches and admins (a new studio without the seed does).
    await ensureDefaultSettings(em, { staffTwoFactorRequired: false });
    await seedUsers(em);
    await seedTimetable(em);
    await seedMemberships(em);
    await seedCohorts(em);
    await seedHistory(em);
    await seedAppointments(em);
  }
}

async function seedUsers(em: EntityManager) {
  const people: { email: string; name: string; role: Role }[] = [
    { ...DEMO_ADMIN, role: "ADMIN" },
    ...DEMO_COACHES.map((coach) => ({ ...coach, role: "COACH" as const })),
    ...demoClients().map((client) => ({ ...client, role: "CLIENT" as const })),
  ];
  const existing = new Set((await em.find(User, { email: { $in: people.map((p) => p.email) } }, { fields: ["email"] })).map((u) => u.email));
  const missing = people.filter((person) => !existing.has(person.email));
  if (!missing.length) return;
  // One hash shared by the demo accounts: they share a password, and Argon2id is slow on purpose.
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  for (const person of missing) em.create(User, { ...person, passwordHash });
  await em.flush();
}
