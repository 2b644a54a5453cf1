import { randomBytes } from "node:crypto";
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import { getSettings } from "~/modules/settings/settings.service.server";
import { flushUnlessDuplicate, invalid, refuse, type Result } from "~/utils/result";
import { formatDate, formatDateTime, todayIn, type LocalDate } from "~/utils/time";
import { questionnaireWindow, questionnaireWindowState, type WindowState } from "./cohorts.rules";
import {
  CohortMembership,
  QuestionnaireBundle,
  WeeklyQuestionnaireResponse,
  type AnswerCorrection,
  type CohortMembershipStatus,
  type ICohort,
  type IQuestionnaireBundle,
  type IWeeklyQuestionnaireResponse,
  type ResponseStatus,
} from "./cohorts.entities.server";
import {
  answerField,
  answersFromForm,
  sameAnswer,
  titleForWeek,
  validateAnswers,
  validateQuestionRows,
  type Answers,
  type Question,
  type QuestionRow,
  type RawAnswers,
} from "./questionnaire.rules";

type CohortWeeks = Pick<ICohort, "id" | "weeks">;

const outsideProgramme = (cohort: CohortWeeks, week: number) =>
  refuse(`Week ${week} is outside this programme, which runs for ${cohort.weeks} week${cohort.weeks === 1 ? "" : "s"}.`);

/** A short random id for a new question (stable afterwards: answers are keyed by it). */
const newQuestionId = () => `q-${randomBytes(5).toString("hex")}`;

// ---------- the coach's side: building the weeks ----------

export function getBundle(em: EntityManager, cohortId: number, week: number): Promise<IQuestionnaireBundle | null> {
  return em.findOne(QuestionnaireBundle, { cohort: cohortId, weekNumber: week });
}

export type BundleInput = { title: string; intro?: string | null; rows: QuestionRow[] };
export type BundleResult = Result<{ bundle: IQuestionnaireBundle; created: boolean }>;

/** Creates or replaces week `week`'s questionnaire from the builder's rows (the whole set at once). */
export async function saveBundle(em: EntityManager, cohort: CohortWeeks, week: number, input: BundleInput): Promise<BundleResult> {
  if (week < 1 || week > cohort.weeks) return outsideProgramme(cohort, week);
  const checked = validateQuestionRows(input.rows, newQuestionId);
  if (!checked.ok) return invalid(checked.fieldErrors, "Please correct the questions marked below.");
  const fields = { title: input.title, intro: input.intro ?? null, questions: checked.questions };
  const existing = await getBundle(em, cohort.id, week);
  const bundle = existing ? em.assign(existing, fields) : em.create(QuestionnaireBundle, { cohort: cohort.id, weekNumber: week, ...fields }, { partial: true });
  const clash = await flushUnlessDuplicate(em, refuse("Someone saved this week's questionnaire at the same moment. Reload the page to see theirs."));
  return clash ?? { ok: true, bundle, created: !existing };
}

export type CopyResult = Result<{ bundle: IQuestionnaireBundle; replaced: boolean }>;

/**
 * Copies week `week`'s questionnaire (title, intro, questions with their ids) to the next week. Refused
 * past the programme's last week; an existing next week is replaced only when `replace` says so.
 */
export async function copyWeekToNext(em: EntityManager, cohort: CohortWeeks, week: number, options: { replace: boolean }): Promise<CopyResult> {
  if (week < 1 || week > cohort.weeks) return outsideProgramme(cohort, week);
  const next = week + 1;
  if (next > cohort.weeks) return refuse(`Week ${week} is the programme's last week, so there is no week ${next} to copy it to.`);
  const source = await getBundle(em, cohort.id, week);
  if (!source) return refuse(`Week ${week} has no questionnaire to copy yet.`);
  const target = await getBundle(em, cohort.id, next);
  if (target && !options.replace) {
    return refuse(`Week ${next} already has a questionnaire. Tick “Replace week ${next}” to overwrite it with week ${week}'s.`, {}, "exists");
  }
  const fields = { title: titleForWeek(source.title, week, next), intro: source.intro ?? null, questions: structuredClone(source.questions) };
  const bundle = target ? em.assign(target, fields) : em.create(QuestionnaireBundle, { cohort: cohort.id, weekNumber: next, ...fields }, { partial: true });
  const clash = await flushUnlessDuplicate(em, refuse(`Week ${next} got a questionnaire at the same moment. Reload the page and try again.`));
  return clash ?? { ok: true, bundle, replaced: !!target };
}

export type WeekOverview = {
  week: number;
  bundle: { id: number; title: string; questionCount: number; updatedAt: Date } | null;
  submitted: number;
  drafts: number;
};

/** Weeks 1..N of a cohort: each week's questionnaire (if built) and how many members submitted it, of how many. */
export async function questionnaireOverview(em: EntityManager, cohort: CohortWeeks): Promise<{ members: number; weeks: WeekOverview[] }> {
  const [bundles, counts, members] = await Promise.all([
    em.find(QuestionnaireBundle, { cohort: cohort.id }, { orderBy: { weekNumber: "asc" } }),
    em.execute<{ bundle_id: number; submitted: string; drafts: string }[]>(
      `select r.bundle_id,
              count(*) filter (where r.status = 'SUBMITTED') as submitted,
              count(*) filter (where r.status = 'DRAFT') as drafts
         from weekly_questionnaire_response r join questionnaire_bundle b on b.id = r.bundle_id
        where b.cohort_id = ? group by r.bundle_id`,
      [cohort.id],
    ),
    em.count(CohortMembership, { cohort: cohort.id, status: { $ne: "LEFT" } }),
  ]);
  const weeks = Array.from({ length: cohort.weeks }, (_, i): WeekOverview => {
    const bundle = bundles.find((b) => b.weekNumber === i + 1);
    const count = bundle ? counts.find((c) => c.bundle_id === bundle.id) : undefined;
    return {
      week: i + 1,
      bundle: bundle ? { id: bundle.id, title: bundle.title, questionCount: bundle.questions.length, updatedAt: bundle.updatedAt } : null,
      submitted: Number(count?.submitted ?? 0),
      drafts: Number(count?.drafts ?? 0),
    };
  });
  return { members, weeks };
}

export type WeekResponseRow = {
  userId: number;
  name: string;
  responseId: number | null;
  status: ResponseStatus | null;
  submittedAt: Date | null;
};

/** The cohort's members (and anyone who left after answering) with their response to week `week`, by name. */
export async function responsesForWeek(em: EntityManager, cohortId: number, week: number): Promise<WeekResponseRow[]> {
  const [memberships, bundle] = await Promise.all([
    em.find(CohortMembership, { cohort: cohortId, status: { $ne: "LEFT" } }, { populate: ["user"] }),
    getBundle(em, cohortId, week),
  ]);
  const responses = bundle ? await em.find(WeeklyQuestionnaireResponse, { bundle: bundle.id }, { populate: ["user"] }) : [];
  const people = new Map(memberships.map((m) => [m.user.id, m.user]));
  for (const response of responses) people.set(response.user.id, response.user);
  return [...people.values()]
    .map((user): WeekResponseRow => {
      const response = responses.find((r) => r.user.id === user.id);
      return {
        userId: user.id,
        name: user.name,
        responseId: response?.id ?? null,
        status: response?.status ?? null,
        submittedAt: response?.submittedAt ?? null,
      };
    })
    .sort((a, b) => a.name.localeCompare(b.name) || a.userId - b.userId);
}

// ---------- the member's side: answering ----------

type MemberContext = {
  membershipStatus: Extract<CohortMembershipStatus, "ACTIVE" | "COMPLETED">;
  cohort: ICohort;
  bundle: IQuestionnaireBundle;
};

/** The member's ACTIVE cohort membership, else their latest COMPLETED one, and that cohort's week `week` bundle. */
async function memberContext(em: EntityManager, userId: number, week: number): Promise<MemberContext | null> {
  const memberships = await em.find(
    CohortMembership,
    { user: userId, status: { $in: ["ACTIVE", "COMPLETED"] } },
    { populate: ["cohort"], orderBy: { joinedAt: "desc", id: "desc" } },
  );
  const membership = memberships.find((m) => m.status === "ACTIVE") ?? memberships[0];
  if (!membership) return null;
  const cohort = membership.cohort;
  if (week < 1 || week > cohort.weeks) return null;
  const bundle = await getBundle(em, cohort.id, week);
  if (!bundle) return null;
  return { membershipStatus: membership.status as MemberContext["membershipStatus"], cohort, bundle };
}

type Window = { state: WindowState; opensOn: LocalDate; closesOn: LocalDate };

async function windowOf(em: EntityManager, cohort: ICohort, week: number, now: Date): Promise<{ window: Window; zone: string }> {
  const settings = await getSettings(em);
  const today = todayIn(settings.studioTimeZone, now);
  const { opensOn, closesOn } = questionnaireWindow(cohort, week, settings);
  return { window: { state: questionnaireWindowState(cohort, week, settings, today), opensOn, closesOn }, zone: settings.studioTimeZone };
}

/** Why the member cannot change their answers now, or null when they can. The order matters: a submitted response says so first. */
function lockedReason(
  context: { membershipStatus: MemberContext["membershipStatus"]; week: number; window: Window; zone: string },
  response: Pick<IWeeklyQuestionnaireResponse, "status" | "submittedAt"> | null,
): string | null {
  const { week, window, zone } = context;
  if (response?.status === "SUBMITTED" && response.submittedAt) {
    return `You submitted this week's answers on ${formatDateTime(response.submittedAt, zone)}; they can no longer be changed.`;
  }
  if (context.membershipStatus !== "ACTIVE") return "This programme has finished, so its questionnaires can no longer be answered.";
  if (window.state === "NOT_YET_OPEN") return `Week ${week}'s questionnaire opens on ${formatDate(window.opensOn, zone)}.`;
  if (window.state === "CLOSED") return `Week ${week}'s questionnaire closed on ${formatDate(window.closesOn, zone)}.`;
  return null;
}

export type ResponseView = { id: number; status: ResponseStatus; answers: Answers; submittedAt: Date | null; updatedAt: Date };

const responseView = (r: IWeeklyQuestionnaireResponse): ResponseView => ({
  id: r.id,
  status: r.status,
  answers: r.answers,
  submittedAt: r.submittedAt ?? null,
  updatedAt: r.updatedAt,
});

export type MemberQuestionnaire = {
  cohort: { id: number; name: string; weeks: number };
  week: number;
  membershipStatus: MemberContext["membershipStatus"];
  bundle: { id: number; title: string; intro: string | null; questions: Question[] };
  response: ResponseView | null;
  window: Window;
  /** Null when the member may answer now; otherwise why the page is read-only. */
  lockedReason: string | null;
  zone: string;
};

/**
 * Week `week`'s questionnaire of the member's cohort (the ACTIVE one, else their last COMPLETED one, read-only),
 * their response and whether they may answer today. Null when they are in no cohort or it has no such week's questionnaire.
 */
export async function questionnaireForMember(em: EntityManager, user: { id: number }, week: number, now = new Date()): Promise<MemberQuestionnaire | null> {
  const context = await memberContext(em, user.id, week);
  if (!context) return null;
  const { cohort, bundle, membershipStatus } = context;
  const { window, zone } = await windowOf(em, cohort, week, now);
  const response = await em.findOne(WeeklyQuestionnaireResponse, { bundle: bundle.id, user: user.id });
  return {
    cohort: { id: cohort.id, name: cohort.name, weeks: cohort.weeks },
    week,
    membershipStatus,
    bundle: { id: bundle.id, title: bundle.title, intro: bundle.intro ?? null, questions: bundle.questions },
    response: response ? responseView(response) : null,
    window,
    lockedReason: lockedReason({ membershipStatus, week, window, zone }, response),
    zone,
  };
}

export type AnswerResult = Result<{ response: IWeeklyQuestionnaireResponse }>;

/**
 * Saves the member's answers as a draft or submits them. One transaction holding the response row's lock,
 * so a submitted response refuses every later save or submit, also when two requests race.
 */
async function answer(
  em: EntityManager,
  user: { id: number },
  week: number,
  raw: RawAnswers,
  mode: "draft" | "submit",
  now: Date,
): Promise<AnswerResult | null> {
  const context = await memberContext(em, user.id, week);
  if (!context) return null;
  const { cohort, bundle, membershipStatus } = context;
  const { window, zone } = await windowOf(em, cohort, week, now);
  const lockResponse = (tx: EntityManager) =>
    tx.findOne(WeeklyQuestionnaireResponse, { bundle: bundle.id, user: user.id }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });

  return em.transactional(async (tx) => {
    let response = await lockResponse(tx);
    const locked = lockedReason({ membershipStatus, week, window, zone }, response);
    if (locked) return refuse(locked);
    const checked = validateAnswers(bundle.questions, raw, mode);
    if (!checked.ok) {
      return invalid(
        checked.fieldErrors,
        mode === "submit"
          ? "Some answers are missing or need a fix: see the questions marked below."
          : "Some answers need a fix: see the questions marked below.",
      );
    }
    if (!response) {
      // The first save: a racing first save may insert the row meanwhile, so insert-if-missing, then lock and look again.
      await tx.execute(
        `insert into weekly_questionnaire_response (bundle_id, user_id, answers, status, corrections, created_at, updated_at)
         values (?, ?, '{}'::jsonb, 'DRAFT', '[]'::jsonb, now(), now()) on conflict (user_id, bundle_id) do nothing`,
        [bundle.id, user.id],
        "run",
      );
      response = await lockResponse(tx);
      if (!response) throw new Error("The questionnaire response vanished while it was locked.");
      const lockedNow = lockedReason({ membershipStatus, week, window, zone }, response);
      if (lockedNow) return refuse(lockedNow);
    }
    response.answers = checked.answers;
    if (mode === "submit") {
      response.status = "SUBMITTED";
      response.submittedAt = now;
    }
    await tx.flush();
    return { ok: true as const, response };
  });
}

/** Keeps the member's answers as a draft (missing answers are fine); refused once submitted or outside the window. */
export function saveDraft(em: EntityManager, user: { id: number }, week: number, raw: RawAnswers, now = new Date()): Promise<AnswerResult | null> {
  return answer(em, user, week, raw, "draft", now);
}

/** Submits the member's answers (every required question answered), which locks them. */
export function submitQuestionnaire(em: EntityManager, user: { id: number }, week: number, raw: RawAnswers, now = new Date()): Promise<AnswerResult | null> {
  return answer(em, user, week, raw, "submit", now);
}

// ---------- the coach's side: reading and correcting a response ----------

export type CoachResponseView = ResponseView & {
  corrections: AnswerCorrection[];
  member: { id: number; name: string; email: string };
  week: number;
  bundle: { id: number; title: string; intro: string | null; questions: Question[] };
};

/** One response of a cohort's member, for a coach of that cohort (the caller checked that). Null when it is not this cohort's. */
export async function responseForCoach(em: EntityManager, cohortId: number, responseId: number): Promise<CoachResponseView | null> {
  const response = await em.findOne(WeeklyQuestionnaireResponse, { id: responseId, bundle: { cohort: cohortId } }, { populate: ["bundle", "user"] });
  if (!response) return null;
  const { bundle, user } = response;
  return {
    ...responseView(response),
    corrections: response.corrections,
    member: { id: user.id, name: user.name, email: user.email },
    week: bundle.weekNumber,
    bundle: { id: bundle.id, title: bundle.title, intro: bundle.intro ?? null, questions: bundle.questions },
  };
}

/** `values`: every value posted for the question's `answer.<questionId>` field (several for a multiple choice). */
export type CorrectionInput = { cohortId: number; responseId: number; questionId: string; values: string[]; by: { id: number; name: string } };
export type CorrectionResult = Result<{ response: IWeeklyQuestionnaireResponse; correction: AnswerCorrection }>;

/**
 * A coach corrects one answer on a member's behalf (checked like the member's own answer; a required answer
 * of a submitted response cannot be cleared). The status stays as it is; the change is appended to `corrections`.
 */
export async function correctAnswer(em: EntityManager, input: CorrectionInput, now = new Date()): Promise<CorrectionResult | null> {
  return em.transactional(async (tx) => {
    const response = await tx.findOne(
      WeeklyQuestionnaireResponse,
      { id: input.responseId, bundle: { cohort: input.cohortId } },
      { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true },
    );
    if (!response) return null;
    const bundle = await tx.findOneOrFail(QuestionnaireBundle, response.bundle.id);
    const question = bundle.questions.find((q) => q.id === input.questionId);
    if (!question) return refuse("That question is not in this week's questionnaire.");
    const raw = answersFromForm(
      [question],
      input.values.map((value) => [answerField(question.id), value]),
    );
    const checked = validateAnswers([question], raw, response.status === "SUBMITTED" ? "submit" : "draft");
    if (!checked.ok) return invalid(checked.fieldErrors);
    const before = response.answers[question.id] ?? null;
    const after = checked.answers[question.id] ?? null;
    if (sameAnswer(before, after))
      return refuse("That is the answer already, so nothing changed.", { [question.id]: ["Change the answer, or leave it as it is."] });
    const correction: AnswerCorrection = { questionId: question.id, before, after, byUserId: input.by.id, byName: input.by.name, at: now.toISOString() };
    const answers = { ...response.answers };
    if (after === null) delete answers[question.id];
    else answers[question.id] = after;
    response.answers = answers;
    response.corrections = [...response.corrections, correction];
    await tx.flush();
    return { ok: true as const, response, correction };
  });
}
