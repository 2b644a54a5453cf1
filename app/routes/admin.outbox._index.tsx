import { json, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Pagination } from "~/components/pagination";
import { SmtpStatus } from "~/components/smtp-status";
import { requireAdmin } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { smtpHost } from "~/modules/notifications/email.server";
import { OutboxSearchSchema } from "~/modules/notifications/outbox.schema";
import { listOutbox } from "~/modules/notifications/outbox.server";

export const meta: MetaFunction = () => [{ title: "Outbox · Centurion" }];

const STATUS_LABELS = { OUTBOX: "In the outbox", QUEUED: "Queued", SENT: "Sent", FAILED: "Failed" } as const;

export async function loader({ request }: LoaderFunctionArgs) {
  await requireAdmin(request);
  const url = new URL(request.url);
  const parsed = OutboxSearchSchema.safeParse(Object.fromEntries(url.searchParams));
  const search = parsed.success ? parsed.data : {};
  const result = await listOutbox(getEm(), search);
  return json({ ...result, search, invalid: !parsed.success, smtpHost: smtpHost(), query: url.searchParams.toString() });
}

export default function Outbox() {
  const { messages, total, page, pageCount, search, invalid, smtpHost, query } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="outbox-title">
      <h1 id="outbox-title" className="mb-4 text-2xl font-bold">
        Outbox
      </h1>
      <SmtpStatus host={smtpHost} />
      <Form method="get" className="card mb-4 grid gap-3 sm:grid-cols-3" aria-label="Search the outbox">
        {invalid ? (
          <p role="alert" className="field-error sm:col-span-3">
            Some search fields were not valid and were ignored.
          </p>
        ) : null}
        <label className="text-sm font-medium sm:col-span-2">
          Recipient (email or name)
          <input type="search" name="q" defaultValue={search.q ?? ""} className="field-input mt-1" />
        </label>
        <label className="text-sm font-medium">
          Status
          <select name="status" defaultValue={search.status ?? ""} className="field-input mt-1">
            <option value="">Any</option>
            {Object.entries(STATUS_LABELS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </label>
        <div className="flex gap-2 sm:col-span-3">
          <button type="submit" className="btn-primary">
            Search
          </button>
          <Link to="/admin/outbox" className="btn-secondary">
            Reset
          </Link>
        </div>
      </Form>
      <p className="mb-2 text-sm text-slate-700" role="status">
        {total} message{total === 1 ? "" : "s"} · page {page} of {pageCount}
      </p>
      {messages.length === 0 ? (
        <p className="card">No messages match.</p>
      ) : (
        <div className="card relative overflow-x-auto">
          <table className="w-full min-w-[40rem] text-left text-sm">
            <caption className="sr-only">Email messages, newest first</caption>
            <thead>
              <tr className="border-b border-slate-300">
                <th scope="col" className="py-2 pr-3">
                  When
                </th>
                <th scope="col" className="py-2 pr-3">
                  To
                </th>
                <th scope="col" className="py-2 pr-3">
                  Subject
                </th>
                <th scope="col" className="py-2 pr-3">
                  Status
                </th>
                <th scope="col" className="py-2 pr-3 text-right">
                  Attempts
                </th>
                <th scope="col" className="py-2">
                  Sent at
                </th>
              </tr>
            </thead>
            <tbody>
              {messages.map((m) => (
                <tr key={m.id} className="border-b border-slate-200">
                  <td className="py-2 pr-3 whitespace-nowrap">{m.createdAt}</td>
                  <td className="py-2 pr-3">{m.toAddress}</td>
                  <td className="py-2 pr-3">
                    <Link to={`/admin/outbox/${m.id}`}>{m.subject}</Link>
                  </td>
                  <td className="py-2 pr-3">{STATUS_LABELS[m.status]}</td>
                  <td className="py-2 pr-3 text-right">{m.attempts}</td>
                  <td className="py-2 whitespace-nowrap">{m.sentAt ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination query={query} page={page} pageCount={pageCount} />
    </section>
  );
}
