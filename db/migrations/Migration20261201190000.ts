import { Migration } from "@mikro-orm/migrations";

// A message kind for changes to how a person signs in: an admin's reset of their two-step sign-in
// (people.service.server.ts, resetTwoFactor). Only the two check constraints on `kind` change.
export class Migration20261201190000 extends Migration {
  override name = "Migration20261201190000";

  override up(): void | Promise<void> {
    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'WAITLIST_JOINED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'SESSION_CANCELLED', 'LATE_CANCEL', 'CLASS_REMINDER', 'MEMBERSHIP_ASSIGNED', 'MEMBERSHIP_PAUSED', 'MEMBERSHIP_RESUMED', 'MEMBERSHIP_CANCELLED', 'MEMBERSHIP_ENDING', 'BOOKINGS_RELEASED', 'PAYMENT_FAILED', 'MEMBERSHIP_PAYMENT_PAUSED', 'COHORT_NUDGE', 'COACH_FEEDBACK_PUBLISHED', 'CHECK_IN_DUE', 'PASSWORD_RESET', 'ACCOUNT_INVITE', 'APPOINTMENT_BOOKED', 'APPOINTMENT_CANCELLED', 'ACCOUNT_SECURITY'));`,
    );
    this.addSql(`alter table "notification_preference" drop constraint "notification_preference_kind_check";`);
    this.addSql(
      `alter table "notification_preference" add constraint "notification_preference_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'WAITLIST_JOINED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'SESSION_CANCELLED', 'LATE_CANCEL', 'CLASS_REMINDER', 'MEMBERSHIP_ASSIGNED', 'MEMBERSHIP_PAUSED', 'MEMBERSHIP_RESUMED', 'MEMBERSHIP_CANCELLED', 'MEMBERSHIP_ENDING', 'BOOKINGS_RELEASED', 'PAYMENT_FAILED', 'MEMBERSHIP_PAYMENT_PAUSED', 'COHORT_NUDGE', 'COACH_FEEDBACK_PUBLISHED', 'CHECK_IN_DUE', 'PASSWORD_RESET', 'ACCOUNT_INVITE', 'APPOINTMENT_BOOKED', 'APPOINTMENT_CANCELLED', 'ACCOUNT_SECURITY'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`delete from "notification" where "kind" = 'ACCOUNT_SECURITY';`);
    this.addSql(`delete from "notification_preference" where "kind" = 'ACCOUNT_SECURITY';`);
    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'WAITLIST_JOINED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'SESSION_CANCELLED', 'LATE_CANCEL', 'CLASS_REMINDER', 'MEMBERSHIP_ASSIGNED', 'MEMBERSHIP_PAUSED', 'MEMBERSHIP_RESUMED', 'MEMBERSHIP_CANCELLED', 'MEMBERSHIP_ENDING', 'BOOKINGS_RELEASED', 'PAYMENT_FAILED', 'MEMBERSHIP_PAYMENT_PAUSED', 'COHORT_NUDGE', 'COACH_FEEDBACK_PUBLISHED', 'CHECK_IN_DUE', 'PASSWORD_RESET', 'ACCOUNT_INVITE', 'APPOINTMENT_BOOKED', 'APPOINTMENT_CANCELLED'));`,
    );
    this.addSql(`alter table "notification_preference" drop constraint "notification_preference_kind_check";`);
    this.addSql(
      `alter table "notification_preference" add constraint "notification_preference_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'WAITLIST_JOINED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'SESSION_CANCELLED', 'LATE_CANCEL', 'CLASS_REMINDER', 'MEMBERSHIP_ASSIGNED', 'MEMBERSHIP_PAUSED', 'MEMBERSHIP_RESUMED', 'MEMBERSHIP_CANCELLED', 'MEMBERSHIP_ENDING', 'BOOKINGS_RELEASED', 'PAYMENT_FAILED', 'MEMBERSHIP_PAYMENT_PAUSED', 'COHORT_NUDGE', 'COACH_FEEDBACK_PUBLISHED', 'CHECK_IN_DUE', 'PASSWORD_RESET', 'ACCOUNT_INVITE', 'APPOINTMENT_BOOKED', 'APPOINTMENT_CANCELLED'));`,
    );
  }
}
