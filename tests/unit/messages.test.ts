import { describe, expect, it } from "vitest";
import {
  bookingConfirmed,
  lateCancel,
  lateCancelCost,
  membershipAssigned,
  membershipCancelled,
  membershipPaused,
  membershipResumed,
  paymentFailed,
  subscriptionChangeMessage,
  waitlistJoined,
  type ClassInfo,
  type MembershipInfo,
  type Studio,
} from "~/modules/notifications/messages";
import { NOTIFICATION_KINDS } from "~/modules/notifications/notifications.entities.server";
import { emailWanted, KIND_INFO, showsInApp } from "~/modules/notifications/notifications.rules";
import { OPTIONAL_KINDS } from "~/modules/notifications/notifications.schema";

const studio: Studio = { name: "Hitsona Bangor", zone: "Europe/London", url: "https://book.example/" };

/** Thursday 12 March 2026, 18:00 in London (GMT). */
const hiit: ClassInfo = { sessionId: 41, title: "HIIT", startTime: new Date("2026-03-12T18:00:00Z"), location: "Studio 2", coachName: "Gav" };
/** Thursday 2 July 2026, 18:30 in London (BST, UTC+1). */
const summer: ClassInfo = { ...hiit, startTime: new Date("2026-07-02T17:30:00Z"), location: null };

const pack = { name: "10-class pack", type: "PACK" as const, sessionsPerWeek: null };
const monthly = { name: "Monthly 3x", type: "RECURRING" as const, sessionsPerWeek: 3 };
const unlimited = { name: "8 weeks unlimited", type: "PREPAID" as const, sessionsPerWeek: null };

const membership = (plan: MembershipInfo["plan"], fields: Partial<MembershipInfo> = {}): MembershipInfo => ({
  membershipId: 7,
  plan,
  startDate: "2026-03-02",
  endDate: null,
  sessionsRemaining: null,
  ...fields,
});

describe("booking confirmed", () => {
  it("says which class, when (the studio's zone named), where, with whom, and how to cancel before the cut-off", () => {
    const message = bookingConfirmed(studio, { session: hiit, registrationId: 9, plan: monthly, cutoffHours: 2 });
    expect(message.kind).toBe("BOOKING_CONFIRMED");
    expect(message.subject).toBe("Booked: HIIT on Thu 12 Mar 2026 at 18:00");
    expect(message.body).toBe(
      [
        "You're booked on HIIT.",
        "When: Thu 12 Mar 2026 at 18:00 (Europe/London time)\nWhere: Studio 2\nCoach: Gav",
        "Can't make it? Cancel on the class page before Thu 12 Mar 2026 at 16:00 (Europe/London time) (2 hours before the start) and it's free. " +
          "After that it's a late cancel: it still counts toward your 3 classes that week.\nhttps://book.example/client/sessions/41",
        "Hitsona Bangor",
      ].join("\n\n"),
    );
    expect(message.payload).toEqual({ sessionId: 41, registrationId: 9 });
  });

  it("in summer gives the time on the studio's clock (BST), at the studio when the class names no room", () => {
    const { body } = bookingConfirmed(studio, { session: summer, registrationId: 9, plan: pack, cutoffHours: 1 });
    expect(body).toContain("When: Thu 2 Jul 2026 at 18:30 (Europe/London time)");
    expect(body).toContain("Where: Hitsona Bangor");
    expect(body).toContain("before Thu 2 Jul 2026 at 17:30 (Europe/London time) (1 hour before the start)");
    expect(body).toContain("late cancel: the session is not refunded to your 10-class pack.");
  });

  it("names another zone when the studio is elsewhere", () => {
    const { subject, body } = bookingConfirmed({ ...studio, zone: "America/New_York" }, { session: hiit, registrationId: 9, plan: null, cutoffHours: 2 });
    expect(subject).toBe("Booked: HIIT on Thu 12 Mar 2026 at 14:00");
    expect(body).toContain("When: Thu 12 Mar 2026 at 14:00 (America/New_York time)");
    expect(body).toContain("late cancel: it is recorded as a late cancel.");
  });

  it("without a cut-off, says cancelling is free until the start", () => {
    const { body } = bookingConfirmed(studio, { session: hiit, registrationId: 9, plan: monthly, cutoffHours: 0 });
    expect(body).toContain("Can't make it? You can cancel free on the class page at any time before it starts.");
    expect(body).not.toContain("late cancel");
  });
});

describe("waitlist joined", () => {
  it("gives the position and says a place is booked automatically", () => {
    const message = waitlistJoined(studio, { session: hiit, registrationId: 12, position: 3 });
    expect(message.kind).toBe("WAITLIST_JOINED");
    expect(message.subject).toBe("Waitlist: HIIT on Thu 12 Mar 2026 at 18:00 (position 3)");
    expect(message.body).toContain("HIIT on Thu 12 Mar 2026 at 18:00 (Europe/London time) is full, so you're on the waitlist at position 3.");
    expect(message.body).toContain("we'll book you into it automatically");
    expect(message.body).toContain("leave the waitlist at any time on the class page:\nhttps://book.example/client/sessions/41");
    expect(message.payload).toEqual({ sessionId: 41, registrationId: 12, position: 3 });
  });
});

describe("late cancel", () => {
  it("says what it cost on a pack: the session is not refunded, and how many are left", () => {
    const message = lateCancel(studio, { session: hiit, registrationId: 9, plan: pack, cutoffHours: 2, sessionsRemaining: 4 });
    expect(message.kind).toBe("LATE_CANCEL");
    expect(message.subject).toBe("Late cancel: HIIT on Thu 12 Mar 2026 at 18:00");
    expect(message.body).toContain(
      "You cancelled HIIT on Thu 12 Mar 2026 at 18:00 (Europe/London time) less than 2 hours before it starts, " +
        "so it is a late cancel: the session is not refunded to your 10-class pack. You have 4 sessions left.",
    );
  });

  it("on a weekly plan: it counts toward the week", () => {
    const { body } = lateCancel(studio, { session: hiit, registrationId: 9, plan: monthly, cutoffHours: 1, sessionsRemaining: null });
    expect(body).toContain("less than 1 hour before it starts, so it is a late cancel: it still counts toward your 3 classes that week.");
    expect(body).not.toContain("left");
  });

  it("costs a pack with a weekly limit both", () => {
    expect(lateCancelCost({ ...pack, sessionsPerWeek: 1 })).toBe(
      "the session is not refunded to your 10-class pack, and it still counts toward your 1 class that week",
    );
    expect(lateCancelCost(unlimited)).toBe("it is recorded as a late cancel");
  });
});

describe("membership messages", () => {
  it("assigned: the plan, its dates and what it includes, with links", () => {
    const message = membershipAssigned(studio, { membership: membership(pack, { sessionsRemaining: 10 }), purchased: false });
    expect(message.kind).toBe("MEMBERSHIP_ASSIGNED");
    expect(message.subject).toBe("Your 10-class pack membership");
    expect(message.body).toContain("Your 10-class pack membership at Hitsona Bangor is ready.");
    expect(message.body).toContain("Starts: Mon 2 Mar 2026\nIncludes: 10 sessions to book");
    expect(message.body).toContain("Book a class: https://book.example/client/sessions\nYour membership: https://book.example/client/membership");
    expect(message.payload).toEqual({ membershipId: 7 });
  });

  it("bought online: thanks the client and gives the end of a prepaid plan", () => {
    const { body } = membershipAssigned(studio, { membership: membership(unlimited, { endDate: "2026-04-26" }), purchased: true });
    expect(body).toContain("Thank you for your purchase: your 8 weeks unlimited membership is ready.");
    expect(body).toContain("Starts: Mon 2 Mar 2026\nEnds: Sun 26 Apr 2026\nIncludes: Unlimited classes");
  });

  it("paused: from when, what is kept", () => {
    const message = membershipPaused(studio, { membership: membership(unlimited, { endDate: "2026-04-26" }), pausedOn: "2026-03-10" });
    expect(message.kind).toBe("MEMBERSHIP_PAUSED");
    expect(message.subject).toBe("Membership paused: 8 weeks unlimited");
    expect(message.body).toContain("Your 8 weeks unlimited membership is paused from Tue 10 Mar 2026, so it can't be used to book classes for now.");
    expect(message.body).toContain("The days it stays paused are added to its end date when it resumes.");
    expect(membershipPaused(studio, { membership: membership(monthly), pausedOn: "2026-03-10" }).body).toContain("No payments are taken while it is paused.");
    expect(membershipPaused(studio, { membership: membership(pack, { sessionsRemaining: 3 }), pausedOn: "2026-03-10" }).body).toContain(
      "Sessions left on it: 3",
    );
  });

  it("resumed: from when, and the new end of a prepaid plan", () => {
    const message = membershipResumed(studio, { membership: membership(unlimited, { endDate: "2026-05-03" }), resumedOn: "2026-03-17" });
    expect(message.kind).toBe("MEMBERSHIP_RESUMED");
    expect(message.subject).toBe("Membership resumed: 8 weeks unlimited");
    expect(message.body).toContain(
      "Your 8 weeks unlimited membership is active again from Tue 17 Mar 2026. With the paused days added, it now ends on Sun 3 May 2026.",
    );
    expect(membershipResumed(studio, { membership: membership(monthly), resumedOn: "2026-03-17" }).body).not.toContain("ends on");
  });

  it("cancelled now or at the end of the period", () => {
    const now = membershipCancelled(studio, { membership: membership(pack, { endDate: "2026-03-10" }), atPeriodEnd: false });
    expect(now.kind).toBe("MEMBERSHIP_CANCELLED");
    expect(now.subject).toBe("Membership cancelled: 10-class pack");
    expect(now.body).toContain("Your 10-class pack membership is cancelled and ended on Tue 10 Mar 2026.");
    const later = membershipCancelled(studio, { membership: membership(monthly, { endDate: "2026-04-01" }), atPeriodEnd: true });
    expect(later.subject).toBe("Membership cancelled: Monthly 3x ends after Wed 1 Apr 2026");
    expect(later.body).toContain("Until then you can keep booking classes with it");
    expect(later.payload).toEqual({ membershipId: 7, atPeriodEnd: true });
  });

  it("a change made in Stripe: one message for what changed, none for what the client was told already", () => {
    const after = (status: "ACTIVE" | "PAUSED" | "CANCELLED", cancelAtPeriodEnd = false) => ({
      ...membership(monthly, { endDate: "2026-04-01" }),
      status,
      cancelAtPeriodEnd,
      today: "2026-03-10",
    });
    const active = { status: "ACTIVE" as const, cancelAtPeriodEnd: false };
    expect(subscriptionChangeMessage(studio, active, after("PAUSED"))?.kind).toBe("MEMBERSHIP_PAUSED");
    expect(subscriptionChangeMessage(studio, { ...active, status: "PAUSED" }, after("ACTIVE"))?.kind).toBe("MEMBERSHIP_RESUMED");
    expect(subscriptionChangeMessage(studio, active, after("CANCELLED"))?.payload).toEqual({ membershipId: 7, atPeriodEnd: false });
    expect(subscriptionChangeMessage(studio, active, after("ACTIVE", true))?.payload).toEqual({ membershipId: 7, atPeriodEnd: true });
    expect(subscriptionChangeMessage(studio, { ...active, cancelAtPeriodEnd: true }, after("CANCELLED"))).toBeNull();
    expect(subscriptionChangeMessage(studio, { ...active, cancelAtPeriodEnd: true }, after("ACTIVE"))).toBeNull();
    expect(subscriptionChangeMessage(studio, active, after("ACTIVE"))).toBeNull();
  });
});

describe("payment failed", () => {
  const input = {
    membershipId: 7,
    planName: "Monthly 3x",
    amountPence: 7500,
    currency: "gbp",
    invoiceId: "in_1",
    failures: 1,
    maxFailures: 3,
    graceEndsAt: new Date("2026-03-17T12:00:00Z"),
  };

  it("gives the amount, what happens next (retries, grace, pause) and where to change the card", () => {
    const message = paymentFailed(studio, input);
    expect(message.kind).toBe("PAYMENT_FAILED");
    expect(message.subject).toBe("Payment failed: Monthly 3x");
    expect(message.body).toContain("We couldn't take your payment of £75.00 for your Monthly 3x membership (attempt 1 of 3).");
    expect(message.body).toContain(
      "Your membership keeps working for now, and we'll try your card again automatically. " +
        "If the payment still hasn't gone through after 2 more failed attempts, or by Tue 17 Mar 2026 at 12:00 (Europe/London time), the membership is paused until it is paid.",
    );
    expect(message.body).toContain('use "Manage card and invoices" on your membership page:\nhttps://book.example/client/membership');
    expect(message.payload).toEqual({ membershipId: 7, invoiceId: "in_1", failures: 1, amountPence: 7500 });
  });

  it("counts down the attempts left and names the zone of the grace period's end", () => {
    const { body } = paymentFailed({ ...studio, zone: "Europe/Dublin" }, { ...input, failures: 2, graceEndsAt: new Date("2026-07-01T08:00:00Z") });
    expect(body).toContain("(attempt 2 of 3)");
    expect(body).toContain("after 1 more failed attempt, or by Wed 1 Jul 2026 at 09:00 (Europe/Dublin time)");
  });
});

describe("which messages a client may turn off", () => {
  it("lets money, account, cancelled-class and membership changes through whatever the client chose", () => {
    for (const kind of ["PAYMENT_FAILED", "SESSION_CANCELLED", "MEMBERSHIP_CANCELLED", "PASSWORD_RESET", "WAITLIST_PROMOTED"] as const) {
      expect(KIND_INFO[kind].optional).toBe(false);
      expect(emailWanted(kind, false)).toBe(true);
    }
  });

  it("follows the client's choice for an optional kind, and its default before they choose", () => {
    expect(emailWanted("BOOKING_CONFIRMED", false)).toBe(false);
    expect(emailWanted("BOOKING_CONFIRMED", undefined)).toBe(true);
    expect(emailWanted("CLASS_REMINDER", undefined)).toBe(false);
    expect(emailWanted("CLASS_REMINDER", true)).toBe(true);
  });

  it("offers every optional kind on the form, and only those", () => {
    expect(OPTIONAL_KINDS).toEqual(NOTIFICATION_KINDS.filter((kind) => KIND_INFO[kind].optional));
    expect(OPTIONAL_KINDS).toContain("BOOKING_CONFIRMED");
    expect(OPTIONAL_KINDS).not.toContain("PAYMENT_FAILED");
  });

  it("keeps password and invitation links out of the in-app list", () => {
    expect(showsInApp("PASSWORD_RESET")).toBe(false);
    expect(showsInApp("ACCOUNT_INVITE")).toBe(false);
    expect(showsInApp("BOOKING_CONFIRMED")).toBe(true);
  });
});
