// One submission, one record: "assign membership" and "new session" carry a one-time form token (issue 10).
import { beforeAll, describe, expect, it } from "vitest";
import { randomUUID } from "node:crypto";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { UserMembership } from "~/modules/memberships/memberships.entities.server";
import { assignMembership } from "~/modules/memberships/lifecycle.service.server";
import { Session } from "~/modules/sessions/sessions.entities.server";
import { createSession } from "~/modules/sessions/scheduling.service.server";
import * as memberPage from "~/routes/admin.members.$userId";
import * as newSessionPage from "~/routes/coach.sessions.new";
import { getFlashStorage } from "~/utils/flash.server";
import { forkEm } from "../support/db";
import { createPlan, createUser, uniqueName } from "../support/factories";
import { loaderData, postForm, signedInCookie } from "../support/routes";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
let admin: IUser;
let coach: IUser;
beforeAll(async () => {
  admin = await createUser(await forkEm(), { role: "ADMIN" });
  coach = await createUser(await forkEm(), { role: "COACH" });
});

async function flashOf(response: Response) {
  const session = await getFlashStorage().getSession(response.headers.get("Set-Cookie"));
  return session.get("flash");
}

const membershipsOf = async (user: { id: number }) => (await forkEm()).count(UserMembership, { user: user.id });

describe("assigning a membership with a form token", () => {
  const assign = async (user: { id: number }, plan: { id: number }, formToken: string, actorId = admin.id) =>
    assignMembership(await forkEm(), { userId: user.id, planId: plan.id, startDate: "2026-03-02", actorId, formToken });

  it("a second submission of the same token creates nothing and answers the first's membership", async () => {
    const plan = await createPlan(await forkEm(), { type: "PACK" });
    const client = await createUser(await forkEm());
    const token = randomUUID();
    const first = await assign(client, plan, token);
    const second = await assign(client, plan, token);
    expect(first).toMatchObject({ ok: true, replayed: false });
    expect(second).toMatchObject({ ok: true, replayed: true });
    expect(second?.ok && second.membership.id).toBe(first?.ok && first.membership.id);
    expect(await membershipsOf(client)).toBe(1);
    // A new token (the page reloaded) assigns again.
    expect(await assign(client, plan, randomUUID())).toMatchObject({ ok: true, replayed: false });
    expect(await membershipsOf(client)).toBe(2);
  });

  it("holds when the same token arrives three times at once", async () => {
    const plan = await createPlan(await forkEm(), { type: "PACK" });
    for (let round = 0; round < 3; round++) {
      const client = await createUser(await forkEm());
      const token = randomUUID();
      const results = await Promise.all([assign(client, plan, token), assign(client, plan, token), assign(client, plan, token)]);
      expect(
        results.every((r) => r?.ok),
        `round ${round}`,
      ).toBe(true);
      expect(new Set(results.map((r) => r?.ok && r.membership.id)).size, `round ${round}`).toBe(1);
      expect(await membershipsOf(client)).toBe(1);
    }
  });

  it("a refused submission does not use the token up; a token used elsewhere is refused", async () => {
    const once = await createPlan(await forkEm(), { type: "PACK", allowRepeatPurchase: false });
    const other = await createPlan(await forkEm(), { type: "PACK" });
    const client = await createUser(await forkEm());
    await assign(client, once, randomUUID());
    const token = randomUUID();
    expect(await assign(client, once, token)).toMatchObject({ ok: false });
    expect(await assign(client, other, token)).toMatchObject({ ok: true, replayed: false });
    // The same token for another member, or by another admin: refused, nothing created.
    const someoneElse = await createUser(await forkEm());
    const refusal = { ok: false, fieldErrors: {}, formError: "This form has already been used. Reload the page and try again." };
    expect(await assign(someoneElse, other, token)).toEqual(refusal);
    expect(await assign(client, other, token, (await createUser(await forkEm(), { role: "ADMIN" })).id)).toEqual(refusal);
    expect(await membershipsOf(someoneElse)).toBe(0);
  });

  it("on the member page: the loader makes a token, a double submission lands where the first did, and a bad token is a 400", async () => {
    const plan = await createPlan(await forkEm(), { type: "PACK" });
    const client = await createUser(await forkEm());
    const cookie = await signedInCookie(admin);
    const path = `/admin/members/${client.id}`;
    const params = { userId: String(client.id) };
    const { formToken } = await loaderData<{ formToken: string }>(memberPage.loader, { path, params, cookie });
    expect(formToken).toMatch(UUID);
    const fields = { intent: "assign", planId: String(plan.id), startDate: "2026-03-02", formToken };

    const first = await postForm(memberPage.action, { path, params, cookie, fields });
    const second = await postForm(memberPage.action, { path, params, cookie, fields });
    expect([first.status, second.status]).toEqual([303, 303]);
    expect([first.headers.get("Location"), second.headers.get("Location")]).toEqual([path, path]);
    expect(await flashOf(first)).toEqual({ kind: "success", message: "Membership assigned." });
    expect(await flashOf(second)).toEqual({ kind: "info", message: "That form was already sent: the membership was assigned once." });
    expect(await membershipsOf(client)).toBe(1);

    for (const token of [undefined, "", "not-a-token"]) {
      const { formToken: _left, ...withoutToken } = fields;
      const response = await postForm(memberPage.action, {
        path,
        params,
        cookie,
        fields: token === undefined ? withoutToken : { ...withoutToken, formToken: token },
      });
      expect(response.status, String(token)).toBe(400);
      expect(await response.json()).toMatchObject({
        intent: "assign",
        formError: "This form is out of date or damaged. Reload the page and try again.",
        values: { planId: String(plan.id) },
      });
    }
    expect(await membershipsOf(client)).toBe(1);
  });
});

describe("a new session with a form token", () => {
  it("a second submission of the same token creates nothing and answers the first's session", async () => {
    const title = uniqueName("Token class");
    const input = { coachId: coach.id, title, date: "2027-06-01", startTime: "07:00", formToken: randomUUID(), actorId: coach.id };
    const first = await createSession(await forkEm(), input);
    const [second, third] = await Promise.all([createSession(await forkEm(), input), createSession(await forkEm(), input)]);
    expect(first).toMatchObject({ ok: true, replayed: false });
    for (const again of [second, third]) {
      expect(again).toMatchObject({ ok: true, replayed: true });
      expect(again.ok && again.session.id).toBe(first.ok && first.session.id);
    }
    expect(await (await forkEm()).count(Session, { title })).toBe(1);
  });

  it("holds when the same token arrives three times at once", async () => {
    const title = uniqueName("Token rush");
    const input = { coachId: coach.id, title, date: "2027-06-02", startTime: "07:00", formToken: randomUUID(), actorId: coach.id };
    const results = await Promise.all([1, 2, 3].map(async () => createSession(await forkEm(), input)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(new Set(results.map((r) => r.ok && r.session.id)).size).toBe(1);
    expect(await (await forkEm()).count(Session, { title })).toBe(1);
  });

  it("on /coach/sessions/new: a double submission lands on the first's session page, and a bad token is a 400 that keeps what was typed", async () => {
    const cookie = await signedInCookie(coach);
    const path = "/coach/sessions/new";
    const { formToken } = await loaderData<{ formToken: string }>(newSessionPage.loader, { path, cookie });
    expect(formToken).toMatch(UUID);
    const title = uniqueName("Ad hoc");
    const fields = {
      coachId: String(coach.id),
      title,
      date: "2027-06-03",
      startTime: "07:00",
      endTime: "",
      classTypeId: "",
      cohortId: "",
      maxOccupancy: "",
      location: "",
      notes: "",
      formToken,
    };

    const first = await postForm(newSessionPage.action, { path, cookie, fields });
    const second = await postForm(newSessionPage.action, { path, cookie, fields });
    expect([first.status, second.status]).toEqual([303, 303]);
    const created = await (await forkEm()).find(Session, { title });
    expect(created).toHaveLength(1);
    expect([first.headers.get("Location"), second.headers.get("Location")]).toEqual([`/coach/sessions/${created[0].id}`, `/coach/sessions/${created[0].id}`]);
    expect(await flashOf(second)).toEqual({ kind: "info", message: `That form was already sent: session “${title}” was created once.` });

    const response = await postForm(newSessionPage.action, { path, cookie, fields: { ...fields, title: `${title} again`, formToken: "x" } });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({
      formError: "This form is out of date or damaged. Reload the page and try again.",
      values: { title: `${title} again` },
    });
    expect(await (await forkEm()).count(Session, { title: `${title} again` })).toBe(0);
  });
});
