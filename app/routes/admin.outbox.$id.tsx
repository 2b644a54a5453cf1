import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SmtpStatus } from "~/components/smtp-status";
import { requireAdmin } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { smtpHost } from "~/modules/notifications/email.server";
import { getOutboxMessage } from "~/modules/notifications/outbox.server";
import { notFound } from "~/utils/http.server";
import { idParam } from "~/utils/params.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.message.subject ?? "Message"} · Outbox · Centurion` }];

const STATUS_LABELS = { OUTBOX: "In the outbox (not sent: no SMTP)", QUEUED: "Queued", SENT: "Sent", FAILED: "Failed after every retry" } as const;

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const message = await getOutboxMessage(getEm(), idParam(params.id, "that message"));
  if (!message) notFound("We could not find that message.");
  return json({ message, smtpHost: smtpHost() });
}

export default function OutboxMessage() {
  const { message, smtpHost } = useLoaderData<typeof loader>();
  const facts: [string, string][] = [
    ["To", message.toAddress],
    ["Status", STATUS_LABELS[message.status]],
    ["Written", message.createdAt],
    ["Sent at", message.sentAt ?? "—"],
    ["Attempts", String(message.attempts)],
    ...(message.kind ? ([["Kind", message.kind]] as [string, string][]) : []),
    ...(message.transportMessageId ? ([["SMTP message id", message.transportMessageId]] as [string, string][]) : []),
  ];
  return (
    <section aria-labelledby="message-title" className="space-y-4">
      <p>
        <Link to="/admin/outbox">← Outbox</Link>
      </p>
      <h1 id="message-title" className="text-2xl font-bold">
        {message.subject}
      </h1>
      <SmtpStatus host={smtpHost} />
      <dl className="card grid gap-x-4 gap-y-1 text-sm sm:grid-cols-[10rem_1fr]">
        {facts.map(([name, value]) => (
          <div key={name} className="contents">
            <dt className="font-medium text-slate-600">{name}</dt>
            <dd className="break-words">{value}</dd>
          </div>
        ))}
      </dl>
      {message.lastError ? (
        <div className="card border-red-300 bg-red-50" role="status">
          <h2 className="mb-1 font-bold">Last error</h2>
          <pre className="text-sm break-words whitespace-pre-wrap">{message.lastError}</pre>
        </div>
      ) : null}
      <section aria-labelledby="text-title" className="card">
        <h2 id="text-title" className="mb-2 text-xl font-bold">
          Plain text
        </h2>
        <pre className="text-sm break-words whitespace-pre-wrap">{message.textBody}</pre>
      </section>
      <section aria-labelledby="html-title" className="card">
        <h2 id="html-title" className="mb-2 text-xl font-bold">
          HTML
        </h2>
        {/* The email's HTML only ever goes into a sandboxed frame (no scripts, no forms, its own origin) or is shown as text. */}
        <iframe title="The email as HTML" sandbox="" srcDoc={message.htmlBody} className="h-[32rem] w-full rounded border border-slate-300 bg-white" />
        <details className="mt-2">
          <summary className="cursor-pointer text-sm">HTML source</summary>
          <pre className="mt-2 max-h-96 overflow-auto text-xs break-words whitespace-pre-wrap">{message.htmlBody}</pre>
        </details>
      </section>
    </section>
  );
}
