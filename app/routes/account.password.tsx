import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { PASSWORD_MIN, homePathFor } from "~/modules/auth/auth.rules";
import { ChangePasswordSchema } from "~/modules/auth/auth.schema";
import { changePassword } from "~/modules/auth/auth.service.server";
import { getAuthToken, requireUser } from "~/modules/auth/auth-session.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm } from "~/utils/forms";
import { badRequest, readFormData, retryAfterHeaders, withRetryAfter } from "~/utils/http.server";

export const headers = withRetryAfter;

export const meta: MetaFunction = () => [{ title: "Change password · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ email: user.email });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = parseForm(ChangePasswordSchema, await readFormData(request));
  if (!form.ok) return badRequest(form);
  const result = await changePassword(getEm(), {
    userId: user.id,
    currentPassword: form.data.currentPassword,
    newPassword: form.data.newPassword,
    keepAuthToken: (await getAuthToken(request)) ?? undefined,
    ipAddress: context.clientIp,
  });
  if (!result.ok && result.reason === "throttled") return json(formFailure({}, result), { status: 429, headers: retryAfterHeaders(result) });
  if (!result.ok) return badRequest(formFailure({}, result));
  return redirectWithFlash(homePathFor(user.role), {
    kind: "success",
    message: "Your password has been changed. Other devices have been signed out.",
  });
}

export default function ChangePassword() {
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = failure?.fieldErrors ?? {};
  return (
    <section className="mx-auto max-w-md card" aria-labelledby="password-title">
      <h1 id="password-title" className="mb-4 text-2xl font-bold">
        Change your password
      </h1>
      <FormError message={failure?.formError} />
      <Form method="post" noValidate>
        <Field label="Current password" name="currentPassword" type="password" autoComplete="current-password" required errors={errors.currentPassword} />
        <Field
          label="New password"
          name="newPassword"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={`At least ${PASSWORD_MIN} characters.`}
          errors={errors.newPassword}
        />
        <Field label="Repeat the new password" name="confirmPassword" type="password" autoComplete="new-password" required errors={errors.confirmPassword} />
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Saving…" : "Change password"}
        </button>
      </Form>
    </section>
  );
}
