// A membership's life: assigned, paused, resumed, cancelled, each change recorded with who and when.
import { LockMode, type EntityManager } from "@mikro-orm/postgresql";
import { refuse, type Failure, type Result } from "~/utils/result";
import { formatDate, type LocalDate } from "~/utils/time";
import { User } from "../auth/auth.entities.server";
import { lockForRelease, releaseBookings, withRelease } from "../booking/booking.service.server";
import { releaseFrom } from "../booking/booking.rules";
import { getSettings, studioToday } from "../settings/settings.service.server";
import { MembershipEvent, MembershipPlan, UserMembership, type IUserMembership, type MembershipAction } from "./memberships.entities.server";
import { clientCancellation, currentBillingPeriod, effectiveStatusOf, prepaidEndDate, repeatRefusal, resumeAfterPause } from "./memberships.rules";
import { oncePerFormToken } from "../idempotency/idempotency.service.server";
import {
  membershipAssigned,
  membershipCancelled,
  membershipPaused,
  membershipResumed,
  membershipInfo,
  type MembershipInfo,
  type Message,
  type Studio,
} from "../notifications/messages";
import { notify } from "../notifications/notify.server";
import { studioFrom } from "../notifications/studio.server";

function record(em: EntityManager, membership: IUserMembership, action: MembershipAction, actorId: number | null, note?: string) {
  em.create(MembershipEvent, { membership, action, actor: actorId ? em.getReference(User, actorId) : null, note: note ?? null, at: new Date() });
}

/** Tells the member about a change to their membership, in the change's transaction. */
async function tell(tx: EntityManager, membership: IUserMembership, message: (studio: Studio, membership: MembershipInfo) => Message) {
  await notify(tx, { userId: membership.user.id, ...message(await studioFrom(tx), membershipInfo(membership)) });
}

/**
 * an admin gives a user a plan without payment. The member's row is locked first, so two assigns of
 * a one-per-member plan run one after the other and the second sees the first. With a `formToken` the
 * form's second submission creates nothing and answers the first's membership, `replayed`.
 */
export async function assignMembership(
  em: EntityManager,
  input: { userId: number; planId: number; startDate: LocalDate; actorId: number; formToken?: string },
): Promise<Result<{ membership: IUserMembership; replayed: boolean }> | null> {
  const result = await oncePerFormToken(
    em,
    { token: input.formToken, purpose: "assign-membership", actorId: input.actorId },
    (id) => em.findOne(UserMembership, { id, user: input.userId }),
    async (tx) => {
      const user = await tx.findOne(User, input.userId, { lockMode: LockMode.PESSIMISTIC_WRITE });
      if (!user) return null;
      const plan = await tx.findOne(MembershipPlan, { id: input.planId, isActive: true });
      if (!plan) return refuse("Please correct the fields marked below.", { planId: ["Choose an active plan from the list."] });
      const refusal = repeatRefusal(plan, plan.allowRepeatPurchase ? 0 : await tx.count(UserMembership, { user, plan }));
      if (refusal) return refuse("Please correct the fields marked below.", { planId: [refusal] });
      const membership = tx.create(UserMembership, {
        user,
        plan,
        startDate: input.startDate,
        endDate: plan.type === "PREPAID" ? prepaidEndDate(input.startDate, plan.durationDays!) : null,
        status: "ACTIVE",
        sessionsRemaining: plan.type === "PACK" ? plan.totalSessions : null,
        cancelAtPeriodEnd: false,
      });
      record(tx, membership, "ASSIGNED", input.actorId, `Assigned by an admin from ${formatDate(input.startDate, "UTC")}`);
      await tx.flush();
      await tell(tx, membership, (studio, info) => membershipAssigned(studio, { membership: info, purchased: false }));
      return { ok: true, record: membership };
    },
  );
  return result?.ok ? { ok: true, membership: result.record, replayed: result.replayed } : result;
}

/** A membership as its owner's page names it: another member's id finds nothing. */
export type MembershipRef = { membershipId: number; userId: number; actorId: number };

/**
 * Runs `change` in a transaction on the member's membership, locked and with its plan, and saves what
 * it did; null when the membership is not that member's.
 */
async function changeMembership<T>(
  em: EntityManager,
  ref: { membershipId: number; userId: number },
  change: (membership: IUserMembership, tx: EntityManager) => Promise<T | Failure>,
  beforeCommit?: BeforeCommit,
): Promise<T | Failure | null> {
  return refusedBeforeCommit(() =>
    em.transactional(async (tx) => {
      const membership = await tx.findOne(UserMembership, { id: ref.membershipId, user: ref.userId }, { lockMode: LockMode.PESSIMISTIC_WRITE, refresh: true });
      if (!membership) return null;
      await tx.populate(membership, ["plan"]);
      const result = await change(membership, tx);
      await tx.flush();
      await confirm(result, beforeCommit);
      return result;
    }),
  );
}

/**
 * Runs after a change is saved and before it commits, still holding the membership's lock: telling Stripe
 * of it, say. A refusal rolls the change back. Holding the lock meanwhile makes the webhook that Stripe
 * sends about the same change wait, then find it already done.
 */
export type BeforeCommit = () => Promise<Failure | null>;

class RefusedBeforeCommit extends Error {
  constructor(readonly failure: Failure) {
    super(failure.formError);
  }
}

async function confirm(result: { ok: boolean } | unknown, beforeCommit?: BeforeCommit) {
  if (!beforeCommit || !(result as { ok?: boolean })?.ok) return;
  const refused = await beforeCommit();
  if (refused) throw new RefusedBeforeCommit(refused);
}

async function refusedBeforeCommit<T>(work: () => Promise<T>): Promise<T | Failure> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof RefusedBeforeCommit) return error.failure;
    throw error;
  }
}

/**
 * `changeMembership` for a change that may end or pause the membership: in the same transaction, the
 * bookings it can no longer cover are moved to another of the member's memberships or released, and the
 * waitlists move up (`releaseBookings`). The locks are taken as a booking takes them — the sessions first,
 * then the memberships by id (`lockForRelease`, ADR 14) — never the membership first, which would
 * deadlock against a booking of one of its sessions holding the session and waiting for the membership.
 */
async function changeAndRelease<T extends { ok: true }>(
  em: EntityManager,
  ref: { membershipId: number; userId: number },
  now: Date,
  change: (membership: IUserMembership, tx: EntityManager) => Promise<T | Failure>,
  beforeCommit?: BeforeCommit,
): Promise<(T & { released: number }) | Failure | null> {
  const zone = (await getSettings(em)).studioTimeZone;
  return refusedBeforeCommit(() =>
    withRelease(em, async (tx) => {
      const locked = await lockForRelease(tx, { membershipId: ref.membershipId, userId: ref.userId, now });
      if (!locked) return null;
      const { membership, locks } = locked;
      const result = await change(membership, tx);
      if (!result.ok) return result;
      await tx.flush();
      const from = releaseFrom({ status: membership.status, endDate: membership.endDate ?? null, cancelAtPeriodEnd: membership.cancelAtPeriodEnd }, now, zone);
      const { released } = from ? await releaseBookings(tx, { membershipId: membership.id, from, now, zone, locks }) : { released: 0 };
      await confirm(result, beforeCommit);
      return { ...result, released };
    }),
  );
}

export async function pauseMembership(em: EntityManager, input: MembershipRef, now = new Date(), beforeCommit?: BeforeCommit) {
  const today = await studioToday(em, now);
  return changeAndRelease(
    em,
    input,
    now,
    async (membership, tx) => {
      const status = effectiveStatusOf(membership, today);
      if (status !== "ACTIVE") return refuse(`Only an active membership can be paused; this one is ${status.toLowerCase()}.`);
      membership.status = "PAUSED";
      membership.pausedOn = today;
      record(tx, membership, "PAUSED", input.actorId);
      await tell(tx, membership, (studio, info) => membershipPaused(studio, { membership: info, pausedOn: today }));
      return { ok: true as const };
    },
    beforeCommit,
  );
}

export async function resumeMembership(em: EntityManager, input: MembershipRef, now = new Date(), beforeCommit?: BeforeCommit) {
  const today = await studioToday(em, now);
  return changeMembership(
    em,
    input,
    async (membership, tx) => {
      if (membership.status !== "PAUSED" || !membership.pausedOn) return refuse("Only a paused membership can be resumed.");
      const { endDate, pausedDays } = resumeAfterPause(
        { planType: membership.plan.type, endDate: membership.endDate ?? null, pausedOn: membership.pausedOn },
        today,
      );
      membership.status = "ACTIVE";
      membership.endDate = endDate;
      membership.pausedOn = null;
      record(
        tx,
        membership,
        "RESUMED",
        input.actorId,
        membership.plan.type === "PREPAID"
          ? `Paused ${pausedDays} day(s); now ends ${endDate ? formatDate(endDate, "UTC") : "—"}`
          : `Paused ${pausedDays} day(s)`,
      );
      await tell(tx, membership, (studio, info) => membershipResumed(studio, { membership: info, resumedOn: today }));
      return { ok: true as const };
    },
    beforeCommit,
  );
}

/** An admin ends a membership today, whatever its type. */
export async function adminCancelMembership(em: EntityManager, input: MembershipRef, now = new Date(), beforeCommit?: BeforeCommit) {
  const today = await studioToday(em, now);
  return changeAndRelease(
    em,
    input,
    now,
    async (membership, tx) => {
      if (effectiveStatusOf(membership, today) === "CANCELLED") return refuse("This membership is already cancelled.");
      membership.status = "CANCELLED";
      membership.cancelledAt = now;
      membership.pausedOn = null;
      endToday(membership, today);
      record(tx, membership, "CANCELLED", input.actorId, "Cancelled by an admin");
      await tell(tx, membership, (studio, info) => membershipCancelled(studio, { membership: info, atPeriodEnd: false }));
      return { ok: true as const };
    },
    beforeCommit,
  );
}

/** An admin ends a monthly membership at the end of its billing period (ahead of any commitment, if they choose). */
export async function adminCancelAtPeriodEnd(em: EntityManager, input: MembershipRef, now = new Date(), beforeCommit?: BeforeCommit) {
  const today = await studioToday(em, now);
  return changeAndRelease(
    em,
    input,
    now,
    async (membership, tx) => {
      const status = effectiveStatusOf(membership, today);
      if (membership.plan.type !== "RECURRING") return refuse("Only a monthly membership runs to the end of a billing period; cancel this one now instead.");
      if ((status !== "ACTIVE" && status !== "PAUSED") || membership.cancelAtPeriodEnd) return refuse("This membership is already ending.");
      membership.cancelAtPeriodEnd = true;
      membership.endDate = currentBillingPeriod(membership.startDate, today).end;
      membership.cancelledAt = now;
      record(tx, membership, "CANCEL_SCHEDULED", input.actorId, `Ends after ${formatDate(membership.endDate, "UTC")} (an admin's cancel)`);
      await tell(tx, membership, (studio, info) => membershipCancelled(studio, { membership: info, atPeriodEnd: true }));
      return { ok: true as const };
    },
    beforeCommit,
  );
}

/** C-8: a client cancels their own membership: RECURRING at the end of the billing period, others at once. */
export async function clientCancelMembership(
  em: EntityManager,
  input: { membershipId: number; userId: number },
  now = new Date(),
  beforeCommit?: BeforeCommit,
) {
  const today = await studioToday(em, now);
  return changeAndRelease(
    em,
    input,
    now,
    async (membership, tx) => {
      const status = effectiveStatusOf(membership, today);
      if (status === "CANCELLED" || status === "EXPIRED" || membership.cancelAtPeriodEnd) return refuse("This membership is already ending.");
      const when = clientCancellation(
        { planType: membership.plan.type, startDate: membership.startDate, commitmentMonths: membership.plan.commitmentMonths },
        today,
      );
      if (when.kind === "at-period-end") {
        membership.cancelAtPeriodEnd = true;
        membership.endDate = when.endDate;
        membership.cancelledAt = now;
        record(tx, membership, "CANCEL_SCHEDULED", input.userId, `Ends after ${formatDate(when.endDate, "UTC")}`);
        await tell(tx, membership, (studio, info) => membershipCancelled(studio, { membership: info, atPeriodEnd: true }));
      } else {
        membership.status = "CANCELLED";
        membership.cancelledAt = now;
        endToday(membership, today);
        record(tx, membership, "CANCELLED", input.userId, "Cancelled by the member");
        await tell(tx, membership, (studio, info) => membershipCancelled(studio, { membership: info, atPeriodEnd: false }));
      }
      return { ok: true as const, kind: when.kind, endDate: membership.endDate ?? null };
    },
    beforeCommit,
  );
}

/** The last day becomes today (or the start, for one that had not begun). */
function endToday(membership: IUserMembership, today: LocalDate) {
  if (!membership.endDate || membership.endDate > today) membership.endDate = today < membership.startDate ? membership.startDate : today;
}
