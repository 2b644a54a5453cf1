import { Migration } from "@mikro-orm/migrations";

export class Migration20261130084617 extends Migration {
  override name = "Migration20261130084617";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "cohort_check_in_config" ("id" serial primary key, "cohort_id" int not null, "metrics" jsonb not null, "frequency_days" int not null default 7, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "cohort_check_in_config" add constraint "cohort_check_in_config_cohort_id_unique" unique ("cohort_id");`);

    this.addSql(`create table "cohort_plan" ("id" serial primary key, "cohort_id" int not null, "plan_id" int not null);`);
    this.addSql(`create index "cohort_plan_cohort_id_index" on "cohort_plan" ("cohort_id");`);
    this.addSql(`create index "cohort_plan_plan_id_index" on "cohort_plan" ("plan_id");`);
    this.addSql(`alter table "cohort_plan" add constraint "cohort_plan_cohort_plan_unique" unique ("cohort_id", "plan_id");`);

    this.addSql(
      `create table "questionnaire_bundle" ("id" serial primary key, "cohort_id" int not null, "week_number" int not null, "title" varchar(120) not null, "intro" text null, "questions" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "questionnaire_bundle_cohort_id_index" on "questionnaire_bundle" ("cohort_id");`);
    this.addSql(`alter table "questionnaire_bundle" add constraint "questionnaire_bundle_cohort_week_unique" unique ("cohort_id", "week_number");`);

    this.addSql(
      `create table "entry" ("id" serial primary key, "user_id" int not null, "date" date not null, "weight_kg" double precision null, "body_fat_pct" double precision null, "waist_cm" double precision null, "sleep_hours" double precision null, "steps" int null, "energy" int null, "mood" int null, "note" text null, "entered_by_id" int null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "entry_user_id_index" on "entry" ("user_id");`);
    this.addSql(`alter table "entry" add constraint "entry_user_date_unique" unique ("user_id", "date");`);

    this.addSql(
      `create table "cohort_membership" ("id" serial primary key, "cohort_id" int not null, "user_id" int not null, "status" text not null default 'ACTIVE', "joined_at" timestamptz not null, "added_by_id" int null, "left_at" timestamptz null);`,
    );
    this.addSql(`create index "cohort_membership_cohort_id_index" on "cohort_membership" ("cohort_id");`);
    this.addSql(`create index "cohort_membership_user_id_index" on "cohort_membership" ("user_id");`);
    this.addSql(`alter table "cohort_membership" add constraint "cohort_membership_cohort_user_unique" unique ("cohort_id", "user_id");`);
    this.addSql(`create unique index "cohort_membership_one_active_per_user" on "cohort_membership" ("user_id") where "status" = 'ACTIVE';`);

    this.addSql(
      `create table "coach_note" ("id" serial primary key, "client_id" int not null, "coach_id" int not null, "cohort_id" int null, "week_number" int null, "body" text not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "coach_note_client_id_index" on "coach_note" ("client_id");`);
    this.addSql(`create index "coach_note_cohort_id_index" on "coach_note" ("cohort_id");`);

    this.addSql(
      `create table "coach_cohort_membership" ("id" serial primary key, "cohort_id" int not null, "coach_id" int not null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "coach_cohort_membership_cohort_id_index" on "coach_cohort_membership" ("cohort_id");`);
    this.addSql(`create index "coach_cohort_membership_coach_id_index" on "coach_cohort_membership" ("coach_id");`);
    this.addSql(`alter table "coach_cohort_membership" add constraint "coach_cohort_membership_cohort_coach_unique" unique ("cohort_id", "coach_id");`);

    this.addSql(
      `create table "weekly_coach_response" ("id" serial primary key, "cohort_id" int not null, "user_id" int not null, "week_number" int not null, "coach_id" int not null, "body" text not null, "status" text not null default 'DRAFT', "published_at" timestamptz null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "weekly_coach_response_cohort_id_index" on "weekly_coach_response" ("cohort_id");`);
    this.addSql(`create index "weekly_coach_response_user_id_index" on "weekly_coach_response" ("user_id");`);
    this.addSql(
      `alter table "weekly_coach_response" add constraint "weekly_coach_response_cohort_user_week_unique" unique ("cohort_id", "user_id", "week_number");`,
    );

    this.addSql(
      `create table "weekly_questionnaire_response" ("id" serial primary key, "bundle_id" int not null, "user_id" int not null, "answers" jsonb not null, "status" text not null default 'DRAFT', "submitted_at" timestamptz null, "corrections" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "weekly_questionnaire_response_bundle_id_index" on "weekly_questionnaire_response" ("bundle_id");`);
    this.addSql(`create index "weekly_questionnaire_response_user_id_index" on "weekly_questionnaire_response" ("user_id");`);
    this.addSql(`create index "weekly_questionnaire_response_submitted_at_index" on "weekly_questionnaire_response" ("submitted_at");`);
    this.addSql(
      `alter table "weekly_questionnaire_response" add constraint "weekly_questionnaire_response_user_bundle_unique" unique ("user_id", "bundle_id");`,
    );

    this.addSql(
      `alter table "cohort" add "capacity" int not null default 15, add "registration_opens_on" date null, add "registration_closes_on" date null, add "status" text not null default 'DRAFT', add "is_free" boolean not null default false, add "updated_at" timestamptz not null default now();`,
    );
    // Cohorts made before this had only a name, dates and is_active: keep what they were and start them on their week's Monday.
    this.addSql(
      `update "cohort" set "status" = case when "is_active" then 'ACTIVE' else 'ARCHIVED' end, "start_date" = "start_date" - (extract(isodow from "start_date")::int - 1);`,
    );
    this.addSql(`alter table "cohort" alter column "updated_at" drop default;`);
    this.addSql(`alter table "cohort" drop column "is_active";`);
    this.addSql(`create index "cohort_status_index" on "cohort" ("status");`);
    this.addSql(`alter table "cohort" add constraint "cohort_weeks_check" check (weeks >= 1 and weeks <= 52);`);
    this.addSql(`alter table "cohort" add constraint "cohort_capacity_check" check (capacity >= 1);`);
    this.addSql(`alter table "cohort" add constraint "cohort_start_monday_check" check (extract(isodow from start_date) = 1);`);
    this.addSql(
      `alter table "cohort" add constraint "cohort_registration_window_check" check (registration_opens_on is null or registration_closes_on is null or registration_closes_on >= registration_opens_on);`,
    );
    this.addSql(`alter table "cohort" add constraint "cohort_status_check" check ("status" in ('DRAFT', 'ACTIVE', 'COMPLETED', 'ARCHIVED'));`);

    this.addSql(`alter table "user" add "weight_unit" text not null default 'KG';`);
    this.addSql(`alter table "user" add constraint "user_weight_unit_check" check ("weight_unit" in ('KG', 'ST_LB'));`);

    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(`alter table "notification" add "dedupe_key" varchar(200) null;`);
    this.addSql(`alter table "notification" add constraint "notification_dedupe_key_unique" unique ("dedupe_key");`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'BOOKINGS_RELEASED', 'MEMBERSHIP_PAYMENT_PAUSED', 'COHORT_NUDGE', 'COACH_FEEDBACK_PUBLISHED'));`,
    );

    this.addSql(
      `alter table "cohort_check_in_config" add constraint "cohort_check_in_config_cohort_id_foreign" foreign key ("cohort_id") references "cohort" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "cohort_check_in_config" add constraint "cohort_check_in_config_frequency_check" check (frequency_days >= 1 and frequency_days <= 28);`,
    );

    this.addSql(
      `alter table "cohort_plan" add constraint "cohort_plan_cohort_id_foreign" foreign key ("cohort_id") references "cohort" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "cohort_plan" add constraint "cohort_plan_plan_id_foreign" foreign key ("plan_id") references "membership_plan" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "questionnaire_bundle" add constraint "questionnaire_bundle_cohort_id_foreign" foreign key ("cohort_id") references "cohort" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "questionnaire_bundle" add constraint "questionnaire_bundle_week_check" check (week_number >= 1);`);

    this.addSql(`alter table "entry" add constraint "entry_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`);
    this.addSql(`alter table "entry" add constraint "entry_entered_by_id_foreign" foreign key ("entered_by_id") references "user" ("id") on delete set null;`);
    this.addSql(`alter table "entry" add constraint "entry_weight_check" check (weight_kg is null or (weight_kg >= 20 and weight_kg <= 400));`);
    this.addSql(`alter table "entry" add constraint "entry_body_fat_check" check (body_fat_pct is null or (body_fat_pct >= 2 and body_fat_pct <= 70));`);
    this.addSql(`alter table "entry" add constraint "entry_waist_check" check (waist_cm is null or (waist_cm >= 30 and waist_cm <= 250));`);
    this.addSql(`alter table "entry" add constraint "entry_sleep_check" check (sleep_hours is null or (sleep_hours >= 0 and sleep_hours <= 24));`);
    this.addSql(`alter table "entry" add constraint "entry_steps_check" check (steps is null or (steps >= 0 and steps <= 200000));`);
    this.addSql(`alter table "entry" add constraint "entry_energy_check" check (energy is null or (energy >= 1 and energy <= 10));`);
    this.addSql(`alter table "entry" add constraint "entry_mood_check" check (mood is null or (mood >= 1 and mood <= 10));`);

    this.addSql(
      `alter table "cohort_membership" add constraint "cohort_membership_cohort_id_foreign" foreign key ("cohort_id") references "cohort" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "cohort_membership" add constraint "cohort_membership_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "cohort_membership" add constraint "cohort_membership_added_by_id_foreign" foreign key ("added_by_id") references "user" ("id") on delete set null;`,
    );
    this.addSql(`alter table "cohort_membership" add constraint "cohort_membership_status_check" check ("status" in ('ACTIVE', 'LEFT', 'COMPLETED'));`);

    this.addSql(`alter table "coach_note" add constraint "coach_note_client_id_foreign" foreign key ("client_id") references "user" ("id") on delete cascade;`);
    this.addSql(`alter table "coach_note" add constraint "coach_note_coach_id_foreign" foreign key ("coach_id") references "user" ("id") on delete cascade;`);
    this.addSql(
      `alter table "coach_note" add constraint "coach_note_cohort_id_foreign" foreign key ("cohort_id") references "cohort" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "coach_cohort_membership" add constraint "coach_cohort_membership_cohort_id_foreign" foreign key ("cohort_id") references "cohort" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "coach_cohort_membership" add constraint "coach_cohort_membership_coach_id_foreign" foreign key ("coach_id") references "user" ("id") on delete cascade;`,
    );

    this.addSql(
      `alter table "weekly_coach_response" add constraint "weekly_coach_response_cohort_id_foreign" foreign key ("cohort_id") references "cohort" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "weekly_coach_response" add constraint "weekly_coach_response_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "weekly_coach_response" add constraint "weekly_coach_response_coach_id_foreign" foreign key ("coach_id") references "user" ("id") on delete cascade;`,
    );
    this.addSql(`alter table "weekly_coach_response" add constraint "weekly_coach_response_week_check" check (week_number >= 1);`);
    this.addSql(
      `alter table "weekly_coach_response" add constraint "weekly_coach_response_published_check" check ((status = 'PUBLISHED') = (published_at is not null));`,
    );
    this.addSql(`alter table "weekly_coach_response" add constraint "weekly_coach_response_status_check" check ("status" in ('DRAFT', 'PUBLISHED'));`);

    this.addSql(
      `alter table "weekly_questionnaire_response" add constraint "weekly_questionnaire_response_bundle_id_foreign" foreign key ("bundle_id") references "questionnaire_bundle" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "weekly_questionnaire_response" add constraint "weekly_questionnaire_response_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "weekly_questionnaire_response" add constraint "weekly_questionnaire_response_submitted_check" check ((status = 'SUBMITTED') = (submitted_at is not null));`,
    );
    this.addSql(
      `alter table "weekly_questionnaire_response" add constraint "weekly_questionnaire_response_status_check" check ("status" in ('DRAFT', 'SUBMITTED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "weekly_questionnaire_response" drop constraint "weekly_questionnaire_response_bundle_id_foreign";`);

    this.addSql(`drop table if exists "cohort_check_in_config" cascade;`);
    this.addSql(`drop table if exists "cohort_plan" cascade;`);
    this.addSql(`drop table if exists "questionnaire_bundle" cascade;`);
    this.addSql(`drop table if exists "entry" cascade;`);
    this.addSql(`drop table if exists "cohort_membership" cascade;`);
    this.addSql(`drop table if exists "coach_note" cascade;`);
    this.addSql(`drop table if exists "coach_cohort_membership" cascade;`);
    this.addSql(`drop table if exists "weekly_coach_response" cascade;`);
    this.addSql(`drop table if exists "weekly_questionnaire_response" cascade;`);

    this.addSql(`drop index "cohort_status_index";`);
    this.addSql(`alter table "cohort" drop constraint "cohort_weeks_check";`);
    this.addSql(`alter table "cohort" drop constraint "cohort_capacity_check";`);
    this.addSql(`alter table "cohort" drop constraint "cohort_start_monday_check";`);
    this.addSql(`alter table "cohort" drop constraint "cohort_registration_window_check";`);
    this.addSql(`alter table "cohort" drop constraint "cohort_status_check";`);
    this.addSql(
      `alter table "cohort" drop column "capacity", drop column "registration_opens_on", drop column "registration_closes_on", drop column "status", drop column "is_free", drop column "updated_at";`,
    );
    this.addSql(`alter table "cohort" add "is_active" boolean not null default true;`);

    this.addSql(`alter table "notification" drop constraint "notification_dedupe_key_unique";`);
    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(`alter table "notification" drop column "dedupe_key";`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'BOOKINGS_RELEASED', 'MEMBERSHIP_PAYMENT_PAUSED'));`,
    );

    this.addSql(`alter table "user" drop constraint "user_weight_unit_check";`);
    this.addSql(`alter table "user" drop column "weight_unit";`);
  }
}
