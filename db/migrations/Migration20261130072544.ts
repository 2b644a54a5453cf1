import { Migration } from "@mikro-orm/migrations";

export class Migration20261130072544 extends Migration {
  override name = "Migration20261130072544";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "stripe_event" ("id" varchar(255) not null, "type" varchar(100) not null, "stripe_created_at" timestamptz not null, "received_at" timestamptz not null, "processed_at" timestamptz not null, primary key ("id"));`,
    );

    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'BOOKINGS_RELEASED', 'MEMBERSHIP_PAYMENT_PAUSED'));`,
    );

    this.addSql(`alter table "user_membership" add "payment_failures" int not null default 0, add "payment_failing_since" timestamptz null;`);
    this.addSql(`create index "user_membership_stripe_subscription_id_index" on "user_membership" ("stripe_subscription_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "stripe_event" cascade;`);

    this.addSql(`alter table "notification" drop constraint "notification_kind_check";`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'BOOKINGS_RELEASED'));`,
    );

    this.addSql(`drop index "user_membership_stripe_subscription_id_index";`);
    this.addSql(`alter table "user_membership" drop column "payment_failures", drop column "payment_failing_since";`);
  }
}
