import { Migration } from "@mikro-orm/migrations";

// A second factor for sign-in (TOTP with recovery codes), and when each sign-in last had its password
// typed (re-authentication before changing settings, plans or roles). ADR 0026.
export class Migration20261130132600 extends Migration {
  override name = "Migration20261130132600";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "two_factor" ("user_id" int not null, "secret" text not null, "confirmed_at" timestamptz null, "last_used_step" bigint null, "failed_codes" int not null default 0, "failed_since" timestamptz null, "created_at" timestamptz not null, primary key ("user_id"));`,
    );
    this.addSql(
      `alter table "two_factor" add constraint "two_factor_user_id_foreign" foreign key ("user_id") references "user" ("id") on update cascade on delete cascade;`,
    );

    this.addSql(
      `create table "recovery_code" ("id" serial primary key, "user_id" int not null, "code_hash" varchar(100) not null, "used_at" timestamptz null, "created_at" timestamptz not null);`,
    );
    this.addSql(`create index "recovery_code_user_id_index" on "recovery_code" ("user_id");`);
    this.addSql(
      `alter table "recovery_code" add constraint "recovery_code_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`,
    );

    // Existing sign-ins had their password typed when they began.
    this.addSql(`alter table "auth_session" add "password_confirmed_at" timestamptz null, add "password_failures" int not null default 0;`);
    this.addSql(`update "auth_session" set "password_confirmed_at" = "created_at";`);
    this.addSql(`alter table "auth_session" alter column "password_confirmed_at" set not null;`);

    // A studio without the setting requires a second factor of coaches and admins. A database already
    // holding the demo studio (npm run dev's) keeps the README's demo sign-ins working, as a new seed does.
    this.addSql(`insert into "system_settings" ("key", "value", "updated_at")
      select 'staffTwoFactorRequired', 'false'::jsonb, now() where exists (select 1 from "user" where "email" = 'admin@centurion.test')
      on conflict ("key") do nothing;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "recovery_code" cascade;`);
    this.addSql(`drop table if exists "two_factor" cascade;`);
    this.addSql(`alter table "auth_session" drop column "password_confirmed_at", drop column "password_failures";`);
  }
}
