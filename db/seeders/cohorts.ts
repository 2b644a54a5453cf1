// The demo cohort programme (issue 12): a running "8 Week Challenge" in its fourth week, with its
// questionnaires, check-ins, answers, feedback and notes, and a DRAFT "Kickstarter — January" open for
// registration. Every figure comes from a seeded generator or a formula, so two runs on the same day
// write the same data; each cohort is written whole in one transaction and skipped when it exists.
import type { EntityManager } from "@mikro-orm/postgresql";
import { User, type IUser } from "../../app/modules/auth/auth.entities.server";
import { SessionRegistration } from "../../app/modules/booking/booking.entities.server";
import { CoachNote, WeeklyCoachResponse } from "../../app/modules/coaching/coaching.entities.server";
import {
  CoachCohortMembership,
  Cohort,
  CohortCheckInConfig,
  CohortMembership,
  CohortPlan,
  QuestionnaireBundle,
  WeeklyQuestionnaireResponse,
  type ICohort,
} from "../../app/modules/cohorts/cohorts.entities.server";
import type { Answers, Question } from "../../app/modules/cohorts/questionnaire.rules";
import { Entry } from "../../app/modules/health/health.entities.server";
import { MembershipPlan } from "../../app/modules/memberships/memberships.entities.server";
import { ClassType, Session } from "../../app/modules/sessions/sessions.entities.server";
import { getSettings } from "../../app/modules/settings/settings.service.server";
import { addDays, mondayOf, todayIn, toInstant, type LocalDate, type LocalTime } from "../../app/utils/time";
import { DEMO_VENUE } from "./timetable";

export const CHALLENGE = {
  name: "8 Week Challenge",
  description:
    "Eight weeks of coached small-group training with a weekly check-in (weight, waist, sleep, energy and mood) and a short " +
    "questionnaire every Sunday. Gav and Rory read every check-in and reply to each of you every week.",
  weeks: 8,
  capacity: 15,
  /** Weeks before the seed's Monday that it started: the seed's week is its week 4. */
  startedWeeksAgo: 3,
  coaches: ["gav@centurion.test", "rory@centurion.test"],
  /** The demo clients who hold the "8 WEEK CHALLENGE" plan: client41 … client52. */
  clients: Array.from({ length: 12 }, (_, i) => `client${41 + i}@centurion.test`),
} as const;

export const KICKSTARTER_COHORT = {
  name: "Kickstarter — January",
  description: "Six weeks to start the year strong: up to five small-group sessions a week, a weekly check-in and coaching.",
  weeks: 6,
  capacity: 15,
  coaches: ["clare@centurion.test"],
  plan: "Kickstarter",
} as const;

/** The challenge's classes: HIIT on Monday at 18:05 with Gav and on Wednesday at 18:35 with Rory (both in the timetable). */
const CHALLENGE_CLASSES: { weekday: number; time: LocalTime; coach: string }[] = [
  { weekday: 1, time: "18:05", coach: "gav@centurion.test" },
  { weekday: 3, time: "18:35", coach: "rory@centurion.test" },
];

// ---------------------------------------------------------------------------------------------
// The questionnaires: the same core every week, and one question on the week's theme
// ---------------------------------------------------------------------------------------------

const CORE_QUESTIONS: Question[] = [
  { id: "wins", kind: "TEXT", prompt: "What went well this week?", required: true },
  { id: "training-effort", kind: "SCALE", prompt: "How hard did you train this week?", required: true },
  { id: "nutrition", kind: "SINGLE_CHOICE", prompt: "How did your eating go?", required: true, options: ["On plan", "Mostly on plan", "Off plan"] },
  { id: "water", kind: "NUMBER", prompt: "Water on an average day", required: false, unit: "litres" },
  {
    id: "obstacles",
    kind: "MULTIPLE_CHOICE",
    prompt: "What got in the way?",
    required: false,
    options: ["Work", "Family", "Sleep", "Travel", "Motivation", "Nothing"],
  },
  { id: "help", kind: "TEXT", prompt: "Anything you would like help with next week?", required: false },
];

const WEEK_THEMES: { title: string; intro: string; question: Question }[] = [
  {
    title: "Goals",
    intro: "Welcome to week 1! Tell us where you are starting from.",
    question: { id: "goal", kind: "TEXT", prompt: "What is your main goal for these eight weeks?", required: true },
  },
  {
    title: "Protein",
    intro: "This week we focused on protein at every meal.",
    question: { id: "protein", kind: "NUMBER", prompt: "Protein on an average day", required: false, unit: "g" },
  },
  {
    title: "Sleep",
    intro: "Sleep week: screens off half an hour before bed.",
    question: {
      id: "bedtime",
      kind: "SINGLE_CHOICE",
      prompt: "How often did you keep to your bedtime routine?",
      required: true,
      options: ["Every night", "Most nights", "A few nights", "Not at all"],
    },
  },
  {
    title: "Halfway",
    intro: "Halfway there. Look back at your week 1 goal.",
    question: { id: "confidence", kind: "SCALE", prompt: "How confident are you of reaching your goal?", required: true },
  },
  {
    title: "Steps",
    intro: "Move more outside the studio: aim for 8,000 steps a day.",
    question: { id: "steps", kind: "NUMBER", prompt: "Average daily steps", required: false, unit: "steps" },
  },
  {
    title: "Weekends",
    intro: "Weekends are where plans slip. How did yours go?",
    question: { id: "drinks", kind: "NUMBER", prompt: "Alcoholic drinks this week", required: false, unit: "drinks" },
  },
  {
    title: "Habits",
    intro: "Which of the habits we built are sticking?",
    question: {
      id: "habits",
      kind: "MULTIPLE_CHOICE",
      prompt: "Which habits have stuck?",
      required: true,
      options: ["Protein at every meal", "Two litres of water", "Bedtime routine", "Daily walk", "Three classes a week"],
    },
  },
  {
    title: "What next",
    intro: "The last week! Thank you for all your work.",
    question: {
      id: "next",
      kind: "SINGLE_CHOICE",
      prompt: "What would you like to do after the challenge?",
      required: true,
      options: ["Another cohort", "A monthly membership", "Classes as I go", "Not sure yet"],
    },
  },
];

export function challengeQuestionnaire(week: number): { title: string; intro: string; questions: Question[] } {
  const theme = WEEK_THEMES[week - 1];
  return { title: `Week ${week}: ${theme.title}`, intro: theme.intro, questions: [theme.question, ...CORE_QUESTIONS] };
}

// ---------------------------------------------------------------------------------------------
// Deterministic demo figures
// ---------------------------------------------------------------------------------------------

/** A small seeded generator (mulberry32): the same seed gives the same numbers on every run. */
function generator(seed: number): () => number {
  let state = seed | 0;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `value` to the nearest `step`, without binary leftovers (2.3, not 2.3000000000000003). */
const round = (value: number, step: number) => Number((Math.round(value / step) * step).toFixed(2));
const between = (random: () => number, min: number, max: number) => min + random() * (max - min);

/** Which member (0–11) leaves which passed week (1–3) out, so compliance varies. */
const MISSED_CHECK_INS = new Set(["3:2", "7:2", "7:3", "10:1"]);
/** Questionnaires: missed (no answer), left as a draft, or (the current week 3) not answered yet. */
const QUESTIONNAIRE_PLAN: Record<number, { missed: number[]; draft: number[] }> = {
  1: { missed: [10], draft: [7] },
  2: { missed: [3, 7], draft: [] },
  3: { missed: [7, 10, 11], draft: [3] },
};
/** Week 2's feedback: published for these members, a draft for these; the rest wait in the queue with all of week 3. */
const WEEK2_PUBLISHED = new Set([0, 1, 2, 4, 5]);
const WEEK2_DRAFT = new Set([8]);

const WINS = [
  "Made all three classes and prepped lunches on Sunday.",
  "Hit my water target most days.",
  "Felt stronger on the rower — beat last week's time.",
  "Said no to the office biscuits!",
  "Walked to work three days.",
  "Slept better after cutting late coffee.",
];
const GOALS = [
  "Lose 5 kg and feel fitter for summer.",
  "Run 5 km without stopping.",
  "Get back into a routine after the baby.",
  "Fit into my suit for the wedding.",
];
const HELP = ["Ideas for quick breakfasts.", "How to fit training around shifts.", "Stretches for tight hips.", "Nothing this week."];
/** A NUMBER question's plausible answers by unit: min, max, step. */
const NUMBER_RANGES: Record<string, [number, number, number]> = { litres: [1.2, 3, 0.1], g: [70, 150, 5], steps: [5000, 12000, 100], drinks: [0, 8, 1] };
const FEEDBACK = [
  "Brilliant week — your consistency is paying off. Keep the Sunday prep going and add one extra walk.",
  "Good work. Your energy scores are climbing; let's get sleep up to seven hours next.",
  "Solid effort even with a busy week. Pick one meal a day to get protein right and build from there.",
  "Great numbers this week. Push a little harder in the HIIT finishers — you have more in the tank.",
];

function answersFor(questions: Question[], random: () => number, member: number, week: number): Answers {
  const answers: Answers = {};
  for (const q of questions) {
    if (!q.required && random() < 0.3) continue;
    switch (q.kind) {
      case "TEXT": {
        const phrases = q.id === "goal" ? GOALS : q.id === "help" ? HELP : WINS;
        answers[q.id] = phrases[(member + week) % phrases.length];
        break;
      }
      case "NUMBER": {
        const [min, max, step] = NUMBER_RANGES[q.unit ?? ""] ?? [0, 10, 1];
        answers[q.id] = round(between(random, min, max), step);
        break;
      }
      case "SCALE":
        answers[q.id] = Math.floor(between(random, 5, 10));
        break;
      case "SINGLE_CHOICE":
        answers[q.id] = q.options![Math.floor(random() * Math.min(q.options!.length, 3))];
        break;
      case "MULTIPLE_CHOICE": {
        const picked = q.options!.filter(() => random() < 0.35);
        answers[q.id] = picked.length ? picked : [q.options![q.options!.length - 1]];
        break;
      }
    }
  }
  return answers;
}

// ---------------------------------------------------------------------------------------------
// Seeding
// ---------------------------------------------------------------------------------------------

async function usersByEmail(em: EntityManager, emails: readonly string[]): Promise<Map<string, IUser>> {
  const users = await em.find(User, { email: { $in: [...emails] } });
  return new Map(users.map((u) => [u.email, u]));
}

function requireUsers(found: Map<string, IUser>, emails: readonly string[]): IUser[] {
  return emails.map((email) => {
    const user = found.get(email);
    if (!user) throw new Error(`The cohort seed needs the demo user ${email}; seed the users first.`);
    return user;
  });
}

/** Adds the demo cohorts that are missing; a cohort already there (by name) is left as it is. */
export async function seedCohorts(em: EntityManager, now = new Date()): Promise<void> {
  const zone = (await getSettings(em)).studioTimeZone;
  const monday = mondayOf(todayIn(zone, now));
  if (!(await em.count(Cohort, { name: CHALLENGE.name }))) await em.transactional((tx) => seedChallenge(tx, monday, zone, now));
  if (!(await em.count(Cohort, { name: KICKSTARTER_COHORT.name }))) await em.transactional((tx) => seedKickstarter(tx, monday, todayIn(zone, now)));
}

async function seedChallenge(em: EntityManager, monday: LocalDate, zone: string, now: Date): Promise<void> {
  const start = addDays(monday, -7 * CHALLENGE.startedWeeksAgo);
  const people = await usersByEmail(em, [...CHALLENGE.coaches, ...CHALLENGE.clients]);
  const [gav, rory] = requireUsers(people, CHALLENGE.coaches);
  const coachOf = (member: number) => (member % 2 === 0 ? gav : rory);
  // A client already in another active cohort stays out (one active cohort per client).
  const busy = new Set(
    (await em.find(CohortMembership, { status: "ACTIVE", user: { email: { $in: [...CHALLENGE.clients] } } }, { populate: ["user"] })).map((m) => m.user.email),
  );
  const members = requireUsers(people, CHALLENGE.clients)
    .map((user, index) => ({ user, index }))
    .filter(({ user }) => !busy.has(user.email));

  const cohort = em.create(Cohort, {
    name: CHALLENGE.name,
    description: CHALLENGE.description,
    startDate: start,
    weeks: CHALLENGE.weeks,
    capacity: CHALLENGE.capacity,
    registrationOpensOn: addDays(start, -21),
    registrationClosesOn: addDays(start, 6),
    status: "ACTIVE",
    isFree: false,
  });
  for (const coach of [gav, rory]) em.create(CoachCohortMembership, { cohort, coach });
  em.create(CohortCheckInConfig, { cohort, metrics: ["weightKg", "waistCm", "sleepHours", "energy", "mood"], frequencyDays: 7 });
  for (const { user } of members)
    em.create(CohortMembership, { cohort, user, status: "ACTIVE", joinedAt: toInstant(addDays(start, -10), "12:00", zone), addedBy: gav, leftAt: null });
  const bundles = Array.from({ length: CHALLENGE.weeks }, (_, i) =>
    em.create(QuestionnaireBundle, { cohort, weekNumber: i + 1, ...challengeQuestionnaire(i + 1) }),
  );

  const passedWeeks = CHALLENGE.startedWeeksAgo;
  for (const { user, index } of members) {
    const random = generator(4100 + index);
    // Check-ins: one a week on the member's usual day (Monday to Wednesday), weight and waist slowly down.
    const weight = between(random, 62, 102);
    const waist = between(random, 72, 104);
    const weeklyLoss = between(random, 0.3, 0.9);
    const checkInWeeks = [...Array.from({ length: passedWeeks }, (_, i) => i + 1), ...(index % 3 === 0 ? [passedWeeks + 1] : [])];
    for (const week of checkInWeeks) {
      if (MISSED_CHECK_INS.has(`${index}:${week}`)) continue;
      const date = addDays(start, 7 * (week - 1) + (week === passedWeeks + 1 ? 0 : index % 3));
      em.create(Entry, {
        user,
        date,
        weightKg: round(weight - weeklyLoss * (week - 1) + between(random, -0.3, 0.3), 0.1),
        waistCm: round(waist - 0.6 * (week - 1) + between(random, -0.4, 0.4), 0.5),
        sleepHours: round(between(random, 5.5, 8.5), 0.5),
        energy: Math.floor(between(random, 4, 10)),
        mood: Math.floor(between(random, 4, 10)),
        note: week === 1 && index === 3 ? "Knee a bit sore after Wednesday." : null,
        enteredBy: week === 1 && index === 5 ? gav : null,
        bodyFatPct: null,
        steps: null,
      });
    }
    // Questionnaires of the passed weeks: submitted on the week's Sunday evening, unless missed or left as a draft.
    for (let week = 1; week <= passedWeeks; week++) {
      const plan = QUESTIONNAIRE_PLAN[week];
      if (plan.missed.includes(index)) continue;
      const sunday = addDays(start, 7 * week - 1);
      const draft = plan.draft.includes(index);
      const answers = answersFor(bundles[week - 1].questions, random, index, week);
      em.create(WeeklyQuestionnaireResponse, {
        bundle: bundles[week - 1],
        user,
        answers,
        status: draft ? "DRAFT" : "SUBMITTED",
        submittedAt: draft ? null : toInstant(sunday, "19:30", zone),
        corrections: [],
      });
      // Feedback: all of week 1 published, some of week 2; the rest (and week 3) wait in the queue.
      if (draft) continue;
      const published = week === 1 || (week === 2 && WEEK2_PUBLISHED.has(index));
      const drafted = week === 2 && WEEK2_DRAFT.has(index);
      if (!published && !drafted) continue;
      em.create(WeeklyCoachResponse, {
        cohort,
        user,
        weekNumber: week,
        coach: coachOf(index),
        body: FEEDBACK[(index + week) % FEEDBACK.length],
        status: published ? "PUBLISHED" : "DRAFT",
        publishedAt: published ? toInstant(addDays(sunday, 2), "12:00", zone) : null,
      });
    }
  }

  const memberNamed = (email: string) => members.find(({ user }) => user.email === email)?.user;
  const notes: { client: string; coach: IUser; week: number | null; body: string }[] = [
    { client: "client44@centurion.test", coach: rory, week: 2, body: "Knee niggle: swap jumps for step-ups until it settles." },
    { client: "client48@centurion.test", coach: gav, week: 3, body: "Missed two check-ins — travelling for work. Give them a call on Monday." },
    { client: "client41@centurion.test", coach: gav, week: null, body: "Wants to be under 80 kg by the end; on track so far." },
  ];
  for (const note of notes) {
    const client = memberNamed(note.client);
    if (client)
      em.create(CoachNote, {
        client,
        coach: note.coach,
        cohort,
        weekNumber: note.week,
        body: note.body,
        createdAt: toInstant(addDays(start, note.week ? 7 * note.week - 2 : 1), "09:00", zone),
      });
  }
  await em.flush();

  await linkChallengeClasses(em, cohort, members, people, start, zone, now);
}

/**
 * The challenge's classes: past weeks get their HIIT classes with the members' attendance (eight came,
 * one did not show), created unless the timetable already has the slot; the timetable's classes in the
 * remaining weeks are linked to the cohort. Runs inside the cohort's transaction, so once.
 */
async function linkChallengeClasses(
  em: EntityManager,
  cohort: ICohort,
  members: { user: IUser; index: number }[],
  people: Map<string, IUser>,
  start: LocalDate,
  zone: string,
  now: Date,
): Promise<void> {
  const hiit = await em.findOne(ClassType, { name: { $ilike: "HIIT" }, isActive: true });
  if (!hiit) return;
  let slot = 0;
  for (let week = 1; week <= CHALLENGE.weeks; week++) {
    for (const { weekday, time, coach } of CHALLENGE_CLASSES) {
      slot++;
      const startTime = toInstant(addDays(start, 7 * (week - 1) + weekday - 1), time, zone);
      const existing = await em.findOne(Session, { classType: hiit.id, startTime });
      if (existing) {
        if (!existing.cohort) existing.cohort = cohort;
        continue;
      }
      if (startTime >= now) continue;
      const session = em.create(Session, {
        classType: hiit,
        cohort,
        coach: people.get(coach)!,
        title: hiit.name,
        startTime,
        endTime: new Date(startTime.getTime() + hiit.defaultDurationMins * 60_000),
        maxOccupancy: hiit.defaultCapacity,
        location: DEMO_VENUE.name,
        notes: null,
        status: "SCHEDULED",
        bookingOpensDaysBefore: 14,
        bookingClosesMinutesBefore: 0,
        cancellationReason: null,
        cancelledAt: null,
        googleEventId: null,
      });
      // Nine of the members each time, in turn, one of whom (a different one each time) did not show.
      const booked = members.filter(({ index }) => (index + slot) % 4 !== 0).slice(0, Math.min(9, hiit.defaultCapacity));
      booked.forEach(({ user }, i) =>
        em.create(SessionRegistration, {
          session,
          user,
          status: i === slot % booked.length ? "NO_SHOW" : "ATTENDED",
          registeredAt: new Date(startTime.getTime() - 2 * 86_400_000),
          attendanceMarkedAt: new Date(session.endTime.getTime() + 600_000),
          waitlistPosition: null,
          cancelledAt: null,
          promotedFromWaitlistAt: null,
          membership: null,
        }),
      );
    }
  }
  await em.flush();
}

/** The first Monday of January that is at least a week away. */
function nextJanuaryStart(today: LocalDate): LocalDate {
  for (let year = Number(today.slice(0, 4)); ; year++) {
    const first = mondayOf(`${year}-01-07`);
    if (first >= addDays(today, 7)) return first;
  }
}

async function seedKickstarter(em: EntityManager, monday: LocalDate, today: LocalDate): Promise<void> {
  const plan = await em.findOne(MembershipPlan, { name: KICKSTARTER_COHORT.plan });
  const coaches = requireUsers(await usersByEmail(em, KICKSTARTER_COHORT.coaches), KICKSTARTER_COHORT.coaches);
  const start = nextJanuaryStart(today);
  const cohort = em.create(Cohort, {
    name: KICKSTARTER_COHORT.name,
    description: KICKSTARTER_COHORT.description,
    startDate: start,
    weeks: KICKSTARTER_COHORT.weeks,
    capacity: KICKSTARTER_COHORT.capacity,
    // Open from the seed's week until the day before it starts.
    registrationOpensOn: addDays(monday, -7),
    registrationClosesOn: addDays(start, -1),
    status: "DRAFT",
    isFree: false,
  });
  for (const coach of coaches) em.create(CoachCohortMembership, { cohort, coach });
  if (plan) em.create(CohortPlan, { cohort, plan });
  em.create(CohortCheckInConfig, { cohort, metrics: ["weightKg", "energy", "mood"], frequencyDays: 7 });
  await em.flush();
}
