// The studio's members as admins find them: search, one member, and the totals of the dashboard.
import type { EntityManager } from "@mikro-orm/postgresql";
import { todayIn } from "~/utils/time";
import { User } from "../auth/auth.entities.server";
import { getSettings, studioToday } from "../settings/settings.service.server";
import { UserMembership } from "./memberships.entities.server";
import { effectiveStatusOf, tallyMemberships, type MembershipTotals } from "./memberships.rules";
import type { MemberSearch } from "./memberships.schema";

/** Memberships in effect today by plan type, and the paused ones (expiry derived as everywhere else). */
export async function membershipTotals(em: EntityManager, now = new Date()): Promise<MembershipTotals> {
  const today = todayIn((await getSettings(em)).studioTimeZone, now);
  const memberships = await em.find(UserMembership, { status: { $in: ["ACTIVE", "PAUSED"] } }, { populate: ["plan"] });
  return tallyMemberships(memberships.map((m) => ({ planType: m.plan.type, status: effectiveStatusOf(m, today) })));
}

export const MEMBERS_PAGE_SIZE = 25;

/** Admin member search by name or email, optionally by plan and by effective membership status. */
export async function searchMembers(em: EntityManager, search: MemberSearch, now = new Date()) {
  const today = await studioToday(em, now);
  const conditions: string[] = [`u.role = 'CLIENT'`];
  const params: unknown[] = [];
  if (search.q) {
    conditions.push(`(u.name ilike ? or u.email ilike ?)`);
    const pattern = `%${search.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    params.push(pattern, pattern);
  }
  // The effective status in SQL, matching effectiveMembershipStatus.
  const effectiveSql = `case
      when m.status = 'CANCELLED' then 'CANCELLED'
      when m.status = 'PAUSED' and exists (select 1 from membership_plan p where p.id = m.plan_id and p.type = 'PREPAID') then 'PAUSED'
      when m.end_date is not null and m.end_date < ?::date then case when m.cancel_at_period_end then 'CANCELLED' else 'EXPIRED' end
      else m.status end`;
  if (search.plan || search.status) {
    if (search.status === "NONE") {
      conditions.push(`not exists (select 1 from user_membership m where m.user_id = u.id and (${effectiveSql}) in ('ACTIVE', 'PAUSED'))`);
      params.push(today);
    } else {
      const inner: string[] = ["m.user_id = u.id"];
      if (search.plan) {
        inner.push("m.plan_id = ?");
        params.push(search.plan);
      }
      if (search.status) {
        inner.push(`(${effectiveSql}) = ?`);
        params.push(today, search.status);
      }
      conditions.push(`exists (select 1 from user_membership m where ${inner.join(" and ")})`);
    }
  }
  const where = conditions.join(" and ");
  const page = search.page ?? 1;
  const connection = em;
  const [{ total }] = await connection.execute<{ total: string }[]>(`select count(*) as total from "user" u where ${where}`, params);
  const rows = await connection.execute<{ id: number; name: string; email: string }[]>(
    `select u.id, u.name, u.email from "user" u where ${where} order by u.name, u.id limit ? offset ?`,
    [...params, MEMBERS_PAGE_SIZE, (page - 1) * MEMBERS_PAGE_SIZE],
  );
  const memberships = await em.find(UserMembership, { user: { $in: rows.map((r) => r.id) } }, { populate: ["plan"] });
  return {
    page,
    total: Number(total),
    pageCount: Math.max(1, Math.ceil(Number(total) / MEMBERS_PAGE_SIZE)),
    members: rows.map((r) => ({
      ...r,
      memberships: memberships
        .filter((m) => m.user.id === r.id)
        .map((m) => ({ id: m.id, planName: m.plan.name, status: effectiveStatusOf(m, today) }))
        .filter((m) => m.status === "ACTIVE" || m.status === "PAUSED"),
    })),
  };
}

export async function findMember(em: EntityManager, userId: number) {
  return em.findOne(User, userId, { fields: ["id", "name", "email", "role"] });
}
