import { Migration } from "@mikro-orm/migrations";

// ADR 0024. Sign-up attempts are recorded for throttling. Calendar feed tokens move from "user" to their own
// table, stored as SHA-256 (hex) only: the tokens that exist are hashed in place, so every calendar app
// already subscribed keeps its feed; they count as read now, so they lapse only after the idle limit.
export class Migration20261201002400 extends Migration {
  override name = "Migration20261201002400";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "signup_attempt" ("id" bigserial primary key, "email" varchar(255) not null, "ip_address" varchar(255) not null, "attempted_at" timestamptz not null);`,
    );
    this.addSql(`create index "signup_attempt_email_attempted_at_index" on "signup_attempt" ("email", "attempted_at");`);
    this.addSql(`create index "signup_attempt_ip_address_attempted_at_index" on "signup_attempt" ("ip_address", "attempted_at");`);

    this.addSql(
      `create table "calendar_feed" ("id" serial primary key, "user_id" int not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "last_used_at" timestamptz null);`,
    );
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_user_id_unique" unique ("user_id");`);
    this.addSql(`alter table "calendar_feed" add constraint "calendar_feed_token_hash_unique" unique ("token_hash");`);
    this.addSql(
      `alter table "calendar_feed" add constraint "calendar_feed_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`,
    );
    this.addSql(
      `insert into "calendar_feed" ("user_id", "token_hash", "created_at", "last_used_at")
       select "id", encode(sha256(convert_to("calendar_token", 'UTF8')), 'hex'), now(), now() from "user" where "calendar_token" is not null;`,
    );

    this.addSql(`alter table "user" drop constraint "user_calendar_token_unique";`);
    this.addSql(`alter table "user" drop column "calendar_token";`);
  }

  override down(): void | Promise<void> {
    // Only hashes were kept: going back leaves every client without a feed until they make a new one.
    this.addSql(`alter table "user" add "calendar_token" varchar(64) null;`);
    this.addSql(`alter table "user" add constraint "user_calendar_token_unique" unique ("calendar_token");`);
    this.addSql(`drop table if exists "calendar_feed" cascade;`);
    this.addSql(`drop table if exists "signup_attempt" cascade;`);
  }
}
