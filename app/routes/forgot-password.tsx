import { json, type ActionFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { CheckYourEmail } from "~/components/check-your-email";
import { EmailField, FormError } from "~/components/field";
import { ForgotPasswordSchema } from "~/modules/auth/auth.schema";
import { requestPasswordReset } from "~/modules/auth/password-tokens.service.server";
import { getEm } from "~/modules/db.server";
import { parseForm } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";

export const meta: MetaFunction = () => [{ title: "Forgot your password? · Centurion" }];

/** The one answer to every well-formed request: it never says whether the address has an account. */
export const RESET_REQUESTED =
  "If an account uses that address, we have emailed a link to choose a new password. It works once, within an hour. If nothing arrives in a few minutes, check your spam folder.";

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(ForgotPasswordSchema, await readFormData(request));
  if (!form.ok) return badRequest(form);
  // The outcome (sent, no such account, too many requests) stays on the server.
  await requestPasswordReset(getEm(), { email: form.data.email, ipAddress: context.clientIp });
  return json({ ok: true as const, message: RESET_REQUESTED });
}

export default function ForgotPassword() {
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = answer && !answer.ok ? answer : undefined;
  return (
    <section className="mx-auto max-w-md card" aria-labelledby="forgot-title">
      <h1 id="forgot-title" className="mb-4 text-2xl font-bold">
        Forgot your password?
      </h1>
      {answer?.ok ? (
        <CheckYourEmail message={answer.message} />
      ) : (
        <>
          <p className="mb-4 text-slate-700">Enter the email address you sign in with and we will email you a link to choose a new password.</p>
          <FormError message={failure?.formError} />
          <Form method="post" noValidate>
            <EmailField defaultValue={typeof failure?.values.email === "string" ? failure.values.email : undefined} errors={failure?.fieldErrors.email} />
            <button type="submit" className="btn-primary w-full" disabled={busy}>
              {busy ? "Sending…" : "Email me a link"}
            </button>
          </Form>
          <p className="mt-4 text-sm">
            Remembered it? <Link to="/login">Sign in</Link>
          </p>
        </>
      )}
    </section>
  );
}
