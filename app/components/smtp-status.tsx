/** Where email goes: an SMTP server, or nowhere but the outbox (the admin outbox pages). */
export function SmtpStatus({ host }: { host: string | null }) {
  return host ? (
    <p className="card mb-4 text-sm">
      SMTP is configured (<strong>{host}</strong>): emails are sent, and each one is recorded here with its status.
    </p>
  ) : (
    <p className="card mb-4 border-amber-300 bg-amber-50 text-sm">
      <strong>No SMTP is configured</strong>, so no email leaves the app: every message stays here in the outbox. Set <code>SMTP_URL</code> (or{" "}
      <code>SMTP_HOST</code>) and <code>MAIL_FROM</code> to send them.
    </p>
  );
}
