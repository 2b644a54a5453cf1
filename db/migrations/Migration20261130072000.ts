import { Migration } from "@mikro-orm/migrations";

export class Migration20261130072000 extends Migration {
  override name = "Migration20261130072000";

  override up(): void | Promise<void> {
    this.addSql(`alter table "notification" drop constraint if exists "notification_kind_check";`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED', 'BOOKINGS_RELEASED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "notification" drop constraint if exists "notification_kind_check";`);
    this.addSql(
      `alter table "notification" add constraint "notification_kind_check" check ("kind" in ('SESSION_CANCELLED', 'WAITLIST_PROMOTED', 'WAITLIST_SKIPPED'));`,
    );
  }
}
