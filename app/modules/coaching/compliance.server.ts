import type { EntityManager } from "@mikro-orm/postgresql";
import { SessionRegistration } from "../booking/booking.entities.server";
import { CohortCheckInConfig, QuestionnaireBundle, WeeklyQuestionnaireResponse, type ICohort } from "../cohorts/cohorts.entities.server";
import { Entry } from "../health/health.entities.server";
import type { Settings } from "../settings/settings.rules";
import { addDays, localDateOf, toInstant, type LocalDate } from "~/utils/time";
import { checkInCompliance, checkInPeriods, currentWeek, lastDayOf, questionnaireWindow, weekDates, type Programme } from "../cohorts/cohorts.rules";

export type Tally = { done: number; due: number };

/** How one member keeps up with a cohort: this week (the week `today` falls in) and over the programme so far. */
export type Compliance = {
  /** The programme week of `today`, or null before the start and after the end. */
  week: number | null;
  thisWeek: {
    /** Check-in periods that began this week (up to today), and those with an entry. */
    checkIns: Tally;
    /** The latest questionnaire that has opened by today: its week and state (NONE when no week has opened or it has no questionnaire). */
    questionnaire: { week: number | null; state: "SUBMITTED" | "DRAFT" | "MISSING" | "NONE" };
    classesAttended: number;
  };
  programme: {
    checkIns: Tally;
    /** Questionnaires whose window has opened, and those submitted. */
    questionnaires: Tally;
    classesAttended: number;
  };
};

type QuestionnaireSettings = Pick<Settings, "questionnaireOpensDaysBeforeWeekEnd" | "questionnaireClosesDaysAfterWeekEnd" | "studioTimeZone">;

function minDate(a: LocalDate, b: LocalDate): LocalDate {
  return a < b ? a : b;
}

/**
 * Compliance of the given members of a cohort on `today` (a studio-local date), in four queries whatever
 * the number of members. Members without data get zeros, so every id is in the map.
 */
export async function complianceFor(
  em: EntityManager,
  cohort: Pick<ICohort, "id" | "startDate" | "weeks">,
  userIds: number[],
  today: LocalDate,
  settings: QuestionnaireSettings,
): Promise<Map<number, Compliance>> {
  const programme: Programme = { startDate: cohort.startDate, weeks: cohort.weeks };
  const week = currentWeek(programme, today);
  const lastCounted = minDate(today, lastDayOf(programme));
  const result = new Map<number, Compliance>();
  if (userIds.length === 0) return result;

  const [config, bundles, responses, entries, attended] = await Promise.all([
    em.findOne(CohortCheckInConfig, { cohort: cohort.id }),
    em.find(QuestionnaireBundle, { cohort: cohort.id }, { fields: ["id", "weekNumber"] }),
    em.find(WeeklyQuestionnaireResponse, { user: { $in: userIds }, bundle: { cohort: cohort.id } }, { fields: ["user", "bundle", "status"] }),
    today < cohort.startDate
      ? Promise.resolve([])
      : em.find(Entry, { user: { $in: userIds }, date: { $gte: cohort.startDate, $lte: lastCounted } }, { fields: ["user", "date"] }),
    today < cohort.startDate
      ? Promise.resolve([])
      : em.find(
          SessionRegistration,
          {
            user: { $in: userIds },
            status: "ATTENDED",
            session: {
              startTime: {
                $gte: toInstant(cohort.startDate, "00:00", settings.studioTimeZone),
                $lt: toInstant(addDays(lastCounted, 1), "00:00", settings.studioTimeZone),
              },
            },
          },
          { fields: ["user", "session.startTime"], populate: ["session"] },
        ),
  ]);

  // Check-ins: the periods begun by today, and those of them in this week.
  const periods = config ? checkInPeriods(programme, config.frequencyDays).filter((period) => period.from <= today) : [];
  const thisWeekDates = week ? weekDates(programme, week) : null;
  const periodsThisWeek = thisWeekDates ? periods.filter((period) => period.from >= thisWeekDates.first) : [];

  // Questionnaires: the weeks (with a questionnaire) whose window has opened by today.
  const weekOfBundle = new Map(bundles.map((bundle) => [bundle.id, bundle.weekNumber]));
  const openedWeeks = bundles
    .map((bundle) => bundle.weekNumber)
    .filter((w) => w <= cohort.weeks && questionnaireWindow(programme, w, settings).opensOn <= today)
    .sort((a, b) => a - b);
  const latestOpened = openedWeeks.at(-1) ?? null;

  const idOf = (ref: number | { id: number }) => (typeof ref === "number" ? ref : ref.id);
  const entryDates = new Map<number, LocalDate[]>();
  for (const entry of entries) entryDates.set(idOf(entry.user), [...(entryDates.get(idOf(entry.user)) ?? []), entry.date]);
  const responseStates = new Map<number, Map<number, "SUBMITTED" | "DRAFT">>();
  for (const response of responses) {
    const w = weekOfBundle.get(idOf(response.bundle));
    if (w === undefined) continue;
    const states = responseStates.get(idOf(response.user)) ?? new Map<number, "SUBMITTED" | "DRAFT">();
    states.set(w, response.status);
    responseStates.set(idOf(response.user), states);
  }
  const attendedDates = new Map<number, LocalDate[]>();
  for (const registration of attended) {
    const date = localDateOf(registration.session.startTime, settings.studioTimeZone);
    attendedDates.set(idOf(registration.user), [...(attendedDates.get(idOf(registration.user)) ?? []), date]);
  }

  for (const userId of userIds) {
    const dates = entryDates.get(userId) ?? [];
    const states = responseStates.get(userId) ?? new Map<number, "SUBMITTED" | "DRAFT">();
    const classes = attendedDates.get(userId) ?? [];
    result.set(userId, {
      week,
      thisWeek: {
        checkIns: checkInCompliance(periodsThisWeek, dates),
        questionnaire: { week: latestOpened, state: latestOpened === null ? "NONE" : (states.get(latestOpened) ?? "MISSING") },
        classesAttended: thisWeekDates ? classes.filter((date) => date >= thisWeekDates.first && date <= thisWeekDates.last).length : 0,
      },
      programme: {
        checkIns: checkInCompliance(periods, dates),
        questionnaires: { done: openedWeeks.filter((w) => states.get(w) === "SUBMITTED").length, due: openedWeeks.length },
        classesAttended: classes.length,
      },
    });
  }
  return result;
}

/** "3/4" with a percentage for screen and CSV alike; "—" when nothing is due yet. */
export function tallyLabel(tally: Tally): string {
  return tally.due === 0 ? "—" : `${tally.done}/${tally.due}`;
}
