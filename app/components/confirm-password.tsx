import { Form, useNavigation } from "@remix-run/react";
import { Field } from "~/components/field";

// The "confirm your password" step before a change to settings, plans or roles (requireRecentPassword in
// auth-session.server.ts answers 401 with the form as it was sent). It sends the same fields again with the
// password, to the same action, so nothing typed is lost; a plain form, it works without JavaScript.

type Props = { action: string; fields: [string, string][]; error?: string };

export function isConfirmPasswordData(data: unknown): data is { confirmPassword: Props } {
  const inner = (data as { confirmPassword?: Partial<Props> } | null)?.confirmPassword;
  return typeof inner?.action === "string" && Array.isArray(inner.fields);
}

export function ConfirmPassword({ action, fields, error }: Props) {
  const busy = useNavigation().state === "submitting";
  return (
    <section className="mx-auto max-w-md card" aria-labelledby="confirm-password-title">
      <h1 id="confirm-password-title" className="mb-2 text-2xl font-bold">
        Confirm your password
      </h1>
      <p className="mb-4">
        To change the studio&apos;s settings, plans or people, enter your password again. Your changes are kept and saved once it is right.
      </p>
      <Form method="post" action={action} noValidate>
        {fields.map(([name, value], i) => (
          <input key={`${name}-${i}`} type="hidden" name={name} value={value} />
        ))}
        <Field label="Password" name="reauthPassword" type="password" autoComplete="current-password" required errors={error ? [error] : undefined} />
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Checking…" : "Confirm and save"}
        </button>
      </Form>
    </section>
  );
}
