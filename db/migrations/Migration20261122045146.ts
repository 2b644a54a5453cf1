import { Migration } from "@mikro-orm/migrations";

export class Migration20261122045146 extends Migration {
  override name = "Migration20261122045146";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "membership_plan" ("id" serial primary key, "name" varchar(100) not null, "description" text null, "type" text not null, "sessions_per_week" int null, "commitment_months" int null, "total_sessions" int null, "duration_days" int null, "price_pence" int not null, "currency" varchar(3) not null default 'GBP', "late_cancel_cutoff_hours" int null, "allow_repeat_purchase" boolean not null default true, "purchasable_by_client" boolean not null default true, "penalty_system_enabled" boolean not null default false, "is_active" boolean not null default true, "stripe_product_id" varchar(255) null, "stripe_price_id" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "membership_plan_type_index" on "membership_plan" ("type");`);

    this.addSql(`create table "membership_class_type_allowance" ("id" serial primary key, "plan_id" int not null, "class_type_id" int not null);`);
    this.addSql(`create index "membership_class_type_allowance_plan_id_index" on "membership_class_type_allowance" ("plan_id");`);
    this.addSql(
      `alter table "membership_class_type_allowance" add constraint "membership_class_type_allowance_plan_id_class_type_id_unique" unique ("plan_id", "class_type_id");`,
    );

    this.addSql(
      `create table "user_membership" ("id" serial primary key, "user_id" int not null, "plan_id" int not null, "start_date" date not null, "end_date" date null, "status" text not null default 'ACTIVE', "sessions_remaining" int null, "paused_on" date null, "cancel_at_period_end" boolean not null default false, "cancelled_at" timestamptz null, "stripe_subscription_id" varchar(255) null, "stripe_checkout_session_id" varchar(255) null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`create index "user_membership_user_id_index" on "user_membership" ("user_id");`);
    this.addSql(`create index "user_membership_plan_id_index" on "user_membership" ("plan_id");`);
    this.addSql(`alter table "user_membership" add constraint "user_membership_stripe_checkout_session_id_unique" unique ("stripe_checkout_session_id");`);
    this.addSql(`create index "user_membership_user_id_status_index" on "user_membership" ("user_id", "status");`);

    this.addSql(
      `create table "membership_event" ("id" serial primary key, "membership_id" int not null, "action" text not null, "actor_id" int null, "note" text null, "at" timestamptz not null);`,
    );
    this.addSql(`create index "membership_event_membership_id_index" on "membership_event" ("membership_id");`);

    this.addSql(`alter table "membership_plan" add constraint "membership_plan_type_check" check ("type" in ('RECURRING', 'PACK', 'PREPAID'));`);

    this.addSql(
      `alter table "membership_class_type_allowance" add constraint "membership_class_type_allowance_plan_id_foreign" foreign key ("plan_id") references "membership_plan" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "membership_class_type_allowance" add constraint "membership_class_type_allowance_class_type_id_foreign" foreign key ("class_type_id") references "class_type" ("id") on delete cascade;`,
    );

    this.addSql(`alter table "user_membership" add constraint "user_membership_user_id_foreign" foreign key ("user_id") references "user" ("id");`);
    this.addSql(`alter table "user_membership" add constraint "user_membership_plan_id_foreign" foreign key ("plan_id") references "membership_plan" ("id");`);
    this.addSql(
      `alter table "user_membership" add constraint "user_membership_status_check" check ("status" in ('ACTIVE', 'PAUSED', 'EXPIRED', 'CANCELLED'));`,
    );

    this.addSql(
      `alter table "membership_event" add constraint "membership_event_membership_id_foreign" foreign key ("membership_id") references "user_membership" ("id") on delete cascade;`,
    );
    this.addSql(
      `alter table "membership_event" add constraint "membership_event_actor_id_foreign" foreign key ("actor_id") references "user" ("id") on delete set null;`,
    );
    this.addSql(`alter table "membership_plan" add constraint "membership_plan_price_check" check (price_pence >= 0);`);
    this.addSql(
      `alter table "membership_plan" add constraint "membership_plan_pack_check" check ((type <> 'PACK'::text) OR ((total_sessions IS NOT NULL) AND (total_sessions >= 1)));`,
    );
    this.addSql(
      `alter table "membership_plan" add constraint "membership_plan_prepaid_check" check ((type <> 'PREPAID'::text) OR ((duration_days IS NOT NULL) AND (duration_days >= 1)));`,
    );
    // A pack can never be spent below zero, however many bookings race.
    this.addSql(`alter table "user_membership" add constraint "user_membership_sessions_remaining_check" check (sessions_remaining >= 0);`);
    this.addSql(`alter table "user_membership" add constraint "user_membership_dates_check" check (end_date >= start_date);`);
    this.addSql(
      `alter table "membership_event" add constraint "membership_event_action_check" check ("action" in ('ASSIGNED', 'PURCHASED', 'PAUSED', 'RESUMED', 'CANCELLED', 'CANCEL_SCHEDULED', 'EXPIRED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "membership_class_type_allowance" drop constraint "membership_class_type_allowance_plan_id_foreign";`);
    this.addSql(`alter table "user_membership" drop constraint "user_membership_plan_id_foreign";`);
    this.addSql(`alter table "membership_event" drop constraint "membership_event_membership_id_foreign";`);

    this.addSql(`drop table if exists "membership_plan" cascade;`);
    this.addSql(`drop table if exists "membership_class_type_allowance" cascade;`);
    this.addSql(`drop table if exists "user_membership" cascade;`);
    this.addSql(`drop table if exists "membership_event" cascade;`);
  }
}
