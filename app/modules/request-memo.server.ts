import { RequestContext } from "@mikro-orm/postgresql";

// Answers worked out once per HTTP request and shared by everything that asks during it: the server's
// feature guard, the root, the layout and the page loaders all want the signed-in user and the settings.
// Kept on the ORM's request context (withRequestContext in db.server.ts), so they go with the request:
// the next request, on this instance or another, reads the database again.
const memos = new WeakMap<RequestContext, Map<string, Promise<unknown>>>();

/**
 * `compute()`'s answer, computed once per request under `key` (concurrent callers share the same
 * promise). Outside a request context — jobs, scripts, tests calling services — it computes every time.
 * A failed computation is forgotten, so a later caller tries again.
 */
export function oncePerRequest<T>(key: string, compute: () => Promise<T>): Promise<T> {
  const context = RequestContext.currentRequestContext();
  if (!context) return compute();
  let memo = memos.get(context);
  if (!memo) memos.set(context, (memo = new Map()));
  let answer = memo.get(key) as Promise<T> | undefined;
  if (!answer) {
    answer = compute();
    memo.set(key, answer);
    answer.catch(() => memo.delete(key));
  }
  return answer;
}

/** Forgets the request's answer under `key`, after a change that makes it stale. */
export function forgetForRequest(key: string): void {
  const context = RequestContext.currentRequestContext();
  if (context) memos.get(context)?.delete(key);
}

/** Keeps `answer` as the request's answer under `key` (read together with another, by one query). */
export function rememberForRequest<T>(key: string, answer: Promise<T>): void {
  const context = RequestContext.currentRequestContext();
  if (!context) return;
  let memo = memos.get(context);
  if (!memo) memos.set(context, (memo = new Map()));
  memo.set(key, answer);
  answer.catch(() => memo.delete(key));
}
