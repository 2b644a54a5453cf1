import { Migration } from "@mikro-orm/migrations";

export class Migration20261130091428 extends Migration {
  override name = "Migration20261130091428";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "password_token" ("id" serial primary key, "user_id" int not null, "purpose" text not null, "token_hash" varchar(64) not null, "expires_at" timestamptz not null, "used_at" timestamptz null, "requested_ip" varchar(64) null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "password_token_user_id_index" on "password_token" ("user_id");`);
    this.addSql(`alter table "password_token" add constraint "password_token_token_hash_unique" unique ("token_hash");`);
    this.addSql(`create index "password_token_created_at_index" on "password_token" ("created_at");`);

    this.addSql(
      `create table "notification_preference" ("id" serial primary key, "user_id" int not null, "kind" text not null, "email" boolean not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "notification_preference_user_id_index" on "notification_preference" ("user_id");`);
    this.addSql(`alter table "notification_preference" add constraint "notification_preference_user_kind_unique" unique ("user_id", "kind");`);

    this.addSql(
      `create table "email_message" ("id" serial primary key, "notification_id" int null, "user_id" int null, "to_address" varchar(320) not null, "subject" varchar(300) not null, "text_body" text not null, "html_body" text not null, "status" text not null default 'QUEUED', "attempts" int not null default 0, "last_error" text null, "transport_message_id" varchar(300) null, "created_at" timestamptz not null, "sent_at" timestamptz null);`,
    );
    this.addSql(`alter table "email_message" add constraint "email_message_notification_id_unique" unique ("notification_id");`);
    this.addSql(`create index "email_message_user_id_index" on "email_message" ("user_id");`);
    this.addSql(`create index "email_message_created_at_index" on "email_message" ("created_at");`);
    this.addSql(`create index "email_message_status_index" on "email_message" ("status");`);

    this.addSql(
      `create table "appointment_slot" ("id" serial primary key, "coach_id" int not null, "class_type_id" int not null, "start_time" timestamptz not null, "end_time" timestamptz not null, "location" varchar(200) null, "notes" text null, "status" text not null default 'OPEN', "cancelled_at" timestamptz null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "appointment_slot_coach_id_index" on "appointment_slot" ("coach_id");`);
    this.addSql(`create index "appointment_slot_class_type_id_index" on "appointment_slot" ("class_type_id");`);
    this.addSql(`create index "appointment_slot_start_time_index" on "appointment_slot" ("start_time");`);
    this.addSql(`create unique index "appointment_slot_coach_start_unique" on "appointment_slot" ("coach_id", "start_time") where "status" = 'OPEN';`);

    this.addSql(
      `create table "appointment_booking" ("id" serial primary key, "slot_id" int not null, "client_id" int not null, "membership_id" int null, "status" text not null default 'BOOKED', "booked_at" timestamptz not null, "cancelled_at" timestamptz null, "cancelled_by_id" int null);`,
    );
    this.addSql(`create index "appointment_booking_slot_id_index" on "appointment_booking" ("slot_id");`);
    this.addSql(`create index "appointment_booking_client_id_index" on "appointment_booking" ("client_id");`);
    this.addSql(
      `create unique index "appointment_booking_one_per_slot" on "appointment_booking" ("slot_id") where "status" in ('BOOKED', 'ATTENDED', 'NO_SHOW');`,
    );

    this.addSql(`alter table "user" add "deactivated_at" timestamptz null;`);

    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'WAITLIST_JOINED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'SESSION_CANCELLED', 'LATE_CANCEL', 'CLASS_REMINDER', 'MEMBERSHIP_ASSIGNED', 'MEMBERSHIP_PAUSED', 'MEMBERSHIP_RESUMED', 'MEMBERSHIP_CANCELLED', 'MEMBERSHIP_ENDING', 'BOOKINGS_RELEASED', 'PAYMENT_FAILED', 'MEMBERSHIP_PAYMENT_PAUSED', 'COHORT_NUDGE', 'COACH_FEEDBACK_PUBLISHED', 'CHECK_IN_DUE', 'PASSWORD_RESET', 'ACCOUNT_INVITE', 'APPOINTMENT_BOOKED', 'APPOINTMENT_CANCELLED'));`,
    );

    this.addSql(
      `alter table "password_token" add constraint "password_token_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "password_token" add constraint "password_token_purpose_check" check ("purpose" in ('RESET', 'INVITE'));`);

    this.addSql(
      `alter table "notification_preference" add constraint "notification_preference_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "notification_preference" add constraint "notification_preference_kind_check" check ("kind" in ('BOOKING_CONFIRMED', 'WAITLIST_JOINED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'SESSION_CANCELLED', 'LATE_CANCEL', 'CLASS_REMINDER', 'MEMBERSHIP_ASSIGNED', 'MEMBERSHIP_PAUSED', 'MEMBERSHIP_RESUMED', 'MEMBERSHIP_CANCELLED', 'MEMBERSHIP_ENDING', 'BOOKINGS_RELEASED', 'PAYMENT_FAILED', 'MEMBERSHIP_PAYMENT_PAUSED', 'COHORT_NUDGE', 'COACH_FEEDBACK_PUBLISHED', 'CHECK_IN_DUE', 'PASSWORD_RESET', 'ACCOUNT_INVITE', 'APPOINTMENT_BOOKED', 'APPOINTMENT_CANCELLED'));`,
    );

    this.addSql(
      `alter table "email_message" add constraint "email_message_notification_id_foreign" foreign key ("notification_id") references "notification" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "email_message" add constraint "email_message_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete set null;`,
    );
    this.addSql(`alter table "email_message" add constraint "email_message_status_check" check ("status" in ('OUTBOX', 'QUEUED', 'SENT', 'FAILED'));`);

    this.addSql(`alter table "appointment_slot" add constraint "appointment_slot_coach_id_foreign" foreign key ("coach_id") references "user" ("id");`);
    this.addSql(
      `alter table "appointment_slot" add constraint "appointment_slot_class_type_id_foreign" foreign key ("class_type_id") references "class_type" ("id");`,
    );
    this.addSql(`alter table "appointment_slot" add constraint "appointment_slot_times_check" check ("end_time" > "start_time");`);
    this.addSql(`alter table "appointment_slot" add constraint "appointment_slot_status_check" check ("status" in ('OPEN', 'CANCELLED'));`);

    this.addSql(
      `alter table "appointment_booking" add constraint "appointment_booking_slot_id_foreign" foreign key ("slot_id") references "appointment_slot" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "appointment_booking" add constraint "appointment_booking_client_id_foreign" foreign key ("client_id") references "user" ("id");`);
    this.addSql(
      `alter table "appointment_booking" add constraint "appointment_booking_membership_id_foreign" foreign key ("membership_id") references "user_membership" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "appointment_booking" add constraint "appointment_booking_cancelled_by_id_foreign" foreign key ("cancelled_by_id") references "user" ("id") on delete set null;`,
    );
    this.addSql(
      `alter table "appointment_booking" add constraint "appointment_booking_status_check" check ("status" in ('BOOKED', 'CANCELLED', 'LATE_CANCELLED', 'ATTENDED', 'NO_SHOW'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "appointment_booking" drop constraint "appointment_booking_slot_id_foreign";`);

    this.addSql(`drop table if exists "password_token" cascade;`);
    this.addSql(`drop table if exists "notification_preference" cascade;`);
    this.addSql(`drop table if exists "email_message" cascade;`);
    this.addSql(`drop table if exists "appointment_slot" cascade;`);
    this.addSql(`drop table if exists "appointment_booking" cascade;`);

    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'BOOKINGS_RELEASED', 'MEMBERSHIP_PAYMENT_PAUSED', 'COHORT_NUDGE', 'COACH_FEEDBACK_PUBLISHED'));`,
    );

    this.addSql(`alter table "user" drop column "deactivated_at";`);
  }
}
