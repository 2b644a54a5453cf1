/**
 * `compute()`'s answer for `key`, kept in `answers` for next time; the map is emptied when it reaches
 * `limit` entries, so it cannot grow without bound. For pure functions that pages call with the same
 * arguments request after request (a class's times, its booking window, a week's start).
 */
export function remembered<T>(answers: Map<string, T>, key: string, compute: () => T, limit = 5_000): T {
  let answer = answers.get(key);
  if (answer === undefined) {
    answer = compute();
    if (answers.size >= limit) answers.clear();
    answers.set(key, answer);
  }
  return answer;
}
