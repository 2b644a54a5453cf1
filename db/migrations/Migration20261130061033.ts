import { Migration } from "@mikro-orm/migrations";

export class Migration20261130061033 extends Migration {
  override name = "Migration20261130061033";

  override up(): void | Promise<void> {
    this.addSql(
      `create table "form_submission" ("token" uuid not null, "purpose" varchar(50) not null, "actor_id" int not null, "result_id" int not null, "created_at" timestamptz not null, primary key ("token"));`,
    );
    this.addSql(`create index "form_submission_actor_id_index" on "form_submission" ("actor_id");`);

    this.addSql(
      `alter table "form_submission" add constraint "form_submission_actor_id_foreign" foreign key ("actor_id") references "user" ("id") on delete cascade;`,
    );
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "form_submission" cascade;`);
  }
}
