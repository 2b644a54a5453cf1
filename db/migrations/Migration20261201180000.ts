import { Migration } from "@mikro-orm/migrations";

// ADR 0031. What a booking does while it holds the session's lock (app/modules/booking/register.server.ts,
// step 2), as one function: PL/pgSQL keeps the plan of each statement for the connection's life, where the
// same statements sent as text were planned again on every booking, and that planning took most of the
// lock's time. The caller has already taken the locks (the session, then the client's memberships by id)
// and passes what it read before them; the statuses come from booking.rules.ts as arrays, as elsewhere.
// It replaces booking_inputs_unchanged (Migration20261130120000), whose check it now makes itself.
export class Migration20261201180000 extends Migration {
  override name = "Migration20261201180000";

  override up(): void | Promise<void> {
    this.addSql(`create or replace function booking_place(
  p_session_id int,
  p_user_id int,
  p_membership_id int,
  p_charges_pack boolean,
  p_reuse boolean,
  p_registration_id int,
  p_notification_id int,
  p_now timestamptz,
  p_holds_place text[],
  p_membership_held text[],
  p_session_print text,
  p_registration_print text,
  p_memberships_print text,
  p_used_print text,
  p_used_now text,
  p_booked_kind text,
  p_booked_subject text,
  p_booked_body text,
  p_booked_payload text,
  p_waitlisted_kind text,
  p_waitlisted_subject text,
  p_waitlisted_body text,
  p_waitlisted_payload text,
  p_position_slot text
) returns table (placed_status text, placed_position int) language plpgsql as $$
declare
  v_taken int;
  v_last int;
  v_capacity int;
  v_status text;
  v_position int;
begin
  -- What step 1 read (the session, the client's registration and memberships, the week's use) must be what
  -- is there now, under the locks; else nothing is written and the booking starts again (ADR 8).
  if (select md5(s::text) from session s where s.id = p_session_id) is distinct from p_session_print
     or (select md5(r::text) from session_registration r where r.session_id = p_session_id and r.user_id = p_user_id) is distinct from p_registration_print
     or (select coalesce(string_agg(m.id || ':' || md5(m::text), ',' order by m.id), '') from user_membership m
          where m.user_id = p_user_id and m.status = any(p_membership_held)) is distinct from p_memberships_print
     or p_used_now is distinct from p_used_print then
    raise exception 'what the booking read has changed' using errcode = 'CB001';
  end if;

  -- The one decision taken under the lock: a place while places are left, else the next waitlist position.
  select count(*) filter (where r.status = any(p_holds_place)), coalesce(max(r.waitlist_position) filter (where r.status = 'WAITLISTED'), 0)
    into v_taken, v_last
    from session_registration r where r.session_id = p_session_id;
  select s.max_occupancy into v_capacity from session s where s.id = p_session_id;
  if v_taken < v_capacity then
    v_status := 'REGISTERED';
  else
    v_status := 'WAITLISTED';
    v_position := v_last + 1;
  end if;

  if p_reuse then
    update session_registration r
       set status = v_status, waitlist_position = v_position, membership_id = p_membership_id, registered_at = p_now,
           cancelled_at = null, promoted_from_waitlist_at = null, attendance_marked_at = null
     where r.id = p_registration_id;
  else
    insert into session_registration (id, session_id, user_id, status, waitlist_position, registered_at, membership_id)
    values (p_registration_id, p_session_id, p_user_id, v_status, v_position, p_now, p_membership_id);
  end if;

  if p_charges_pack and v_status = 'REGISTERED' then
    update user_membership m set sessions_remaining = m.sessions_remaining - 1, updated_at = p_now where m.id = p_membership_id;
  end if;

  -- The message as it turned out: the waitlist's texts get the position in place of the slot.
  if v_status = 'REGISTERED' then
    insert into notification (id, user_id, kind, subject, body, payload, created_at)
    values (p_notification_id, p_user_id, p_booked_kind, p_booked_subject, p_booked_body, p_booked_payload::jsonb, p_now);
  else
    insert into notification (id, user_id, kind, subject, body, payload, created_at)
    values (p_notification_id, p_user_id, p_waitlisted_kind, replace(p_waitlisted_subject, p_position_slot, v_position::text),
            replace(p_waitlisted_body, p_position_slot, v_position::text), replace(p_waitlisted_payload, p_position_slot, v_position::text)::jsonb, p_now);
  end if;

  return query select v_status, v_position;
end
$$;`);
    this.addSql(`drop function if exists booking_inputs_unchanged(boolean);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`create or replace function booking_inputs_unchanged(unchanged boolean) returns void language plpgsql as $$
begin
  if unchanged is not true then
    raise exception 'what the booking read has changed' using errcode = 'CB001';
  end if;
end
$$;`);
    this.addSql(
      `drop function if exists booking_place(int, int, int, boolean, boolean, int, int, timestamptz, text[], text[], text, text, text, text, text, text, text, text, text, text, text, text, text, text);`,
    );
  }
}
