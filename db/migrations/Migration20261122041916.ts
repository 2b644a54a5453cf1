import { Migration } from "@mikro-orm/migrations";

export class Migration20261122041916 extends Migration {
  override name = "Migration20261122041916";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "login_attempt" ("id" bigserial primary key, "email" varchar(255) not null, "ip_address" varchar(255) not null, "succeeded" boolean not null, "attempted_at" timestamptz not null);`,
    );
    this.addSql(`create index "login_attempt_email_attempted_at_index" on "login_attempt" ("email", "attempted_at");`);
    this.addSql(`create index "login_attempt_ip_address_attempted_at_index" on "login_attempt" ("ip_address", "attempted_at");`);

    this.addSql(
      `create table "system_settings" ("key" varchar(255) not null, "value" jsonb not null, "updated_at" timestamptz not null, primary key ("key"));`,
    );

    this.addSql(
      `create table "user" ("id" serial primary key, "email" varchar(255) not null, "name" varchar(255) not null, "role" text not null default 'CLIENT', "password_hash" varchar(255) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null);`,
    );
    this.addSql(`alter table "user" add constraint "user_email_unique" unique ("email");`);
    this.addSql(`create index "user_role_index" on "user" ("role");`);
    this.addSql(`alter table "user" add constraint "user_role_check" check ("role" in ('CLIENT', 'COACH', 'ADMIN'));`);

    this.addSql(
      `create table "auth_session" ("id" varchar(255) not null, "user_id" int not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "expires_at" timestamptz not null, "user_agent" varchar(255) null, "ip_address" varchar(255) null, primary key ("id"));`,
    );
    this.addSql(`create index "auth_session_user_id_index" on "auth_session" ("user_id");`);
    this.addSql(`create index "auth_session_expires_at_index" on "auth_session" ("expires_at");`);

    this.addSql(`alter table "auth_session" add constraint "auth_session_user_id_foreign" foreign key ("user_id") references "user" ("id") on delete cascade;`);
  }
}
