import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { Field, FormError } from "~/components/field";
import { homePathFor, safeRedirect } from "~/modules/auth/auth.rules";
import { clearPendingSignInCookie, getOptionalUser, readPendingSignIn, signInHeaders } from "~/modules/auth/auth-session.server";
import { SecondFactorSchema } from "~/modules/auth/two-factor.schema";
import { userForSecondStep, verifySecondFactor } from "~/modules/auth/two-factor.service.server";
import { getEm } from "~/modules/db.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formFailure, parseForm } from "~/utils/forms";
import { badRequest, readFormData } from "~/utils/http.server";

// The second step of a sign-in for an account with two-step sign-in on: the password was right (a short-lived
// signed cookie says so, auth-session.server.ts), and no sign-in exists until a code is. ADR 0026.

export const meta: MetaFunction = () => [{ title: "Enter your code · Centurion" }];

const NO_STORE = { "Cache-Control": "no-store" };

async function startAgain() {
  return redirectWithFlash(
    "/login",
    { kind: "info", message: "Please sign in again: the code must follow your password within 10 minutes." },
    { headers: { "Set-Cookie": await clearPendingSignInCookie() } },
  );
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  if (user) throw redirect(homePathFor(user.role), 303);
  if (!(await readPendingSignIn(request))) throw await startAgain();
  return json({}, { headers: NO_STORE });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const pending = await readPendingSignIn(request);
  if (!pending) return startAgain();
  const form = parseForm(SecondFactorSchema, await readFormData(request));
  if (!form.ok) return badRequest(form);
  const em = getEm();
  const user = await userForSecondStep(em, pending.userId);
  if (!user) return startAgain();
  const checked = await verifySecondFactor(em, user.id, form.data.code);
  if (!checked.ok) {
    // Two-step sign-in was turned off meanwhile: the password alone signs in, so ask for it again.
    if (checked.reason === "off") return startAgain();
    return json(formFailure({}, checked), { status: checked.reason === "throttled" ? 429 : 400, headers: NO_STORE });
  }
  const headers = await signInHeaders(user, request, context.clientIp);
  headers.append("Set-Cookie", await clearPendingSignInCookie());
  const to = safeRedirect(pending.redirectTo, homePathFor(user.role));
  if (checked.method === "recovery") {
    const left = checked.recoveryCodesLeft;
    const message = `You signed in with a recovery code; it cannot be used again. ${left === 0 ? "You have none left" : `You have ${left} left`}: make new ones under Security.`;
    return redirectWithFlash(to, { kind: "info", message }, { headers });
  }
  return redirect(to, { status: 303, headers });
}

export default function SecondFactor() {
  const failure = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const code = useRef<HTMLInputElement>(null);
  // Without JavaScript a refused code comes back empty; do the same when JavaScript submitted it.
  useEffect(() => {
    if (failure && code.current) code.current.value = "";
  }, [failure]);
  const errors = failure && "fieldErrors" in failure ? failure.fieldErrors : {};
  const formError = failure && "formError" in failure && !errors.code ? failure.formError : undefined;
  return (
    <section className="mx-auto max-w-md card" aria-labelledby="code-title">
      <h1 id="code-title" className="mb-2 text-2xl font-bold">
        Enter your code
      </h1>
      <p className="mb-4">Two-step sign-in is on for your account. Open your authenticator app and enter the code it shows for this studio.</p>
      <FormError message={formError} />
      <Form method="post" noValidate>
        <Field
          ref={code}
          label="Code"
          name="code"
          autoComplete="one-time-code"
          autoCapitalize="characters"
          spellCheck={false}
          required
          maxLength={64}
          hint="6 digits from the app. Lost your phone? Enter one of your recovery codes instead."
          errors={errors.code}
        />
        <button type="submit" className="btn-primary w-full" disabled={busy}>
          {busy ? "Checking…" : "Sign in"}
        </button>
      </Form>
      <p className="mt-4 text-sm">
        <Link to="/login">Start again</Link>
      </p>
    </section>
  );
}
