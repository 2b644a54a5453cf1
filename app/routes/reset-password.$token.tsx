import { json, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Field, FormError } from "~/components/field";
import { PASSWORD_MIN, homePathFor } from "~/modules/auth/auth.rules";
import { ResetPasswordSchema } from "~/modules/auth/auth.schema";
import { pendingSignInHeaders, SECOND_STEP_PATH, signInHeaders } from "~/modules/auth/auth-session.server";
import { hasTwoFactor } from "~/modules/auth/two-factor.service.server";
import { findPasswordLink, setPasswordWithToken } from "~/modules/auth/password-tokens.service.server";
import { getEm } from "~/modules/db.server";
import { getSettings } from "~/modules/settings/settings.service.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data && "purpose" in data && data.purpose === "INVITE" ? "Choose your password" : "Choose a new password"} · Centurion` },
];

/** A used, closed or expired link answers 410 (Gone); a token no link ever had, 404. Both show the same page. */
function spent(status: 404 | 410) {
  return json({ spent: true as const }, { status, headers: { "Cache-Control": "no-store" } });
}

export async function loader({ params }: LoaderFunctionArgs) {
  const link = await findPasswordLink(getEm(), params.token ?? "");
  if (!link) return spent(404);
  if (link === "spent") return spent(410);
  return json({ spent: false as const, purpose: link.purpose, name: link.name, email: link.email }, { headers: { "Cache-Control": "no-store" } });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const form = parseForm(ResetPasswordSchema, await readFormData(request));
  if (!form.ok) return badRequest(form);
  const em = getEm();
  const result = await setPasswordWithToken(em, { token: params.token ?? "", password: form.data.password });
  if (!result.ok) return spent(410);
  const { user, purpose } = result;
  // An emailed link proves the inbox, not the second factor: with two-step sign-in on, the code comes next.
  if (await hasTwoFactor(em, user.id)) {
    const message = "Your password has been changed. Enter the code from your authenticator app to sign in; any other devices have been signed out.";
    return redirectWithFlash(SECOND_STEP_PATH, { kind: "success", message }, { headers: await pendingSignInHeaders(user, "") });
  }
  const headers = await signInHeaders(user, request, context.clientIp);
  const message =
    purpose === "INVITE"
      ? `Welcome to ${(await getSettings(em)).studioName}, ${user.name}! Your password is set and you are signed in.`
      : "Your password has been changed and you are signed in. Any other devices have been signed out.";
  return redirectWithFlash(homePathFor(user.role), { kind: "success", message }, { headers });
}

export default function ResetPassword() {
  const link = useLoaderData<typeof loader>();
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  if (link.spent || (answer && "spent" in answer)) return <SpentLink />;
  const failure = answer && "fieldErrors" in answer ? answer : undefined;
  const errors = failure?.fieldErrors ?? {};
  const invite = link.purpose === "INVITE";
  return (
    <section className="mx-auto max-w-md card" aria-labelledby="reset-title">
      <h1 id="reset-title" className="mb-2 text-2xl font-bold">
        {invite ? "Welcome — choose your password" : "Choose a new password"}
      </h1>
      <p className="mb-4 text-slate-700">
        {invite ? `${link.name}, choose the password you will sign in with as ${link.email}.` : `For ${link.email}. Other devices will be signed out.`}
      </p>
      <FormError message={failure?.formError} />
      <Form method="post" noValidate>
        {/* Lets password managers save the new password under the right account. */}
        <input type="hidden" name="username" autoComplete="username" value={link.email} />
        <Field
          label={invite ? "Password" : "New password"}
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={PASSWORD_MIN}
          hint={`At least ${PASSWORD_MIN} characters.`}
          errors={errors.password}
        />
        <Field label="Repeat the password" name="confirmPassword" type="password" autoComplete="new-password" required errors={errors.confirmPassword} />
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Saving…" : invite ? "Set my password" : "Change password"}
        </button>
      </Form>
    </section>
  );
}

function SpentLink() {
  return (
    <section className="mx-auto max-w-md card" aria-labelledby="spent-title">
      <h1 id="spent-title" className="mb-2 text-2xl font-bold">
        This link has expired or was already used
      </h1>
      <p className="mb-4 text-slate-700">
        Each link works once, and a password reset link only for an hour. Ask for a new one and use the newest email we send.
      </p>
      <p className="flex flex-wrap gap-3">
        <Link to="/forgot-password" className="btn-primary">
          Email me a new link
        </Link>
        <Link to="/login" className="btn-secondary">
          Sign in
        </Link>
      </p>
    </section>
  );
}
