import { Migration } from "@mikro-orm/migrations";

export class Migration20261122043820 extends Migration {
  override name = "Migration20261122043820";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "class_type" ("id" serial primary key, "name" varchar(60) not null, "description" text null, "color" varchar(7) not null default '#1d4ed8', "default_capacity" int not null default 12, "default_duration_mins" int not null default 60, "booking_opens_days_before" int null, "booking_closes_minutes_before" int null, "is_active" boolean not null default true, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "class_type_is_active_index" on "class_type" ("is_active");`);

    this.addSql(
      `create table "cohort" ("id" serial primary key, "name" varchar(100) not null, "description" text null, "start_date" date not null, "weeks" int not null, "is_active" boolean not null default true, "created_at" timestamptz not null);`,
    );

    this.addSql(
      `create table "session" ("id" serial primary key, "class_type_id" int null, "cohort_id" int null, "coach_id" int not null, "title" varchar(100) not null, "start_time" timestamptz not null, "end_time" timestamptz not null, "max_occupancy" int not null, "location" varchar(200) null, "notes" text null, "status" text not null default 'SCHEDULED', "booking_opens_days_before" int not null, "booking_closes_minutes_before" int not null, "cancellation_reason" text null, "cancelled_at" timestamptz null, "google_event_id" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "session_class_type_id_index" on "session" ("class_type_id");`);
    this.addSql(`create index "session_cohort_id_index" on "session" ("cohort_id");`);
    this.addSql(`create index "session_coach_id_index" on "session" ("coach_id");`);
    this.addSql(`create index "session_start_time_index" on "session" ("start_time");`);
    this.addSql(`create index "session_status_index" on "session" ("status");`);

    this.addSql(
      `create table "session_registration" ("id" serial primary key, "session_id" int not null, "user_id" int not null, "status" text not null default 'REGISTERED', "waitlist_position" int null, "registered_at" timestamptz not null, "cancelled_at" timestamptz null, "promoted_from_waitlist_at" timestamptz null, "attendance_marked_at" timestamptz null);`,
    );
    this.addSql(`create index "session_registration_session_id_index" on "session_registration" ("session_id");`);
    this.addSql(`create index "session_registration_user_id_index" on "session_registration" ("user_id");`);
    this.addSql(`alter table "session_registration" add constraint "session_registration_session_id_user_id_unique" unique ("session_id", "user_id");`);

    this.addSql(
      `create table "notification" ("id" serial primary key, "user_id" int not null, "kind" text not null, "subject" varchar(200) not null, "body" text not null, "payload" jsonb not null, "created_at" timestamptz not null, "read_at" timestamptz null, "sent_at" timestamptz null);`,
    );
    this.addSql(`create index "notification_user_id_index" on "notification" ("user_id");`);
    this.addSql(`create index "notification_sent_at_index" on "notification" ("sent_at");`);

    this.addSql(`create table "venue" ("id" serial primary key, "name" varchar(100) not null, "address" text not null);`);
    this.addSql(`alter table "venue" add constraint "venue_name_unique" unique ("name");`);

    this.addSql(
      `alter table "session" add constraint "session_class_type_id_foreign" foreign key ("class_type_id") references "class_type" ("id") on delete set null;`,
    );
    this.addSql(`alter table "session" add constraint "session_cohort_id_foreign" foreign key ("cohort_id") references "cohort" ("id") on delete set null;`);
    this.addSql(`alter table "session" add constraint "session_coach_id_foreign" foreign key ("coach_id") references "user" ("id");`);
    this.addSql(`alter table "session" add constraint "session_status_check" check ("status" in ('SCHEDULED', 'CANCELLED', 'COMPLETED'));`);

    this.addSql(
      `alter table "session_registration" add constraint "session_registration_session_id_foreign" foreign key ("session_id") references "session" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "session_registration" add constraint "session_registration_user_id_foreign" foreign key ("user_id") references "user" ("id");`);
    this.addSql(
      `alter table "session_registration" add constraint "session_registration_status_check" check ("status" in ('REGISTERED', 'WAITLISTED', 'CANCELLED', 'LATE_CANCELLED', 'ATTENDED', 'NO_SHOW'));`,
    );

    this.addSql(`alter table "notification" add constraint "notification_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED'));`,
    );

    // Written by hand: rules the entity definitions cannot express.
    this.addSql(`create unique index "class_type_active_name_unique" on "class_type" (lower("name")) where "is_active";`);
    this.addSql(`alter table "class_type" add constraint "class_type_color_check" check ("color" ~ '^#[0-9a-f]{6}$');`);
    this.addSql(`alter table "class_type" add constraint "class_type_default_capacity_check" check ("default_capacity" >= 1);`);
    this.addSql(`alter table "class_type" add constraint "class_type_default_duration_check" check ("default_duration_mins" between 5 and 600);`);
    this.addSql(`alter table "session" add constraint "session_max_occupancy_check" check ("max_occupancy" >= 1);`);
    this.addSql(`alter table "session" add constraint "session_times_check" check ("end_time" > "start_time");`);
    // The recurring generator relies on this to skip what it made before.
    this.addSql(
      `create unique index "session_class_type_coach_start_unique" on "session" ("class_type_id", "coach_id", "start_time") where "class_type_id" is not null;`,
    );
    this.addSql(`create index "notification_unsent_index" on "notification" ("created_at") where "sent_at" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index if exists "session_class_type_coach_start_unique";`);
    this.addSql(`drop index if exists "class_type_active_name_unique";`);
    this.addSql(`alter table "session" drop constraint "session_class_type_id_foreign";`);
    this.addSql(`alter table "session" drop constraint "session_cohort_id_foreign";`);
    this.addSql(`alter table "session_registration" drop constraint "session_registration_session_id_foreign";`);

    this.addSql(`drop table if exists "class_type" cascade;`);
    this.addSql(`drop table if exists "cohort" cascade;`);
    this.addSql(`drop table if exists "session" cascade;`);
    this.addSql(`drop table if exists "session_registration" cascade;`);
    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop table if exists "venue" cascade;`);
  }
}
