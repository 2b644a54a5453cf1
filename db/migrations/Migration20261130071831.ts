import { Migration } from "@mikro-orm/migrations";

export class Migration20261130071831 extends Migration {
  override name = "Migration20261130071831";

  override up(): void | Promise<void> {
    this.addSql(
      `alter table "membership_plan" add "stripe_sync_state" text not null default 'PENDING', add "stripe_sync_error" text null, add "stripe_synced_at" timestamptz null;`,
    );
    this.addSql(
      `alter table "membership_plan" add constraint "membership_plan_stripe_sync_state_check" check ("stripe_sync_state" in ('PENDING', 'SYNCED', 'FAILED'));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "membership_plan" drop constraint "membership_plan_stripe_sync_state_check";`);
    this.addSql(`alter table "membership_plan" drop column "stripe_sync_state", drop column "stripe_sync_error", drop column "stripe_synced_at";`);
  }
}
