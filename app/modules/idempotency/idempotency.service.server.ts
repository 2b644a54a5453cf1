import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { FormSubmission } from "./idempotency.entities.server";

export type FormPurpose = "assign-membership" | "new-session";

/** A new one-time token for a form that creates a record (the loader puts it in a hidden field). */
export function newFormToken(): string {
  return randomUUID();
}

/** Thrown inside a transaction whose token was already used: the transaction rolls back, creating nothing. */
export class FormAlreadySubmitted extends Error {
  constructor(readonly token: string) {
    super("This form was already submitted.");
    this.name = "FormAlreadySubmitted";
  }
}

/**
 * Records, in the transaction that created `resultId`, that `token` made it. A concurrent submission of
 * the same token waits here for the first to commit, then throws FormAlreadySubmitted.
 */
export async function recordFormSubmission(tx: EntityManager, input: { token: string; purpose: FormPurpose; actorId: number; resultId: number }): Promise<void> {
  const rows = await tx.execute<{ token: string }[]>(
    `insert into form_submission (token, purpose, actor_id, result_id, created_at) values (?, ?, ?, ?, ?)
     on conflict (token) do nothing returning token`,
    [input.token, input.purpose, input.actorId, input.resultId, new Date()],
  );
  if (!rows.length) throw new FormAlreadySubmitted(input.token);
}

export type PreviousSubmission = { kind: "none" } | { kind: "same"; resultId: number } | { kind: "other" };

/**
 * What `token` already did: nothing yet, made a record with this purpose for this actor (`same`), or was
 * used for another form or by someone else (`other`, which the caller refuses).
 */
export async function previousSubmission(em: EntityManager, input: { token: string; purpose: FormPurpose; actorId: number }): Promise<PreviousSubmission> {
  const found = await em.fork().findOne(FormSubmission, input.token);
  if (!found) return { kind: "none" };
  return found.purpose === input.purpose && found.actor.id === input.actorId ? { kind: "same", resultId: found.resultId } : { kind: "other" };
}

/** The message for a token used for another form. */
export const TOKEN_USED_ELSEWHERE = "This form has already been used. Reload the page and try again.";
