import { Migration } from "@mikro-orm/migrations";

export class Migration20261122050457 extends Migration {
  override name = "Migration20261122050457";

  override up(): void | Promise<void> {
    this.addSql(`alter table "user" add "calendar_token" varchar(64) null;`);
    this.addSql(`alter table "user" add constraint "user_calendar_token_unique" unique ("calendar_token");`);

    this.addSql(`alter table "session_registration" add "membership_id" int null;`);
    this.addSql(
      `alter table "session_registration" add constraint "session_registration_membership_id_foreign" foreign key ("membership_id") references "user_membership" ("id") on delete set null;`,
    );
    this.addSql(`create index "session_registration_membership_id_index" on "session_registration" ("membership_id");`);
    this.addSql(
      `alter table "session_registration" add constraint "session_registration_waitlist_position_unique" unique ("session_id", "waitlist_position") deferrable initially deferred;`,
    );
    this.addSql(
      `alter table "session_registration" add constraint "session_registration_waitlist_check" check ((status = 'WAITLISTED'::text) = (waitlist_position IS NOT NULL));`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "session_registration" drop constraint "session_registration_membership_id_foreign";`);

    this.addSql(`drop index "session_registration_membership_id_index";`);
    this.addSql(`alter table "session_registration" drop constraint "session_registration_waitlist_position_unique";`);
    this.addSql(`alter table "session_registration" drop constraint "session_registration_waitlist_check";`);
    this.addSql(`alter table "session_registration" drop column "membership_id";`);

    this.addSql(`alter table "user" drop constraint "user_calendar_token_unique";`);
    this.addSql(`alter table "user" drop column "calendar_token";`);
  }
}
