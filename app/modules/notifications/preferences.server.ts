// Which optional emails a client gets: one row per kind they chose for (no row: the kind's default).
import type { EntityManager } from "@mikro-orm/postgresql";
import { refuse, type Result } from "~/utils/result";
import { User } from "../auth/auth.entities.server";
import { NOTIFICATION_KINDS, NotificationPreference, type NotificationKind } from "./notifications.entities.server";
import { emailWanted, KIND_INFO } from "./notifications.rules";

export type EmailChoice = { kind: NotificationKind; label: string; optional: boolean; email: boolean };

/** The user's stored choices, by kind (kinds they never chose for are absent). */
async function storedChoices(em: EntityManager, userId: number, kinds?: NotificationKind[]): Promise<Map<NotificationKind, boolean>> {
  const rows = await em.find(NotificationPreference, { user: userId, ...(kinds ? { kind: { $in: kinds } } : {}) }, { fields: ["kind", "email"] });
  return new Map(rows.map((row) => [row.kind, row.email]));
}

/** Every kind of message with whether `userId` gets it by email (the optional ones first, in KIND_INFO's order). */
export async function emailChoices(em: EntityManager, userId: number): Promise<EmailChoice[]> {
  const stored = await storedChoices(em, userId);
  const all = NOTIFICATION_KINDS.map((kind) => ({
    kind,
    label: KIND_INFO[kind].label,
    optional: KIND_INFO[kind].optional,
    email: emailWanted(kind, stored.get(kind)),
  }));
  return [...all.filter((c) => c.optional), ...all.filter((c) => !c.optional)];
}

/** Whether `userId` gets `kind` by email (the unsubscribe page); null when the user does not exist. */
export async function emailChoiceFor(em: EntityManager, userId: number, kind: NotificationKind): Promise<EmailChoice | null> {
  if (!(await em.count(User, { id: userId }))) return null;
  const stored = await storedChoices(em, userId, [kind]);
  return { kind, label: KIND_INFO[kind].label, optional: KIND_INFO[kind].optional, email: emailWanted(kind, stored.get(kind)) };
}

/** Whether a message of `kind` to `userId` is emailed (what delivery asks before sending). */
export async function wantsEmail(em: EntityManager, userId: number, kind: NotificationKind): Promise<boolean> {
  if (!KIND_INFO[kind].optional) return true;
  return emailWanted(kind, (await storedChoices(em, userId, [kind])).get(kind));
}

async function store(em: EntityManager, userId: number, choices: { kind: NotificationKind; email: boolean }[]) {
  const now = new Date();
  await em.upsertMany(
    NotificationPreference,
    choices.map(({ kind, email }) => ({ user: userId, kind, email, updatedAt: now })),
    { onConflictFields: ["user", "kind"], onConflictAction: "merge", onConflictMergeFields: ["email", "updatedAt"] },
  );
}

/**
 * The account page's one form: the optional kinds in `wanted` are emailed, every other optional kind is
 * turned off. Each optional kind gets a row, so the choice stands even if a default changes later.
 */
export async function saveEmailChoices(em: EntityManager, userId: number, wanted: NotificationKind[]): Promise<Result> {
  const notOptional = wanted.filter((kind) => !KIND_INFO[kind].optional);
  if (notOptional.length) return refuse(`${KIND_INFO[notOptional[0]].label} messages are always sent.`);
  const optional = NOTIFICATION_KINDS.filter((kind) => KIND_INFO[kind].optional);
  await store(
    em,
    userId,
    optional.map((kind) => ({ kind, email: wanted.includes(kind) })),
  );
  return { ok: true };
}

/** An unsubscribe link: `kind` emails to `userId` stop. Null when the user does not exist; refused for a kind that is always sent. */
export async function turnOffEmail(em: EntityManager, userId: number, kind: NotificationKind): Promise<Result | null> {
  if (!(await em.count(User, { id: userId }))) return null;
  if (!KIND_INFO[kind].optional) return refuse(`${KIND_INFO[kind].label} messages are always sent, so they cannot be turned off.`);
  await store(em, userId, [{ kind, email: false }]);
  return { ok: true };
}
