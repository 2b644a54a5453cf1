import { defineConfig, type Options } from "@mikro-orm/postgresql";
import { AppointmentBooking, AppointmentSlot } from "./appointments/appointments.entities.server";
import { AuthSession, CalendarFeed, LoginAttempt, PasswordToken, SignupAttempt, User } from "./auth/auth.entities.server";
import { RecoveryCode, TwoFactor } from "./auth/two-factor.entities.server";
import { StripeEvent } from "./billing/billing.entities.server";
import { SessionRegistration } from "./booking/booking.entities.server";
import { CoachNote, WeeklyCoachResponse } from "./coaching/coaching.entities.server";
import {
  CoachCohortMembership,
  Cohort,
  CohortCheckInConfig,
  CohortMembership,
  CohortPlan,
  QuestionnaireBundle,
  WeeklyQuestionnaireResponse,
} from "./cohorts/cohorts.entities.server";
import { Entry } from "./health/health.entities.server";
import { MembershipClassTypeAllowance, MembershipEvent, MembershipPlan, UserMembership } from "./memberships/memberships.entities.server";
import { Payment } from "./billing/payments.entities.server";
import { FormSubmission } from "./idempotency/idempotency.entities.server";
import { EmailMessage, Notification, NotificationPreference } from "./notifications/notifications.entities.server";
import { ClassType, Session, Venue } from "./sessions/sessions.entities.server";
import { SystemSettings } from "./settings/settings.entities.server";

/** Every entity the ORM knows; add new areas here. */
export const entities = [
  User,
  AuthSession,
  LoginAttempt,
  SignupAttempt,
  CalendarFeed,
  SystemSettings,
  Cohort,
  ClassType,
  Venue,
  Session,
  SessionRegistration,
  Notification,
  MembershipPlan,
  MembershipClassTypeAllowance,
  UserMembership,
  MembershipEvent,
  FormSubmission,
  Payment,
  StripeEvent,
  CohortMembership,
  CoachCohortMembership,
  CohortPlan,
  CohortCheckInConfig,
  QuestionnaireBundle,
  WeeklyQuestionnaireResponse,
  Entry,
  WeeklyCoachResponse,
  CoachNote,
  PasswordToken,
  EmailMessage,
  NotificationPreference,
  AppointmentSlot,
  AppointmentBooking,
  TwoFactor,
  RecoveryCode,
];

export const MIGRATIONS_PATH = "db/migrations";

/** Connections per pool at most (DATABASE_POOL_MAX, 10). */
export function poolMax(): number {
  return Number(process.env.DATABASE_POOL_MAX ?? 10);
}

/** One place for the ORM's options, shared by the app, the migration scripts, the CLI and the tests. */
export function ormConfig(clientUrl: string, extra: Partial<Options> = {}): Options {
  return defineConfig({
    clientUrl,
    entities,
    allowGlobalContext: false,
    pool: { min: 0, max: poolMax() },
    migrations: {
      path: MIGRATIONS_PATH,
      pathTs: MIGRATIONS_PATH,
      glob: "!(*.d).{js,ts}",
      emit: "ts",
      snapshot: true,
      snapshotName: ".snapshot-centurion",
      transactional: true,
      allOrNothing: true,
    },
    ...extra,
  });
}
