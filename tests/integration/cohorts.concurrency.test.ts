// Cohort membership under concurrent requests: one active cohort per client (the partial unique index
// cohort_membership_one_active_per_user) and a cohort's capacity (its row locked while members are counted).
// Every request gets its own EntityManager, as two HTTP requests would.
import type { MikroORM } from "@mikro-orm/postgresql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { CohortMembership } from "~/modules/cohorts/cohorts.entities.server";
import { addCohortMember, joinCohort } from "~/modules/cohorts/cohorts.service.server";
import { action as coachAction } from "~/routes/coach.cohorts.$id._index";
import { createCohort } from "../support/cohort-factories";
import { createTestOrm } from "../support/db";
import { createUser } from "../support/factories";
import { refused } from "../support/results";
import { postForm, signedInCookie } from "../support/routes";

let orm: MikroORM;
const fork = () => orm.em.fork();

let coach: IUser;
beforeAll(async () => {
  orm = await createTestOrm({ pool: { min: 0, max: 12 } });
  coach = await createUser(fork(), { role: "COACH" });
});
afterAll(async () => {
  await orm.close();
});

const ROUNDS = 5;

describe("one active cohort per client", () => {
  it("two coaches adding the same client to two cohorts at once: exactly one succeeds, the other gets the message", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const client = await createUser(fork());
      const a = await createCohort(fork(), { coaches: [coach] });
      const b = await createCohort(fork(), { coaches: [coach] });
      const results = await Promise.all(
        [a, b].map((cohort) => addCohortMember(fork(), { cohortId: cohort.id, client: { userId: client.id }, addedById: coach.id })),
      );
      const won = results.findIndex((r) => r?.ok);
      expect(won, `round ${round}`).not.toBe(-1);
      const winner = [a, b][won];
      expect(
        results.filter((r) => r?.ok),
        `round ${round}`,
      ).toHaveLength(1);
      expect(results[1 - won], `round ${round}`).toEqual(refused(`${client.name} is already in the active cohort “${winner.name}”.`));
      expect(await fork().count(CohortMembership, { user: client.id, status: "ACTIVE" })).toBe(1);
    }
  });

  it("a client joining two cohorts at once ends up in one, the other answered with the message", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const client = await createUser(fork());
      const cohorts = [await createCohort(fork(), { isFree: true }), await createCohort(fork(), { isFree: true })];
      const results = await Promise.all(cohorts.map((cohort) => joinCohort(fork(), { cohortId: cohort.id, userId: client.id })));
      const won = results.findIndex((r) => r?.ok);
      expect(
        results.filter((r) => r?.ok),
        `round ${round}`,
      ).toHaveLength(1);
      expect(results[1 - won], `round ${round}`).toEqual(refused(`You are already in the active cohort “${cohorts[won].name}”.`));
      expect(await fork().count(CohortMembership, { user: client.id, status: "ACTIVE" })).toBe(1);
    }
  });

  it("over HTTP, two racing adds answer one 303 and one 400 with the message, never a 500", async () => {
    const cookie = await signedInCookie(coach);
    for (let round = 0; round < ROUNDS; round++) {
      const client = await createUser(fork());
      const cohorts = [await createCohort(fork(), { coaches: [coach] }), await createCohort(fork(), { coaches: [coach] })];
      const responses = await Promise.all(
        cohorts.map((cohort) =>
          postForm(coachAction, {
            path: `/coach/cohorts/${cohort.id}`,
            params: { id: String(cohort.id) },
            cookie,
            fields: { intent: "add-member", email: client.email },
          }),
        ),
      );
      expect(responses.map((r) => r.status).sort(), `round ${round}`).toEqual([303, 400]);
      const lost = responses.findIndex((r) => r.status === 400);
      const body = (await responses[lost].json()) as { intent: string; formError: string };
      expect(body).toMatchObject({ intent: "add-member", formError: `${client.name} is already in the active cohort “${cohorts[1 - lost].name}”.` });
    }
  });
});

describe("capacity", () => {
  it("two clients joining the last place at once: one joins, the other is told it is full", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const cohort = await createCohort(fork(), { isFree: true, capacity: 1 });
      const clients = [await createUser(fork()), await createUser(fork())];
      const results = await Promise.all(clients.map((client) => joinCohort(fork(), { cohortId: cohort.id, userId: client.id })));
      expect(
        results.filter((r) => r?.ok),
        `round ${round}`,
      ).toHaveLength(1);
      expect(results.find((r) => !r?.ok)).toEqual(refused(`“${cohort.name}” is full (1 place).`));
      expect(await fork().count(CohortMembership, { cohort: cohort.id, status: "ACTIVE" })).toBe(1);
    }
  });

  it("eight clients (and a coach adding) racing for three places fill exactly three", async () => {
    const cohort = await createCohort(fork(), { isFree: true, capacity: 3, coaches: [coach] });
    const clients = await Promise.all(Array.from({ length: 9 }, () => createUser(fork())));
    const results = await Promise.all([
      ...clients.slice(0, 8).map((client) => joinCohort(fork(), { cohortId: cohort.id, userId: client.id })),
      addCohortMember(fork(), { cohortId: cohort.id, client: { userId: clients[8].id }, addedById: coach.id }),
    ]);
    expect(results.filter((r) => r?.ok)).toHaveLength(3);
    expect(results.filter((r) => !r?.ok).every((r) => r && !r.ok && r.formError === `“${cohort.name}” is full (3 places).`)).toBe(true);
    expect(await fork().count(CohortMembership, { cohort: cohort.id, status: "ACTIVE" })).toBe(3);
  });
});
