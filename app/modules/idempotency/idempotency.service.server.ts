import { randomUUID } from "node:crypto";
import type { EntityManager } from "@mikro-orm/postgresql";
import { refuse, type Failure } from "~/utils/result";
import { FormSubmission } from "./idempotency.entities.server";

export type FormPurpose = "assign-membership" | "new-session" | "new-cohort";

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
export async function recordFormSubmission(
  tx: EntityManager,
  input: { token: string; purpose: FormPurpose; actorId: number; resultId: number },
): Promise<void> {
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

/** The form a token came with: what it does and who sent it (no token: every submission creates). */
export type FormOrigin = { token?: string; purpose: FormPurpose; actorId?: number };

/**
 * Runs `create` in a transaction once per form token. A second submission of the token creates nothing
 * and answers what the first created (`earlier(resultId)`), `replayed`; one sent while the first is being
 * saved waits on the token's key, rolls back and answers the same. The token is recorded only when a
 * record is created, so a refused submission can be corrected and sent again.
 */
export async function oncePerFormToken<T extends { id: number }>(
  em: EntityManager,
  form: FormOrigin,
  earlier: (resultId: number) => Promise<T | null>,
  create: (tx: EntityManager) => Promise<{ ok: true; record: T } | Failure | null>,
): Promise<{ ok: true; record: T; replayed: boolean } | Failure | null> {
  const { token, purpose, actorId } = form;
  const replay = async () => {
    if (!token || actorId === undefined) return null;
    const previous = await previousSubmission(em, { token, purpose, actorId });
    if (previous.kind === "none") return null;
    const record = previous.kind === "same" ? await earlier(previous.resultId) : null;
    return record ? { ok: true as const, record, replayed: true } : refuse(TOKEN_USED_ELSEWHERE);
  };
  const before = await replay();
  if (before) return before;
  try {
    return await em.transactional(async (tx) => {
      const result = await create(tx);
      if (!result?.ok) return result;
      if (token && actorId !== undefined) await recordFormSubmission(tx, { token, purpose, actorId, resultId: result.record.id });
      return { ...result, replayed: false };
    });
  } catch (error) {
    if (error instanceof FormAlreadySubmitted) return (await replay()) ?? refuse(TOKEN_USED_ELSEWHERE);
    throw error;
  }
}
