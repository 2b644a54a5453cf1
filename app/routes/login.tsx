import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { EmailField, Field, FormError } from "~/components/field";
import { homePathFor, safeRedirect } from "~/modules/auth/auth.rules";
import { afterPassword, createAuthenticator, getOptionalUser, LoginRefused } from "~/modules/auth/auth-session.server";
import { formFailure } from "~/utils/forms";
import { badRequest, isUnreadableForm, notAForm, retryAfterHeaders, withRetryAfter } from "~/utils/http.server";

export const headers = withRetryAfter;

export const meta: MetaFunction = () => [{ title: "Sign in · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const redirectTo = new URL(request.url).searchParams.get("redirectTo");
  const user = await getOptionalUser(request);
  if (user) throw redirect(safeRedirect(redirectTo, homePathFor(user.role)), 303);
  return json({ redirectTo: safeRedirect(redirectTo, "") });
}

/**
 * remix-auth reads and validates the form (createAuthenticator); this answers what it decided: a sign-in,
 * or for an account with a second factor the page that asks for its code (login_.two-factor.tsx).
 */
export async function action({ request, context }: ActionFunctionArgs) {
  try {
    const { user, redirectTo } = await createAuthenticator(context).authenticate("form", request);
    return await afterPassword(user, redirectTo, request, context.clientIp);
  } catch (error) {
    if (isUnreadableForm(error)) throw notAForm();
    if (!(error instanceof LoginRefused)) throw error;
    const { refusal } = error;
    if (refusal.kind === "invalid-form") return badRequest(refusal.failure);
    const failure = formFailure({ email: refusal.email, redirectTo: refusal.redirectTo }, refusal.failure.formError ?? "");
    const throttled = refusal.failure.reason === "throttled";
    return json(failure, { status: throttled ? 429 : 400, headers: retryAfterHeaders(refusal.failure) });
  }
}

export default function Login() {
  const { redirectTo } = useLoaderData<typeof loader>();
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const errors = failure?.fieldErrors ?? {};
  const password = useRef<HTMLInputElement>(null);
  // Without JavaScript the refused form comes back empty; do the same when JavaScript submitted it.
  useEffect(() => {
    if (failure && password.current) password.current.value = "";
  }, [failure]);
  return (
    <section className="mx-auto max-w-md card" aria-labelledby="login-title">
      <h1 id="login-title" className="mb-4 text-2xl font-bold">
        Sign in
      </h1>
      <FormError message={failure?.formError} />
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={failure?.values.redirectTo ?? redirectTo} />
        <EmailField defaultValue={failure?.values.email} errors={errors.email} />
        <Field ref={password} label="Password" name="password" type="password" autoComplete="current-password" required errors={errors.password} />
        <p className="-mt-2 mb-4 text-sm">
          <Link to="/forgot-password">Forgot your password?</Link>
        </p>
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p className="mt-4 text-sm">
        New to the studio? <Link to="/signup">Create an account</Link>
      </p>
    </section>
  );
}
