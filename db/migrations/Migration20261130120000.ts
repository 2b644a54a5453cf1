import { Migration } from "@mikro-orm/migrations";

// The booking's locked query (app/modules/booking/register.server.ts) calls this to stop, rolling back,
// when what it read before taking its locks has changed since: SQLSTATE CB001, and the booking starts again.
export class Migration20261130120000 extends Migration {
  override name = "Migration20261130120000";

  override up(): void | Promise<void> {
    this.addSql(`create or replace function booking_inputs_unchanged(unchanged boolean) returns void language plpgsql as $$
begin
  if unchanged is not true then
    raise exception 'what the booking read has changed' using errcode = 'CB001';
  end if;
end
$$;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop function if exists booking_inputs_unchanged(boolean);`);
  }
}
