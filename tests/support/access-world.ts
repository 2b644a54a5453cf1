// The people and records the access tests (access table, no change on GET, fuzzing) run against: two
// clients, two coaches and an admin, and client A's private records — a booking, memberships, payments,
// health check-ins, questionnaire answers, coach feedback and notes, an appointment, notifications — each
// marked with a string no one but those allowed to read it may ever receive.
import type { EntityManager } from "@mikro-orm/postgresql";
import { randomBytes } from "node:crypto";
import type { IUser } from "~/modules/auth/auth.entities.server";
import { createPasswordToken } from "~/modules/auth/password-tokens.service.server";
import { AppointmentBooking } from "~/modules/appointments/appointments.entities.server";
import { createSlot } from "~/modules/appointments/appointments.service.server";
import { Payment } from "~/modules/billing/payments.entities.server";
import * as calendarFeed from "~/modules/booking/calendar-feed.server";
import { CoachNote } from "~/modules/coaching/coaching.entities.server";
import { EmailMessage, Notification } from "~/modules/notifications/notifications.entities.server";
import { unsubscribeToken } from "~/modules/notifications/unsubscribe-link.server";
import { Session } from "~/modules/sessions/sessions.entities.server";
import { updateSettings } from "~/modules/settings/settings.service.server";
import { addDays, todayIn, toInstant } from "~/utils/time";
import { createCohort, createEntry, createFeedback, createQuestionnaire, createResponse } from "./cohort-factories";
import { forkEm } from "./db";
import { createClassType, createMembership, createPlan, createRegistration, createSession, createUser } from "./factories";
import { signedInCookie } from "./routes";

/** Who asks: no one signed in, client A, client B, coach A (A's coach), coach B, an admin. */
export const ROLES = ["guest", "client", "otherClient", "coach", "otherCoach", "admin"] as const;
export type AccessRole = (typeof ROLES)[number];

const ZONE = "Europe/London";

export type AccessWorld = Awaited<ReturnType<typeof createAccessWorld>>;

/** Marks only the named roles may read (checked in every page's data and HTML). */
export type Secret = { text: string; readers: AccessRole[] };

export async function createAccessWorld() {
  const em = await forkEm();
  // Every area on: a switched-off area answers 404 before any guard runs (ADR 20), which would prove nothing.
  await updateSettings(em, { "features.sessions.enabled": true, "features.cohorts.enabled": true, "features.appointments.enabled": true });

  const mark = (what: string) => `${what}-${randomBytes(6).toString("hex")}`;
  const users = {
    client: await createUser(em, { role: "CLIENT" }),
    otherClient: await createUser(em, { role: "CLIENT" }),
    coach: await createUser(em, { role: "COACH" }),
    otherCoach: await createUser(em, { role: "COACH" }),
    admin: await createUser(em, { role: "ADMIN" }),
  } satisfies Record<Exclude<AccessRole, "guest">, IUser>;
  const { client, otherClient, coach, otherCoach } = users;

  const classType = await createClassType(em);
  const plan = await createPlan(em, { type: "PACK", totalSessions: 20, classTypes: [] });
  const today = todayIn(ZONE);
  const membership = await createMembership(em, { user: client, plan, startDate: addDays(today, -7) });
  // A second membership of A that the cancel page's own checks may cancel without touching the first.
  const spareMembership = await createMembership(em, { user: client, plan, startDate: addDays(today, -7) });
  const otherMembership = await createMembership(em, { user: otherClient, plan, startDate: addDays(today, -7) });

  const session = await createSession(em, { coach, classType, start: toInstant(addDays(today, 2), "18:05", ZONE), capacity: 8 });
  const sessionNote = mark("COACH-ONLY-SESSION-NOTE");
  await em.nativeUpdate(Session, { id: session.id }, { notes: sessionNote });
  const registration = await createRegistration(em, { session, user: client, membership });

  const cohort = await createCohort(em, { coaches: [coach], members: [client], checkIn: { metrics: ["weightKg"], frequencyDays: 7 } });
  const otherCohort = await createCohort(em, { coaches: [otherCoach], members: [otherClient] });
  const bundle = await createQuestionnaire(em, cohort, 1);
  await createQuestionnaire(em, otherCohort, 1);
  const answer = mark("A-PRIVATE-ANSWER");
  const response = await createResponse(em, { bundle, user: client, answers: { "q-wins": answer, "q-effort": 7, "q-diet": "Mostly" } });
  const healthNote = mark("A-PRIVATE-HEALTH");
  const entry = await createEntry(em, { user: client, date: addDays(today, -1), weightKg: 81.5, note: healthNote });
  const otherEntry = await createEntry(em, { user: otherClient, date: addDays(today, -1), weightKg: 70 });
  const feedbackText = mark("A-PRIVATE-FEEDBACK");
  await createFeedback(em, { cohort, user: client, coach, weekNumber: 1, body: feedbackText });
  const coachNoteText = mark("COACH-NOTE-ABOUT-A");
  em.create(CoachNote, { client: client.id, coach: coach.id, cohort: cohort.id, weekNumber: 1, body: coachNoteText }, { partial: true });

  const paymentRef = mark("pi_A_PRIVATE_PAYMENT");
  const payment = em.create(Payment, {
    user: client.id,
    membership: membership.id,
    kind: "PURCHASE",
    stripeObjectId: paymentRef,
    amountPence: 4321,
    currency: "GBP",
    status: "succeeded",
    receiptUrl: `https://pay.example/receipt/${paymentRef}`,
    occurredAt: new Date(),
  });
  const notificationText = mark("A-PRIVATE-NOTIFICATION");
  const notification = em.create(
    Notification,
    { user: client.id, kind: "BOOKING_CONFIRMED", subject: notificationText, body: notificationText, payload: {} },
    { partial: true },
  );
  await em.flush();
  const email = em.create(
    EmailMessage,
    {
      notification: notification.id,
      user: client.id,
      toAddress: client.email,
      subject: notificationText,
      textBody: notificationText,
      htmlBody: `<p>${notificationText}</p>`,
      status: "OUTBOX",
    },
    { partial: true },
  );
  await em.flush();

  // Appointments: a slot of each coach, A booked on coach A's (straight through the entity, as a factory).
  const slot = await offerSlot(coach, classType.id, addDays(today, 3));
  const otherSlot = await offerSlot(otherCoach, classType.id, addDays(today, 3));
  const booking = em.create(AppointmentBooking, { slot: slot.id, client: client.id, membership: membership.id, status: "BOOKED" }, { partial: true });
  await em.flush();

  const feedToken = await calendarFeedToken(em, client.id);
  const { token: resetToken } = await createPasswordToken(em, { userId: client.id, purpose: "RESET" });

  const cookies = { guest: "" } as Record<AccessRole, string>;
  for (const [role, user] of Object.entries(users)) cookies[role as AccessRole] = await signedInCookie(user);

  /** Strings from A's private records and who may read them. */
  const secrets: Record<string, Secret> = {
    "A's email address": { text: client.email, readers: ["client", "coach", "otherCoach", "admin"] },
    "A's health check-in": { text: healthNote, readers: ["client", "coach", "admin"] },
    "A's questionnaire answer": { text: answer, readers: ["client", "coach", "admin"] },
    "A's coach feedback": { text: feedbackText, readers: ["client", "coach", "admin"] },
    "coach A's note about A": { text: coachNoteText, readers: ["coach", "admin"] },
    "A's payment": { text: paymentRef, readers: ["client", "admin"] },
    "A's notification": { text: notificationText, readers: ["client", "admin"] },
    "the session's coach-only notes": { text: sessionNote, readers: ["coach", "otherCoach", "admin"] },
  };

  return {
    users,
    cookies,
    /** A new sign-in of `role` (for requests that sign out). */
    freshCookie: (role: AccessRole) => (role === "guest" ? Promise.resolve("") : signedInCookie(users[role])),
    classType,
    plan,
    membership,
    spareMembership,
    otherMembership,
    session,
    registration,
    cohort,
    otherCohort,
    bundle,
    response,
    entry,
    otherEntry,
    payment,
    notification,
    email,
    slot,
    otherSlot,
    booking,
    feedToken,
    resetToken,
    unsubscribeToken: unsubscribeToken(client.id, "CLASS_REMINDER"),
    secrets,
  };
}

/** A calendar-feed secret of the client's, made as the app makes it (shown once, stored hashed: ADR 24). */
function calendarFeedToken(em: EntityManager, userId: number): Promise<string> {
  return calendarFeed.replaceCalendarFeed(em, userId);
}

async function offerSlot(owner: IUser, classTypeId: number, date: string) {
  const result = await createSlot(await forkEm(), {
    actor: { id: owner.id, role: owner.role },
    classTypeId,
    date,
    startTime: "10:00",
    durationMins: 45,
  });
  if (!result.ok) throw new Error(`could not offer a slot: ${JSON.stringify(result)}`);
  return result.slot;
}
