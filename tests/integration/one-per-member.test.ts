// "One per member" plans (allowRepeatPurchase = false) are refused to a member who has or had one (issue 10).
import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import { assignMembership } from "~/modules/memberships/lifecycle.service.server";
import { action } from "~/routes/admin.members.$userId";
import { forkEm } from "../support/db";
import { createMembership, createPlan, createUser } from "../support/factories";
import { postForm, signedInCookie } from "../support/routes";

let admin: IUser;
beforeAll(async () => {
  admin = await createUser(await forkEm(), { role: "ADMIN" });
});

const assign = async (user: { id: number }, plan: { id: number }) =>
  assignMembership(await forkEm(), { userId: user.id, planId: plan.id, startDate: "2026-03-02", actorId: admin.id });
const membershipsOf = async (user: { id: number }, plan: { id: number }) => (await forkEm()).count(UserMembership, { user: user.id, plan: plan.id });

describe("assigning a one-per-member plan", () => {
  it("is refused to a member who has or had one, with a message on the plan field, and creates nothing", async () => {
    const em = await forkEm();
    const plan = await createPlan(em, { type: "PACK", totalSessions: 1, allowRepeatPurchase: false });
    const client = await createUser(em);
    expect(await assign(client, plan)).toMatchObject({ ok: true });
    const refused = {
      ok: false,
      formError: "Please correct the fields marked below.",
      fieldErrors: { planId: [`${plan.name} is one per member, and this member already has or had it.`] },
    };
    expect(await assign(client, plan)).toEqual(refused);
    expect(await membershipsOf(client, plan)).toBe(1);

    // A cancelled one counts too.
    const other = await createUser(em);
    await createMembership(em, { user: other, plan, status: "CANCELLED" });
    expect(await assign(other, plan)).toEqual(refused);
    // Another member may have it; a plan that can be bought again is given again.
    expect(await assign(await createUser(em), plan)).toMatchObject({ ok: true });
    const repeatable = await createPlan(em, { type: "PACK", totalSessions: 1 });
    expect(await assign(client, repeatable)).toMatchObject({ ok: true });
    expect(await assign(client, repeatable)).toMatchObject({ ok: true });
  });

  it("holds under two assigns at once: exactly one membership", async () => {
    const em = await forkEm();
    const plan = await createPlan(em, { type: "PACK", totalSessions: 1, allowRepeatPurchase: false });
    for (let round = 0; round < 5; round++) {
      const client = await createUser(em);
      const results = await Promise.all([assign(client, plan), assign(client, plan), assign(client, plan)]);
      expect(
        results.filter((r) => r?.ok),
        `round ${round}`,
      ).toHaveLength(1);
      expect(await membershipsOf(client, plan)).toBe(1);
    }
  });

  it("answers 400 with the message on the admin's member page", async () => {
    const em = await forkEm();
    const plan = await createPlan(em, { type: "PACK", totalSessions: 1, allowRepeatPurchase: false });
    const client = await createUser(em);
    await createMembership(em, { user: client, plan });
    const response = await postForm(action, {
      path: `/admin/members/${client.id}`,
      params: { userId: String(client.id) },
      cookie: await signedInCookie(admin),
      fields: { intent: "assign", planId: String(plan.id), startDate: "2026-03-02", formToken: randomUUID() },
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      intent: "assign",
      fieldErrors: { planId: [`${plan.name} is one per member, and this member already has or had it.`] },
      values: { planId: String(plan.id) },
    });
    expect(await membershipsOf(client, plan)).toBe(1);
  });
});
