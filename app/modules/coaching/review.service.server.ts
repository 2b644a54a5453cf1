// The coach's review of a cohort: compliance at a glance, the "needs reply" queue, a member's weeks, the
// weekly feedback (draft → published, with the client's notification), private notes and nudges.
// Callers have already checked that the viewer coaches the cohort (cohortForCoach).
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import { refuse, isUniqueViolation, type Result } from "~/utils/result";
import { formatDate, formatDateTime, formatDayHeading, todayIn, type LocalDate } from "~/utils/time";
import { User } from "../auth/auth.entities.server";
import { cohortIdsCoachedBy, type Viewer } from "../cohorts/cohort-access.server";
import {
  CohortCheckInConfig,
  CohortMembership,
  QuestionnaireBundle,
  WeeklyQuestionnaireResponse,
  type CohortMembershipStatus,
  type ICohort,
} from "../cohorts/cohorts.entities.server";
import {
  checkInPeriods,
  currentCheckInPeriod,
  holdsMembersActive,
  lastDayOf,
  openQuestionnaireWeeks,
  programmeDay,
  questionnaireWindow,
  questionnaireWindowState,
  weekDates,
  type Programme,
  type ProgrammeDay,
} from "../cohorts/cohorts.rules";
import { Entry } from "../health/health.entities.server";
import type { WeightUnit } from "../health/health.rules";
import { notify } from "../notifications/notify.server";
import { getSettings } from "../settings/settings.service.server";
import { CoachNote, WeeklyCoachResponse } from "./coaching.entities.server";
import {
  isWeekViewable,
  missingItems,
  nudgeDedupeKey,
  nudgeMessage,
  sortReviewRows,
  type MissingItem,
  type NudgeCounts,
  type ReviewSort,
} from "./coaching.rules";
import { checkInsBetween, weekFeedback, weekQuestionnaire, type CheckInRow, type WeekFeedback, type WeekQuestionnaire } from "./cohort-week.server";
import { complianceFor, type Compliance, type Tally } from "./compliance.server";

type CohortLike = Pick<ICohort, "id" | "name" | "startDate" | "weeks" | "status">;
const programmeOf = (cohort: Pick<ICohort, "startDate" | "weeks">): Programme => ({ startDate: cohort.startDate, weeks: cohort.weeks });

/** The address of a member's week, where the coach replies. */
export const memberWeekPath = (cohortId: number, userId: number, week: number) => `/coach/cohorts/${cohortId}/members/${userId}/weeks/${week}`;

// ---------- the "needs reply" queue ----------

export type QueueItem = {
  responseId: number;
  cohortId: number;
  cohortName: string;
  userId: number;
  userName: string;
  week: number;
  submittedLabel: string;
  href: string;
};
export type NeedsReply = { total: number; items: QueueItem[] };

/**
 * Submitted questionnaires of current and past members (not those who left) without published feedback
 * for that cohort, member and week, oldest submission first. A draft reply keeps the week in the queue.
 * `cohortIds: "all"` (an admin's dashboard) spans every cohort that is not archived.
 */
export async function needsReplyQueue(em: EntityManager, scope: { cohortIds: number[] | "all" }, options: { limit?: number } = {}): Promise<NeedsReply> {
  if (scope.cohortIds !== "all" && scope.cohortIds.length === 0) return { total: 0, items: [] };
  const zone = (await getSettings(em)).studioTimeZone;
  const filter = scope.cohortIds === "all" ? `c.status <> 'ARCHIVED'` : `c.id = any(array[?]::int[])`;
  const rows = await em.execute<
    {
      response_id: number;
      cohort_id: number;
      cohort_name: string;
      week_number: number;
      user_id: number;
      user_name: string;
      submitted_at: Date;
      total: string;
    }[]
  >(
    `select r.id as response_id, c.id as cohort_id, c.name as cohort_name, b.week_number, u.id as user_id, u.name as user_name,
            r.submitted_at, count(*) over () as total
       from weekly_questionnaire_response r
       join questionnaire_bundle b on b.id = r.bundle_id
       join cohort c on c.id = b.cohort_id
       join cohort_membership m on m.cohort_id = c.id and m.user_id = r.user_id and m.status <> 'LEFT'
       join "user" u on u.id = r.user_id
      where r.status = 'SUBMITTED' and ${filter}
        and not exists (select 1 from weekly_coach_response f
                         where f.cohort_id = c.id and f.user_id = r.user_id and f.week_number = b.week_number and f.status = 'PUBLISHED')
      order by r.submitted_at asc, r.id asc
      limit ?`,
    [...(scope.cohortIds === "all" ? [] : [scope.cohortIds]), options.limit ?? 200],
  );
  return {
    total: Number(rows[0]?.total ?? 0),
    items: rows.map((row) => ({
      responseId: row.response_id,
      cohortId: row.cohort_id,
      cohortName: row.cohort_name,
      userId: row.user_id,
      userName: row.user_name,
      week: row.week_number,
      submittedLabel: formatDateTime(new Date(row.submitted_at), zone),
      href: memberWeekPath(row.cohort_id, row.user_id, row.week_number),
    })),
  };
}

/** The coach dashboard's panel: the queue across the cohorts the viewer runs (an admin: every cohort not archived). */
export async function needsReplyForViewer(em: EntityManager, viewer: Viewer, limit = 5): Promise<NeedsReply> {
  const cohortIds = viewer.role === "ADMIN" ? "all" : await cohortIdsCoachedBy(em, viewer.id);
  return needsReplyQueue(em, { cohortIds }, { limit });
}

// ---------- the cohort's compliance table ----------

export type ReviewRow = { userId: number; name: string; email: string } & Compliance;

export type CohortReview = {
  today: LocalDate;
  day: ProgrammeDay;
  rows: ReviewRow[];
  queue: NeedsReply;
  /** Members can be nudged: the cohort still holds them (DRAFT or ACTIVE). */
  canNudge: boolean;
};

/** Every current member's compliance this week and over the programme, in `sort` order, with the cohort's queue. */
export async function cohortReview(em: EntityManager, cohort: CohortLike, sort: ReviewSort, now = new Date()): Promise<CohortReview> {
  const settings = await getSettings(em);
  const today = todayIn(settings.studioTimeZone, now);
  const members = await em.find(CohortMembership, { cohort: cohort.id, status: { $ne: "LEFT" } }, { populate: ["user"] });
  const [compliance, queue] = await Promise.all([
    complianceFor(
      em,
      cohort,
      members.map((m) => m.user.id),
      today,
      settings,
    ),
    needsReplyQueue(em, { cohortIds: [cohort.id] }),
  ]);
  const rows = members.map((m) => ({ userId: m.user.id, name: m.user.name, email: m.user.email, ...compliance.get(m.user.id)! }));
  return { today, day: programmeDay(programmeOf(cohort), today), rows: sortReviewRows(rows, sort), queue, canNudge: holdsMembersActive(cohort.status) };
}

// ---------- a member's pages ----------

/** The member's row in this cohort (any status: a coach still reads the weeks of someone who left), or null. */
export async function cohortMember(em: EntityManager, cohortId: number, userId: number) {
  return em.findOne(CohortMembership, { cohort: cohortId, user: userId }, { populate: ["user"] });
}

export type WeekQuestionnaireState = "NONE" | "NOT_OPEN" | "OPEN" | "DRAFT" | "SUBMITTED" | "MISSED";

export type MemberWeekSummary = {
  week: number;
  label: string;
  begun: boolean;
  current: boolean;
  /** Check-in periods that began in this week (by today), and those with an entry; entries dated in the week. */
  checkIns: Tally & { entries: number };
  questionnaire: WeekQuestionnaireState;
  feedback: "NONE" | "DRAFT" | "PUBLISHED";
  notes: number;
};

export type MemberOverview = {
  member: { id: number; name: string; email: string; status: CohortMembershipStatus };
  today: LocalDate;
  day: ProgrammeDay;
  compliance: Compliance;
  weeks: MemberWeekSummary[];
  /** An ACTIVE member of a cohort that still holds its members can be nudged. */
  canNudge: boolean;
};

/** A member's weeks 1..M at a glance, or null when `userId` is not (and never was) in the cohort. */
export async function memberOverview(em: EntityManager, cohort: CohortLike, userId: number, now = new Date()): Promise<MemberOverview | null> {
  const membership = await cohortMember(em, cohort.id, userId);
  if (!membership) return null;
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const today = todayIn(zone, now);
  const programme = programmeOf(cohort);
  const [compliance, config, bundles, responses, entries, feedback, notes] = await Promise.all([
    complianceFor(em, cohort, [userId], today, settings),
    em.findOne(CohortCheckInConfig, { cohort: cohort.id }),
    em.find(QuestionnaireBundle, { cohort: cohort.id }, { fields: ["id", "weekNumber"] }),
    em.find(WeeklyQuestionnaireResponse, { user: userId, bundle: { cohort: cohort.id } }, { fields: ["bundle", "status"] }),
    em.find(Entry, { user: userId, date: { $gte: cohort.startDate, $lte: lastDayOf(programme) } }, { fields: ["date"] }),
    em.find(WeeklyCoachResponse, { cohort: cohort.id, user: userId }, { fields: ["weekNumber", "status"] }),
    em.find(CoachNote, { cohort: cohort.id, client: userId }, { fields: ["weekNumber"] }),
  ]);
  const dates = entries.map((entry) => entry.date);
  const periods = config ? checkInPeriods(programme, config.frequencyDays).filter((period) => period.from <= today) : [];
  const bundleOfWeek = new Map(bundles.map((bundle) => [bundle.weekNumber, bundle.id]));
  const responseOfBundle = new Map(responses.map((response) => [response.bundle.id, response.status]));
  const weeks: MemberWeekSummary[] = [];
  for (let week = 1; week <= cohort.weeks; week++) {
    const { first, last } = weekDates(programme, week);
    const inWeek = periods.filter((period) => first <= period.from && period.from <= last);
    const bundleId = bundleOfWeek.get(week);
    const window = questionnaireWindowState(programme, week, settings, today);
    const response = bundleId === undefined ? undefined : responseOfBundle.get(bundleId);
    weeks.push({
      week,
      label: `${formatDate(first, zone)} – ${formatDate(last, zone)}`,
      begun: first <= today,
      current: first <= today && today <= last,
      checkIns: {
        due: inWeek.length,
        done: inWeek.filter((period) => dates.some((date) => period.from <= date && date <= period.to)).length,
        entries: dates.filter((date) => first <= date && date <= last).length,
      },
      questionnaire: bundleId === undefined ? "NONE" : (response ?? (window === "NOT_YET_OPEN" ? "NOT_OPEN" : window === "OPEN" ? "OPEN" : "MISSED")),
      feedback: feedback.find((f) => f.weekNumber === week)?.status ?? "NONE",
      notes: notes.filter((note) => note.weekNumber === week).length,
    });
  }
  return {
    member: { id: membership.user.id, name: membership.user.name, email: membership.user.email, status: membership.status },
    today,
    day: programmeDay(programme, today),
    compliance: compliance.get(userId)!,
    weeks,
    canNudge: membership.status === "ACTIVE" && holdsMembersActive(cohort.status),
  };
}

export type NoteView = { id: number; body: string; author: string; atLabel: string };

export type MemberWeek = {
  member: { id: number; name: string; weightUnit: WeightUnit };
  week: number;
  label: string;
  current: boolean;
  checkIns: CheckInRow[];
  questionnaire: WeekQuestionnaire | null;
  /** The week's feedback in any state (the coach edits drafts and published ones alike). */
  feedback: WeekFeedback | null;
  notes: NoteView[];
};

/** A member's week for the coach, or null (a 404) when they are not in the cohort or the week is not 1..M or has not begun. */
export async function memberWeek(em: EntityManager, cohort: CohortLike, userId: number, week: number, now = new Date()): Promise<MemberWeek | null> {
  const membership = await cohortMember(em, cohort.id, userId);
  if (!membership) return null;
  const zone = (await getSettings(em)).studioTimeZone;
  const today = todayIn(zone, now);
  const programme = programmeOf(cohort);
  if (!isWeekViewable(programme, week, today)) return null;
  const { first, last } = weekDates(programme, week);
  const [checkIns, questionnaire, feedback, notes] = await Promise.all([
    checkInsBetween(em, userId, first, last, zone),
    weekQuestionnaire(em, cohort.id, userId, week, zone),
    weekFeedback(em, { cohortId: cohort.id, userId, week, publishedOnly: false }, zone),
    em.find(CoachNote, { cohort: cohort.id, client: userId, weekNumber: week }, { populate: ["coach"], orderBy: { createdAt: "desc", id: "desc" } }),
  ]);
  return {
    member: { id: membership.user.id, name: membership.user.name, weightUnit: membership.user.weightUnit },
    week,
    label: `${formatDate(first, zone)} – ${formatDate(last, zone)}`,
    current: first <= today && today <= last,
    checkIns,
    questionnaire,
    feedback,
    notes: notes.map((note) => ({ id: note.id, body: note.body, author: note.coach.name, atLabel: formatDateTime(note.createdAt, zone) })),
  };
}

// ---------- feedback and notes ----------

/** DRAFT: saved, not visible; PUBLISHED: published now (the client is notified); UPDATED: a published one edited (still published). */
export type FeedbackSaved = { ok: true; state: "DRAFT" | "PUBLISHED" | "UPDATED"; feedbackId: number; memberName: string };

/**
 * Saves the coach's feedback on a member's week (one per member and week), as a draft or published.
 * Publishing the first time notifies the client in the same transaction; a published one stays published
 * when edited. Null when the member or the week is not there to reply to.
 */
export async function saveFeedback(
  em: EntityManager,
  input: { cohort: CohortLike; userId: number; week: number; coachId: number; body: string; publish: boolean },
  now = new Date(),
): Promise<FeedbackSaved | null> {
  const membership = await cohortMember(em, input.cohort.id, input.userId);
  if (!membership) return null;
  const today = todayIn((await getSettings(em)).studioTimeZone, now);
  if (!isWeekViewable(programmeOf(input.cohort), input.week, today)) return null;
  const key = { cohort: input.cohort.id, user: input.userId, weekNumber: input.week };

  const attempt = () =>
    em.transactional(async (tx) => {
      // The row lock orders two coaches replying at once; the unique index settles two first replies.
      let feedback = await tx.findOne(WeeklyCoachResponse, key, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      feedback ??= tx.create(WeeklyCoachResponse, { ...key, coach: input.coachId, body: input.body, status: "DRAFT", publishedAt: null }, { partial: true });
      const wasPublished = feedback.status === "PUBLISHED";
      tx.assign(feedback, { body: input.body, coach: input.coachId });
      if (input.publish && !wasPublished) {
        feedback.status = "PUBLISHED";
        feedback.publishedAt = now;
      }
      await tx.flush();
      if (input.publish && !wasPublished) {
        const coach = await tx.findOneOrFail(User, input.coachId, { fields: ["name"] });
        await notify(tx, {
          userId: input.userId,
          kind: "COACH_FEEDBACK_PUBLISHED",
          subject: `Feedback on your week ${input.week} of ${input.cohort.name}`.slice(0, 200),
          body: `${coach.name} has replied to your week ${input.week}. Read it on your cohort page: /client/cohort/weeks/${input.week}`,
          payload: { cohortId: input.cohort.id, week: input.week, feedbackId: feedback.id },
        });
      }
      const state: FeedbackSaved["state"] = wasPublished ? "UPDATED" : input.publish ? "PUBLISHED" : "DRAFT";
      return { ok: true as const, state, feedbackId: feedback.id, memberName: membership.user.name };
    });
  try {
    return await attempt();
  } catch (error) {
    // Another coach's first reply was saved a moment before ours: now there is a row to lock and update.
    if (isUniqueViolation(error)) return attempt();
    throw error;
  }
}

/** Adds a coach's private note about a member's week (never shown to the client). Null as for saveFeedback. */
export async function addCoachNote(
  em: EntityManager,
  input: { cohort: CohortLike; userId: number; week: number; coachId: number; body: string },
  now = new Date(),
): Promise<{ ok: true; noteId: number } | null> {
  const membership = await cohortMember(em, input.cohort.id, input.userId);
  if (!membership) return null;
  const today = todayIn((await getSettings(em)).studioTimeZone, now);
  if (!isWeekViewable(programmeOf(input.cohort), input.week, today)) return null;
  const note = em.create(
    CoachNote,
    { client: input.userId, coach: input.coachId, cohort: input.cohort.id, weekNumber: input.week, body: input.body },
    { partial: true },
  );
  await em.flush();
  return { ok: true, noteId: note.id };
}

// ---------- nudges ----------

/**
 * Reminds the cohort's ACTIVE members (or just `userIds`) who have not checked in this period or not
 * submitted an open questionnaire: one COHORT_NUDGE notification each, at most one a day per member. The
 * day's key is unique in the database, so a second nudge that day (or a coach pressing at the same moment)
 * inserts nothing and counts the member as already nudged.
 */
export async function nudgeMembers(em: EntityManager, input: { cohort: CohortLike; userIds?: number[] }, now = new Date()): Promise<Result<NudgeCounts>> {
  const { cohort } = input;
  if (!holdsMembersActive(cohort.status)) return refuse("This cohort has ended, so there is nobody to nudge.");
  const settings = await getSettings(em);
  const zone = settings.studioTimeZone;
  const today = todayIn(zone, now);
  const programme = programmeOf(cohort);
  const members = await em.find(
    CohortMembership,
    { cohort: cohort.id, status: "ACTIVE", ...(input.userIds ? { user: { $in: input.userIds } } : {}) },
    { populate: ["user"] },
  );
  if (input.userIds && members.length === 0) return refuse("Only a current member of this cohort can be nudged.");
  const [config, bundles] = await Promise.all([
    em.findOne(CohortCheckInConfig, { cohort: cohort.id }),
    em.find(QuestionnaireBundle, { cohort: cohort.id }, { fields: ["id", "weekNumber"] }),
  ]);
  const period = config ? currentCheckInPeriod(programme, config.frequencyDays, today) : null;
  const openWeeks = openQuestionnaireWeeks(programme, settings, today);
  const open = bundles
    .filter((bundle) => openWeeks.includes(bundle.weekNumber))
    .map((bundle) => ({ bundleId: bundle.id, week: bundle.weekNumber, closesOn: questionnaireWindow(programme, bundle.weekNumber, settings).closesOn }));
  if (!period && open.length === 0) return refuse("Nothing is due in this cohort today: no check-in period and no open questionnaire.");

  const userIds = members.map((m) => m.user.id);
  const [entries, submitted] = await Promise.all([
    period && userIds.length ? em.find(Entry, { user: { $in: userIds }, date: { $gte: period.from, $lte: period.to } }, { fields: ["user", "date"] }) : [],
    open.length && userIds.length
      ? em.find(
          WeeklyQuestionnaireResponse,
          { user: { $in: userIds }, bundle: { $in: open.map((o) => o.bundleId) }, status: "SUBMITTED" },
          { fields: ["user", "bundle"] },
        )
      : [],
  ]);
  const weekOfBundle = new Map(open.map((o) => [o.bundleId, o.week]));

  const counts: NudgeCounts = { nudged: 0, alreadyNudged: 0, upToDate: 0 };
  const week = programmeDay(programme, today);
  for (const member of members) {
    const missing = missingItems({
      checkInPeriod: period,
      entryDates: entries.filter((e) => e.user.id === member.user.id).map((e) => e.date),
      openQuestionnaires: open,
      submittedWeeks: submitted.filter((r) => r.user.id === member.user.id).map((r) => weekOfBundle.get(r.bundle.id)!),
    });
    if (missing.length === 0) {
      counts.upToDate++;
      continue;
    }
    const inserted = await insertNudge(em, { cohort, userId: member.user.id, today, week: week.phase === "RUNNING" ? week.week : null, missing });
    if (inserted) counts.nudged++;
    else counts.alreadyNudged++;
  }
  return { ok: true, ...counts };
}

/** One nudge row; false when the member's key for the day is already taken (nudged earlier today, or just now by another coach). */
async function insertNudge(
  em: EntityManager,
  input: { cohort: CohortLike; userId: number; today: LocalDate; week: number | null; missing: MissingItem[] },
): Promise<boolean> {
  const message = nudgeMessage(input.cohort.name, input.missing, formatDayHeading);
  const id = await em.transactional((tx) =>
    notify(tx, {
      userId: input.userId,
      kind: "COHORT_NUDGE",
      subject: message.subject,
      body: message.body,
      payload: { cohortId: input.cohort.id, week: input.week, missing: input.missing },
      dedupeKey: nudgeDedupeKey(input.cohort.id, input.userId, input.today),
    }),
  );
  return id !== null;
}
