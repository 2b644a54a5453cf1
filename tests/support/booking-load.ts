// A booking load over HTTP for the fault tests (tests/e2e/faults.spec.ts): signed-in clients, each booking,
// cancelling and leaving waitlists on a few sessions one request after another, as plain form posts (the
// HTTP contract in DESIGN.md). Every answer is recorded with the phase of the test it started and ended in,
// so a test can say what the answers inside a phase must be without timing anything. Bounded in requests.

export type Answer = number | "timeout" | "network error";

export type Outcome = {
  client: number;
  intent: "book" | "cancel" | "leave-waitlist";
  sessionId: number;
  /** The load's phase when the request was sent and when its answer (or failure) came. */
  startPhase: string;
  endPhase: string;
  status: Answer;
  contentType: string | null;
  retryAfter: string | null;
  /** The body of an answer that is not a redirect (the 503 page, a refusal), else "". */
  body: string;
};

const INTENTS = ["book", "book", "book", "cancel", "cancel", "leave-waitlist"] as const;

/** A small seeded generator, so that a failing run can be replayed with the same choices. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class BookingLoad {
  readonly outcomes: Outcome[] = [];
  /** Set by the test as it goes (e.g. "before", "down", "up"); recorded with every answer. */
  phase = "before";
  private running = false;
  private loops: Promise<void>[] = [];

  constructor(
    private readonly options: {
      baseUrl: string;
      /** One sign-in cookie per client. */
      cookies: string[];
      sessionIds: number[];
      seed?: number;
      /** A request unanswered this long counts as "timeout" (a hang). */
      requestTimeoutMs?: number;
      maxRequestsPerClient?: number;
    },
  ) {}

  start(): void {
    if (this.running) throw new Error("the load is already running");
    this.running = true;
    this.loops = this.options.cookies.map((cookie, client) => this.clientLoop(client, cookie));
  }

  /** Stops sending and waits for the answers still on their way. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  count(filter: (outcome: Outcome) => boolean): number {
    return this.outcomes.filter(filter).length;
  }

  /** Waits until `condition` holds (checked as answers come in), or fails after `timeoutMs` saying what it waited for. */
  async until(condition: () => boolean, what: string, timeoutMs = 120_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (!this.running) throw new Error(`the load stopped before ${what}`);
      if (Date.now() > deadline) throw new Error(`no ${what} within ${timeoutMs / 1000}s; answers so far: ${JSON.stringify(this.summary())}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** How many answers of each status came in each phase, e.g. { "down": { "503": 40 } }. */
  summary(): Record<string, Record<string, number>> {
    const summary: Record<string, Record<string, number>> = {};
    for (const { startPhase, endPhase, status } of this.outcomes) {
      const phase = startPhase === endPhase ? startPhase : `${startPhase}→${endPhase}`;
      summary[phase] ??= {};
      summary[phase][String(status)] = (summary[phase][String(status)] ?? 0) + 1;
    }
    return summary;
  }

  private async clientLoop(client: number, cookie: string): Promise<void> {
    const next = random((this.options.seed ?? 1) * 1000 + client);
    const { baseUrl, sessionIds, requestTimeoutMs = 60_000, maxRequestsPerClient = 5_000 } = this.options;
    for (let sent = 0; this.running && sent < maxRequestsPerClient; sent++) {
      const intent = INTENTS[Math.floor(next() * INTENTS.length)];
      const sessionId = sessionIds[Math.floor(next() * sessionIds.length)];
      const startPhase = this.phase;
      let outcome: Omit<Outcome, "endPhase">;
      try {
        const response = await fetch(`${baseUrl}/client/sessions/${sessionId}`, {
          method: "POST",
          headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
          body: new URLSearchParams({ intent }).toString(),
          redirect: "manual",
          signal: AbortSignal.timeout(requestTimeoutMs),
        });
        const body = response.status === 303 ? "" : await response.text();
        if (response.status === 303) await response.body?.cancel();
        outcome = {
          client,
          intent,
          sessionId,
          startPhase,
          status: response.status,
          contentType: response.headers.get("content-type"),
          retryAfter: response.headers.get("retry-after"),
          body,
        };
      } catch (error) {
        const timedOut = error instanceof Error && (error.name === "TimeoutError" || error.name === "AbortError");
        outcome = {
          client,
          intent,
          sessionId,
          startPhase,
          status: timedOut ? "timeout" : "network error",
          contentType: null,
          retryAfter: null,
          body: String(error),
        };
      }
      this.outcomes.push({ ...outcome, endPhase: this.phase });
      // A client told to come back later, or cut off, waits a little rather than spin.
      if (outcome.status === 503 || typeof outcome.status === "string") await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/** Signs `email` in with a plain form post and answers the cookie to send with its requests. */
export async function signInCookie(baseUrl: string, email: string, password: string): Promise<string> {
  const response = await fetch(`${baseUrl}/login`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ email, password }).toString(),
    redirect: "manual",
    signal: AbortSignal.timeout(60_000),
  });
  if (response.status !== 303) throw new Error(`signing ${email} in answered ${response.status}: ${await response.text()}`);
  await response.body?.cancel();
  return response.headers
    .getSetCookie()
    .map((cookie) => cookie.split(";")[0])
    .join("; ");
}
