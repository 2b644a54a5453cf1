// Helpers for the tests that run the job queue: a quiet log, waiting for the workers by polling the
// database, and a real SMTP server (smtp-server) that can refuse the first messages it is given.
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import type { JobLog } from "~/modules/jobs/boss.server";
import { createMailer, type Mailer } from "~/modules/notifications/email.server";

/** A log that keeps the queue's errors, to show when a wait times out. */
export function testLog(): JobLog & { errors: unknown[] } {
  const errors: unknown[] = [];
  return {
    errors,
    info: () => {},
    warn: () => {},
    error: (details) => errors.push(details),
  };
}

/** Polls `check` until it answers something truthy; throws naming `what` after `timeoutMs` (generous: no timing is asserted). */
export async function waitFor<T>(what: string, check: () => Promise<T | null | undefined | false>, timeoutMs = 45_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export type ReceivedEmail = { from: string; to: string[]; raw: string };

export type TestSmtpServer = {
  port: number;
  received: ReceivedEmail[];
  /** How many messages were refused (answered 451) so far. */
  refused(): number;
  /** A mailer to this server (close it when done). */
  mailer(): Mailer;
  close(): Promise<void>;
};

/** A real SMTP server on a free port of 127.0.0.1 that answers "451 try again" to the first `refuseFirst` messages. */
export async function startSmtpServer(options: { refuseFirst?: number } = {}): Promise<TestSmtpServer> {
  const received: ReceivedEmail[] = [];
  let toRefuse = options.refuseFirst ?? 0;
  let refused = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (chunk: Buffer) => chunks.push(chunk));
      stream.on("end", () => {
        if (toRefuse > 0) {
          toRefuse--;
          refused++;
          callback(Object.assign(new Error("Mailbox busy, try again later"), { responseCode: 451 }));
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    received,
    refused: () => refused,
    mailer: () => createMailer({ host: "127.0.0.1", port, secure: false, ignoreTLS: true }, "Test Studio <studio@example.test>"),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
