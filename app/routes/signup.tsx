import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useNavigation } from "@remix-run/react";
import { CheckYourEmail } from "~/components/check-your-email";
import { EmailField, Field, FormError } from "~/components/field";
import { homePathFor, SIGNUP_REQUESTED } from "~/modules/auth/auth.rules";
import { SignupSchema } from "~/modules/auth/auth.schema";
import { getOptionalUser } from "~/modules/auth/auth-session.server";
import { requestSignup } from "~/modules/auth/signup.service.server";
import { getEm } from "~/modules/db.server";
import { formFailure, parseForm } from "~/utils/forms";
import { badRequest, readFormData, retryAfterHeaders, withRetryAfter } from "~/utils/http.server";

export const headers = withRetryAfter;

export const meta: MetaFunction = () => [{ title: "Create an account · Centurion" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  if (user) throw redirect(homePathFor(user.role), 303);
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = parseForm(SignupSchema, await readFormData(request));
  if (!form.ok) return badRequest(form);
  // The outcome (a new account, an existing one, a deactivated one) stays on the server: one answer for all.
  const result = await requestSignup(getEm(), { ...form.data, ipAddress: context.clientIp });
  if (!result.ok) return json(formFailure({ name: form.data.name, email: form.data.email }, result), { status: 429, headers: retryAfterHeaders(result) });
  return json({ ok: true as const, message: SIGNUP_REQUESTED, email: form.data.email });
}

export default function Signup() {
  const answer = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const failure = answer && "fieldErrors" in answer ? answer : undefined;
  const errors = failure?.fieldErrors ?? {};
  const value = (name: string) => {
    const typed = failure?.values[name];
    return typeof typed === "string" ? typed : undefined;
  };
  return (
    <section className="mx-auto max-w-md card" aria-labelledby="signup-title">
      <h1 id="signup-title" className="mb-4 text-2xl font-bold">
        Create an account
      </h1>
      {answer && "ok" in answer && answer.ok ? (
        <CheckYourEmail message={answer.message} />
      ) : (
        <>
          <p className="mb-4 text-slate-700">We will email you a link to choose your password and finish creating your account.</p>
          <FormError message={failure?.formError} />
          <Form method="post" noValidate>
            <Field label="Your name" name="name" autoComplete="name" required defaultValue={value("name")} errors={errors.name} />
            <EmailField defaultValue={value("email")} errors={errors.email} />
            <button type="submit" className="btn-primary w-full" disabled={busy}>
              {busy ? "Sending…" : "Create account"}
            </button>
          </Form>
          <p className="mt-4 text-sm">
            Already a member? <Link to="/login">Sign in</Link>
          </p>
        </>
      )}
    </section>
  );
}
