import { Migration } from "@mikro-orm/migrations";

export class Migration20261130072751 extends Migration {
  override name = "Migration20261130072751";

  override up(): void | Promise<void> {
    this.addSql(`alter table "user" add "stripe_customer_id" varchar(255) null;`);
    this.addSql(`alter table "user" add constraint "user_stripe_customer_id_unique" unique ("stripe_customer_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "user" drop constraint "user_stripe_customer_id_unique";`);
    this.addSql(`alter table "user" drop column "stripe_customer_id";`);
  }
}
