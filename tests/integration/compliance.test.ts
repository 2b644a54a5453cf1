// A cohort member's compliance (issue 12): check-ins done of due, questionnaires submitted, classes attended.
import { describe, expect, it } from "vitest";
import { complianceFor } from "~/modules/coaching/compliance.server";
import { DEFAULT_SETTINGS } from "~/modules/settings/settings.rules";
import { addDays, toInstant } from "~/utils/time";
import { forkEm } from "../support/db";
import { createCohort, createEntry, createQuestionnaire, createResponse } from "../support/cohort-factories";
import { createRegistration, createSession, createUser } from "../support/factories";

const ZONE = "Europe/London";
const settings = { ...DEFAULT_SETTINGS, studioTimeZone: ZONE };
// A Wednesday in week 3 of a cohort that started on Monday 2 November 2026.
const START = "2026-11-02";
const TODAY = "2026-11-18";

describe("complianceFor", () => {
  it("counts check-ins, questionnaires and classes this week and over the programme", async () => {
    const em = await forkEm();
    const coach = await createUser(em, { role: "COACH" });
    const keen = await createUser(em);
    const quiet = await createUser(em);
    const cohort = await createCohort(em, {
      startDate: START,
      weeks: 6,
      coaches: [coach],
      members: [keen, quiet],
      checkIn: { metrics: ["weightKg"], frequencyDays: 7 },
    });
    const week1 = await createQuestionnaire(em, cohort, 1);
    const week2 = await createQuestionnaire(em, cohort, 2);
    await createQuestionnaire(em, cohort, 3);
    await createResponse(em, { bundle: week1, user: keen });
    await createResponse(em, { bundle: week2, user: keen, submittedAt: null });
    await createEntry(em, { user: keen, date: addDays(START, 1), weightKg: 80 });
    await createEntry(em, { user: keen, date: "2026-11-16", weightKg: 79.5 });
    await createEntry(em, { user: keen, date: "2026-11-19", weightKg: 79 }); // tomorrow: not counted yet
    await createEntry(em, { user: quiet, date: "2026-10-30", weightKg: 70 }); // before the programme
    for (const date of ["2026-11-03", "2026-11-17"]) {
      const session = await createSession(em, { coach, start: toInstant(date, "06:30", ZONE) });
      await createRegistration(em, { session, user: keen, status: "ATTENDED" });
    }

    const compliance = await complianceFor(em, cohort, [keen.id, quiet.id], TODAY, settings);

    expect(compliance.get(keen.id)).toEqual({
      week: 3,
      thisWeek: { checkIns: { done: 1, due: 1 }, questionnaire: { week: 2, state: "DRAFT" }, classesAttended: 1 },
      programme: { checkIns: { done: 2, due: 3 }, questionnaires: { done: 1, due: 2 }, classesAttended: 2 },
    });
    expect(compliance.get(quiet.id)).toEqual({
      week: 3,
      thisWeek: { checkIns: { done: 0, due: 1 }, questionnaire: { week: 2, state: "MISSING" }, classesAttended: 0 },
      programme: { checkIns: { done: 0, due: 3 }, questionnaires: { done: 0, due: 2 }, classesAttended: 0 },
    });
  });

  it("asks nothing before the programme starts", async () => {
    const em = await forkEm();
    const member = await createUser(em);
    const cohort = await createCohort(em, { startDate: START, weeks: 4, members: [member], checkIn: { metrics: ["mood"], frequencyDays: 3 } });
    await createQuestionnaire(em, cohort, 1);
    const compliance = await complianceFor(em, cohort, [member.id], "2026-10-30", settings);
    expect(compliance.get(member.id)).toEqual({
      week: null,
      thisWeek: { checkIns: { done: 0, due: 0 }, questionnaire: { week: null, state: "NONE" }, classesAttended: 0 },
      programme: { checkIns: { done: 0, due: 0 }, questionnaires: { done: 0, due: 0 }, classesAttended: 0 },
    });
  });
});
