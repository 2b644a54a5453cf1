// Test data, made straight through the entities (not the services under test), for integration and
// end-to-end tests alike. Every factory takes the EntityManager to write with and flushes what it made.
// Names and emails carry a per-process random prefix and a counter, so files and runs never collide.
import { randomBytes } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { User, type IUser, type Role } from "~/modules/auth/auth.entities.server";
import { hashPassword } from "~/modules/auth/password.server";
import { SessionRegistration, type ISessionRegistration, type RegistrationStatus } from "~/modules/booking/booking.entities.server";
import {
  MembershipClassTypeAllowance,
  MembershipPlan,
  UserMembership,
  type IMembershipPlan,
  type IUserMembership,
  type MembershipStatus,
  type PlanType,
} from "~/modules/memberships/memberships.entities.server";
import { ClassType, Session, type IClassType, type ISession } from "~/modules/sessions/sessions.entities.server";
import type { LocalDate } from "~/utils/time";

const RUN = randomBytes(3).toString("hex");
let seq = 0;
/** A name no other factory call, test file or run has used: "<prefix> <run>-<n>". */
export function uniqueName(prefix: string): string {
  return `${prefix} ${RUN}-${++seq}`;
}

// ---------- people ----------

export const TEST_PASSWORD = "factory-password-1";
// Argon2 costs tens of milliseconds a hash: hash the shared test password once per process.
let testPasswordHash: Promise<string> | undefined;

export type UserFields = { role?: Role; name?: string; email?: string; password?: string };

/** A user who can sign in with `TEST_PASSWORD` (or `password`). */
export async function createUser(em: EntityManager, fields: UserFields = {}): Promise<IUser> {
  const role = fields.role ?? "CLIENT";
  const name = fields.name ?? uniqueName(role === "CLIENT" ? "Client" : role === "COACH" ? "Coach" : "Admin");
  const email = fields.email ?? `${name.toLowerCase().replace(/[^a-z0-9]+/g, ".")}@factory.test`;
  const passwordHash = fields.password ? await hashPassword(fields.password) : await (testPasswordHash ??= hashPassword(TEST_PASSWORD));
  const user = em.create(User, { email, name, role, passwordHash });
  await em.flush();
  return user;
}

// ---------- the timetable ----------

export type ClassTypeFields = Partial<
  Pick<IClassType, "name" | "color" | "defaultCapacity" | "defaultDurationMins" | "bookingOpensDaysBefore" | "bookingClosesMinutesBefore" | "isActive">
>;

export async function createClassType(em: EntityManager, fields: ClassTypeFields = {}): Promise<IClassType> {
  const classType = em.create(
    ClassType,
    { name: uniqueName("Class"), color: "#123456", defaultCapacity: 10, defaultDurationMins: 45, isActive: true, ...fields },
    { partial: true },
  );
  await em.flush();
  return classType;
}

export type SessionFields = {
  coach: { id: number };
  start: Date;
  durationMins?: number;
  capacity?: number;
  title?: string;
  classType?: { id: number } | null;
  opensDaysBefore?: number;
  closesMinutesBefore?: number;
  location?: string | null;
  cohort?: { id: number } | null;
};

/** A scheduled session; booking opens 14 days before and closes at the start unless told otherwise. */
export async function createSession(em: EntityManager, fields: SessionFields): Promise<ISession> {
  const session = em.create(
    Session,
    {
      coach: fields.coach.id,
      classType: fields.classType?.id ?? null,
      title: fields.title ?? uniqueName("Session"),
      startTime: fields.start,
      endTime: new Date(fields.start.getTime() + (fields.durationMins ?? 45) * 60_000),
      maxOccupancy: fields.capacity ?? 10,
      location: fields.location ?? null,
      cohort: fields.cohort?.id ?? null,
      status: "SCHEDULED",
      bookingOpensDaysBefore: fields.opensDaysBefore ?? 14,
      bookingClosesMinutesBefore: fields.closesMinutesBefore ?? 0,
    },
    { partial: true },
  );
  await em.flush();
  return session;
}

// ---------- plans and memberships ----------

export type PlanFields = {
  type: PlanType;
  name?: string;
  pricePence?: number;
  sessionsPerWeek?: number | null;
  commitmentMonths?: number | null;
  totalSessions?: number | null;
  durationDays?: number | null;
  lateCancelCutoffHours?: number | null;
  allowRepeatPurchase?: boolean;
  purchasableByClient?: boolean;
  isActive?: boolean;
  /** Class types the plan is limited to; none: every class type. */
  classTypes?: { id: number }[];
};

/** A plan; a PACK defaults to 10 sessions, a PREPAID to 28 days, a RECURRING to 3 sessions a week. */
export async function createPlan(em: EntityManager, fields: PlanFields): Promise<IMembershipPlan> {
  const { type } = fields;
  const plan = em.create(
    MembershipPlan,
    {
      name: fields.name ?? uniqueName(`${type} plan`),
      type,
      pricePence: fields.pricePence ?? 5000,
      currency: "GBP",
      sessionsPerWeek: fields.sessionsPerWeek !== undefined ? fields.sessionsPerWeek : type === "RECURRING" ? 3 : null,
      commitmentMonths: fields.commitmentMonths ?? null,
      totalSessions: type === "PACK" ? (fields.totalSessions ?? 10) : null,
      durationDays: type === "PREPAID" ? (fields.durationDays ?? 28) : null,
      lateCancelCutoffHours: fields.lateCancelCutoffHours ?? null,
      allowRepeatPurchase: fields.allowRepeatPurchase ?? true,
      purchasableByClient: fields.purchasableByClient ?? true,
      isActive: fields.isActive ?? true,
    },
    { partial: true },
  );
  await em.flush();
  for (const classType of fields.classTypes ?? []) em.create(MembershipClassTypeAllowance, { plan, classType: classType.id });
  await em.flush();
  return plan;
}

export type MembershipFields = {
  user: { id: number };
  plan: IMembershipPlan;
  startDate?: LocalDate;
  /** Defaults: a PREPAID's start + its days − 1, otherwise none. */
  endDate?: LocalDate | null;
  status?: MembershipStatus;
  /** Defaults to a PACK's full bundle. */
  sessionsRemaining?: number | null;
};

export async function createMembership(em: EntityManager, fields: MembershipFields): Promise<IUserMembership> {
  const { plan } = fields;
  const startDate = fields.startDate ?? "2026-03-01";
  const endDate =
    fields.endDate !== undefined
      ? fields.endDate
      : plan.type === "PREPAID"
        ? new Date(Date.parse(`${startDate}T00:00:00Z`) + ((plan.durationDays ?? 1) - 1) * 86_400_000).toISOString().slice(0, 10)
        : null;
  const membership = em.create(
    UserMembership,
    {
      user: fields.user.id,
      plan: plan.id,
      startDate,
      endDate,
      status: fields.status ?? "ACTIVE",
      sessionsRemaining: fields.sessionsRemaining !== undefined ? fields.sessionsRemaining : plan.type === "PACK" ? plan.totalSessions : null,
      cancelAtPeriodEnd: false,
    },
    { partial: true },
  );
  await em.flush();
  return membership;
}

/** A new client holding a new plan: the usual start of a booking test. */
export async function createMember(em: EntityManager, plan: PlanFields, membership: Omit<MembershipFields, "user" | "plan"> = {}, user: UserFields = {}) {
  const person = await createUser(em, user);
  const createdPlan = await createPlan(em, plan);
  const created = await createMembership(em, { ...membership, user: person, plan: createdPlan });
  return { user: person, plan: createdPlan, membership: created };
}

// ---------- registrations ----------

export type RegistrationFields = {
  session: { id: number };
  user: { id: number };
  status?: RegistrationStatus;
  membership?: { id: number } | null;
  waitlistPosition?: number | null;
  cancelledAt?: Date | null;
};

/** A registration written as it stands, without the booking rules (to set up a state to test against). */
export async function createRegistration(em: EntityManager, fields: RegistrationFields): Promise<ISessionRegistration> {
  const status = fields.status ?? "REGISTERED";
  const registration = em.create(
    SessionRegistration,
    {
      session: fields.session.id,
      user: fields.user.id,
      status,
      waitlistPosition: status === "WAITLISTED" ? (fields.waitlistPosition ?? 1) : null,
      membership: fields.membership?.id ?? null,
      cancelledAt: fields.cancelledAt !== undefined ? fields.cancelledAt : status === "CANCELLED" || status === "LATE_CANCELLED" ? new Date() : null,
    },
    { partial: true },
  );
  await em.flush();
  return registration;
}
