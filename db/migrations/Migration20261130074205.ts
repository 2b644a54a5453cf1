import { Migration } from "@mikro-orm/migrations";

export class Migration20261130074205 extends Migration {
  override name = "Migration20261130074205";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "payment" ("id" serial primary key, "user_id" int not null, "membership_id" int null, "kind" text not null, "stripe_object_id" varchar(255) not null, "amount_pence" int not null, "currency" varchar(3) not null, "status" varchar(30) not null, "receipt_url" text null, "occurred_at" timestamptz not null);`,
    );
    this.addSql(`create index "payment_user_id_index" on "payment" ("user_id");`);
    this.addSql(`alter table "payment" add constraint "payment_stripe_object_id_unique" unique ("stripe_object_id");`);
    this.addSql(`create index "payment_user_id_occurred_at_index" on "payment" ("user_id", "occurred_at");`);

    this.addSql(`alter table "payment" add constraint "payment_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`);
    this.addSql(
      `alter table "payment" add constraint "payment_membership_id_foreign" foreign key ("membership_id") references "user_membership" ("id") on delete set null;`,
    );
    this.addSql(`alter table "payment" add constraint "payment_kind_check" check ("kind" in ('PURCHASE', 'INVOICE', 'REFUND'));`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "payment" cascade;`);
  }
}
