import { describe, expect, it } from "vitest";
import { chooseMembership, isLateCancel, refusalFor, sessionRefusal, type BookingCandidate, type Refusal } from "~/modules/booking/booking.rules";

/** Thursday 12 March 2026; class type 5. */
const SESSION = { classTypeId: 5, date: "2026-03-12" };

let ids = 0;
function candidate(fields: Partial<BookingCandidate> = {}): BookingCandidate {
  ids++;
  return {
    id: ids,
    planName: "Three a week",
    planType: "RECURRING",
    status: "ACTIVE",
    startDate: "2026-01-01",
    endDate: null,
    sessionsPerWeek: 3,
    sessionsRemaining: null,
    allowedClassTypeIds: [],
    usedThisWeek: 0,
    ...fields,
  };
}
const recurring = (fields: Partial<BookingCandidate> = {}) => candidate({ planName: "Three a week", planType: "RECURRING", sessionsPerWeek: 3, ...fields });
const pack = (fields: Partial<BookingCandidate> = {}) =>
  candidate({ planName: "Ten pack", planType: "PACK", sessionsPerWeek: null, sessionsRemaining: 5, ...fields });
const prepaid = (fields: Partial<BookingCandidate> = {}) =>
  candidate({ planName: "Eight weeks", planType: "PREPAID", sessionsPerWeek: null, startDate: "2026-03-01", endDate: "2026-04-25", ...fields });

/** A candidate refused for exactly `reason` on SESSION. */
function refusedFor(reason: Refusal): BookingCandidate {
  switch (reason) {
    case "weekly-limit-reached":
      return recurring({ usedThisWeek: 3 });
    case "no-sessions-left":
      return pack({ sessionsRemaining: 0 });
    case "expired":
      return prepaid({ startDate: "2026-01-01", endDate: "2026-03-11" });
    case "not-started":
      return prepaid({ startDate: "2026-03-13", endDate: "2026-05-07" });
    case "paused":
      return pack({ status: "PAUSED" });
    case "class-type-not-included":
      return pack({ allowedClassTypeIds: [7] });
    case "coaching-only":
      return recurring({ planName: "Nutrition", sessionsPerWeek: null });
    case "no-membership":
      throw new Error("not a candidate refusal");
  }
}

describe("refusalFor", () => {
  it("lets a usable membership of each type book", () => {
    expect(refusalFor(recurring(), SESSION)).toBeNull();
    expect(refusalFor(pack({ sessionsRemaining: 1 }), SESSION)).toBeNull();
    expect(refusalFor(prepaid(), SESSION)).toBeNull();
  });

  it("refuses a class type the plan does not include (and a session without a class type when the plan is limited)", () => {
    const limited = pack({ allowedClassTypeIds: [7, 8] });
    expect(refusalFor(limited, SESSION)).toEqual({ reason: "class-type-not-included", message: "Your Ten pack does not include this class." });
    expect(refusalFor(limited, { ...SESSION, classTypeId: null })).toEqual({
      reason: "class-type-not-included",
      message: "Your Ten pack does not include this class.",
    });
    expect(refusalFor(pack({ allowedClassTypeIds: [7, 5] }), SESSION)).toBeNull();
    // No allowances = every class type, with or without a class type.
    expect(refusalFor(pack({ allowedClassTypeIds: [] }), { ...SESSION, classTypeId: null })).toBeNull();
  });

  it("refuses a coaching-only recurring plan (no or zero sessions a week)", () => {
    const expected = { reason: "coaching-only", message: "Your Nutrition is coaching only and does not include classes." };
    expect(refusalFor(recurring({ planName: "Nutrition", sessionsPerWeek: null }), SESSION)).toEqual(expected);
    expect(refusalFor(recurring({ planName: "Nutrition", sessionsPerWeek: 0 }), SESSION)).toEqual(expected);
  });

  it("refuses a recurring plan whose week is used up, and only then", () => {
    expect(refusalFor(recurring({ usedThisWeek: 3 }), SESSION)).toEqual({
      reason: "weekly-limit-reached",
      message: "You have used all 3 sessions of your Three a week in that week.",
    });
    expect(refusalFor(recurring({ usedThisWeek: 4 }), SESSION)?.reason).toBe("weekly-limit-reached");
    expect(refusalFor(recurring({ usedThisWeek: 2 }), SESSION)).toBeNull();
    // The weekly count means nothing to packs and passes.
    expect(refusalFor(pack({ usedThisWeek: 99 }), SESSION)).toBeNull();
    expect(refusalFor(prepaid({ usedThisWeek: 99 }), SESSION)).toBeNull();
  });

  it("refuses a pack or a prepaid pass with a weekly limit once that week is used up", () => {
    const limitedPack = pack({ planName: "Ten pack", sessionsPerWeek: 2 });
    expect(refusalFor({ ...limitedPack, usedThisWeek: 2 }, SESSION)).toEqual({
      reason: "weekly-limit-reached",
      message: "You have used all 2 sessions of your Ten pack in that week.",
    });
    expect(refusalFor({ ...limitedPack, usedThisWeek: 1 }, SESSION)).toBeNull();
    const kickstarter = prepaid({ planName: "Kickstarter", sessionsPerWeek: 5 });
    expect(refusalFor({ ...kickstarter, usedThisWeek: 5 }, SESSION)).toEqual({
      reason: "weekly-limit-reached",
      message: "You have used all 5 sessions of your Kickstarter in that week.",
    });
    expect(refusalFor({ ...kickstarter, usedThisWeek: 4 }, SESSION)).toBeNull();
    // A pack or pass without a limit is not coaching only.
    expect(refusalFor(prepaid({ sessionsPerWeek: null }), SESSION)).toBeNull();
    expect(refusalFor(pack({ sessionsPerWeek: 0, usedThisWeek: 3 }), SESSION)).toBeNull();
  });

  it("moves on to a pack when the recurring plan's week is used up, and to nothing when the pack's week is too", () => {
    const r = recurring({ usedThisWeek: 3 });
    const p = pack({ sessionsPerWeek: 2, usedThisWeek: 1 });
    expect(chooseMembership([r, p], SESSION)).toEqual({ ok: true, membershipId: p.id, planType: "PACK" });
    expect(chooseMembership([r, { ...p, usedThisWeek: 2 }], SESSION)).toMatchObject({ ok: false, reason: "weekly-limit-reached" });
  });

  it("refuses a pack with no sessions left", () => {
    const expected = { reason: "no-sessions-left", message: "Your Ten pack has no sessions left." };
    expect(refusalFor(pack({ sessionsRemaining: 0 }), SESSION)).toEqual(expected);
    expect(refusalFor(pack({ sessionsRemaining: null }), SESSION)).toEqual(expected);
    expect(refusalFor(pack({ sessionsRemaining: -1 }), SESSION)).toEqual(expected);
  });

  it("refuses a pass that starts after the session's date, not one starting that day", () => {
    expect(refusalFor(prepaid({ startDate: "2026-03-13", endDate: "2026-05-07" }), SESSION)).toEqual({
      reason: "not-started",
      message: "Your Eight weeks starts on Fri 13 Mar 2026.",
    });
    expect(refusalFor(prepaid({ startDate: "2026-03-12", endDate: "2026-05-06" }), SESSION)).toBeNull();
  });

  it("refuses a pass that ends before the session's date, not one ending that day", () => {
    expect(refusalFor(prepaid({ startDate: "2026-01-01", endDate: "2026-03-11" }), SESSION)).toEqual({
      reason: "expired",
      message: "Your Eight weeks ends on Wed 11 Mar 2026, before this session.",
    });
    expect(refusalFor(prepaid({ startDate: "2026-01-01", endDate: "2026-03-12" }), SESSION)).toBeNull();
  });

  it("refuses an expired or cancelled membership", () => {
    expect(refusalFor(recurring({ status: "EXPIRED" }), SESSION)).toEqual({ reason: "expired", message: "Your Three a week membership has ended." });
    expect(refusalFor(pack({ status: "CANCELLED" }), SESSION)).toEqual({ reason: "expired", message: "Your Ten pack membership has ended." });
  });

  it("refuses a paused membership, before anything else", () => {
    expect(refusalFor(prepaid({ status: "PAUSED" }), SESSION)).toEqual({ reason: "paused", message: "Your Eight weeks membership is paused." });
    expect(refusalFor(pack({ status: "PAUSED", sessionsRemaining: 0, allowedClassTypeIds: [7] }), SESSION)?.reason).toBe("paused");
  });
});

describe("chooseMembership", () => {
  it("needs a membership", () => {
    expect(chooseMembership([], SESSION)).toEqual({ ok: false, reason: "no-membership", message: "You need a membership to book classes. See the plans." });
  });

  it("prefers RECURRING, then PREPAID, then PACK, whatever the order given", () => {
    const p = pack();
    const pp = prepaid();
    const r = recurring();
    for (const order of [
      [p, pp, r],
      [r, pp, p],
      [pp, p, r],
    ]) {
      expect(chooseMembership(order, SESSION)).toEqual({ ok: true, membershipId: r.id, planType: "RECURRING" });
    }
    expect(chooseMembership([p, pp], SESSION)).toEqual({ ok: true, membershipId: pp.id, planType: "PREPAID" });
    expect(chooseMembership([pp, p], SESSION)).toEqual({ ok: true, membershipId: pp.id, planType: "PREPAID" });
    expect(chooseMembership([p], SESSION)).toEqual({ ok: true, membershipId: p.id, planType: "PACK" });
  });

  it("uses the oldest of two memberships of the same type", () => {
    const first = pack();
    const second = pack();
    expect(chooseMembership([second, first], SESSION)).toMatchObject({ ok: true, membershipId: first.id });
  });

  it("skips a membership that cannot book for one that can", () => {
    const full = recurring({ usedThisWeek: 3 });
    const p = pack();
    expect(chooseMembership([full, p], SESSION)).toEqual({ ok: true, membershipId: p.id, planType: "PACK" });
    const limited = prepaid({ allowedClassTypeIds: [7] });
    expect(chooseMembership([limited, p], SESSION)).toEqual({ ok: true, membershipId: p.id, planType: "PACK" });
  });

  it.each<Refusal>(["weekly-limit-reached", "no-sessions-left", "expired", "not-started", "paused", "class-type-not-included", "coaching-only"])(
    "reports %s when it is the only refusal",
    (reason) => {
      const c = refusedFor(reason);
      expect(chooseMembership([c], SESSION)).toEqual({ ok: false, ...refusalFor(c, SESSION)!, reason });
    },
  );

  it("gives the most helpful message when several fail: the one closest to working", () => {
    const order: Refusal[] = ["weekly-limit-reached", "no-sessions-left", "expired", "not-started", "paused", "class-type-not-included", "coaching-only"];
    for (let i = 0; i < order.length; i++) {
      for (let j = i + 1; j < order.length; j++) {
        const better = refusedFor(order[i]);
        const worse = refusedFor(order[j]);
        for (const list of [
          [better, worse],
          [worse, better],
        ]) {
          const choice = chooseMembership(list, SESSION);
          expect(choice, `${order[i]} over ${order[j]}`).toEqual({ ok: false, reason: order[i], message: refusalFor(better, SESSION)!.message });
        }
      }
    }
    // All seven at once: the weekly limit.
    const all = order.map(refusedFor).reverse();
    expect(chooseMembership(all, SESSION)).toMatchObject({
      ok: false,
      reason: "weekly-limit-reached",
      message: "You have used all 3 sessions of your Three a week in that week.",
    });
  });
});

describe("sessionRefusal", () => {
  const start = new Date("2026-03-12T18:00:00Z");
  const opensAt = new Date("2026-02-26T18:00:00Z");
  const closesAt = new Date("2026-03-12T17:30:00Z");
  const session = { status: "SCHEDULED", startTime: start, opensAt, closesAt };
  const fmt = (d: Date) => `<${d.toISOString()}>`;

  it("allows booking inside the window, from the opening instant to just before the close", () => {
    expect(sessionRefusal(session, opensAt, fmt)).toBeNull();
    expect(sessionRefusal(session, new Date("2026-03-10T12:00:00Z"), fmt)).toBeNull();
    expect(sessionRefusal(session, new Date(closesAt.getTime() - 1), fmt)).toBeNull();
  });

  it("refuses a cancelled session, whenever asked", () => {
    expect(sessionRefusal({ ...session, status: "CANCELLED" }, new Date("2026-03-10T12:00:00Z"), fmt)).toBe("This session has been cancelled.");
    expect(sessionRefusal({ ...session, status: "CANCELLED" }, new Date(start.getTime() + 1), fmt)).toBe("This session has been cancelled.");
  });

  it("refuses a session that has started (from the start instant)", () => {
    expect(sessionRefusal(session, start, fmt)).toBe("This session has already started.");
    expect(sessionRefusal(session, new Date(start.getTime() + 3_600_000), fmt)).toBe("This session has already started.");
  });

  it("refuses before the window opens, saying when it opens", () => {
    expect(sessionRefusal(session, new Date(opensAt.getTime() - 1), fmt)).toBe("Booking for this session opens <2026-02-26T18:00:00.000Z>.");
  });

  it("refuses once the window has closed (from the closing instant)", () => {
    expect(sessionRefusal(session, closesAt, fmt)).toBe("Booking for this session has closed.");
    expect(sessionRefusal(session, new Date(start.getTime() - 1), fmt)).toBe("Booking for this session has closed.");
  });

  it("says 'started' rather than 'closed' when the window closes at the start", () => {
    const atStart = { ...session, closesAt: start };
    expect(sessionRefusal(atStart, new Date(start.getTime() - 1), fmt)).toBeNull();
    expect(sessionRefusal(atStart, start, fmt)).toBe("This session has already started.");
  });
});

describe("isLateCancel", () => {
  const start = new Date("2026-03-12T18:00:00Z");
  const hours = (h: number) => h * 3_600_000;

  it("is late from exactly the cut-off on, free a millisecond before", () => {
    expect(isLateCancel(start, 2, new Date(start.getTime() - hours(2) - 1))).toBe(false);
    expect(isLateCancel(start, 2, new Date(start.getTime() - hours(2)))).toBe(true);
    expect(isLateCancel(start, 2, new Date(start.getTime() - 1))).toBe(true);
    expect(isLateCancel(start, 24, new Date(start.getTime() - hours(24) - 1))).toBe(false);
    expect(isLateCancel(start, 24, new Date(start.getTime() - hours(23)))).toBe(true);
  });

  it("with a zero cut-off is never late before the start", () => {
    expect(isLateCancel(start, 0, new Date(start.getTime() - 1))).toBe(false);
    expect(isLateCancel(start, 0, start)).toBe(true);
  });
});
