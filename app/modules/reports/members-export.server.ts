// The members export: one CSV row per membership (and one for each client who never had one), with what a
// studio needs to carry on elsewhere — the plan and its type, dates, status, pauses, pack balance, weekly
// limit and the bookings charged to it. Two set-based queries: the rows with their counts, and the pauses.
import type { EntityManager } from "@mikro-orm/postgresql";
import type { Role } from "~/modules/auth/auth.entities.server";
import { effectiveMembershipStatus } from "~/modules/memberships/memberships.rules";
import type { MembershipStatus, PlanType } from "~/modules/memberships/memberships.entities.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { todayIn, type LocalDate } from "~/utils/time";
import { toCsv, type CsvCell } from "./csv.server";
import { formatPausePeriods, pausePeriods, type PauseEvent, type PausePeriod } from "./reports.rules";

export type MemberExportRow = {
  userId: number;
  name: string;
  email: string;
  role: Role;
  joined: LocalDate;
  deactivatedOn: LocalDate | null;
  membershipId: number | null;
  planName: string | null;
  planType: PlanType | null;
  /** As the app shows it today (an ACTIVE one past its end date reads EXPIRED). */
  status: MembershipStatus | null;
  startDate: LocalDate | null;
  endDate: LocalDate | null;
  cancelAtPeriodEnd: boolean | null;
  cancelledOn: LocalDate | null;
  pausedSince: LocalDate | null;
  pauses: PausePeriod[];
  sessionsRemaining: number | null;
  totalSessions: number | null;
  sessionsPerWeek: number | null;
  durationDays: number | null;
  pricePence: number | null;
  currency: string | null;
  /** Registrations charged to the membership, by status (whatever became of their sessions). */
  lateCancels: number | null;
  attended: number | null;
  noShows: number | null;
  /** Still booked into sessions that have not started and were not cancelled. */
  bookedUpcoming: number | null;
  stripeSubscriptionId: string | null;
};

type SqlRow = Omit<MemberExportRow, "pauses" | "status"> & { storedStatus: MembershipStatus | null };

/**
 * Every client (and anyone else holding a membership), one row per membership, ordered by name. Members
 * without any membership get one row with the membership columns empty.
 */
export async function membersExport(em: EntityManager, now = new Date()): Promise<MemberExportRow[]> {
  const zone = (await getSettings(em)).studioTimeZone;
  const today = todayIn(zone, now);
  const rows = await em.execute<SqlRow[]>(
    `select u.id as "userId", u.name, u.email, u.role,
       to_char(u.created_at at time zone ?, 'YYYY-MM-DD') as joined,
       to_char(u.deactivated_at at time zone ?, 'YYYY-MM-DD') as "deactivatedOn",
       m.id as "membershipId", p.name as "planName", p.type as "planType", m.status as "storedStatus",
       to_char(m.start_date, 'YYYY-MM-DD') as "startDate", to_char(m.end_date, 'YYYY-MM-DD') as "endDate",
       m.cancel_at_period_end as "cancelAtPeriodEnd", to_char(m.cancelled_at at time zone ?, 'YYYY-MM-DD') as "cancelledOn",
       to_char(m.paused_on, 'YYYY-MM-DD') as "pausedSince",
       m.sessions_remaining as "sessionsRemaining", p.total_sessions as "totalSessions", p.sessions_per_week as "sessionsPerWeek",
       p.duration_days as "durationDays", p.price_pence as "pricePence", p.currency, m.stripe_subscription_id as "stripeSubscriptionId",
       case when m.id is null then null else coalesce(rc.late_cancels, 0)::int end as "lateCancels",
       case when m.id is null then null else coalesce(rc.attended, 0)::int end as attended,
       case when m.id is null then null else coalesce(rc.no_shows, 0)::int end as "noShows",
       case when m.id is null then null else coalesce(rc.upcoming, 0)::int end as "bookedUpcoming"
     from "user" u
     left join user_membership m on m.user_id = u.id
     left join membership_plan p on p.id = m.plan_id
     left join (
       select r.membership_id,
         count(*) filter (where r.status = 'LATE_CANCELLED') as late_cancels,
         count(*) filter (where r.status = 'ATTENDED') as attended,
         count(*) filter (where r.status = 'NO_SHOW') as no_shows,
         count(*) filter (where r.status = 'REGISTERED' and s.status = 'SCHEDULED' and s.start_time > ?) as upcoming
       from session_registration r
       join session s on s.id = r.session_id
       where r.membership_id is not null
       group by r.membership_id
     ) rc on rc.membership_id = m.id
     where u.role = 'CLIENT' or m.id is not null
     order by lower(u.name), u.id, m.start_date nulls first, m.id`,
    [zone, zone, zone, now],
  );
  const events = await em.execute<(PauseEvent & { membershipId: number })[]>(
    `select membership_id as "membershipId", action, at from membership_event
     where action in ('PAUSED', 'RESUMED') order by membership_id, at, id`,
  );
  const eventsOf = new Map<number, PauseEvent[]>();
  for (const event of events) eventsOf.set(event.membershipId, [...(eventsOf.get(event.membershipId) ?? []), { action: event.action, at: new Date(event.at) }]);
  return rows.map(({ storedStatus, ...row }) => ({
    ...row,
    status:
      storedStatus && row.planType
        ? effectiveMembershipStatus(
            { status: storedStatus, endDate: row.endDate, cancelAtPeriodEnd: Boolean(row.cancelAtPeriodEnd), planType: row.planType },
            today,
          )
        : null,
    pauses: row.membershipId ? pausePeriods(eventsOf.get(row.membershipId) ?? [], zone, row.pausedSince) : [],
  }));
}

const HEADER = [
  "Member ID",
  "Name",
  "Email",
  "Role",
  "Joined",
  "Deactivated on",
  "Membership ID",
  "Plan",
  "Plan type",
  "Status",
  "Start date",
  "End date",
  "Cancelling at period end",
  "Cancelled on",
  "Paused since",
  "Pauses",
  "Pause periods",
  "Sessions remaining",
  "Total sessions",
  "Weekly limit",
  "Prepaid days",
  "Plan price",
  "Currency",
  "Late cancels",
  "Attended",
  "No-shows",
  "Booked upcoming",
  "Stripe subscription",
];

const yesNo = (value: boolean | null) => (value === null ? null : value ? "yes" : "no");

/** The rows as the CSV file, one line each, in the order of HEADER. */
export function membersCsv(rows: MemberExportRow[]): string {
  return toCsv(
    HEADER,
    rows.map((row): CsvCell[] => [
      row.userId,
      row.name,
      row.email,
      row.role,
      row.joined,
      row.deactivatedOn,
      row.membershipId,
      row.planName,
      row.planType,
      row.status,
      row.startDate,
      row.endDate,
      yesNo(row.cancelAtPeriodEnd),
      row.cancelledOn,
      row.pausedSince,
      row.membershipId ? row.pauses.length : null,
      formatPausePeriods(row.pauses) || null,
      row.sessionsRemaining,
      row.totalSessions,
      row.sessionsPerWeek,
      row.durationDays,
      row.pricePence === null ? null : row.pricePence / 100,
      row.currency,
      row.lateCancels,
      row.attended,
      row.noShows,
      row.bookedUpcoming,
      row.stripeSubscriptionId,
    ]),
  );
}

/** "centurion-members-2026-03-10.csv", dated in the studio's zone. */
export function membersFileName(today: LocalDate): string {
  return `centurion-members-${today}.csv`;
}
